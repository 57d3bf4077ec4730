package dev.backprop.train;

import dev.backprop.autograd.NoGrad;
import dev.backprop.data.Batch;
import dev.backprop.data.BatchPrefetcher;
import dev.backprop.data.BatchOrder;
import dev.backprop.data.Dataset;
import dev.backprop.io.ModelFileException;
import dev.backprop.io.SavedMap;
import dev.backprop.loss.Loss;
import dev.backprop.nn.Mode;
import dev.backprop.nn.Module;
import dev.backprop.nn.Rescale;
import dev.backprop.optim.GradientClipping;
import dev.backprop.optim.LearningRateSchedule;
import dev.backprop.optim.Optimizer;
import dev.backprop.optim.ReduceOnPlateau;
import dev.backprop.tensor.Tensor;
import dev.backprop.tensor.Workspace;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Trains a module by mini-batch gradient descent: for each epoch, the samples are shuffled by (seed, epoch) and cut
 * into batches; for each batch, forward, loss, backward, optimizer step. After each epoch the validation set is
 * evaluated and the callbacks run.
 *
 * <p>A softmax (sigmoid) that ends a {@link dev.backprop.nn.Sequential} trained with cross-entropy (binary
 * cross-entropy) is fused into the loss, which takes logits: see {@link Evaluation#lossView}. A network that ends in
 * a {@link Rescale} (a regression on standardised targets) is trained as the layers before it, against the targets
 * mapped through {@link Rescale#inverse}; the losses reported (per step, per epoch, on validation) are those of the
 * whole network, in the targets' own units.
 *
 * <p>Same seed, same data, same thread count: bit-identical weights. Every random draw comes from (seed, epoch)
 * (the batch order) or (seed, epoch, step) (dropout), never from what ran before, so a run resumed from a
 * checkpoint continues exactly as the uninterrupted one would have.
 *
 * <pre>{@code
 * History h = Trainer.builder(net, Loss.byName("cross-entropy"), Adam.builder().lr(1e-3).build(net.namedParameters()))
 *         .epochs(5).batchSize(128).seed(42).validationSplit(0.1)
 *         .callback(new EarlyStopping(3, 0, true)).progress(Progress.auto(System.err))
 *         .build().fit(train);
 * }</pre>
 */
public final class Trainer {
    private final Module model;
    private final Loss loss;
    private final Optimizer optimizer;
    private final int epochs;
    private final int batchSize;
    private final long seed;
    private final double validationFraction;
    private final Dataset validationSet;
    private final Task task;
    private final LearningRateSchedule schedule;
    private final ReduceOnPlateau plateau;
    private final double clipNorm;
    private final double clipValue;
    private final List<Callback> callbacks;
    private final Progress progress;
    private final Path resumeFrom;
    private final CheckpointFormat checkpoints;
    private final java.util.function.BooleanSupplier stopSignal;

    private Trainer(Builder b) {
        this.model = b.model;
        this.loss = b.loss;
        this.optimizer = b.optimizer;
        this.epochs = b.epochs;
        this.batchSize = b.batchSize;
        this.seed = b.seed;
        this.validationFraction = b.validationFraction;
        this.validationSet = b.validationSet;
        this.task = b.task != null ? b.task : Task.forLoss(b.loss);
        this.schedule = b.schedule;
        this.plateau = b.plateau;
        this.clipNorm = b.clipNorm;
        this.clipValue = b.clipValue;
        this.progress = b.progress;
        List<Callback> all = new ArrayList<>(b.callbacks);
        all.add(b.progress);
        this.callbacks = List.copyOf(all);
        this.resumeFrom = b.resumeFrom;
        this.checkpoints = new CheckpointFormat(b.dataSource, b.preprocessing);
        this.stopSignal = b.stopSignal;
    }

    /** Starts a trainer for {@code model} with {@code loss} and {@code optimizer} (built over the model's parameters). */
    public static Builder builder(Module model, Loss loss, Optimizer optimizer) {
        return new Builder(model, loss, optimizer);
    }

    /** The module being trained. */
    public Module model() {
        return model;
    }

    /** The optimizer that updates the model's parameters. */
    public Optimizer optimizer() {
        return optimizer;
    }

    /**
     * Trains on {@code data} (less the validation split, if one was asked for) and returns the history.
     *
     * @throws TrainingDivergedException when the loss becomes NaN or infinite
     * @throws java.io.UncheckedIOException when a checkpoint cannot be read or written: its message names the file
     *                                      and the reason, and its cause is the {@code ModelFileException} or
     *                                      {@code IOException} behind it. A run without checkpoints does no I/O.
     */
    public History fit(Dataset data) {
        Dataset train = data, validation = validationSet;
        if (validationFraction > 0) {
            Dataset.Split s = data.split(validationFraction, seed);
            train = s.train();
            validation = s.validation();
        }
        Run run = new Run();
        int first = 0;
        if (resumeFrom != null) {
            try {
                first = checkpoints.resume(resumeFrom, run);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e.getMessage(), e);
            }
        }
        for (Callback c : callbacks) c.onTrainBegin(run);
        for (int epoch = first; epoch < epochs && run.stopReason == null; epoch++) {
            if (schedule != null) optimizer.setLearningRate(schedule.learningRate(epoch));
            EpochRecord record;
            try {
                record = epoch(run, train, validation, epoch);
            } catch (TrainingDivergedException e) {
                // Weights that went non-finite are never kept: back to the best earlier epoch when a callback keeps
                // one (and says so), else the run ends here with the exception, and nothing of this epoch is saved.
                EarlyStopping best = restorer();
                if (best == null) throw e;
                run.requestStop(e.getMessage() + "; the weights of epoch " + (best.bestEpoch() + 1) + ", the best before it, were restored");
                break;
            }
            if (record == null) break;                      // interrupted mid-epoch
            run.history.add(record);
            run.epochsDone = epoch + 1;
            if (plateau != null) optimizer.setLearningRate(plateau.observe(record.monitored()));
            for (Callback c : callbacks) c.onEpochEnd(run, record);
        }
        if (run.stopReason != null) run.history.stoppedBecause(run.stopReason);
        if (run.interrupted) run.history.interrupted();
        for (Callback c : callbacks) c.onTrainEnd(run);
        return run.history;
    }

    private EpochRecord epoch(Run run, Dataset train, Dataset validation, int epoch) {
        // Batch i + 1 is gathered while step i runs, by product threads that would otherwise wait.
        try (BatchPrefetcher batches = BatchPrefetcher.of(train, batchSize, seed, epoch)) {
            return epoch(run, batches, validation, epoch);
        }
    }

    private EpochRecord epoch(Run run, BatchPrefetcher batches, Dataset validation, int epoch) {
        Module net = Evaluation.lossView(model, loss);
        Rescale.Ending ending = Rescale.ending(net);
        if (ending != null) net = ending.before();
        double lr = optimizer.learningRate();
        double lossSum = 0;
        long samples = 0;
        long start = System.nanoTime();
        optimizer.zeroGrad();   // then each step zeroes the gradients it has used (stepAndZeroGrad)
        for (int step = 0; step < batches.size(); step++) {
            int size;
            double value;
            // The step's activations and gradients live in the workspace; only the loss value leaves the scope.
            try (Workspace.Scope ignored = run.workspace.enter()) {
                Batch b = batches.next();
                size = b.size();
                Mode mode = Mode.training(BatchOrder.stepGenerator(seed, epoch, step));
                Tensor out = net.forward(b.x(), mode);
                Tensor l = loss.apply(out, ending == null ? b.y() : ending.rescale().inverse(b.y()));
                value = l.item();
                if (!Double.isFinite(value)) {
                    Path good = run.lastCheckpoint;
                    throw new TrainingDivergedException("loss is " + (Double.isNaN(value) ? "NaN" : "infinite")
                            + " at epoch " + (epoch + 1) + ", step " + (step + 1) + "; last good checkpoint: "
                            + (good == null ? "none written" : good), epoch, step);
                }
                l.backward();
                if (clipNorm > 0) GradientClipping.clipByGlobalNorm(optimizer.parameters().values(), clipNorm);
                if (clipValue > 0) GradientClipping.clipByValue(optimizer.parameters().values(), clipValue);
                optimizer.stepAndZeroGrad();
                if (ending != null) value = reportedLoss(ending.rescale(), out, b.y());
            }
            lossSum += value * size;
            samples += size;
            double elapsed = (System.nanoTime() - start) / 1e9;
            progress.onStep(epoch, epochs, step, batches.size(), lossSum / samples, samples / Math.max(elapsed, 1e-9), elapsed);
            if (stopSignal.getAsBoolean()) {
                // The epoch is not finished: no record, no checkpoint (the last one stays the point to resume from).
                EarlyStopping best = restorer();
                run.requestStop("interrupted at epoch " + (epoch + 1) + ", step " + (step + 1) + " of " + batches.size()
                        + (best != null ? "; the weights of epoch " + (best.bestEpoch() + 1) + ", the best so far, were restored"
                        : "; the weights are those after that step"));
                run.interrupted = true;
                return null;
            }
        }
        // A finite loss before the last step says nothing of the weights after it: check them before anyone saves them.
        String bad = firstNonFinite(model.namedParameters());
        if (bad != null) {
            Path good = run.lastCheckpoint;
            throw new TrainingDivergedException("the weights became non-finite in epoch " + (epoch + 1) + " (" + bad
                    + "); last good checkpoint: " + (good == null ? "none written" : good), epoch, batches.size() - 1);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        Map<String, Double> metrics = new LinkedHashMap<>();
        double valLoss = Double.NaN;
        if (validation != null) {
            Evaluation e = Evaluation.of(model, loss, validation, task, batchSize);
            valLoss = e.loss();
            e.putMetrics(metrics, "val_");
        }
        return new EpochRecord(epoch, lossSum / Math.max(1, samples), valLoss, lr, seconds,
                samples / Math.max(seconds, 1e-9), metrics);
    }

    /** The early stopping that keeps the best epoch's weights and has seen one, or null. */
    private EarlyStopping restorer() {
        for (Callback c : callbacks) {
            if (c instanceof EarlyStopping es && es.restoresBest() && es.bestEpoch() >= 0) return es;
        }
        return null;
    }

    /** {@code 'name' at element i is NaN} for the first non-finite parameter value, or null. */
    static String firstNonFinite(Map<String, Tensor> tensors) {
        for (var e : tensors.entrySet()) {
            Tensor t = e.getValue();
            for (int i = 0; i < t.size(); i++) {
                double v = t.getFlat(i);
                if (!Double.isFinite(v)) return "'" + e.getKey() + "' element " + i + " is " + v;
            }
        }
        return null;
    }

    /** The loss of the whole network, in the targets' own units: what the step's output gives through the rescale. */
    private double reportedLoss(Rescale rescale, Tensor out, Tensor y) {
        try (NoGrad ignored = NoGrad.enter()) {
            return loss.apply(rescale.forward(out), y).item();
        }
    }

    /** The state of one call to fit, as callbacks see it. */
    final class Run implements TrainingContext {
        final Workspace workspace = Workspace.create();
        History history = new History();
        String stopReason;
        boolean interrupted;
        int epochsDone;
        Path lastCheckpoint;

        @Override
        public Module model() {
            return model;
        }

        @Override
        public Optimizer optimizer() {
            return optimizer;
        }

        @Override
        public History history() {
            return history;
        }

        @Override
        public int epochs() {
            return epochs;
        }

        @Override
        public void requestStop(String reason) {
            if (stopReason == null) stopReason = reason;
        }

        @Override
        public void saveCheckpoint(Path file) throws IOException {
            checkpoints.save(file, this);
            lastCheckpoint = file;
        }

        /** Everything a resumed run needs besides weights and optimizer state. */
        Map<String, Object> trainerState() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("epochs_done", epochsDone);
            m.put("history", history.toMap());
            if (plateau != null) {
                ReduceOnPlateau.State p = plateau.state();
                Map<String, Object> pm = new LinkedHashMap<>();
                pm.put("best", Double.isFinite(p.best()) ? p.best() : null);
                pm.put("bad_epochs", p.badEpochs());
                pm.put("cooldown", p.cooldownCounter());
                pm.put("lr", p.learningRate());
                m.put("plateau", pm);
            }
            Map<String, Object> cb = new LinkedHashMap<>();
            for (Callback c : callbacks) cb.put(c.stateKey(), c.state());
            m.put("callbacks", cb);
            return m;
        }

        /**
         * Takes back what {@link #trainerState()} gave; returns the first epoch to run.
         *
         * @throws ModelFileException naming the field when the state is not what this trainer wrote
         */
        int restore(SavedMap state) throws ModelFileException {
            epochsDone = (int) state.whole("epochs_done", 0, epochs);
            history = History.fromMap(state.object("history"));
            if (history.epochs().size() != epochsDone) {
                throw state.bad("history holds " + history.epochs().size() + " epochs, but epochs_done is " + epochsDone);
            }
            if (plateau != null && state.has("plateau")) {
                SavedMap p = state.object("plateau");
                double best = p.has("best") ? p.number("best")
                        : plateau.mode() == ReduceOnPlateau.Mode.MIN ? Double.POSITIVE_INFINITY : Double.NEGATIVE_INFINITY;
                plateau.loadState(new ReduceOnPlateau.State(best, (int) p.whole("bad_epochs", 0, Integer.MAX_VALUE),
                        (int) p.whole("cooldown", 0, Integer.MAX_VALUE), p.number("lr")));
            }
            if (state.has("callbacks")) {
                SavedMap cb = state.object("callbacks");
                for (Callback c : callbacks) {
                    if (cb.has(c.stateKey())) c.restore(cb.object(c.stateKey()));
                }
            }
            return epochsDone;
        }

        Trainer trainer() {
            return Trainer.this;
        }
    }

    /** Settings; {@link #build()} checks them. */
    public static final class Builder {
        private final Module model;
        private final Loss loss;
        private final Optimizer optimizer;
        private int epochs = 10;
        private int batchSize = 32;
        private long seed;
        private double validationFraction;
        private Dataset validationSet;
        private Task task;
        private LearningRateSchedule schedule;
        private LearningRateSchedule.ForRun scheduleForRun;
        private ReduceOnPlateau plateau;
        private double clipNorm;
        private double clipValue;
        private final List<Callback> callbacks = new ArrayList<>();
        private Progress progress = Progress.silent();
        private Path resumeFrom;
        private String dataSource = "unspecified";
        private java.util.function.BooleanSupplier stopSignal = () -> false;
        private Map<String, Object> preprocessing = Map.of();

        private Builder(Module model, Loss loss, Optimizer optimizer) {
            this.model = Objects.requireNonNull(model, "model");
            this.loss = Objects.requireNonNull(loss, "loss");
            this.optimizer = Objects.requireNonNull(optimizer, "optimizer");
        }

        /** Number of epochs (default 10). */
        public Builder epochs(int value) {
            if (value < 1) throw new IllegalArgumentException("epochs must be at least 1, got " + value);
            epochs = value;
            return this;
        }

        /** Samples per mini-batch (default 32). */
        public Builder batchSize(int value) {
            if (value < 1) throw new IllegalArgumentException("batch size must be at least 1, got " + value);
            batchSize = value;
            return this;
        }

        /** The seed of every random draw of training (default 0). */
        public Builder seed(long value) {
            seed = value;
            return this;
        }

        /** Holds out this fraction of the data, shuffled by the seed, for validation. */
        public Builder validationSplit(double fraction) {
            if (!(fraction >= 0 && fraction < 1)) throw new IllegalArgumentException("validation fraction must be in [0, 1), got " + fraction);
            validationFraction = fraction;
            return this;
        }

        /** Validates on this set after each epoch. */
        public Builder validation(Dataset set) {
            validationSet = set;
            return this;
        }

        /** Classification or regression metrics (default: from the loss). */
        public Builder task(Task value) {
            task = value;
            return this;
        }

        /** Sets the learning rate at the start of each epoch. */
        public Builder schedule(LearningRateSchedule value) {
            schedule = value;
            scheduleForRun = null;
            return this;
        }

        /**
         * Sets the learning rate at the start of each epoch from a schedule bound, when the trainer is built, to the
         * optimizer's learning rate and this trainer's epoch count ({@code LearningRateSchedule.cosine(1e-5)}).
         */
        public Builder schedule(LearningRateSchedule.ForRun value) {
            scheduleForRun = java.util.Objects.requireNonNull(value, "schedule");
            schedule = null;
            return this;
        }

        /** Lowers the learning rate when the monitored loss stops improving. */
        public Builder reduceOnPlateau(ReduceOnPlateau value) {
            plateau = value;
            return this;
        }

        /** Scales gradients so that their global norm is at most {@code maxNorm}. */
        public Builder clipGradientNorm(double maxNorm) {
            if (!(maxNorm > 0)) throw new IllegalArgumentException("gradient clip norm must be > 0, got " + maxNorm);
            clipNorm = maxNorm;
            return this;
        }

        /** Clamps every gradient element to [−limit, limit]. */
        public Builder clipGradientValue(double limit) {
            if (!(limit > 0)) throw new IllegalArgumentException("gradient clip value must be > 0, got " + limit);
            clipValue = limit;
            return this;
        }

        /** Adds a callback (early stopping, checkpoints, your own). */
        public Builder callback(Callback c) {
            callbacks.add(Objects.requireNonNull(c));
            return this;
        }

        /** How progress is shown (default: silent). */
        public Builder progress(Progress value) {
            progress = Objects.requireNonNull(value);
            return this;
        }

        /** Continues a run from a checkpoint written by {@link Checkpoints}. */
        public Builder resumeFrom(Path checkpoint) {
            resumeFrom = checkpoint;
            return this;
        }

        /** Where the data came from, recorded in checkpoints. */
        public Builder dataSource(String value) {
            dataSource = Objects.requireNonNull(value);
            return this;
        }

        /**
         * How the data was encoded ({@link dev.backprop.encode.Encoder#toMap()}), recorded in checkpoints so that a
         * checkpoint predicts as the final model does.
         */
        public Builder preprocessing(Map<String, Object> value) {
            preprocessing = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(Objects.requireNonNull(value)));
            return this;
        }

        /**
         * Asked after every step: when it answers true, training stops after that step, as if the epochs were done
         * (callbacks run their end, the history says why). Ctrl-C in the command line sets it.
         */
        public Builder stopWhen(java.util.function.BooleanSupplier signal) {
            stopSignal = Objects.requireNonNull(signal);
            return this;
        }

        /**
         * The trainer with these settings.
         *
         * @throws IllegalArgumentException if both a learning-rate schedule and reduce-on-plateau were set
         */
        public Trainer build() {
            if (scheduleForRun != null) schedule = scheduleForRun.bind(optimizer.learningRate(), epochs);
            if (plateau != null && schedule != null) {
                throw new IllegalArgumentException("use either a learning-rate schedule or reduce-on-plateau, not both");
            }
            return new Trainer(this);
        }
    }

    // Package-private views for CheckpointFormat.
    Loss loss() {
        return loss;
    }

    long seed() {
        return seed;
    }

    int epochs() {
        return epochs;
    }

    int batchSize() {
        return batchSize;
    }
}
