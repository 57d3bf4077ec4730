package dev.backprop.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.backprop.data.BatchOrder;
import dev.backprop.loss.CrossEntropy;
import dev.backprop.loss.Loss;
import dev.backprop.nn.Activation;
import dev.backprop.nn.Linear;
import dev.backprop.nn.Mode;
import dev.backprop.nn.Sequential;
import dev.backprop.optim.Adam;
import dev.backprop.optim.Optimizer;
import dev.backprop.tensor.Tensor;
import dev.backprop.train.Evaluation;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.spark.TaskContext;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Spark trainer in local mode with task retries ({@code local[2,3]}): a distributed run and its single-process
 * replay end with the same weights to the bit; a plain single-process run on the same global batches agrees to
 * float32 summation-order tolerance; a task that fails on its first attempt changes nothing; a run cut short and
 * resumed from its checkpoint ends where an uninterrupted one does.
 */
class SparkTrainerTest {
    private static final int EPOCHS = 3, BATCH = 16;
    private static SparkSession spark;
    private static SparkData.Prepared data;
    private static org.apache.spark.sql.Dataset<org.apache.spark.sql.Row> table;
    private static List<Block> blocks;
    @TempDir
    static Path dir;

    @BeforeAll
    static void start() throws Exception {
        spark = SparkSession.builder().master("local[2,3]").appName("backprop-test")
                .config("spark.ui.enabled", "false").config("spark.driver.host", "127.0.0.1")
                .config("spark.driver.bindAddress", "127.0.0.1").getOrCreate();
        // Three files of unequal sizes, each read by Spark's CSV reader as one partition; their union keeps them as
        // partitions 0, 1 and 2, in that order.
        Path csv = Files.createDirectories(dir.resolve("spirals"));
        String all = spirals(600);
        List<String> lines = all.lines().toList();
        int[] cuts = {0, 250, 450, 600};
        for (int f = 0; f < 3; f++) {
            Files.writeString(csv.resolve("part-" + f + ".csv"), lines.get(0) + "\n"
                    + String.join("\n", lines.subList(1 + cuts[f], 1 + cuts[f + 1])) + "\n");
        }
        org.apache.spark.sql.Dataset<org.apache.spark.sql.Row> df = null;
        for (int f = 0; f < 3; f++) {
            var part = spark.read().option("header", "true").csv(csv.resolve("part-" + f + ".csv").toString());
            df = df == null ? part : df.union(part);
        }
        table = df;
        data = SparkData.of(df, csv.toString(), "class", true);
        blocks = SparkData.collect(data);
        assertEquals(List.of(250, 200, 150), data.sizes(), "one partition per file, in order");
    }

    @AfterAll
    static void stop() {
        if (spark != null) spark.stop();
    }

    /** Two interleaved spirals, classes 0 and 1, rows alternating. */
    static String spirals(int n) {
        StringBuilder sb = new StringBuilder("x,y,class\n");
        SplittableRandom rng = new SplittableRandom(5);
        for (int i = 0; i < n; i++) {
            int k = i % 2;
            double r = (i / 2) / (double) (n / 2), a = 3 * Math.PI * r + k * Math.PI;
            sb.append(String.format(Locale.ROOT, "%.5f,%.5f,%d%n", r * Math.cos(a) + rng.nextGaussian() * 0.02,
                    r * Math.sin(a) + rng.nextGaussian() * 0.02, k));
        }
        return sb.toString();
    }

    private static Sequential net() {
        SplittableRandom rng = new SplittableRandom(11);
        return new Sequential(new Linear(2, 16, rng), Activation.tanh(), new Linear(16, 2, rng));
    }

    private static Optimizer adam(Sequential net) {
        return Adam.builder().lr(0.02).build(net.namedParameters());
    }

    private static float[][] weights(Sequential net) {
        return net.namedParameters().values().stream().map(t -> t.floats().clone()).toArray(float[][]::new);
    }

