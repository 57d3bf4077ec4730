package dev.backprop.bench;

import dev.backprop.bench.WorkloadCommand.Settings;
import dev.backprop.loss.HalfSumSquares;
import dev.backprop.loss.Loss;
import dev.backprop.nn.Activation;
import dev.backprop.nn.Linear;
import dev.backprop.nn.Mode;
import dev.backprop.nn.Sequential;
import dev.backprop.optim.Sgd;
import dev.backprop.tensor.Tensor;

import java.util.SplittableRandom;

/**
 * tiny-sigmoid: seed 000's [4, 5, 1] network (sigmoid hidden and output units), half the sum of squared errors, the
 * 6 observations as one batch, plain SGD with lr 0.5. The arithmetic is about 150 multiply-adds a step, so steps/s
 * measures what the framework costs per op: graph recording, dispatch, allocation, the optimizer's bookkeeping.
 *
 * <p>A hand-written loop (forward, loss, zeroGrad, backward, step), the loop every tutorial shows and the one
 * {@code workloads.py} runs in PyTorch; {@link dev.backprop.train.Trainer} would add per-epoch shuffling and
 * records that have nothing to do with a step's cost. The seed's article shows its data only as a picture, so the
 * 6 observations (4 scaled inputs, a target in (0, 1)) are fixed here and copied into {@code workloads.py}.
 */
final class TinySigmoid {
    /** Steps per timed block (and in the warm-up). */
    static final int STEPS = 20_000;
    /** Seconds of warm-up before the timed blocks (whole blocks; at least one). */
    static final double WARMUP_SECONDS = 2.0;

    /** Six observations of four inputs: the same numbers as {@code workloads.py}'s TINY_X. */
    static final double[][] X = {
        {0.10, 0.50, 0.20, 0.90},
        {0.40, 0.30, 0.80, 0.10},
        {0.70, 0.90, 0.40, 0.60},
        {0.20, 0.80, 0.60, 0.30},
        {0.90, 0.10, 0.30, 0.50},
        {0.50, 0.60, 0.90, 0.20},
    };
    /** Their targets ({@code workloads.py}'s TINY_Y). */
    static final double[][] Y = {{0.25}, {0.45}, {0.80}, {0.55}, {0.35}, {0.70}};

    private TinySigmoid() {}

    static Result run(Settings s) {
        SplittableRandom rng = new SplittableRandom(s.seed());
        Sequential net = new Sequential(new Linear(4, 5, rng), Activation.sigmoid(), new Linear(5, 1, rng),
                Activation.sigmoid());
        Loss loss = new HalfSumSquares();
        Sgd sgd = Sgd.builder().lr(0.5).build(net.namedParameters());
        Tensor x = Tensor.matrix(X), y = Tensor.matrix(Y);
        Mode mode = Mode.training(rng);

        Runnable steps = () -> {
            for (int i = 0; i < STEPS; i++) {
                Tensor l = loss.apply(net.forward(x, mode), y);
                sgd.zeroGrad();
                l.backward();
                sgd.step();
            }
        };
        // Warm-up: blocks of steps for at least WARMUP_SECONDS. A fixed 20,000 steps (0.05 to 0.2 s) sometimes ended
        // before C2 had compiled the step on a busy machine, and a run then measured 100k to 150k steps/s where a
        // warmed-up one measures over 500k.
        long warmEnd = System.nanoTime() + (long) (WARMUP_SECONDS * 1e9);
        do {
            steps.run();
        } while (System.nanoTime() < warmEnd);
        ProcessStats.Snapshot before = ProcessStats.Snapshot.now();
        double best = Double.POSITIVE_INFINITY;
        for (int r = 0; r < s.repeats(); r++) {
            long t = System.nanoTime();
            steps.run();
            best = Math.min(best, (System.nanoTime() - t) / 1e9);
        }
        Result result = new Result(Workload.TINY_SIGMOID, s.threads()).setting("steps", STEPS)
                .setting("repeats", s.repeats());
        before.since(result, (long) STEPS * s.repeats());
        result.put(Metric.STEPS_PER_S, STEPS / best);
        result.put(Metric.FINAL_LOSS, loss.apply(net.forward(x), y).item());
        ProcessStats.putMemory(result);
        return result;
    }
}
