package dev.backprop.spark;

import dev.backprop.io.ModelFile;
import dev.backprop.io.ModelFileException;
import dev.backprop.io.Provenance;
import dev.backprop.io.SavedMap;
import dev.backprop.io.SavedModel;
import dev.backprop.io.SavedOptimizer;
import dev.backprop.loss.Loss;
import dev.backprop.nn.Module;
import dev.backprop.optim.Optimizer;
import dev.backprop.optim.OptimizerState;
import dev.backprop.optim.OptimizerType;
import dev.backprop.train.EpochRecord;
import dev.backprop.train.History;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;

/**
 * Synchronous data-parallel training on Spark, with the optimizer on the driver: every step broadcasts the weights,
 * each partition computes the gradient sums of its share of the global batch ({@link PartitionStep}), the driver
 * collects them (in partition order, whatever order the tasks finish in), adds them in that order, and lets the
 * same {@link Optimizer} the single-process trainer uses take the step. One step is one Spark job; an update is
 * applied only after its job has succeeded, and a retried task recomputes the same partial from the same inputs.
 *
 * <pre>{@code
 * SparkTrainer t = SparkTrainer.builder(net, new CrossEntropy(), Adam.builder().lr(1e-3).build(net.namedParameters()))
 *         .epochs(5).batchPerPartition(64).seed(42).build();
 * SparkTrainer.Result r = t.fit(blocks);          // JavaRDD<Block>, one block per partition, cached
 * SparkTrainer.Result same = t2.replay(list);     // the same partitions in one process: bit-identical weights
 * }</pre>
 *
 * <p>Bit-identity with {@link #replay} needs the same kernels (the same OpenBLAS build and core type, e.g.
 * {@code OPENBLAS_CORETYPE}), one thread per product (set by the tasks and the replay), and the same partitioning.
 * Across different hardware the kernels differ, and the weights agree to float32 summation-order tolerance.
 */
public final class SparkTrainer {
    /** Called at the start of every task with its partition and the run's step (from 0); a test injects faults here. */
    @FunctionalInterface
    public interface TaskHook extends Serializable {
        /** Runs in the task, before its work. */
        void before(int partition, long step);
    }

    private final Module model;
    private final Loss loss;
    private final Optimizer optimizer;
    private final int epochs, batch, checkpointEvery;
    private final long seed, stopAfterSteps;
    private final Path checkpointDir, resumeFrom;
    private final TaskHook hook;
    private final Consumer<String> log;

    private SparkTrainer(Builder b) {
        model = b.model;
        loss = b.loss;
        optimizer = b.optimizer;
        epochs = b.epochs;
        batch = b.batch;
        seed = b.seed;
        checkpointDir = b.checkpointDir;
        checkpointEvery = b.checkpointEvery;
        resumeFrom = b.resumeFrom;
        stopAfterSteps = b.stopAfterSteps;
        hook = b.hook;
        log = b.log;
    }

    /** A trainer of {@code model} with {@code loss}, whose {@code optimizer} holds the model's named parameters. */
    public static Builder builder(Module model, Loss loss, Optimizer optimizer) {
        return new Builder(model, loss, optimizer);
    }

    /**
     * What a run did.
     *
     * @param history     every epoch finished, with those before a resume: the mean training loss (of the loss as
     *                    trained: standardised targets for a network ending in a rescale), and with validation rows
     *                    the validation loss and metrics ({@code val_accuracy}, {@code val_macro_f1}; {@code val_rmse},
     *                    {@code val_mae}, {@code val_r2}) after the epoch
     * @param steps       the steps taken in this call
     * @param seconds     wall time of this call
     * @param stopped     whether it stopped early ({@link Builder#stopAfterSteps}) rather than finishing its epochs
     * @param checksums   per step taken, a checksum of the bits of the mean gradient it applied
     */
    public record Result(History history, long steps, double seconds, boolean stopped, List<Long> checksums) {
        /** The mean training loss of each epoch finished. */
        public List<Double> epochLosses() {
            return history.epochs().stream().map(EpochRecord::trainLoss).toList();
        }
    }

    /** Where the computation of one step's partials, and of the validation scores, happens: on the executors, or here. */
    private interface Partials {
        List<Partial> compute(float[][] weights, int epoch, int step, long globalStep);

