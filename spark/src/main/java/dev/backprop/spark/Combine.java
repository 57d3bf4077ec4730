package dev.backprop.spark;

import dev.backprop.optim.Optimizer;
import dev.backprop.tensor.Tensor;
import java.util.List;

/**
 * Combines the partials of one step, in partition order, into the mean gradient over the global batch, and lets the
 * optimizer take its step. The order is fixed (partition 0, 1, ...), never the order in which tasks finished, so the
 * sum has the same bits on every run; the replay calls the same code.
 */
final class Combine {
    private Combine() {}

    /**
     * What the step did: the loss summed over the global batch, its rows, and a checksum of the bits of the mean
     * gradient (so that two runs can be compared step by step, not only by their final weights).
     */
    record Step(double lossSum, long count, long checksum) {}

    /** The current weights, copied, one array per parameter in order. */
    static float[][] weights(Optimizer optimizer) {
        List<Tensor> params = List.copyOf(optimizer.parameters().values());
        float[][] w = new float[params.size()][];
        for (int i = 0; i < w.length; i++) w[i] = params.get(i).floats().clone();
        return w;
    }

    /** Sums {@code partials} in the order given (partition order), sets the mean as each parameter's gradient, steps. */
    static Step apply(List<Partial> partials, Optimizer optimizer) {
        List<Tensor> params = List.copyOf(optimizer.parameters().values());
        float[][] sum = new float[params.size()][];
        for (int i = 0; i < sum.length; i++) sum[i] = new float[params.get(i).size()];
        double lossSum = 0;
        long count = 0;
        for (Partial p : partials) {
            for (int i = 0; i < sum.length; i++) {
                float[] g = p.gradients()[i], s = sum[i];
                for (int j = 0; j < s.length; j++) s[j] += g[j];
            }
            lossSum += p.lossSum();
            count += p.count();
        }
        if (count == 0) return new Step(0, 0, 0);
        float n = count;
        long checksum = 1;
        for (int i = 0; i < sum.length; i++) {
            float[] s = sum[i];
            for (int j = 0; j < s.length; j++) {
                s[j] /= n;
                checksum = checksum * 31 + Float.floatToRawIntBits(s[j]);
            }
            params.get(i).setGrad(Tensor.wrap(s, params.get(i).shape()));
        }
        optimizer.step();
        return new Step(lossSum, count, checksum);
    }
}
