package dev.backprop.autograd.ops;

import dev.backprop.autograd.Op;
import dev.backprop.tensor.DType;
import dev.backprop.tensor.Shape;
import dev.backprop.tensor.ShapeException;
import dev.backprop.tensor.Tensor;

/**
 * A fully connected layer as one op, z = x·Wᵀ + b: x {@code [batch, in]}, W {@code [out, in]}, b {@code [out]}
 * (optional), z {@code [batch, out]}. The same values as {@code x.matmul(w, false, true).add(b)}, in one pass
 * instead of two: the forward writes b into every row of z and lets the product add onto it (β = 1), so there is
 * no second [batch, out] array and no broadcast add.
 *
 * <p>Local derivative, with G = ∂E/∂z (the seeds' δ, one row per sample):
 * <pre>
 * ∂E/∂x = G·W          [batch, out]·[out, in]
 * ∂E/∂W = Gᵀ·x         [out, batch]·[batch, in], summed over the batch by the product itself
 * ∂E/∂b = Σ_rows G     the column sums of G
 * </pre>
 * For a parameter, ∂E/∂W and ∂E/∂b are added straight into its gradient buffer (see {@link #leafGradient}).
 */
public final class Affine extends Op {
    private Tensor x;
    private Tensor w;
    private boolean hasBias;

    /** A fresh linear op (an instance is applied once): inputs x, W and optionally b, in that order. */
    public Affine() {}

    @Override
    public String name() {
        return "linear";
    }

    @Override
    protected Tensor forward(Tensor... in) {
        x = in[0];
        w = in[1];
        Tensor b = in.length > 2 ? in[2] : null;
        hasBias = b != null;
        if (x.rank() != 2 || w.rank() != 2 || x.shape().dim(1) != w.shape().dim(1)
                || (b != null && (b.rank() != 1 || b.shape().dim(0) != w.shape().dim(0)))) {
            throw new ShapeException(name() + ": x " + x.shape() + " · Wᵀ " + w.shape() + (b != null ? " + b " + b.shape() : "")
                    + "; expected x [batch, in], W [out, in], b [out]");
        }
        DType type = DType.promote(x.dtype(), w.dtype());
        if (b != null) type = DType.promote(type, b.dtype());
        x = x.to(type);
        w = w.to(type);
        int batch = x.shape().dim(0), inputs = x.shape().dim(1), outputs = w.shape().dim(0);
        Tensor z = Tensor.zeros(type, Shape.of(batch, outputs));
        if (b != null) {
            b = b.to(type);
            if (type == DType.FLOAT32) {
                float[] zs = z.floats(), bs = b.floats();
                for (int row = 0; row < batch; row++) System.arraycopy(bs, 0, zs, row * outputs, outputs);
            } else {
                double[] zs = z.doubles(), bs = b.doubles();
                for (int row = 0; row < batch; row++) System.arraycopy(bs, 0, zs, row * outputs, outputs);
            }
        }
        MatMul.productInto(x, false, w, true, batch, outputs, inputs, z, b != null);
        return z;
    }

    @Override
    protected Tensor[] backward(Tensor g) {
        g = g.to(x.dtype());
        int batch = x.shape().dim(0), inputs = x.shape().dim(1), outputs = w.shape().dim(0);
        Tensor gx = needsGrad(0) ? MatMul.product(g, false, w, false, batch, inputs, outputs) : null;
        Tensor gw = null;
        if (needsGrad(1)) {
            Tensor into = leafGradient(1, g.dtype());
            if (into == null) gw = MatMul.product(g, true, x, false, outputs, inputs, batch);
            else MatMul.productInto(g, true, x, false, outputs, inputs, batch, into, true);
        }
        Tensor gb = null;
        if (hasBias && needsGrad(2)) {
            Tensor into = leafGradient(2, g.dtype());
            gb = into != null ? into : Tensor.zeros(g.dtype(), Shape.of(outputs));
            addColumnSums(g, gb, batch, outputs);
            if (into != null) gb = null;
        }
        return hasBias ? new Tensor[] {gx, gw, gb} : new Tensor[] {gx, gw};
    }

    /** sums += the column sums of g [rows, cols], row by row so that the inner loop runs along memory. */
    private static void addColumnSums(Tensor g, Tensor sums, int rows, int cols) {
        if (g.dtype() == DType.FLOAT32) {
            float[] gs = g.floats(), s = sums.floats();
            for (int row = 0; row < rows; row++) {
                int at = row * cols;
                for (int j = 0; j < cols; j++) s[j] += gs[at + j];
            }
        } else {
            double[] gs = g.doubles(), s = sums.doubles();
            for (int row = 0; row < rows; row++) {
                int at = row * cols;
                for (int j = 0; j < cols; j++) s[j] += gs[at + j];
            }
        }
    }
}