        /** The validation scores of every partition, in partition order; null without validation rows. */
        List<Scores> validate(float[][] weights);
    }

    /** Trains on {@code data}: one {@link Block} per partition (cache it: every step reads it again). */
    public Result fit(JavaRDD<Block> data) {
        return fit(data, null);
    }

    /**
     * Trains on {@code data} and, after every epoch, scores the weights on {@code validation} (one block per
     * partition, as {@link SparkData} holds them out; null for none): one more job per epoch, its sums added in
     * partition order.
     */
    public Result fit(JavaRDD<Block> data, JavaRDD<Block> validation) {
        JavaSparkContext sc = JavaSparkContext.fromSparkContext(data.context());
        List<Integer> sizes = data.map(Block::rows).collect();
        Worker worker = worker();
        Broadcast<Worker> shipped = sc.broadcast(worker);
        TaskHook taskHook = hook;
        try {
            return run(sizes, new Partials() {
                @Override
                public List<Partial> compute(float[][] weights, int epoch, int step, long globalStep) {
                    Broadcast<float[][]> w = sc.broadcast(weights);
                    try {
                        return data.map(block -> {
                            if (taskHook != null) taskHook.before(block.partition(), globalStep);
                            return shipped.value().partial(w.value(), block, epoch, step);
                        }).collect();
                    } finally {
                        w.destroy();
                    }
                }

                @Override
                public List<Scores> validate(float[][] weights) {
                    if (validation == null) return null;
                    Broadcast<float[][]> w = sc.broadcast(weights);
                    try {
                        return validation.map(block -> shipped.value().scores(w.value(), block)).collect();
                    } finally {
                        w.destroy();
                    }
                }
            });
        } finally {
            shipped.destroy();
        }
    }

    /**
     * Trains on {@code blocks} in this process, exactly as {@link #fit} would on a Spark data set with these blocks as
     * its partitions, in this order: the same partials, added in the same order, so the same weights to the bit.
     */
    public Result replay(List<Block> blocks) {
        return replay(blocks, List.of());
    }

    /** {@link #replay(List)} with validation blocks in partition order (empty for none), as {@link #fit(JavaRDD, JavaRDD)}. */
    public Result replay(List<Block> blocks, List<Block> validation) {
        List<Integer> sizes = blocks.stream().map(Block::rows).toList();
        Worker worker = worker();
        return run(sizes, new Partials() {
            @Override
            public List<Partial> compute(float[][] weights, int epoch, int step, long globalStep) {
                List<Partial> out = new ArrayList<>();
                for (Block b : blocks) out.add(worker.partial(weights, b, epoch, step));
                return out;
            }

            @Override
            public List<Scores> validate(float[][] weights) {
                if (validation.isEmpty()) return null;
                List<Scores> out = new ArrayList<>();
                for (Block b : validation) out.add(worker.scores(weights, b));
                return out;
            }
        });
    }

    private Worker worker() {
        return Worker.of(model, loss, seed, batch);
    }

