package dev.backprop.optim;

import dev.backprop.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * RMSProp, as PyTorch's {@code torch.optim.RMSprop}: each step divides the gradient by the root of a running
 * average of its square, optionally centred (minus the square of the running average of the gradient) and with
 * momentum.
 *
 * <pre>{@code
 * RmsProp rms = RmsProp.builder().lr(1e-2).alpha(0.99).momentum(0.9).centered(true).build(List.of(w, b));
 * rms.step();
 * }</pre>
 *
 * <p>For each parameter {@code w} with gradient {@code g}, learning rate {@code α}, smoothing constant
 * {@code ρ} (PyTorch's {@code alpha}), momentum {@code μ} and weight decay {@code λ}:
 * <pre>
 * g ← g + λ·w                          if λ ≠ 0
 * v ← ρ·v + (1 − ρ)·g²                 v, ḡ, b start at 0
 * if centered:
 *     ḡ ← ρ·ḡ + (1 − ρ)·g
 *     d ← √max(v − ḡ², 0) + ε
 * else:
 *     d ← √v + ε
 * if μ > 0:  b ← μ·b + g/d,  w ← w − α·b
 * else:      w ← w − α·g/d
 * </pre>
 * The {@code max(…, 0)} keeps rounding from taking the root of a tiny negative number. Defaults:
 * {@code lr = 1e-2}, {@code alpha = 0.99}, {@code eps = 1e-8}, momentum and weight decay 0, not centred. State
 * slots: {@code square_avg} (v), {@code momentum_buffer} (b, when {@code μ > 0}), {@code grad_avg} (ḡ, when
 * centred).
 */
public final class RmsProp extends Optimizer {
    private final double alpha, eps, weightDecay, momentum;
    private final boolean centered;
    private final int momentumSlot, gradAvgSlot;

    private RmsProp(Builder b, Map<String, Tensor> parameters) {
        String owner = OptimizerType.RMSPROP.toString();
        Check.fraction(owner, "alpha", b.alpha);
        Check.positive(owner, "eps", b.eps);
        Check.nonNegative(owner, "weight_decay", b.weightDecay);
        Check.fraction(owner, "momentum", b.momentum);
        List<String> slots = new ArrayList<>(List.of("square_avg"));
        int momentumSlot = -1, gradAvgSlot = -1;
        if (b.momentum > 0) {
            momentumSlot = slots.size();
            slots.add("momentum_buffer");
        }
        if (b.centered) {
            gradAvgSlot = slots.size();
            slots.add("grad_avg");
        }
        super(OptimizerType.RMSPROP, parameters, b.lr, slots);
        alpha = b.alpha;
        eps = b.eps;
        weightDecay = b.weightDecay;
        momentum = b.momentum;
        centered = b.centered;
        this.momentumSlot = momentumSlot;
        this.gradAvgSlot = gradAvgSlot;
    }

    /** A builder with the defaults above. */
    public static Builder builder() {
        return new Builder();
    }

    static RmsProp fromHyperParameters(HyperParameters h, Map<String, Tensor> parameters) {
        Builder b = builder();
        b.lr(h.get("lr", b.lr)).alpha(h.get("alpha", b.alpha)).eps(h.get("eps", b.eps))
                .weightDecay(h.get("weight_decay", b.weightDecay)).momentum(h.get("momentum", b.momentum))
                .centered(h.flag("centered", b.centered));
        h.rejectUnknown();
        return b.build(parameters);
    }

    @Override
    protected void putHyperParameters(Map<String, Double> out) {
        out.put("alpha", alpha);
        out.put("eps", eps);
        out.put("weight_decay", weightDecay);
        out.put("momentum", momentum);
        out.put("centered", HyperParameters.flag(centered));
    }

    @Override
    protected void update(float[] w, float[] g, float[][] slots, long t, double lr) {
        float[] sq = slots[0];
        float[] buf = momentumSlot >= 0 ? slots[momentumSlot] : null;
        float[] avg = gradAvgSlot >= 0 ? slots[gradAvgSlot] : null;
        for (int i = 0; i < w.length; i++) {
            double gi = weightDecay != 0 ? g[i] + weightDecay * w[i] : g[i];
            double v = alpha * sq[i] + (1 - alpha) * gi * gi;
            sq[i] = (float) v;
            double d;
            if (avg != null) {
                double a = alpha * avg[i] + (1 - alpha) * gi;
                avg[i] = (float) a;
                d = Math.sqrt(Math.max(v - a * a, 0)) + eps;
            } else {
                d = Math.sqrt(v) + eps;
            }
            if (buf != null) {
                double b = momentum * buf[i] + gi / d;
                buf[i] = (float) b;
                w[i] = (float) (w[i] - lr * b);
            } else {
                w[i] = (float) (w[i] - lr * gi / d);
            }
        }
    }

    @Override
    protected void update(double[] w, double[] g, double[][] slots, long t, double lr) {
        double[] sq = slots[0];
        double[] buf = momentumSlot >= 0 ? slots[momentumSlot] : null;
        double[] avg = gradAvgSlot >= 0 ? slots[gradAvgSlot] : null;
        for (int i = 0; i < w.length; i++) {
            double gi = weightDecay != 0 ? g[i] + weightDecay * w[i] : g[i];
            double v = alpha * sq[i] + (1 - alpha) * gi * gi;
            sq[i] = v;
            double d;
            if (avg != null) {
                double a = alpha * avg[i] + (1 - alpha) * gi;
                avg[i] = a;
                d = Math.sqrt(Math.max(v - a * a, 0)) + eps;
            } else {
                d = Math.sqrt(v) + eps;
            }
            if (buf != null) {
                double b = momentum * buf[i] + gi / d;
                buf[i] = b;
                w[i] -= lr * b;
            } else {
                w[i] -= lr * gi / d;
            }
        }
    }

    /** Settings for {@link RmsProp}; {@link #build} validates them. */
    public static final class Builder extends OptimizerBuilder<Builder, RmsProp> {
        private double alpha = 0.99, momentum;
        private boolean centered;

        private Builder() {
            super(1e-2, 0, 1e-8);
        }

        /** Smoothing constant ρ in [0, 1) of the running average of g² (default 0.99). */
        public Builder alpha(double alpha) {
            this.alpha = alpha;
            return this;
        }

        /** Momentum μ in [0, 1) (default 0: none). */
        public Builder momentum(double momentum) {
            this.momentum = momentum;
            return this;
        }

        /** Whether to divide by the running variance of g instead of its running mean square (default false). */
        public Builder centered(boolean centered) {
            this.centered = centered;
            return this;
        }

        /** ε > 0 added to the denominator (default 1e-8). */
        public Builder eps(double eps) {
            this.eps = eps;
            return this;
        }

        @Override
        public RmsProp build(Map<String, Tensor> parameters) {
            return new RmsProp(this, parameters);
        }
    }
}