    private static SparkTrainer.Builder trainer(Sequential net) {
        return SparkTrainer.builder(net, new CrossEntropy(), adam(net)).epochs(EPOCHS).batchPerPartition(BATCH).seed(7);
    }

    private static float[][] distributed;
    private static SparkTrainer.Result distributedResult;

    private static synchronized float[][] distributedRun() {
        if (distributed == null) {
            Sequential net = net();
            SparkTrainer.Result r = trainer(net).build().fit(data.blocks());
            assertEquals(EPOCHS, r.epochLosses().size());
            assertTrue(r.epochLosses().getLast() < r.epochLosses().getFirst(), "it trains: " + r.epochLosses());
            distributed = weights(net);
            distributedResult = r;
        }
        return distributed;
    }

    @Test
    void theDistributedRunAndItsReplayEndWithBitIdenticalWeights() {
        float[][] spark = distributedRun();
        Sequential net = net();
        SparkTrainer.Result r = trainer(net).build().replay(blocks);
        float[][] replay = weights(net);
        for (int i = 0; i < spark.length; i++) assertArrayEquals(spark[i], replay[i], 0f, "parameter " + i);
        // Step by step, not only at the end: every mean gradient applied has the same bits.
        assertEquals(distributedResult.checksums(), r.checksums());
        assertEquals(distributedResult.epochLosses(), r.epochLosses());
        assertEquals(EPOCHS * PartitionStep.steps(data.sizes().stream().mapToInt(Integer::intValue).max().orElseThrow(), BATCH), r.steps());
    }

    /**
     * The same global batches (each partition's rows of the step, in partition order) through one forward and backward
     * pass with the mean loss: the same mathematics summed in another order.
     */
    @Test
    void aPlainSingleProcessRunOnTheSameBatchesAgreesToFloatTolerance() {
        float[][] spark = distributedRun();
        Sequential net = net();
        Optimizer opt = adam(net);
        Loss loss = new CrossEntropy();
        int steps = PartitionStep.steps(data.sizes().stream().mapToInt(Integer::intValue).max().orElseThrow(), BATCH);
        for (int epoch = 0; epoch < EPOCHS; epoch++) {
            for (int step = 0; step < steps; step++) {
                List<float[]> xs = new ArrayList<>();
                List<Float> ys = new ArrayList<>();
                for (Block b : blocks) {
                    for (int row : PartitionStep.rows(b, 7, epoch, step, BATCH)) {
                        xs.add(java.util.Arrays.copyOfRange(b.x(), row * b.inputs(), (row + 1) * b.inputs()));
                        ys.add(b.y()[row]);
                    }
                }
                float[] x = new float[xs.size() * 2], y = new float[ys.size()];
                for (int i = 0; i < xs.size(); i++) {
                    System.arraycopy(xs.get(i), 0, x, i * 2, 2);
                    y[i] = ys.get(i);
                }
                opt.zeroGrad();
                Tensor l = loss.apply(Evaluation.lossView(net, loss).forward(Tensor.wrap(x, y.length, 2),
                        Mode.training(BatchOrder.stepGenerator(7, epoch, step))), Tensor.wrap(y, y.length));
                l.backward();
                opt.step();
            }
        }
        float[][] plain = weights(net);
        double worst = 0;
        for (int i = 0; i < spark.length; i++) {
            for (int j = 0; j < spark[i].length; j++) worst = Math.max(worst, Math.abs(spark[i][j] - plain[i][j]));
        }
        assertTrue(worst < 1e-4, "largest difference " + worst);
        boolean anyDifferent = false;
        for (int i = 0; i < spark.length; i++) anyDifferent |= !java.util.Arrays.equals(spark[i], plain[i]);
        assertTrue(worst > 0 || !anyDifferent, "checked");
    }