    private Result run(List<Integer> sizes, Partials partials) {
        long start = System.nanoTime();
        int largest = sizes.stream().mapToInt(Integer::intValue).max().orElse(0);
        if (largest == 0) throw new IllegalArgumentException("no rows to train on");
        int stepsPerEpoch = PartitionStep.steps(largest, batch);
        int firstEpoch = 0, firstStep = 0;
        double epochLoss = 0;
        long epochCount = 0;
        List<EpochRecord> epochsDone = new ArrayList<>();
        if (resumeFrom != null) {
            State s = restore(resumeFrom, sizes);
            firstEpoch = s.epoch;
            firstStep = s.step;
            epochLoss = s.lossSum;
            epochCount = s.count;
            epochsDone.addAll(s.history.epochs());
        }
        Worker.singleThreadedProducts();
        long taken = 0;
        List<Long> checksums = new ArrayList<>();
        for (int epoch = firstEpoch; epoch < epochs; epoch++) {
            long epochStart = System.nanoTime();
            double lr = optimizer.learningRate();
            for (int step = epoch == firstEpoch ? firstStep : 0; step < stepsPerEpoch; step++) {
                long globalStep = (long) epoch * stepsPerEpoch + step;
                List<Partial> parts = partials.compute(Combine.weights(optimizer), epoch, step, globalStep);
                Combine.Step done = Combine.apply(parts, optimizer);
                epochLoss += done.lossSum();
                epochCount += done.count();
                checksums.add(done.checksum());
                taken++;
                boolean epochEnds = step + 1 == stepsPerEpoch;
                if (epochEnds) {
                    double seconds = (System.nanoTime() - epochStart) / 1e9;
                    double trainLoss = epochLoss / Math.max(1, epochCount);
                    long trained = epochCount;
                    List<Scores> scores = partials.validate(Combine.weights(optimizer));
                    Scores.Merged v = scores == null ? new Scores.Merged(Double.NaN, 0, Map.of()) : Scores.merge(scores);
                    epochsDone.add(new EpochRecord(epoch, trainLoss, v.loss(), lr, seconds, trained / Math.max(1e-9, seconds), v.metrics()));
                    log.accept(epochLine(epochsDone.getLast()));
                    epochLoss = 0;
                    epochCount = 0;
                }
                int nextEpoch = epochEnds ? epoch + 1 : epoch, nextStep = epochEnds ? 0 : step + 1;
                if (checkpointDir != null && (globalStep + 1) % checkpointEvery == 0) {
                    save(checkpointDir.resolve("last.bpm"), new State(nextEpoch, nextStep, epochLoss, epochCount,
                            History.of(epochsDone, "completed")), sizes);
                }
                if (taken >= stopAfterSteps) {
                    return new Result(History.of(epochsDone, "stopped after " + taken + " steps"), taken,
                            (System.nanoTime() - start) / 1e9, true, checksums);
                }
            }
        }
        return new Result(History.of(epochsDone, "completed"), taken, (System.nanoTime() - start) / 1e9, false, checksums);
    }

    /** "epoch 3/10  loss 0.4123  val_loss 0.4011  val_accuracy 0.9120 ...": what an epoch did, on one line. */
    private String epochLine(EpochRecord r) {
        StringBuilder sb = new StringBuilder(String.format(java.util.Locale.ROOT, "epoch %d/%d  loss %.4f", r.epoch() + 1, epochs, r.trainLoss()));
        if (!Double.isNaN(r.validationLoss())) sb.append(String.format(java.util.Locale.ROOT, "  val_loss %.4f", r.validationLoss()));
        r.metrics().forEach((k, v) -> sb.append(String.format(java.util.Locale.ROOT, "  %s %.4f", k, v)));
        return sb.append(String.format(java.util.Locale.ROOT, "  (%.1f s)", r.seconds())).toString();
    }

    /** Where a run stands: the next epoch and step, the current epoch's loss so far, the finished epochs. */
    private record State(int epoch, int step, double lossSum, long count, History history) {}

    private void save(Path file, State s, List<Integer> sizes) {
        OptimizerState o = optimizer.state();
        Map<String, Object> trainer = new LinkedHashMap<>();
        trainer.put("kind", "spark");
        trainer.put("epoch", s.epoch);
        trainer.put("step", s.step);
        trainer.put("epoch_loss_sum", s.lossSum);
        trainer.put("epoch_count", s.count);
        trainer.put("history", s.history.toMap());
        trainer.put("seed", seed);
        trainer.put("batch_per_partition", batch);
        trainer.put("partition_rows", List.copyOf(sizes));
        try {
            ModelFile.save(file, SavedModel.builder(model, Provenance.now(seed, null)).loss(loss.config())
                    .optimizer(new SavedOptimizer(o.type().name(), o.hyperParameters(), o.steps(), o.tensors())).trainer(trainer).build());
        } catch (ModelFileException e) {
            throw new UncheckedIOException(e.getMessage(), e);
        }
    }

