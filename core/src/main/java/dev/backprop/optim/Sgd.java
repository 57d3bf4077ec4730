package dev.backprop.optim;

import dev.backprop.tensor.Tensor;
import java.util.List;
import java.util.Map;

/**
 * Stochastic gradient descent with optional momentum, Nesterov momentum and L2 weight decay, as PyTorch's
 * {@code torch.optim.SGD}. Without momentum or decay it is the seeds' rule {@code W ← W − α·∂E/∂W}.
 *
 * <pre>{@code
 * Sgd sgd = Sgd.builder().lr(0.1).momentum(0.9).nesterov(true).build(Map.of("0.weight", w, "0.bias", b));
 * sgd.step();
 * }</pre>
 *
 * <p>For each parameter {@code w} with gradient {@code g}, learning rate {@code α}, momentum {@code μ},
 * dampening {@code τ} and weight decay {@code λ}:
 * <pre>
 * g ← g + λ·w                          if λ ≠ 0
 * if μ ≠ 0:
 *     b ← g                            on w's first update
 *     b ← μ·b + (1 − τ)·g              on later updates
 *     g ← g + μ·b  if nesterov,  else g ← b
 * w ← w − α·g
 * </pre>
 * Defaults: {@code lr = 1e-3}, momentum, dampening and weight decay 0, no Nesterov. State slot:
 * {@code momentum_buffer} (only when {@code μ ≠ 0}).
 */
public final class Sgd extends Optimizer {
    private final double momentum, dampening, weightDecay;
    private final boolean nesterov;

    private Sgd(Builder b, Map<String, Tensor> parameters) {
        String owner = OptimizerType.SGD.toString();
        Check.fraction(owner, "momentum", b.momentum);
        if (!(b.dampening >= 0 && b.dampening <= 1)) {
            throw new IllegalArgumentException(owner + ": dampening must be in [0, 1], got " + b.dampening);
        }
        Check.nonNegative(owner, "weight_decay", b.weightDecay);
        if (b.nesterov && (b.momentum == 0 || b.dampening != 0)) {
            throw new IllegalArgumentException(owner + ": nesterov needs momentum > 0 and dampening 0, got momentum "
                    + b.momentum + " and dampening " + b.dampening);
        }
        super(OptimizerType.SGD, parameters, b.lr, b.momentum != 0 ? List.of("momentum_buffer") : List.of());
        momentum = b.momentum;
        dampening = b.dampening;
        weightDecay = b.weightDecay;
        nesterov = b.nesterov;
    }

    /** A builder with the defaults above. */
    public static Builder builder() {
        return new Builder();
    }

    static Sgd fromHyperParameters(HyperParameters h, Map<String, Tensor> parameters) {
        Builder b = builder();
        b.lr(h.get("lr", b.lr)).momentum(h.get("momentum", b.momentum)).dampening(h.get("dampening", b.dampening))
                .nesterov(h.flag("nesterov", b.nesterov)).weightDecay(h.get("weight_decay", b.weightDecay));
        h.rejectUnknown();
        return b.build(parameters);
    }

    @Override
    protected void putHyperParameters(Map<String, Double> out) {
        out.put("momentum", momentum);
        out.put("dampening", dampening);
        out.put("nesterov", HyperParameters.flag(nesterov));
        out.put("weight_decay", weightDecay);
    }

    /**
     * The float32 update runs in float arithmetic, one loop per case with no test inside it, so the JIT turns
     * each into vector instructions (the double path below keeps one general loop). A decay of 0 adds 0·w, which
     * leaves g unchanged.
     */
    @Override
    protected void update(float[] w, float[] g, float[][] slots, long t, double lr) {
        update(w, g, slots, 0, w.length, t, lr);
    }

    @Override
    protected void update(float[] w, float[] g, float[][] slots, int from, int to, long t, double lr) {
        float a = (float) lr, decay = (float) weightDecay;
        if (momentum == 0) {
            for (int i = from; i < to; i++) w[i] -= a * (g[i] + decay * w[i]);
            return;
        }
        float[] buf = slots[0];
        float mu = (float) momentum, keep = (float) (1 - dampening);
        if (t == 1) {
            for (int i = from; i < to; i++) buf[i] = g[i] + decay * w[i];
        } else {
            for (int i = from; i < to; i++) buf[i] = mu * buf[i] + keep * (g[i] + decay * w[i]);
        }
        if (nesterov) {
            for (int i = from; i < to; i++) w[i] -= a * (g[i] + decay * w[i] + mu * buf[i]);
        } else {
            for (int i = from; i < to; i++) w[i] -= a * buf[i];
        }
    }

    @Override
    protected boolean elementwise() {
        return true;
    }

    @Override
    protected void update(double[] w, double[] g, double[][] slots, long t, double lr) {
        double[] buf = momentum != 0 ? slots[0] : null;
        for (int i = 0; i < w.length; i++) {
            double gi = g[i];
            if (weightDecay != 0) gi += weightDecay * w[i];
            if (buf != null) {
                double b = t == 1 ? gi : momentum * buf[i] + (1 - dampening) * gi;
                buf[i] = b;
                gi = nesterov ? gi + momentum * b : b;
            }
            w[i] -= lr * gi;
        }
    }

    /** Settings for {@link Sgd}; {@link #build} validates them. */
    public static final class Builder extends OptimizerBuilder<Builder, Sgd> {
        private double momentum, dampening;
        private boolean nesterov;

        private Builder() {
            super(1e-3, 0, 0);
        }

        /** Momentum μ in [0, 1) (default 0: none). */
        public Builder momentum(double momentum) {
            this.momentum = momentum;
            return this;
        }

        /** Dampening τ in [0, 1] of the gradient added to the momentum buffer (default 0). */
        public Builder dampening(double dampening) {
            this.dampening = dampening;
            return this;
        }

        /** Nesterov momentum (needs momentum > 0 and dampening 0; default off). */
        public Builder nesterov(boolean nesterov) {
            this.nesterov = nesterov;
            return this;
        }

        @Override
        public Sgd build(Map<String, Tensor> parameters) {
            return new Sgd(this, parameters);
        }
    }
}
