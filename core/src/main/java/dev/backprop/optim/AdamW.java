package dev.backprop.optim;

import dev.backprop.tensor.Tensor;
import java.util.Map;

/**
 * Adam with decoupled weight decay, as PyTorch's {@code torch.optim.AdamW}: the weights shrink by {@code α·λ·w}
 * before the Adam update, instead of {@code λ·w} joining the gradient and its running averages.
 *
 * <pre>{@code
 * AdamW adamW = AdamW.builder().lr(1e-3).weightDecay(0.01).build(Map.of("0.weight", w, "0.bias", b));
 * adamW.step();
 * }</pre>
 *
 * <p>For each parameter {@code w} with gradient {@code g}, where {@code t} counts this parameter's updates from 1:
 * <pre>
 * w ← w − α·λ·w
 * m ← β₁·m + (1 − β₁)·g                m, v start at 0
 * v ← β₂·v + (1 − β₂)·g²
 * m̂ ← m / (1 − β₁ᵗ)
 * v̂ ← v / (1 − β₂ᵗ)
 * w ← w − α·m̂ / (√v̂ + ε)
 * </pre>
 * Defaults: {@code lr = 1e-3}, {@code betas = (0.9, 0.999)}, {@code eps = 1e-8}, weight decay 0.01 (PyTorch's).
 * State slots: {@code exp_avg} (m), {@code exp_avg_sq} (v).
 */
public final class AdamW extends Optimizer {
    private final double beta1, beta2, eps, weightDecay;

    private AdamW(Builder b, Map<String, Tensor> parameters) {
        Adam.checkAdam(OptimizerType.ADAMW, b.beta1, b.beta2, b.eps, b.weightDecay);
        super(OptimizerType.ADAMW, parameters, b.lr, Adam.SLOTS);
        beta1 = b.beta1;
        beta2 = b.beta2;
        eps = b.eps;
        weightDecay = b.weightDecay;
    }

    /** A builder with the defaults above. */
    public static Builder builder() {
        return new Builder();
    }

    static AdamW fromHyperParameters(HyperParameters h, Map<String, Tensor> parameters) {
        Builder b = builder();
        b.lr(h.get("lr", b.lr)).betas(h.get("beta1", b.beta1), h.get("beta2", b.beta2)).eps(h.get("eps", b.eps))
                .weightDecay(h.get("weight_decay", b.weightDecay));
        h.rejectUnknown();
        return b.build(parameters);
    }

    @Override
    protected void putHyperParameters(Map<String, Double> out) {
        Adam.putAdam(out, beta1, beta2, eps, weightDecay);
    }

    @Override
    protected void update(float[] w, float[] g, float[][] slots, long t, double lr) {
        Adam.adam(w, g, slots[0], slots[1], 0, w.length, t, lr, beta1, beta2, eps, 0, 1 - lr * weightDecay);
    }

    @Override
    protected void update(float[] w, float[] g, float[][] slots, int from, int to, long t, double lr) {
        Adam.adam(w, g, slots[0], slots[1], from, to, t, lr, beta1, beta2, eps, 0, 1 - lr * weightDecay);
    }

    @Override
    protected boolean elementwise() {
        return true;
    }

    @Override
    protected void update(double[] w, double[] g, double[][] slots, long t, double lr) {
        Adam.adam(w, g, slots[0], slots[1], t, lr, beta1, beta2, eps, 0, 1 - lr * weightDecay);
    }

    /** Settings for {@link AdamW}; {@link #build} validates them. */
    public static final class Builder extends OptimizerBuilder<Builder, AdamW> {
        private double beta1 = 0.9, beta2 = 0.999;

        private Builder() {
            super(1e-3, 1e-2, 1e-8);
        }

        /** Decay rates β₁, β₂ in [0, 1) of the running averages of g and g² (default 0.9, 0.999). */
        public Builder betas(double beta1, double beta2) {
            this.beta1 = beta1;
            this.beta2 = beta2;
            return this;
        }

        /** ε > 0 added to the denominator (default 1e-8). */
        public Builder eps(double eps) {
            this.eps = eps;
            return this;
        }

        @Override
        public AdamW build(Map<String, Tensor> parameters) {
            return new AdamW(this, parameters);
        }
    }
}
