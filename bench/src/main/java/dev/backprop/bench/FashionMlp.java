package dev.backprop.bench;

import dev.backprop.bench.WorkloadCommand.Settings;
import dev.backprop.data.FashionMnist;
import dev.backprop.loss.CrossEntropy;
import dev.backprop.loss.Loss;
import dev.backprop.nn.Activation;
import dev.backprop.nn.Networks;
import dev.backprop.nn.Sequential;
import dev.backprop.optim.Adam;
import dev.backprop.train.Callback;
import dev.backprop.train.EpochRecord;
import dev.backprop.train.Evaluation;
import dev.backprop.train.History;
import dev.backprop.train.Task;
import dev.backprop.train.Trainer;
import dev.backprop.train.TrainingContext;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * fashion-mlp: the 60,000 Fashion-MNIST training images (pixels / 255), a 784-256-128-10 ReLU network, softmax
 * cross-entropy, Adam (lr 1e-3), batch 128, shuffled, 3 epochs; then accuracy on the 10,000 test images.
 *
 * <p>Trained with {@link Trainer}, because that is what a user of the library trains with, so its costs (the
 * epoch's shuffled batches, the per-step loss read-back) are part of what is measured, as PyTorch's
 * {@code DataLoader}-free loop in {@code workloads.py} pays its own indexing. An epoch's time is wall time from the
 * previous epoch's end (or the start of {@code fit}) to this one's, measured by a callback: it includes cutting
 * the epoch into batches, which the trainer's own {@link EpochRecord#seconds()} leaves out.
 */
final class FashionMlp {
    private FashionMlp() {}

    static Result run(Settings s) throws IOException {
        FashionMnist.Parts data = FashionMnist.load(s.data());
        Sequential net = Networks.mlp(784, List.of(256, 128), 10, Activation.Kind.RELU, new SplittableRandom(s.seed()));
        Loss loss = new CrossEntropy();
        Adam adam = Adam.builder().lr(1e-3).build(net.namedParameters());
        EpochClock clock = new EpochClock();
        Trainer trainer = Trainer.builder(net, loss, adam)
                .epochs(s.epochs()).batchSize(s.batchSize()).seed(s.seed()).callback(clock).build();

        ProcessStats.Snapshot before = ProcessStats.Snapshot.now();
        long start = System.nanoTime();
        History history = trainer.fit(data.train());
        double seconds = (System.nanoTime() - start) / 1e9;

        Result r = new Result(Workload.FASHION_MLP, s.threads())
                .setting("batch_size", s.batchSize()).setting("epochs", s.epochs());
        int n = data.train().size();
        before.since(r, (long) s.epochs() * ((n + s.batchSize() - 1) / s.batchSize()));
        r.put(Metric.SAMPLES_PER_S, (double) n * s.epochs() / seconds);
        List<Double> perEpoch = new ArrayList<>();
        for (double t : clock.seconds) perEpoch.add(n / t);
        r.put(Metric.EPOCH_SAMPLES_PER_S, perEpoch);
        Evaluation test = Evaluation.of(net, loss, data.test(), Task.CLASSIFICATION, 1000);
        r.put(Metric.TEST_ACCURACY, test.classification().accuracy());
        r.put(Metric.FINAL_LOSS, history.last().trainLoss());
        ProcessStats.putMemory(r);
        return r;
    }

    /** Wall seconds of each epoch, from the previous epoch's end. */
    private static final class EpochClock implements Callback {
        final List<Double> seconds = new ArrayList<>();
        private long mark;

        @Override
        public void onTrainBegin(TrainingContext context) {
            mark = System.nanoTime();
        }

        @Override
        public void onEpochEnd(TrainingContext context, EpochRecord record) {
            long now = System.nanoTime();
            seconds.add((now - mark) / 1e9);
            mark = now;
        }
    }
}