    private State restore(Path file, List<Integer> sizes) {
        try {
            SavedModel saved = ModelFile.load(file);
            if (saved.trainer() == null || saved.optimizer() == null) {
                throw new ModelFileException(file.toString(), "not a checkpoint of a Spark run (no trainer or optimizer state)");
            }
            SavedMap t = SavedMap.of(saved.trainer(), "trainer state");
            if (!"spark".equals(t.string("kind"))) throw t.bad("not a Spark run's checkpoint");
            if (t.whole("seed") != seed || t.whole("batch_per_partition") != batch) {
                throw t.bad("written by a run with seed " + t.whole("seed") + " and batch " + t.whole("batch_per_partition")
                        + ", this one has " + seed + " and " + batch);
            }
            List<Integer> theirs = new ArrayList<>();
            for (long v : t.wholeNumbers("partition_rows")) theirs.add((int) v);
            if (!theirs.equals(sizes)) throw t.bad("written for partitions of " + theirs + " rows, this data has " + sizes);
            model.loadStateDict(saved.module().stateDict());
            SavedOptimizer o = saved.optimizer();
            optimizer.loadState(new OptimizerState(OptimizerType.parse(o.type()), o.hyperParameters(), o.steps(), o.tensors()));
            return new State((int) t.whole("epoch", 0, epochs), (int) t.whole("step", 0, Integer.MAX_VALUE), t.number("epoch_loss_sum"),
                    t.whole("epoch_count"), History.fromMap(t.object("history")));
        } catch (ModelFileException e) {
            throw new UncheckedIOException(e.getMessage(), e);
        }
    }

    private static boolean containsBatchNorm(Module m) {
        if (m instanceof dev.backprop.nn.BatchNorm1d) return true;
        for (Module child : m.children().values()) if (containsBatchNorm(child)) return true;
        return false;
    }

    /** Settings of a run; {@link #build} checks them. */
    public static final class Builder {
        private final Module model;
        private final Loss loss;
        private final Optimizer optimizer;
        private int epochs = 1, batch = 32, checkpointEvery = 100;
        private long seed = 42, stopAfterSteps = Long.MAX_VALUE;
        private Path checkpointDir, resumeFrom;
        private TaskHook hook;
        private Consumer<String> log = s -> { };

        private Builder(Module model, Loss loss, Optimizer optimizer) {
            if (containsBatchNorm(model)) {
                throw new IllegalArgumentException("the Spark trainer does not take batch normalisation yet: its running "
                        + "statistics would be updated on each partition apart");
            }
            this.model = Objects.requireNonNull(model, "model");
            this.loss = Objects.requireNonNull(loss, "loss");
            this.optimizer = Objects.requireNonNull(optimizer, "optimizer");
        }

        /** Passes over the data (default 1). */
        public Builder epochs(int value) {
            if (value < 1) throw new IllegalArgumentException("epochs must be at least 1, got " + value);
            epochs = value;
            return this;
        }

        /** Rows each partition contributes to a step (default 32): the global batch is this times the partitions. */
        public Builder batchPerPartition(int value) {
            if (value < 1) throw new IllegalArgumentException("batch per partition must be at least 1, got " + value);
            batch = value;
            return this;
        }

        /** The seed of every batch order and dropout draw (default 42). */
        public Builder seed(long value) {
            seed = value;
            return this;
        }

        /** Writes {@code dir/last.bpm} (atomically) every {@code everySteps} steps: weights, optimizer and where the run stands. */
        public Builder checkpoints(Path dir, int everySteps) {
            if (everySteps < 1) throw new IllegalArgumentException("checkpoint interval must be at least 1 step, got " + everySteps);
            checkpointDir = Objects.requireNonNull(dir, "dir");
            checkpointEvery = everySteps;
            return this;
        }

        /** Continues the run a checkpoint of {@link #checkpoints} left off (the same data, seed and batch). */
        public Builder resumeFrom(Path checkpoint) {
            resumeFrom = Objects.requireNonNull(checkpoint, "checkpoint");
            return this;
        }

        /** Stops after this many steps of this call (a run cut short, as a killed driver would be). */
        public Builder stopAfterSteps(long value) {
            if (value < 1) throw new IllegalArgumentException("stop after must be at least 1 step, got " + value);
            stopAfterSteps = value;
            return this;
        }

        /** Called in every task before its work (fault injection in tests). */
        public Builder taskHook(TaskHook value) {
            hook = value;
            return this;
        }

        /** Where the epoch lines go (default nowhere). */
        public Builder log(Consumer<String> value) {
            log = Objects.requireNonNull(value, "log");
            return this;
        }

        /** The trainer. */
        public SparkTrainer build() {
            return new SparkTrainer(this);
        }
    }
}
