package dev.backprop.optim;

import dev.backprop.tensor.DType;
import dev.backprop.tensor.Tensor;
import java.util.Collection;
import java.util.Objects;

/**
 * Limits gradients in place before an optimizer step, as PyTorch's {@code clip_grad_norm_} and
 * {@code clip_grad_value_}. Parameters whose gradient is null are skipped.
 *
 * <pre>{@code
 * double norm = GradientClipping.clipByGlobalNorm(opt.parameters().values(), 1.0);
 * opt.step();
 * }</pre>
 */
public final class GradientClipping {
    /** Added to the norm before dividing, as PyTorch does, so that a zero norm cannot divide by zero. */
    private static final double NORM_EPS = 1e-6;

    private GradientClipping() {}

    /**
     * Scales all gradients together so that their global L2 norm (over every element of every gradient) does not
     * exceed {@code maxNorm}:
     * <pre>
     * n ← √(Σ g²)   over all gradients
     * c ← maxNorm / (n + 1e-6)
     * g ← c·g       for every gradient, if c &lt; 1
     * </pre>
     * A NaN or infinite norm is returned as it is and the gradients are left untouched, so the caller can see
     * it and skip the step. Returns the norm before clipping.
     */
    public static double clipByGlobalNorm(Collection<Tensor> params, double maxNorm) {
        Objects.requireNonNull(params, "params");
        if (!(maxNorm >= 0) || Double.isInfinite(maxNorm)) {
            throw new IllegalArgumentException("clipByGlobalNorm: maxNorm must be a finite number >= 0, got " + maxNorm);
        }
        double sumSq = 0;
        for (Tensor p : params) {
            Tensor g = p.grad();
            if (g == null) continue;
            if (g.dtype() == DType.FLOAT32) {
                for (float v : g.floats()) sumSq += (double) v * v;
            } else {
                for (double v : g.doubles()) sumSq += v * v;
            }
        }
        double norm = Math.sqrt(sumSq);
        if (!Double.isFinite(norm)) return norm;
        double c = maxNorm / (norm + NORM_EPS);
        if (c < 1) {
            for (Tensor p : params) {
                Tensor g = p.grad();
                if (g == null) continue;
                if (g.dtype() == DType.FLOAT32) {
                    float[] a = g.floats();
                    for (int i = 0; i < a.length; i++) a[i] = (float) (a[i] * c);
                } else {
                    double[] a = g.doubles();
                    for (int i = 0; i < a.length; i++) a[i] *= c;
                }
            }
        }
        return norm;
    }

    /** Clamps every gradient element to {@code [−limit, limit]}; NaN elements stay NaN. */
    public static void clipByValue(Collection<Tensor> params, double limit) {
        Objects.requireNonNull(params, "params");
        if (!(limit >= 0)) throw new IllegalArgumentException("clipByValue: limit must be >= 0, got " + limit);
        for (Tensor p : params) {
            Tensor g = p.grad();
            if (g == null) continue;
            if (g.dtype() == DType.FLOAT32) {
                float[] a = g.floats();
                float l = (float) limit;
                for (int i = 0; i < a.length; i++) a[i] = Math.max(-l, Math.min(l, a[i]));
            } else {
                double[] a = g.doubles();
                for (int i = 0; i < a.length; i++) a[i] = Math.max(-limit, Math.min(limit, a[i]));
            }
        }
    }
}
