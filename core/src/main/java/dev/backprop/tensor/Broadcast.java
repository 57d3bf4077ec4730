package dev.backprop.tensor;

/**
 * Index arithmetic for NumPy broadcasting: which element of a smaller operand each element of the result reads,
 * and the reverse sum that turns a gradient of the result back into a gradient of that operand.
 */
public final class Broadcast {
    private Broadcast() {}

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
        int[] map = map(target, grad.shape());
        Tensor out = Tensor.zeros(grad.dtype(), target);
        if (grad.dtype() == DType.FLOAT32) {
            float[] g = grad.floats(), o = out.floats();
            for (int i = 0; i < g.length; i++) o[map[i]] += g[i];
        } else {
            double[] g = grad.doubles(), o = out.doubles();
            for (int i = 0; i < g.length; i++) o[map[i]] += g[i];
        }
        return out;
    }
}
