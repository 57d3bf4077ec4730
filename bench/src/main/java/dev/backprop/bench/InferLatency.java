package dev.backprop.bench;

import dev.backprop.autograd.NoGrad;
import dev.backprop.bench.WorkloadCommand.Settings;
import dev.backprop.nn.Activation;
import dev.backprop.nn.Networks;
import dev.backprop.nn.Sequential;
import dev.backprop.tensor.Tensor;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * infer-latency: one sample {@code [1, 784]} through fashion-mlp's 784-256-128-10 ReLU network in evaluation mode
 * inside a {@link NoGrad} scope (as a serving loop would call it), each call timed on its own; the median and 90th
 * percentile of {@link #CALLS} calls after {@link #CALLS} warm-up calls. The weights are freshly initialised and the
 * pixels random: the time does not depend on their values.
 */
final class InferLatency {
    static final int CALLS = 5_000;

    private InferLatency() {}

    static Result run(Settings s) {
        SplittableRandom rng = new SplittableRandom(s.seed());
        Sequential net = Networks.mlp(784, List.of(256, 128), 10, Activation.Kind.RELU, rng);
        Tensor x = Tensor.rand(rng, 1, 784);
        long[] nanos = new long[CALLS];
        double bestMedian = Double.POSITIVE_INFINITY, p90 = Double.NaN;
        ProcessStats.Snapshot before = null;
        try (NoGrad ignored = NoGrad.enter()) {
            for (int i = 0; i < CALLS; i++) Timer.sink += net.forward(x).floats()[0]; // warm-up
            before = ProcessStats.Snapshot.now();
            for (int r = 0; r < s.repeats(); r++) {
                for (int i = 0; i < CALLS; i++) {
                    long t = System.nanoTime();
                    Tensor out = net.forward(x);
                    nanos[i] = System.nanoTime() - t;
                    Timer.sink += out.floats()[0];
                }
                Arrays.sort(nanos);
                double median = (nanos[CALLS / 2 - 1] + nanos[CALLS / 2]) / 2e3;
                if (median < bestMedian) {
                    bestMedian = median;
                    p90 = nanos[(int) (CALLS * 0.9)] / 1e3;
                }
            }
        }
        Result result = new Result(Workload.INFER_LATENCY, s.threads()).setting("calls", CALLS)
                .setting("repeats", s.repeats());
        before.since(result, (long) CALLS * s.repeats());
        result.put(Metric.P50_US, bestMedian);
        result.put(Metric.P90_US, p90);
        ProcessStats.putMemory(result);
        return result;
    }
}
