package dev.backprop.spark;

import dev.backprop.data.BatchOrder;
import dev.backprop.loss.Loss;
import dev.backprop.nn.Mode;
import dev.backprop.nn.Module;
import dev.backprop.nn.Rescale;
import dev.backprop.tensor.Tensor;
import dev.backprop.train.Evaluation;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The work of one partition in one step, the same code in a Spark task and in the single-process replay: take the
 * partition's rows {@code [step·b, (step+1)·b)} of its permutation for (seed, epoch, partition), run the network
 * forward in training mode (dropout drawn from (seed, epoch, step, partition)), and return the gradient sums.
 *
 * <p>The loss is the network's mean loss over those rows; each gradient is then multiplied by the row count, so that
 * the partials of all partitions add up to the gradient of the summed loss over the global batch. A final softmax
 * fused into the loss and a final rescale of standardised targets are handled as the single-process trainer handles
 * them ({@link Evaluation#lossView}, {@link Rescale#ending}).
 */
public final class PartitionStep {
    private PartitionStep() {}

    /** The rows of {@code block} that {@code step} uses, in order; empty past the partition's end. */
    static int[] rows(Block block, long seed, int epoch, int step, int batch) {
        int[] order = BatchOrder.permutation(block.rows(), BatchOrder.generator(seed, epoch, block.partition()));
        int from = (int) Math.min(block.rows(), (long) step * batch), to = (int) Math.min(block.rows(), (long) from + batch);
        return java.util.Arrays.copyOfRange(order, from, to);
    }

    /** The steps of an epoch: enough for the largest partition, so that every row is used once per epoch. */
    static int steps(int largestPartition, int batch) {
        return (largestPartition + batch - 1) / batch;
    }

    /**
     * The partial of {@code block} for one step, computed with {@code net} (whose weights the caller has set) and
     * {@code loss}.
     */
    public static Partial compute(Module net, Loss loss, Block block, long seed, int epoch, int step, int batch) {
        List<Tensor> params = List.copyOf(net.namedParameters().values());
        int[] rows = rows(block, seed, epoch, step, batch);
        int m = rows.length;
        if (m == 0) {
            float[][] zero = new float[params.size()][];
            for (int i = 0; i < zero.length; i++) zero[i] = new float[params.get(i).size()];
            return new Partial(zero, 0, 0);
        }
        float[] x = new float[m * block.inputs()];
        int w = Math.max(1, block.targetWidth());
        float[] y = new float[m * w];
        for (int i = 0; i < m; i++) {
            System.arraycopy(block.x(), rows[i] * block.inputs(), x, i * block.inputs(), block.inputs());
            System.arraycopy(block.y(), rows[i] * w, y, i * w, w);
        }
        Tensor xt = Tensor.wrap(x, m, block.inputs());
        Tensor yt = block.targetWidth() == 0 ? Tensor.wrap(y, m) : Tensor.wrap(y, m, w);
        Module view = Evaluation.lossView(net, loss);
        Rescale.Ending ending = Rescale.ending(view);
        if (ending != null) view = ending.before();
        SplittableRandom rng = BatchOrder.stepGenerator(seed, epoch, step * 7919 + block.partition());
        for (Tensor p : params) p.zeroGrad();
        Tensor out = view.forward(xt, Mode.training(rng));
        Tensor l = loss.apply(out, ending == null ? yt : ending.rescale().inverse(yt));
        double value = l.item();
        l.backward();
        float[][] sums = new float[params.size()][];
        for (int i = 0; i < sums.length; i++) {
            Tensor g = params.get(i).grad();
            float[] s = new float[params.get(i).size()];
            if (g != null) for (int j = 0; j < s.length; j++) s[j] = (float) g.getFlat(j) * m;
            sums[i] = s;
        }
        return new Partial(sums, value * m, m);
    }
}
