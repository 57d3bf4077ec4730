package dev.backprop.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.backprop.data.Dataset;
import dev.backprop.data.Synthetic;
import dev.backprop.init.Init;
import dev.backprop.loss.CrossEntropy;
import dev.backprop.loss.MeanSquaredError;
import dev.backprop.nn.Activation;
import dev.backprop.nn.Dropout;
import dev.backprop.nn.Linear;
import dev.backprop.nn.Module;
import dev.backprop.nn.Rescale;
import dev.backprop.nn.Sequential;
import dev.backprop.optim.Adam;
import dev.backprop.optim.Optimizer;
import dev.backprop.optim.CosineAnnealing;
import dev.backprop.optim.LearningRateSchedule;
import dev.backprop.optim.Sgd;
import dev.backprop.tensor.Tensor;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainerTest {
    private static final Dataset SPIRALS = Synthetic.spirals(100, 0.05, 3);

    private static Sequential net(long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        return new Sequential(new Linear(2, 16, Init.heNormal(), rng), Activation.relu(), new Dropout(0.1),
                new Linear(16, 2, rng));
    }

    private static Optimizer adam(Module m) {
        return Adam.builder().lr(0.01).build(m.namedParameters());
    }

    private static void assertSameWeights(Module a, Module b) {
        Map<String, Tensor> x = a.stateDict(), y = b.stateDict();
        assertEquals(x.keySet(), y.keySet());
        for (String k : x.keySet()) assertArrayEquals(x.get(k).toFloatArray(), y.get(k).toFloatArray(), k);
    }

    @Test
    void twoRunsWithOneSeedAreBitIdentical() throws Exception {
        Sequential a = net(1), b = net(1);
        Trainer.builder(a, new CrossEntropy(), adam(a)).epochs(4).batchSize(16).seed(9).validationSplit(0.2).build().fit(SPIRALS);
        Trainer.builder(b, new CrossEntropy(), adam(b)).epochs(4).batchSize(16).seed(9).validationSplit(0.2).build().fit(SPIRALS);
        assertSameWeights(a, b);
        Sequential c = net(1);
        Trainer.builder(c, new CrossEntropy(), adam(c)).epochs(4).batchSize(16).seed(10).validationSplit(0.2).build().fit(SPIRALS);
        assertFalse(java.util.Arrays.equals(a.stateDict().get("0.weight").toFloatArray(), c.stateDict().get("0.weight").toFloatArray()));
    }

    @Test
    void aNetworkEndingInRescaleLearnsStandardisedTargetsAndReportsTheTargetsUnits() throws Exception {
        SplittableRandom rng = new SplittableRandom(5);
        int n = 64;
        double[] x = new double[n * 2], y = new double[n];
        for (int i = 0; i < n; i++) {
            x[2 * i] = rng.nextDouble(-1, 1);
            x[2 * i + 1] = rng.nextDouble(-1, 1);
            y[i] = 180_000 + 40_000 * x[2 * i] - 25_000 * x[2 * i + 1] + rng.nextGaussian() * 5_000;   // prices in dollars
        }
        Dataset dollars = new Dataset(Tensor.of(x, n, 2), Tensor.of(y, n, 1), "prices");
        double mean = java.util.Arrays.stream(y).average().orElseThrow(), std = 41_000;
        Rescale rescale = Rescale.standardising(new double[] {mean}, new double[] {std});
        Dataset standardised = new Dataset(dollars.features(), rescale.inverse(dollars.targets()), "standardised");

        Sequential plain = regressor(), scaled = new Sequential(regressor(), rescale);
        History hs = Trainer.builder(scaled, new MeanSquaredError(), Sgd.builder().lr(0.05).build(scaled.namedParameters()))
                .epochs(3).batchSize(16).seed(2).build().fit(dollars);
        History hp = Trainer.builder(plain, new MeanSquaredError(), Sgd.builder().lr(0.05).build(plain.namedParameters()))
                .epochs(3).batchSize(16).seed(2).build().fit(standardised);
        assertSameWeights(plain, scaled.layers().getFirst());
        assertEquals(hp.last().trainLoss() * std * std, hs.last().trainLoss(), 1e-4 * hs.last().trainLoss(),
                "the loss reported is the dollars' loss");
        double evaluated = Evaluation.of(scaled, new MeanSquaredError(), dollars, Task.REGRESSION, 64).loss();
        assertEquals(Evaluation.of(plain, new MeanSquaredError(), standardised, Task.REGRESSION, 64).loss() * std * std, evaluated,
                1e-4 * evaluated);
    }

    private static Sequential regressor() {
        SplittableRandom rng = new SplittableRandom(8);
        return new Sequential(new Linear(2, 8, Init.heNormal(), rng), Activation.relu(), new Linear(8, 1, rng));
    }

    @Test
    void historyHasLossesAndValidationMetrics() throws Exception {
        Sequential m = net(2);
        History h = Trainer.builder(m, new CrossEntropy(), adam(m)).epochs(3).batchSize(32).seed(1).validationSplit(0.25)
                .build().fit(SPIRALS);
        assertEquals(3, h.epochs().size());
        EpochRecord r = h.last();
        assertTrue(Double.isFinite(r.trainLoss()) && Double.isFinite(r.validationLoss()));
        assertTrue(r.metrics().containsKey("val_accuracy") && r.metrics().containsKey("val_macro_f1"), r.metrics().toString());
        assertEquals("completed", h.stopReason());
        assertTrue(r.samplesPerSecond() > 0);
    }

    @Test
    void earlyStoppingStopsAndRestoresTheBestWeights() throws Exception {
        Sequential m = net(4);
        // A learning rate far too high makes the validation loss bounce, so the best epoch is not the last one.
        EarlyStopping stop = new EarlyStopping(2, 0, true);
        History h = Trainer.builder(m, new CrossEntropy(), Sgd.builder().lr(3.0).build(m.namedParameters()))
                .epochs(200).batchSize(8).seed(1).validationSplit(0.3).callback(stop).build().fit(SPIRALS);
        assertTrue(h.epochs().size() < 200, "ran all epochs");
        assertTrue(h.stopReason().startsWith("early stopping"), h.stopReason());
        int best = stop.bestEpoch();
        assertEquals(best + 3, h.epochs().size(), "stops patience epochs after the best");
        // The restored weights reproduce the best epoch's validation loss.
        Dataset.Split split = SPIRALS.split(0.3, 1);
        double now = Evaluation.of(m, new CrossEntropy(), split.validation(), Task.CLASSIFICATION, 64).loss();
        assertEquals(h.epochs().get(best).validationLoss(), now, 1e-6);
    }

    @Test
    void aResumedCheckpointEndsWithTheSameWeightsAsAnUninterruptedRun(@TempDir Path dir) throws Exception {
        Sequential whole = net(5);
        Trainer.builder(whole, new CrossEntropy(), adam(whole)).epochs(6).batchSize(16).seed(3).validationSplit(0.2)
                .build().fit(SPIRALS);

        Sequential firstHalf = net(5);
        Trainer.builder(firstHalf, new CrossEntropy(), adam(firstHalf)).epochs(6).batchSize(16).seed(3).validationSplit(0.2)
                .callback(new Checkpoints(dir, 1, false)).callback(new StopAfter(3)).build().fit(SPIRALS);
        assertTrue(Files.exists(dir.resolve(Checkpoints.LAST)));

        Sequential resumed = net(99); // different starting weights: all must come from the checkpoint
        History h = Trainer.builder(resumed, new CrossEntropy(), adam(resumed)).epochs(6).batchSize(16).seed(3)
                .validationSplit(0.2).resumeFrom(dir.resolve(Checkpoints.LAST)).build().fit(SPIRALS);
        assertEquals(6, h.epochs().size(), "history continues from the checkpoint");
        assertSameWeights(whole, resumed);
    }

    /** Requests a stop after N epochs, as a crash would interrupt a run. */
    private record StopAfter(int epochs) implements Callback {
        @Override
        public void onEpochEnd(TrainingContext context, EpochRecord record) {
            if (record.epoch() + 1 >= epochs) context.requestStop("stopped by test");
        }
    }

    @Test
    void aDivergingLossStopsWithEpochStepAndCheckpoint(@TempDir Path dir) {
        SplittableRandom rng = new SplittableRandom(1);
        Dataset data = new Dataset(Tensor.uniform(rng, -100, 100, 64, 3), Tensor.uniform(rng, -100, 100, 64, 1), "noise");
        Linear model = new Linear(3, 1, rng);
        // Three calm epochs (each checkpointed), then a rate that overflows the loss within the fourth.
        LearningRateSchedule calmThenWild = epoch -> epoch < 3 ? 1e-5 : 1e30;
        TrainingDivergedException e = assertThrows(TrainingDivergedException.class, () ->
                Trainer.builder(model, new MeanSquaredError(), Sgd.builder().lr(1e-5).build(model.namedParameters()))
                        .epochs(50).batchSize(8).schedule(calmThenWild).callback(new Checkpoints(dir, 1, false)).build().fit(data));
        assertEquals(3, e.epoch(), e.getMessage());
        assertTrue(e.getMessage().matches("(loss is (NaN|infinite)|the weights became non-finite) (at|in) epoch 4.*; last good "
                + "checkpoint: .*" + Checkpoints.LAST), e.getMessage());
        assertTrue(Files.exists(dir.resolve(Checkpoints.LAST)), "the last good checkpoint stays");
    }

    @Test
    void plainProgressPrintsOneLinePerEpoch() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        Sequential m = net(6);
        Trainer.builder(m, new CrossEntropy(), adam(m)).epochs(2).batchSize(50).validationSplit(0.2)
                .progress(Progress.lines(new PrintStream(bytes, true))).build().fit(SPIRALS);
        String[] lines = bytes.toString().strip().split("\n");
        assertEquals(2, lines.length);
        assertTrue(lines[0].startsWith("epoch 1/2  loss "), lines[0]);
        assertTrue(lines[1].contains("val_accuracy") && lines[1].contains("samples/s"), lines[1]);
    }

    /** Piped output at a pace: a quick run prints its first and last epochs only; a slow one every epoch, and steps. */
    @Test
    void pacedLinesKeepQuickRunsShortAndSlowEpochsVisible() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        Sequential m = net(6);
        Trainer.builder(m, new CrossEntropy(), adam(m)).epochs(20).batchSize(50).validationSplit(0.2)
                .progress(Progress.lines(new PrintStream(bytes, true), java.time.Duration.ofSeconds(5), () -> 0L)).build().fit(SPIRALS);
        String[] quick = bytes.toString().strip().split("\n");
        assertEquals(2, quick.length, bytes.toString());
        assertTrue(quick[0].startsWith("epoch 1/20  loss ") && quick[1].startsWith("epoch 20/20  loss "), bytes.toString());

        bytes.reset();
        long[] now = {0};
        Sequential slow = net(6);
        Trainer.builder(slow, new CrossEntropy(), adam(slow)).epochs(3).batchSize(50).validationSplit(0.2)
                .progress(Progress.lines(new PrintStream(bytes, true), java.time.Duration.ofSeconds(5), () -> now[0] += 6_000_000_000L))
                .build().fit(SPIRALS);
        List<String> lines = bytes.toString().lines().toList();
        assertEquals(3, lines.stream().filter(l -> l.matches("epoch \\d/3  loss .*")).count(), bytes.toString());
        assertTrue(lines.stream().anyMatch(l -> l.matches("epoch 2/3  step \\d+/4  loss \\S+  \\d+ samples/s  epoch ends in 0:\\d\\d")),
                bytes.toString());
    }

    @Test
    void theBarShowsEpochLossThroughputAndTimeLeft() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        Progress bar = Progress.bar(new PrintStream(bytes, true));
        bar.onStep(1, 5, 99, 100, 0.25, 1234, 10.0);
        String s = bytes.toString();
        assertTrue(s.startsWith("\repoch 2/5 [========================] 100/100  loss 0.2500  1234 samples/s  ETA 0:00"), s);
        bytes.reset();
        bar = Progress.bar(new PrintStream(bytes, true));
        bar.onStep(0, 5, 24, 100, 0.5, 1000, 30.0);   // a quarter done in 30 s: 90 s left
        assertTrue(bytes.toString().contains("[======                  ] 25/100") && bytes.toString().contains("ETA 1:30"),
                bytes.toString());
    }

    @Test
    void earlyStoppingWatchesAnyRecordedMetricForItsMaximum() throws Exception {
        Sequential m = net(4);
        EarlyStopping stop = EarlyStopping.builder().monitor("val_accuracy").patience(5).restoreBest(true).build();
        History h = Trainer.builder(m, new CrossEntropy(), adam(m)).epochs(300).batchSize(8).seed(1).validationSplit(0.3)
                .callback(stop).build().fit(SPIRALS);
        assertTrue(h.stopReason().startsWith("early stopping: no improvement in val_accuracy for 5 epochs; best "), h.stopReason());
        double best = h.epochs().stream().mapToDouble(r -> r.metrics().get("val_accuracy")).max().orElseThrow();
        assertEquals(best, stop.bestValue(), "the maximum is the best");
        assertEquals(best, h.epochs().get(stop.bestEpoch()).metrics().get("val_accuracy"));
        // The restored weights are the best epoch's: its accuracy again.
        Dataset.Split split = SPIRALS.split(0.3, 1);
        double now = Evaluation.of(m, new CrossEntropy(), split.validation(), Task.CLASSIFICATION, 64).classification().accuracy();
        assertEquals(best, now, 1e-12);

        Sequential n = net(4);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Trainer.builder(n, new CrossEntropy(), adam(n))
                .epochs(3).batchSize(8).seed(1).validationSplit(0.3)
                .callback(EarlyStopping.builder().monitor("val_r2").build()).build().fit(SPIRALS));
        assertEquals("early stopping: this run records no 'val_r2' (it has loss, val_loss, val_accuracy, val_macro_f1)", e.getMessage());
        assertEquals(EarlyStopping.Goal.MAX, EarlyStopping.Goal.of("val_r2"));
        assertEquals(EarlyStopping.Goal.MIN, EarlyStopping.Goal.of("val_rmse"));
    }

    @Test
    void aScheduleTakesItsRateFromTheOptimizerAndItsLengthFromTheTrainer() throws Exception {
        Sequential m = net(4);
        History h = Trainer.builder(m, new CrossEntropy(), Adam.builder().lr(0.02).build(m.namedParameters())).epochs(5).batchSize(16)
                .seed(1).schedule(LearningRateSchedule.cosine(0.002)).build().fit(SPIRALS);
        CosineAnnealing same = new CosineAnnealing(0.02, 5, 0.002);
        for (EpochRecord r : h.epochs()) assertEquals(same.learningRate(r.epoch()), r.learningRate(), 1e-15, "epoch " + r.epoch());
        assertEquals(0.02, h.epochs().getFirst().learningRate(), 1e-15);
    }
}
