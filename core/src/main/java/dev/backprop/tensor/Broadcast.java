package dev.backprop.tensor;

/**
 * Index arithmetic for NumPy broadcasting: which element of a smaller operand each element of the result reads,
 * and the reverse sum that turns a gradient of the result back into a gradient of that operand.
 */
public final class Broadcast {
    private Broadcast() {}

    /**
     * How to find, for flat index i of a broadcast result, the element of an operand that it reads: the operand's
     * own index i (same shape), i modulo the operand's size (the operand is a suffix of the result, e.g. a bias row
     * under every row of a matrix, or a scalar), or a table for any other pattern.
     *
     * @param modulus the operand's size when reading is {@code i % modulus}, else 0
     * @param table   the explicit index table when neither simple rule applies, else null
     */
    public record Reader(int modulus, int[] table) {
        /** The operand's flat index read at result index {@code i}. */
        public int at(int i) {
            return table != null ? table[i] : modulus != 0 ? i % modulus : i;
        }

        /** True when the operand is read element for element (same shape). */
        public boolean identity() {
            return table == null && modulus == 0;
        }
    }

    /** The cheapest {@link Reader} for an operand of shape {@code from} broadcast to {@code to}. */
    public static Reader reader(Shape from, Shape to) {
        if (from.equals(to)) return new Reader(0, null);
        if (isSuffix(from, to)) return new Reader(Math.max(from.size(), 1), null);
        return new Reader(0, map(from, to));
    }

    /** True when {@code from}, without its leading 1s, equals the trailing dimensions of {@code to}. */
    private static boolean isSuffix(Shape from, Shape to) {
        int skip = 0;
        while (skip < from.rank() && from.dim(skip) == 1) skip++;
        int len = from.rank() - skip;
        if (len > to.rank()) return false;
        for (int i = 0; i < len; i++) {
            if (from.dim(skip + i) != to.dim(to.rank() - len + i)) return false;
        }
        return true;
    }

    /**
     * For every flat index of {@code to}, the flat index of {@code from} that broadcasting reads there; {@code null}
     * when the shapes are equal (the identity). {@code from} must broadcast to {@code to}.
     */
    public static int[] map(Shape from, Shape to) {
        if (from.equals(to)) return null;
        int n = to.size();
        int[] map = new int[n];
        if (from.size() == 1) return map; // every element reads element 0
        int rank = to.rank();
        int[] dims = to.dims();
        int[] strides = from.broadcastStrides(to);
        int[] counter = new int[rank];
        int offset = 0;
        for (int i = 0; i < n; i++) {
            map[i] = offset;
            // Odometer increment over the result's dimensions, keeping the source offset in step.
            for (int d = rank - 1; d >= 0; d--) {
                counter[d]++;
                offset += strides[d];
                if (counter[d] < dims[d]) break;
                offset -= strides[d] * counter[d];
                counter[d] = 0;
            }
        }
        return map;
    }

    /**
     * Sums {@code grad} (shaped like the broadcast result) into the shape of the operand that was broadcast: the
     * chain rule for a value read many times is the sum of the gradients of its reads.
     */
    public static Tensor sumTo(Tensor grad, Shape target) {
        if (grad.shape().equals(target)) return grad;
        Reader r = reader(target, grad.shape());
        Tensor out = Tensor.zeros(grad.dtype(), target);
        if (grad.dtype() == DType.FLOAT32) {
            float[] g = grad.floats(), o = out.floats();
            if (r.table() == null && r.modulus() > 0) {
                // A row under every row (a bias): column sums, row by row.
                int w = r.modulus();
                for (int row = 0; row < g.length; row += w) for (int j = 0; j < w; j++) o[j] += g[row + j];
            } else {
                for (int i = 0; i < g.length; i++) o[r.at(i)] += g[i];
            }
        } else {
            double[] g = grad.doubles(), o = out.doubles();
            for (int i = 0; i < g.length; i++) o[r.at(i)] += g[i];
        }
        return out;
    }
}
