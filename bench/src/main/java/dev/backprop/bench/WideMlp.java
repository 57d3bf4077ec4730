package dev.backprop.bench;

import dev.backprop.bench.WorkloadCommand.Settings;
import dev.backprop.loss.CrossEntropy;
import dev.backprop.loss.Loss;
import dev.backprop.nn.Activation;
import dev.backprop.nn.Mode;
import dev.backprop.nn.Networks;
import dev.backprop.nn.Sequential;
import dev.backprop.optim.Sgd;
import dev.backprop.tensor.Kernels;
import dev.backprop.tensor.Tensor;
import dev.backprop.tensor.Workspace;

import java.util.List;
import java.util.SplittableRandom;

/**
 * wide-mlp: a random {@code [256, 1024]} batch with random labels of 10 classes through 1024-2048-2048-10 ReLU,
 * cross-entropy, SGD lr 0.01. The products dominate (about 6 × 6.3 M × 256 = 9.7 GFLOP a step), so this measures
 * how close a training step comes to the BLAS rate: GFLOP/s = 6 × parameters × samples/s against the rate of one
 * 1024³ sgemm through {@link Kernels#active()} in the same process, same threads.
 *
 * <p>A hand-written loop over the one batch, as in {@code workloads.py}: there is no data set to iterate. Each step
 * runs in a {@link Workspace} scope, as {@code Trainer}'s do, so that its activations reuse the previous step's
 * arrays (PyTorch's caching allocator does the same for its loop).
 */
final class WideMlp {
    static final int BATCH = 256, INPUTS = 1024, CLASSES = 10;
    /** Steps per timed block, after {@link #WARMUP} steps. */
    static final int STEPS = 30, WARMUP = 5;

    private WideMlp() {}

    static Result run(Settings s) {
        SplittableRandom rng = new SplittableRandom(s.seed());
        Tensor x = Tensor.randn(rng, BATCH, INPUTS);
        int[] labels = new int[BATCH];
        for (int i = 0; i < BATCH; i++) labels[i] = rng.nextInt(CLASSES);
        Tensor y = CrossEntropy.classIndices(labels);
        Sequential net = Networks.mlp(INPUTS, List.of(2048, 2048), CLASSES, Activation.Kind.RELU, rng);
        Loss loss = new CrossEntropy();
        Sgd sgd = Sgd.builder().lr(0.01).build(net.namedParameters());
        Mode mode = Mode.training(rng);
        long parameters = net.parameterCount();

        double[] last = new double[1];
        Workspace workspace = Workspace.create();   // each step reuses the previous step's activation arrays
        Runnable step = () -> {
            try (Workspace.Scope ignored = workspace.enter()) {
                Tensor l = loss.apply(net.forward(x, mode), y);
                sgd.zeroGrad();
                l.backward();
                sgd.step();
                last[0] = l.item();
            }
        };
        for (int i = 0; i < WARMUP; i++) step.run();
        ProcessStats.Snapshot before = ProcessStats.Snapshot.now();
        double best = Double.POSITIVE_INFINITY;
        for (int r = 0; r < s.repeats(); r++) {
            long t = System.nanoTime();
            for (int i = 0; i < STEPS; i++) step.run();
            best = Math.min(best, (System.nanoTime() - t) / 1e9);
        }
        Result result = new Result(Workload.WIDE_MLP, s.threads()).setting("batch_size", BATCH)
                .setting("steps", STEPS).setting("repeats", s.repeats()).setting("parameters", parameters);
        before.since(result, (long) STEPS * s.repeats());
        double samplesPerSecond = (double) BATCH * STEPS / best;
        result.put(Metric.SAMPLES_PER_S, samplesPerSecond);
        result.put(Metric.GFLOPS, 6.0 * parameters * samplesPerSecond / 1e9);
        result.put(Metric.SGEMM_GFLOPS, sgemmGflops(1024));
        result.put(Metric.FINAL_LOSS, last[0]);
        ProcessStats.putMemory(result);
        return result;
    }

    /** 2n³ / best time of an n×n×n sgemm on the library's active kernels, after a warm-up, about a second in all. */
    static double sgemmGflops(int n) {
        SplittableRandom rng = new SplittableRandom(1);
        float[] a = new float[n * n], b = new float[n * n], c = new float[n * n];
        for (int i = 0; i < a.length; i++) {
            a[i] = (float) rng.nextDouble(-1, 1);
            b[i] = (float) rng.nextDouble(-1, 1);
        }
        Kernels k = Kernels.active();
        double best = Timer.bestSeconds(() -> {
            k.sgemm(false, false, n, n, n, 1f, a, 0, n, b, 0, n, 0f, c, 0, n);
            Timer.sink += c[0];
        }, 0.3, 1.0, 5);
        return 2.0 * n * n * n / best / 1e9;
    }
}
