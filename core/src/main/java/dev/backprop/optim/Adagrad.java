package dev.backprop.optim;

import dev.backprop.tensor.Tensor;
import java.util.List;
import java.util.Map;

/**
 * Adagrad, as PyTorch's {@code torch.optim.Adagrad}: each element's step is divided by the root of the sum of all
 * its squared gradients so far, so often-updated weights slow down.
 *
 * <pre>{@code
 * Adagrad adagrad = Adagrad.builder().lr(1e-2).build(Map.of("0.weight", w, "0.bias", b));
 * adagrad.step();
 * }</pre>
 *
 * <p>For each parameter {@code w} with gradient {@code g}, learning rate {@code α}, learning-rate decay
 * {@code η} and weight decay {@code λ}, where {@code t} counts this parameter's updates from 1:
 * <pre>
 * g ← g + λ·w                          if λ ≠ 0
 * αₜ ← α / (1 + (t − 1)·η)
 * s ← s + g²                           s starts at initial_accumulator_value
 * w ← w − αₜ·g / (√s + ε)
 * </pre>
 * Defaults: {@code lr = 1e-2}, learning-rate decay 0, weight decay 0, initial accumulator 0,
 * {@code eps = 1e-10}. State slot: {@code sum} (s).
 */
public final class Adagrad extends Optimizer {
    private final double lrDecay, weightDecay, initialAccumulatorValue, eps;

    private Adagrad(Builder b, Map<String, Tensor> parameters) {
        String owner = OptimizerType.ADAGRAD.toString();
        Check.nonNegative(owner, "lr_decay", b.lrDecay);
        Check.nonNegative(owner, "weight_decay", b.weightDecay);
        Check.nonNegative(owner, "initial_accumulator_value", b.initialAccumulatorValue);
        Check.positive(owner, "eps", b.eps);
        super(OptimizerType.ADAGRAD, parameters, b.lr, List.of("sum"));
        lrDecay = b.lrDecay;
        weightDecay = b.weightDecay;
        initialAccumulatorValue = b.initialAccumulatorValue;
        eps = b.eps;
    }

    /** A builder with the defaults above. */
    public static Builder builder() {
        return new Builder();
    }

    static Adagrad fromHyperParameters(HyperParameters h, Map<String, Tensor> parameters) {
        Builder b = builder();
        b.lr(h.get("lr", b.lr)).lrDecay(h.get("lr_decay", b.lrDecay)).weightDecay(h.get("weight_decay", b.weightDecay))
                .initialAccumulatorValue(h.get("initial_accumulator_value", b.initialAccumulatorValue))
                .eps(h.get("eps", b.eps));
        h.rejectUnknown();
        return b.build(parameters);
    }

    @Override
    protected double initialValue(int slot) {
        return initialAccumulatorValue;
    }

    @Override
    protected void putHyperParameters(Map<String, Double> out) {
        out.put("lr_decay", lrDecay);
        out.put("weight_decay", weightDecay);
        out.put("initial_accumulator_value", initialAccumulatorValue);
        out.put("eps", eps);
    }

    @Override
    protected void update(float[] w, float[] g, float[][] slots, long t, double lr) {
        float[] sum = slots[0];
        double clr = lr / (1 + (t - 1) * lrDecay);
        for (int i = 0; i < w.length; i++) {
            double gi = weightDecay != 0 ? g[i] + weightDecay * w[i] : g[i];
            double s = sum[i] + gi * gi;
            sum[i] = (float) s;
            w[i] = (float) (w[i] - clr * gi / (Math.sqrt(s) + eps));
        }
    }

    @Override
    protected void update(double[] w, double[] g, double[][] slots, long t, double lr) {
        double[] sum = slots[0];
        double clr = lr / (1 + (t - 1) * lrDecay);
        for (int i = 0; i < w.length; i++) {
            double gi = weightDecay != 0 ? g[i] + weightDecay * w[i] : g[i];
            double s = sum[i] + gi * gi;
            sum[i] = s;
            w[i] -= clr * gi / (Math.sqrt(s) + eps);
        }
    }

    /** Settings for {@link Adagrad}; {@link #build} validates them. */
    public static final class Builder extends OptimizerBuilder<Builder, Adagrad> {
        private double lrDecay, initialAccumulatorValue;

        private Builder() {
            super(1e-2, 0, 1e-10);
        }

        /** Learning-rate decay η ≥ 0: the t-th update uses α / (1 + (t − 1)·η) (default 0). */
        public Builder lrDecay(double lrDecay) {
            this.lrDecay = lrDecay;
            return this;
        }

        /** The value ≥ 0 the sum of squared gradients starts at (default 0). */
        public Builder initialAccumulatorValue(double initialAccumulatorValue) {
            this.initialAccumulatorValue = initialAccumulatorValue;
            return this;
        }

        /** ε > 0 added to the denominator (default 1e-10). */
        public Builder eps(double eps) {
            this.eps = eps;
            return this;
        }

        @Override
        public Adagrad build(Map<String, Tensor> parameters) {
            return new Adagrad(this, parameters);
        }
    }
}
