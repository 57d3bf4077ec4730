package dev.backprop.loss;

import dev.backprop.autograd.Op;
import dev.backprop.autograd.ops.Sigmoid;
import dev.backprop.tensor.DType;
import dev.backprop.tensor.Tensor;

/**
 * Mean binary cross-entropy of logits z against targets y (same shape), sigmoid and log fused in one op, with the
 * positive-class weight pw. With sp = log(1 + e^−z) = log1p(e^−|z|) + max(−z, 0) (never a positive exponent):
 *
 * <p>ℓ = (1 − y)·z + (1 + (pw − 1)·y)·sp, evaluated as max(z, 0) − z·y + log1p(e^−|z|) + (pw − 1)·y·sp, which is the
 * same number but keeps full precision for pw = 1 where (1 − y)·z and sp nearly cancel (z ≪ 0, y = 0).
 * E = (1/n) Σ ℓ.
 *
 * <p>Local derivative: ∂ℓ/∂z = (1 − y) + (1 + (pw − 1)·y)·(σ(z) − 1) = (1 + (pw − 1)·y)·σ(z) − pw·y, and
 * ∂ℓ/∂y = −z + (pw − 1)·sp; each divided by n.
 */
final class SigmoidBinaryCrossEntropy extends Op {
    private final double posWeight;
    private Tensor z;
    private Tensor y;

    SigmoidBinaryCrossEntropy(double posWeight) {
        this.posWeight = posWeight;
    }

    @Override
    public String name() {
        return "sigmoid_binary_cross_entropy";
    }

    /** log(1 + e^−z) without overflow. */
    private static double softplusOfMinus(double z) {
        return Math.log1p(Math.exp(-Math.abs(z))) + Math.max(-z, 0);
    }

    @Override
    protected Tensor forward(Tensor... in) {
        z = in[0];
        y = in[1];
        int n = z.size();
        double total = 0;
        for (int i = 0; i < n; i++) {
            double zi = z.getFlat(i), yi = y.getFlat(i);
            double l = Math.max(zi, 0) - zi * yi + Math.log1p(Math.exp(-Math.abs(zi)));
            if (posWeight != 1) l += (posWeight - 1) * yi * softplusOfMinus(zi);
            total += l;
        }
        return Tensor.scalar(DType.promote(z.dtype(), y.dtype()), total / n);
    }

    @Override
    protected Tensor[] backward(Tensor g) {
        int n = z.size();
        double scale = g.getFlat(0) / n;
        Tensor gz = null, gy = null;
        if (needsGrad(0)) {
            gz = Tensor.zeros(z.dtype(), z.shape());
            for (int i = 0; i < n; i++) {
                double zi = z.getFlat(i), yi = y.getFlat(i);
                gz.setFlatInPlace(i, scale * ((1 + (posWeight - 1) * yi) * Sigmoid.sigmoid(zi) - posWeight * yi));
            }
        }
        if (needsGrad(1)) {
            gy = Tensor.zeros(y.dtype(), y.shape());
            for (int i = 0; i < n; i++) {
                double zi = z.getFlat(i);
                gy.setFlatInPlace(i, scale * (-zi + (posWeight - 1) * softplusOfMinus(zi)));
            }
        }
        return new Tensor[] {gz, gy};
    }
}