    /**
     * With a quarter of the rows held out: the split is the same in the run and its replay, the numeric statistics
     * come from the training rows only, the validation scores after each epoch are the same to the bit in both, and
     * they equal the single-process evaluation of the same weights on the same rows.
     */
    @Test
    void validationScoresAreTheSameInTheRunItsReplayAndAOneProcessEvaluation() throws Exception {
        SparkData.Prepared split = SparkData.of(table, "spirals", "class", true, 0.25, 7);
        List<Block> train = SparkData.collect(split), held = SparkData.collectValidation(split);
        int kept = split.sizes().stream().mapToInt(Integer::intValue).sum();
        int out = split.validationSizes().stream().mapToInt(Integer::intValue).sum();
        assertEquals(600, kept + out);
        assertTrue(out > 100 && out < 200, out + " rows held out of 600");
        double sum = 0;
        for (Block b : train) for (int i = 0; i < b.rows(); i++) sum += b.x()[i * b.inputs()];
        assertEquals(0, sum / kept, 1e-6, "standardised with the training rows' statistics");

        Sequential a = net();
        SparkTrainer.Result run = trainer(a).build().fit(split.blocks(), split.validation());
        Sequential b = net();
        SparkTrainer.Result replay = trainer(b).build().replay(train, held);
        assertEquals(EPOCHS, run.history().epochs().size());
        for (int e = 0; e < EPOCHS; e++) {
            var r = run.history().epochs().get(e);
            var p = replay.history().epochs().get(e);
            assertEquals(r.validationLoss(), p.validationLoss(), 0.0, "epoch " + e);
            assertEquals(r.metrics(), p.metrics(), "epoch " + e);
            assertTrue(r.metrics().containsKey("val_accuracy") && r.metrics().containsKey("val_macro_f1"), r.metrics().toString());
        }

        int rows = held.stream().mapToInt(Block::rows).sum(), at = 0;
        float[] x = new float[rows * 2], y = new float[rows];
        for (Block h : held) {
            System.arraycopy(h.x(), 0, x, at * 2, h.rows() * 2);
            System.arraycopy(h.y(), 0, y, at, h.rows());
            at += h.rows();
        }
        Evaluation e = Evaluation.of(b, new CrossEntropy(), new dev.backprop.data.Dataset(Tensor.wrap(x, rows, 2), Tensor.wrap(y, rows), "held"));
        var last = run.history().last();
        assertEquals(e.loss(), last.validationLoss(), 1e-6);
        assertEquals(e.classification().accuracy(), last.metrics().get("val_accuracy"), 1e-12);
        assertEquals(e.classification().macroF1(), last.metrics().get("val_macro_f1"), 1e-12);
    }

    private static final AtomicBoolean FAILED = new AtomicBoolean();

    @Test
    void aTaskThatFailsOnItsFirstAttemptIsRetriedAndChangesNothing() {
        float[][] expected = distributedRun();
        Sequential net = net();
        trainer(net).taskHook((partition, step) -> {
            if (partition == 1 && step == 5 && TaskContext.get().attemptNumber() == 0) {
                FAILED.set(true);     // local mode: the task runs in this JVM, so the test can see it happened
                throw new IllegalStateException("injected failure of partition 1 at step 5");
            }
        }).build().fit(data.blocks());
        assertTrue(FAILED.get(), "the failure was injected");
        float[][] after = weights(net);
        for (int i = 0; i < expected.length; i++) assertArrayEquals(expected[i], after[i], 0f, "parameter " + i);
    }

    @Test
    void aRunCutShortAndResumedFromItsCheckpointEndsAsAnUninterruptedOne(@TempDir Path ck) {
        float[][] expected = distributedRun();
        Sequential first = net();
        SparkTrainer.Result cut = trainer(first).checkpoints(ck, 5).stopAfterSteps(12).build().fit(data.blocks());
        assertTrue(cut.stopped() && Files.exists(ck.resolve("last.bpm")));
        Sequential resumed = net();
        SparkTrainer.Result rest = trainer(resumed).resumeFrom(ck.resolve("last.bpm")).build().fit(data.blocks());
        assertEquals(EPOCHS, rest.epochLosses().size(), "the epochs before the cut are kept in the record");
        float[][] after = weights(resumed);
        for (int i = 0; i < expected.length; i++) assertArrayEquals(expected[i], after[i], 0f, "parameter " + i);
    }
}
