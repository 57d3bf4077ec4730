package dev.backprop.autograd.ops;

import dev.backprop.autograd.Op;
import dev.backprop.tensor.DType;
import dev.backprop.tensor.Kernels;
import dev.backprop.tensor.ShapeException;
import dev.backprop.tensor.Tensor;

/**
 * Matrix product C = op(A)·op(B), where op transposes its operand when asked ({@code [m, k] x [k, n] -> [m, n]}).
 * The transposes are flags handed to the kernel, never copies.
 *
 * <p>Local derivative, with G = ∂E/∂C: ∂E/∂op(A) = G·op(B)ᵀ and ∂E/∂op(B) = op(A)ᵀ·G (for a layer z = x·Wᵀ that
 * is the seeds' ∂E/∂W = δᵀ·x); each is again one product with the right flags.
 */
public final class MatMul extends Op {
    private final boolean transA;
    private final boolean transB;
    private Tensor a;
    private Tensor b;

    /** C = op(A)·op(B), with A read transposed when {@code transA} and B when {@code transB}. */
    public MatMul(boolean transA, boolean transB) {
        this.transA = transA;
        this.transB = transB;
    }

    @Override
    public String name() {
        return "matmul";
    }

    @Override
    protected Tensor forward(Tensor... in) {
        a = in[0];
        b = in[1];
        if (a.rank() != 2 || b.rank() != 2) throw shapeError(a.shape(), b.shape());
        int m = transA ? a.shape().dim(1) : a.shape().dim(0);
        int k = transA ? a.shape().dim(0) : a.shape().dim(1);
        int kb = transB ? b.shape().dim(1) : b.shape().dim(0);
        int n = transB ? b.shape().dim(0) : b.shape().dim(1);
        if (k != kb) {
            throw new ShapeException(name() + ": " + a.shape() + (transA ? "ᵀ" : "") + " x " + b.shape() + (transB ? "ᵀ" : ""));
        }
        DType type = DType.promote(a.dtype(), b.dtype());
        a = a.to(type);
        b = b.to(type);
        return product(a, transA, b, transB, m, n, k);
    }

    /** op(x)·op(y) as a new [m, n] tensor. */
    static Tensor product(Tensor x, boolean tx, Tensor y, boolean ty, int m, int n, int k) {
        Tensor c = Tensor.zeros(x.dtype(), dev.backprop.tensor.Shape.of(m, n));
        productInto(x, tx, y, ty, m, n, k, c, false);
        return c;
    }

    /** c = op(x)·op(y), or c += op(x)·op(y) with {@code accumulate}; c is [m, n]. */
    static void productInto(Tensor x, boolean tx, Tensor y, boolean ty, int m, int n, int k, Tensor c, boolean accumulate) {
        if (m == 0 || n == 0) return;
        if (x.dtype() == DType.FLOAT32) Kernels.gemm(tx, ty, m, n, k, x.floats(), y.floats(), c.floats(), accumulate);
        else Kernels.gemm(tx, ty, m, n, k, x.doubles(), y.doubles(), c.doubles(), accumulate);
    }

    /**
     * ∂E/∂input_i = op(x)·op(y): added straight into the input's gradient buffer when it is a parameter's (null is
     * returned then), otherwise a new tensor.
     */
    Tensor gradient(int i, Tensor x, boolean tx, Tensor y, boolean ty, int m, int n, int k) {
        Tensor into = leafGradient(i, x.dtype());
        if (into == null) return product(x, tx, y, ty, m, n, k);
        productInto(x, tx, y, ty, m, n, k, into, true);
        return null;
    }

    @Override
    protected Tensor[] backward(Tensor g) {
        g = g.to(a.dtype());
        int m = g.shape().dim(0), n = g.shape().dim(1);
        int k = transA ? a.shape().dim(0) : a.shape().dim(1);
        Tensor ga = null, gb = null;
        if (needsGrad(0)) {
            // ∂E/∂A = G·op(B)ᵀ, or its transpose op(B)·Gᵀ when A was used transposed.
            ga = transA ? gradient(0, b, transB, g, true, k, m, n) : gradient(0, g, false, b, !transB, m, k, n);
        }
        if (needsGrad(1)) {
            // ∂E/∂B = op(A)ᵀ·G, or its transpose Gᵀ·op(A) when B was used transposed.
            gb = transB ? gradient(1, g, true, a, transA, n, k, m) : gradient(1, a, !transA, g, false, k, n, m);
        }
        return new Tensor[] {ga, gb};
    }
}
