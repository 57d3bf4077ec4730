package dev.backprop.autograd.ops;

import dev.backprop.autograd.Op;
import dev.backprop.tensor.DType;
import dev.backprop.tensor.Shape;
import dev.backprop.tensor.Tensor;

/** Swaps two axes (a copy in the new order); the gradient is swapped back the same way. */
public final class Transpose extends Op {
    private final int axis0;
    private final int axis1;

    /**
     * Swaps axes {@code axis0} and {@code axis1}; a negative axis counts from the end ({@code -1} is the last), as in
     * {@link Tensor#transpose(int, int)}.
     */
    public Transpose(int axis0, int axis1) {
        this.axis0 = axis0;
        this.axis1 = axis1;
    }

    @Override
    public String name() {
        return "transpose";
    }

    @Override
    protected Tensor forward(Tensor... in) {
        return swap(in[0], axis0, axis1);
    }

    @Override
    protected Tensor[] backward(Tensor g) {
        return new Tensor[] {swap(g, axis0, axis1)};
    }

    static Tensor swap(Tensor x, int p, int q) {
        int[] dims = x.shape().dims();
        int rank = dims.length;
        int p0 = p, q0 = q;
        if (p < 0) p += rank;
        if (q < 0) q += rank;
        if (p < 0 || p >= rank || q < 0 || q >= rank) {
            throw new dev.backprop.tensor.ShapeException("transpose: axes " + p0 + " and " + q0 + " of " + x.shape());
        }
        int[] srcStrides = x.shape().strides();
        int tmp = dims[p];
        dims[p] = dims[q];
        dims[q] = tmp;
        Shape outShape = Shape.of(dims);
        // Read strides in the output's axis order: walking the output row-major gathers the input.
        int[] read = srcStrides.clone();
        read[p] = srcStrides[q];
        read[q] = srcStrides[p];
        Tensor out = Tensor.zeros(x.dtype(), outShape);
        int n = outShape.size();
        if (n == 0) return out;
        if (rank == 2) {
            int rows = dims[0], cols = dims[1];
            if (x.dtype() == DType.FLOAT32) {
                float[] s = x.floats(), o = out.floats();
                for (int r = 0; r < rows; r++) for (int c = 0; c < cols; c++) o[r * cols + c] = s[c * rows + r];
            } else {
                double[] s = x.doubles(), o = out.doubles();
                for (int r = 0; r < rows; r++) for (int c = 0; c < cols; c++) o[r * cols + c] = s[c * rows + r];
            }
            return out;
        }
        int[] counter = new int[rank];
        int offset = 0;
        for (int i = 0; i < n; i++) {
            out.setFlatInPlace(i, x.getFlat(offset));
            for (int d = rank - 1; d >= 0; d--) {
                counter[d]++;
                offset += read[d];
                if (counter[d] < dims[d]) break;
                offset -= read[d] * counter[d];
                counter[d] = 0;
            }
        }
        return out;
    }
}
