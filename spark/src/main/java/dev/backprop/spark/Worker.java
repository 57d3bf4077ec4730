package dev.backprop.spark;

import dev.backprop.io.ModelFileException;
import dev.backprop.loss.Loss;
import dev.backprop.nn.Module;
import dev.backprop.nn.ModuleTypes;
import dev.backprop.tensor.Tensor;
import dev.backprop.tensor.blas.OpenBlasKernels;
import java.io.Serializable;
import java.util.List;
import java.util.Map;

/**
 * What a task needs to compute a partial, and nothing else: the network's architecture and loss as their saved
 * configs (so that a task builds them from data, never from a class name), the weights of this step, and the run's
 * batch settings. The Spark trainer ships it to the executors; the replay calls it in one process; both run
 * {@link #partial} on the same inputs, so both get the same bits.
 *
 * @param architecture the network's {@link Module#config()}
 * @param loss         the loss's {@link Loss#config()}
 * @param seed         the run's seed
 * @param batch        rows per partition per step
 * @param buffers      the network's tensors that are not parameters (a final rescale's statistics), by name: fixed
 *                     during training, so shipped once
 */
record Worker(Map<String, Object> architecture, Map<String, Object> loss, long seed, int batch, Map<String, float[]> buffers)
        implements Serializable {

    /** The worker of {@code model}: its architecture, its buffers, and the run's settings. */
    static Worker of(Module model, Loss loss, long seed, int batch) {
        Map<String, float[]> buffers = new java.util.LinkedHashMap<>();
        Map<String, Tensor> params = model.namedParameters();
        model.stateDict().forEach((name, t) -> {
            if (!params.containsKey(name)) buffers.put(name, t.toFloatArray());
        });
        return new Worker(model.config(), loss.config(), seed, batch, buffers);
    }

    /**
     * The network this thread last built for this worker: a task thread (or the replay) builds it once and reuses it
     * for every later partition and step, setting only the weights each time. The buffers are fixed during training.
     */
    private static final ThreadLocal<Object[]> BUILT = new ThreadLocal<>();

    private Module network() {
        Object[] built = BUILT.get();
        if (built != null && built[0] == this) return (Module) built[1];
        Module net;
        try {
            net = ModuleTypes.fromConfig(architecture);
        } catch (ModelFileException e) {
            throw new IllegalStateException("the network's architecture does not build: " + e.getMessage(), e);
        }
        Map<String, Tensor> state = net.stateDict();
        buffers.forEach((name, values) -> {
            float[] dst = state.get(name).floats();
            System.arraycopy(values, 0, dst, 0, dst.length);
        });
        BUILT.set(new Object[] {this, net});
        return net;
    }

    /** The partial of {@code block} at (epoch, step) with {@code weights} (one array per parameter, in order). */
    Partial partial(float[][] weights, Block block, int epoch, int step) {
        return PartitionStep.compute(withWeights(weights), Loss.fromConfig(loss), block, seed, epoch, step, batch);
    }

    /** The validation scores of {@code block} with {@code weights}. */
    Scores scores(float[][] weights, Block block) {
        return Scores.of(withWeights(weights), Loss.fromConfig(loss), block);
    }

    /** This thread's network, with {@code weights} copied into its parameters. */
    private Module withWeights(float[][] weights) {
        singleThreadedProducts();
        Module net = network();
        List<Tensor> params = List.copyOf(net.namedParameters().values());
        if (params.size() != weights.length) {
            throw new IllegalStateException("the step has " + weights.length + " weight arrays, the network " + params.size() + " parameters");
        }
        for (int i = 0; i < weights.length; i++) {
            float[] dst = params.get(i).floats();
            if (dst.length != weights[i].length) throw new IllegalStateException("parameter " + i + ": " + weights[i].length + " weights for " + dst.length);
            System.arraycopy(weights[i], 0, dst, 0, dst.length);
        }
        return net;
    }

    /**
     * One thread per product in every task and in the replay: a product cut across threads may add in another order,
     * and the executors already give each core a task of its own.
     */
    static void singleThreadedProducts() {
        if (dev.backprop.tensor.Kernels.active() instanceof OpenBlasKernels blas && blas.threads() != 1) blas.setThreads(1);
    }
}
