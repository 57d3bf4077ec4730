package dev.backprop.train;

import dev.backprop.autograd.NoGrad;
import dev.backprop.data.Dataset;
import dev.backprop.loss.CrossEntropy;
import dev.backprop.loss.MeanSquaredError;
import dev.backprop.nn.Activation;
import dev.backprop.nn.Networks;
import dev.backprop.nn.Sequential;
import dev.backprop.optim.Adam;
import dev.backprop.optim.Sgd;
import dev.backprop.tensor.Tensor;

import java.util.List;
import java.util.SplittableRandom;

/**
 * A short training run that exercises what training and prediction usually run, for JDK 25's ahead-of-time cache
 * (JEPs 483 and 515): run once with {@code -XX:AOTCacheOutput=FILE}, it leaves the classes loaded and linked and
 * the methods' profiles in FILE; a later JVM started with {@code -XX:AOTCache=FILE} starts with them, so its JIT
 * compiles the hot methods for good at once instead of after a first epoch of profiling. The {@code backprop}
 * launcher makes such a cache once per build (see docs/performance.md); an application that embeds the library
 * can make its own with its own run.
 *
 * <p>Synthetic data only (nothing is read or written): a 784-256-128-10 ReLU classifier trained with Adam in
 * batches of 128, with validation; a small tanh and sigmoid regression trained with SGD in batches of 8; and one-row
 * predictions without gradients. The shapes are those of a mid-sized and a small network, not those of any benchmark.
 */
public final class AotTraining {
    private AotTraining() {}

    /** Runs {@link #run()}: {@code java -XX:AOTCacheOutput=FILE -cp JAR dev.backprop.train.AotTraining}. */
    public static void main(String[] args) {
        System.out.println("aot training run done (" + run() + ")");
    }

    /** Runs it: a few seconds on one core. Returns a number computed from the results, so that nothing is skipped. */
    public static double run() {
        SplittableRandom rng = new SplittableRandom(7);
        double sink = 0;

        // A classifier whose labels come from a random teacher network.
        int n = 12_800, inputs = 784;
        Tensor x = Tensor.rand(rng, n, inputs);
        Sequential teacher = Networks.mlp(inputs, List.of(32), 10, Activation.Kind.TANH, rng);
        float[] labels = new float[n];
        try (NoGrad ignored = NoGrad.enter()) {
            Tensor scores = teacher.forward(x);
            for (int i = 0; i < n; i++) {
                int best = 0;
                for (int c = 1; c < 10; c++) if (scores.get(i, c) > scores.get(i, best)) best = c;
                labels[i] = best;
            }
        }
        Dataset classes = new Dataset(x, Tensor.wrap(labels, n), "synthetic");
        Sequential net = Networks.mlp(inputs, List.of(256, 128), 10, Activation.Kind.RELU, rng);
        CrossEntropy crossEntropy = new CrossEntropy();
        History h = Trainer.builder(net, crossEntropy, Adam.builder().lr(1e-3).build(net.namedParameters()))
                .epochs(3).batchSize(128).seed(7).validationSplit(0.1).task(Task.CLASSIFICATION).build()
                .fit(classes);
        sink += h.last().trainLoss();

        // A small regression: y = sin of a sum of the inputs.
        int m = 2_000;
        Tensor u = Tensor.rand(rng, m, 4);
        float[] y = new float[m];
        for (int i = 0; i < m; i++) y[i] = (float) Math.sin(u.get(i, 0) + u.get(i, 1) - u.get(i, 2) * u.get(i, 3));
        Dataset regression = new Dataset(u, Tensor.wrap(y, m, 1), "synthetic");
        Sequential small = Networks.mlp(4, List.of(5), 1, Activation.Kind.SIGMOID, rng);
        Sequential tanh = Networks.mlp(4, List.of(16, 16), 1, Activation.Kind.TANH, rng);
        for (Sequential s : List.of(small, tanh)) {
            History r = Trainer.builder(s, new MeanSquaredError(), Sgd.builder().lr(0.1).build(s.namedParameters()))
                    .epochs(4).batchSize(8).seed(7).task(Task.REGRESSION).build().fit(regression);
            sink += r.last().trainLoss();
        }

        // One row at a time, as a service predicts.
        try (NoGrad ignored = NoGrad.enter()) {
            for (int i = 0; i < 5_000; i++) {
                sink += net.forward(classes.features().gatherRows(new int[] {i})).get(0, 0);
                sink += small.forward(regression.features().gatherRows(new int[] {i % m})).get(0, 0);
            }
        }
        return sink;
    }
}
