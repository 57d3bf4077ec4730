package dev.backprop.optim;

import dev.backprop.tensor.Tensor;
import java.util.List;
import java.util.Map;

/**
 * What every optimizer's builder has: the learning rate, L2 weight decay, ε where the update divides by a root, and
 * {@code build} over named or listed parameters. Each optimizer's {@code Builder} adds its own settings and its
 * defaults ({@code Adam.builder().lr(1e-3).betas(0.9, 0.999).build(params)}).
 *
 * @param <B> the builder itself, so that settings chain
 * @param <O> the optimizer it builds
 */
public abstract class OptimizerBuilder<B extends OptimizerBuilder<B, O>, O extends Optimizer> {
    double lr;
    double weightDecay;
    double eps;

    /** Starts from an optimizer's defaults for the settings every builder has. */
    OptimizerBuilder(double lr, double weightDecay, double eps) {
        this.lr = lr;
        this.weightDecay = weightDecay;
        this.eps = eps;
    }

    @SuppressWarnings("unchecked")
    private B self() {
        return (B) this;
    }

    /** Learning rate α ≥ 0 (the default is each optimizer's, in its class comment). */
    public B lr(double lr) {
        this.lr = lr;
        return self();
    }

    /**
     * Weight decay λ ≥ 0: added to the gradient as λ·w (L2), except in {@link AdamW}, which decays the weights
     * directly; default 0, and 0.01 for AdamW.
     */
    public B weightDecay(double weightDecay) {
        this.weightDecay = weightDecay;
        return self();
    }

    /** The optimizer over named parameters. */
    public abstract O build(Map<String, Tensor> parameters);

    /** The optimizer over a list of parameters, named {@code "0"}, {@code "1"}, ... */
    public O build(List<Tensor> parameters) {
        return build(Optimizer.byIndex(parameters));
    }
}
