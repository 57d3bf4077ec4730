package dev.backprop.model;

import dev.backprop.data.DataFormatException;
import dev.backprop.data.Dataset;
import dev.backprop.data.Table;
import dev.backprop.encode.ClassEncoder;
import dev.backprop.encode.Encoder;
import dev.backprop.encode.MissingValues;
import dev.backprop.encode.PixelEncoder;
import dev.backprop.encode.Scaling;
import dev.backprop.encode.TableEncoder;
import dev.backprop.io.ModelFile;
import dev.backprop.io.ModelFileException;
import dev.backprop.encode.TargetKind;
import dev.backprop.io.Messages;
import dev.backprop.io.NetworkSpec;
import dev.backprop.io.Provenance;
import dev.backprop.io.SavedOptimizer;
import dev.backprop.loss.BinaryCrossEntropy;
import dev.backprop.loss.CrossEntropy;
import dev.backprop.loss.Loss;
import dev.backprop.init.Init;
import dev.backprop.loss.MeanSquaredError;
import dev.backprop.nn.Activation;
import dev.backprop.nn.Dropout;
import dev.backprop.nn.Module;
import dev.backprop.nn.Networks;
import dev.backprop.nn.Rescale;
import dev.backprop.nn.Sequential;
import dev.backprop.optim.LearningRateSchedule;
import dev.backprop.optim.Optimizer;
import dev.backprop.optim.OptimizerState;
import dev.backprop.optim.OptimizerType;
import dev.backprop.optim.ReduceOnPlateau;
import dev.backprop.tensor.Memory;
import dev.backprop.tensor.Tensor;
import dev.backprop.train.Callback;
import dev.backprop.train.Checkpoints;
import dev.backprop.train.EarlyStopping;
import dev.backprop.train.EpochRecord;
import dev.backprop.train.Evaluation;
import dev.backprop.train.History;
import dev.backprop.train.Progress;
import dev.backprop.train.Task;
import dev.backprop.train.Trainer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.function.Consumer;

/**
 * Settings for fitting a {@link Model} ({@link #fit(Table)}, or {@link #fit(Dataset, Dataset, PixelEncoder)} for
 * images). Only the target is required; every other setting has a default a user of scikit-learn or Keras would
 * expect, and every decision {@code fit} takes about the data is said through {@link #notes}.
 *
 * <pre>{@code
 * Model m = Model.builder().target("price").hiddenLayers(List.of(128, 64)).ignore(List.of("id"))
 *         .progress(Progress.auto(System.err)).notes(System.out::println).fit(table);
 * }</pre>
 */
public final class ModelBuilder {
    /**
     * Epochs without improvement of the validation loss before training stops, when no epoch count is given; more on a
     * small table, so that the wait is at least {@value #PATIENCE_STEPS} optimizer steps.
     */
    public static final int DEFAULT_PATIENCE = 10;

    /**
     * Optimizer steps the default patience covers at least: a table of a hundred rows makes epochs of three or four
     * steps, and ten of them are too few to tell a plateau of the validation loss from its end.
     */
    public static final int PATIENCE_STEPS = 200;
    /** Most epochs, when no epoch count is given and the validation loss keeps improving. */
    public static final int DEFAULT_MAX_EPOCHS = 1000;
    /** Epochs when no epoch count is given and there are no validation rows to stop on. */
    public static final int DEFAULT_EPOCHS_WITHOUT_VALIDATION = 100;
    /** Hidden layer sizes of a network built from the data: one layer of 64 (two overfit small tables; docs/real-data.md). */
    public static final List<Integer> DEFAULT_HIDDEN = List.of(64);

    /** A final training loss past this many times the untrained network's is said to have diverged. */
    static final double DIVERGED = 10;

    /** How class weights are set for cross-entropy. */
    public enum ClassWeights {
        /** Every class weighs 1. */
        NONE,
        /** Class {@code c} weighs {@code n / (k · n_c)} on the training rows, as scikit-learn's {@code "balanced"}. */
        BALANCED
    }

    private List<String> targets = List.of();
    private Task task;
    private String taskReason = "as given";
    private Loss loss;
    private List<Integer> hidden = DEFAULT_HIDDEN;
    private Activation.Kind activation = Activation.Kind.RELU;
    private NetworkSpec spec;
    private OptimizerType optimizerType = OptimizerType.ADAM;
    private Double learningRate;
    private Double weightDecay;
    private double dropout;
    private double clipNorm = Double.POSITIVE_INFINITY;
    private Schedule schedule = Schedule.CONSTANT;
    private int warmupEpochs;
    private String monitor = "val_loss";
    private double minDelta;
    private int batchSize = 32;
    private Integer epochs;
    private Integer patience;
    private int maxEpochs = DEFAULT_MAX_EPOCHS;
    private double validationFraction = 0.2;
    private long seed = 42;
    private boolean scaleTargets = true;
    private ClassWeights classWeights = ClassWeights.NONE;
    private Scaling scaling = Scaling.STANDARD;
    private Collection<String> categorical = List.of(), ignore = List.of();
    private Collection<String> features;
    private MissingValues missingValues = MissingValues.DEFAULT;
    private boolean imputeMissing = true;
    private boolean missingIndicators;
    private Progress progress = Progress.silent();
    private final List<Callback> callbacks = new ArrayList<>();
    private Path checkpointDir, resumeFrom;
    private Consumer<String> noteListener = s -> { };
    private java.util.function.BooleanSupplier stopSignal = () -> false;
    private String dataSource;

    ModelBuilder() {}

    /** The column to predict. */
    public ModelBuilder target(String column) {
        return targets(List.of(column));
    }

    /** The columns to predict (several: a regression with one output each). */
    public ModelBuilder targets(List<String> columns) {
        targets = List.copyOf(columns);
        return this;
    }

    /** Classification or regression; null (the default) infers it from the target column and the loss. */
    public ModelBuilder task(Task value) {
        return task(value, "as given");
    }

    /** {@link #task(Task)}, and why, for the task line ({@code "--task classify"}). */
    public ModelBuilder task(Task value, String why) {
        task = value;
        taskReason = why;
        return this;
    }

    /** The loss; default cross-entropy for classes, mean squared error for numbers. */
    public ModelBuilder loss(Loss value) {
        loss = value;
        return this;
    }

    /** Hidden layer sizes of the network built from the data (default 64; empty: a linear model). */
    public ModelBuilder hiddenLayers(List<Integer> sizes) {
        for (int h : sizes) if (h < 1) throw new IllegalArgumentException("layer sizes must be at least 1, got " + h);
        hidden = List.copyOf(sizes);
        return this;
    }

    /** The hidden layers' activation (default ReLU). */
    public ModelBuilder activation(Activation.Kind value) {
        activation = Objects.requireNonNull(value);
        return this;
    }

    /**
     * A network written by hand instead of one built from the data: it takes the encoded features as they are,
     * its outputs are the classes by index (whole-number label {@code k} is output {@code k}) or the targets,
     * and its loss is the spec's unless {@link #loss} says otherwise. Targets are not standardised for it.
     */
    public ModelBuilder network(NetworkSpec value) {
        spec = value;
        return this;
    }

    /** The optimizer (default Adam). */
    public ModelBuilder optimizer(OptimizerType value) {
        optimizerType = Objects.requireNonNull(value);
        return this;
    }

    /** The learning rate (default 0.001 for Adam and AdamW, 0.01 for the others). */
    public ModelBuilder learningRate(double value) {
        if (!(value > 0) || Double.isInfinite(value)) throw new IllegalArgumentException("learning rate must be a positive number, got " + value);
        learningRate = value;
        return this;
    }

    /**
     * Weight decay λ of the optimizer (default the optimizer's own: 0, and 0.01 for AdamW): L2 added to the gradient,
     * or decoupled in AdamW.
     */
    public ModelBuilder weightDecay(double value) {
        if (!(value >= 0) || Double.isInfinite(value)) throw new IllegalArgumentException("weight decay must be a number >= 0, got " + value);
        weightDecay = value;
        return this;
    }

    /** Dropout after each hidden layer of a network built from the data, zeroing each unit with this probability in training (default 0). */
    public ModelBuilder dropout(double value) {
        if (!(value >= 0 && value < 1)) throw new IllegalArgumentException("dropout must be in [0, 1), got " + value);
        dropout = value;
        return this;
    }

    /** Gradients scaled down each step so that their global L2 norm is at most this (default: no clipping). */
    public ModelBuilder clipGradientNorm(double value) {
        if (!(value > 0)) throw new IllegalArgumentException("the gradient norm limit must be a number > 0, got " + value);
        clipNorm = value;
        return this;
    }

    /** How the learning rate changes over the run. */
    public enum Schedule {
        /** The same rate throughout (the default). */
        CONSTANT,
        /** Cosine annealing from the rate down to 1% of it by the last epoch. */
        COSINE,
        /** The rate times 0.1 after each third of the epochs. */
        STEP,
        /** The rate times γ each epoch, γ such that the last epoch runs at 1% of it. */
        EXPONENTIAL,
        /** The rate times 0.1 when the validation loss has not improved for a third of the patience (at least 2 epochs). */
        PLATEAU;

        /** The schedule with this name, ignoring case; an unknown one is an error that lists the known ones. */
        public static Schedule parse(String name) {
            for (Schedule s : values()) if (s.id().equalsIgnoreCase(name.strip())) return s;
            throw new IllegalArgumentException("unknown learning-rate schedule '" + name + "'; known: constant, cosine, step, "
                    + "exponential, plateau");
        }

        /** The name in lower case, as the command line and model files write it. */
        public String id() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** The learning-rate schedule (default constant). */
    public ModelBuilder schedule(Schedule value) {
        schedule = Objects.requireNonNull(value, "schedule");
        return this;
    }

    /** Epochs over which the rate rises linearly from near 0 to its value before the schedule takes over (default 0). */
    public ModelBuilder warmupEpochs(int value) {
        if (value < 0) throw new IllegalArgumentException("warm-up epochs must be >= 0, got " + value);
        warmupEpochs = value;
        return this;
    }

    /**
     * What early stopping (and the plateau schedule) watches: {@code val_loss} (the default), {@code loss}, or a
     * validation metric such as {@code val_accuracy}, {@code val_macro_f1}, {@code val_rmse} or {@code val_r2};
     * accuracy, F1 and R² are maximised, the others minimised.
     */
    public ModelBuilder monitor(String value) {
        if (value == null || !value.matches("(val_)?[a-z0-9_]+")) throw new IllegalArgumentException("monitor must be a metric name such as val_loss or val_accuracy, got '" + value + "'");
        monitor = value;
        return this;
    }

    /** How much the monitored value must improve to count as an improvement (default 0). */
    public ModelBuilder minDelta(double value) {
        if (!(value >= 0) || Double.isInfinite(value)) throw new IllegalArgumentException("min delta must be a number >= 0, got " + value);
        minDelta = value;
        return this;
    }

    /** Samples per mini-batch (default 32). */
    public ModelBuilder batchSize(int value) {
        if (value < 1) throw new IllegalArgumentException("batch size must be at least 1, got " + value);
        batchSize = value;
        return this;
    }

    /**
     * Exactly this many epochs (early stopping only when {@link #patience} is also given). Default: until the
     * validation loss stops improving, see {@link Model}.
     */
    public ModelBuilder epochs(int value) {
        if (value < 1) throw new IllegalArgumentException("epochs must be at least 1, got " + value);
        epochs = value;
        return this;
    }

    /**
     * Epochs without improvement of the validation loss before stopping (default {@value #DEFAULT_PATIENCE}, or as many
     * as make {@value #PATIENCE_STEPS} steps when epochs are short).
     */
    public ModelBuilder patience(int value) {
        if (value < 1) throw new IllegalArgumentException("patience must be at least 1, got " + value);
        patience = value;
        return this;
    }

    /** Most epochs when no epoch count is given (default {@value #DEFAULT_MAX_EPOCHS}). */
    public ModelBuilder maxEpochs(int value) {
        if (value < 1) throw new IllegalArgumentException("max epochs must be at least 1, got " + value);
        maxEpochs = value;
        return this;
    }

    /** Fraction of the rows held out for validation, stratified by class (default 0.2; 0 for none). */
    public ModelBuilder validationFraction(double value) {
        if (!(value >= 0 && value < 1)) throw new IllegalArgumentException("validation fraction must be in [0, 1), got " + value);
        validationFraction = value;
        return this;
    }

    /** The seed of every random draw: the split, the initial weights, the batch order (default 42). */
    public ModelBuilder seed(long value) {
        seed = value;
        return this;
    }

    /** Whether a regression network built from the data learns standardised targets (default true). */
    public ModelBuilder scaleTargets(boolean value) {
        scaleTargets = value;
        return this;
    }

    /** Class weights of the cross-entropy (default none). */
    public ModelBuilder classWeights(ClassWeights value) {
        classWeights = Objects.requireNonNull(value);
        return this;
    }

    /** Scaling of numeric inputs (default standard). */
    public ModelBuilder scaling(Scaling value) {
        scaling = Objects.requireNonNull(value);
        return this;
    }

    /** Columns read as categories even when they hold numbers. */
    public ModelBuilder categorical(Collection<String> columns) {
        categorical = List.copyOf(columns);
        return this;
    }

    /** Columns left out of the inputs. */
    public ModelBuilder ignore(Collection<String> columns) {
        ignore = List.copyOf(columns);
        return this;
    }

    /** The input columns, and no others (default: every column but the targets and the ignored ones). */
    public ModelBuilder features(Collection<String> columns) {
        features = columns == null ? null : List.copyOf(columns);
        return this;
    }

    /** Which cells are missing (default {@link MissingValues#DEFAULT}). */
    public ModelBuilder missingValues(MissingValues value) {
        missingValues = Objects.requireNonNull(value);
        return this;
    }

    /** Whether missing cells are imputed (default) or an error naming their place. */
    public ModelBuilder imputeMissing(boolean value) {
        imputeMissing = value;
        return this;
    }

    /**
     * Whether a numeric column whose training cells have gaps gets an indicator feature, 1 where the cell was
     * missing (default false, as scikit-learn's {@code SimpleImputer}).
     */
    public ModelBuilder missingIndicators(boolean value) {
        missingIndicators = value;
        return this;
    }

    /** How progress is shown (default silent). */
    public ModelBuilder progress(Progress value) {
        progress = Objects.requireNonNull(value);
        return this;
    }

    /** A callback run after each epoch, besides the ones these settings add. */
    public ModelBuilder callback(Callback value) {
        callbacks.add(Objects.requireNonNull(value));
        return this;
    }

    /** Write {@code last.bpm} every epoch and {@code best.bpm} at each improvement into this directory. */
    public ModelBuilder checkpoints(Path dir) {
        checkpointDir = dir;
        return this;
    }

    /** Continue a run from a checkpoint written with the same data and settings. */
    public ModelBuilder resumeFrom(Path checkpoint) {
        resumeFrom = checkpoint;
        return this;
    }

    /** Receives each note as it arises (the task first), before training starts; default: none. */
    public ModelBuilder notes(Consumer<String> listener) {
        noteListener = Objects.requireNonNull(listener);
        return this;
    }

    /** Asked after every training step; true stops training there, and the model keeps the weights it has. */
    public ModelBuilder stopWhen(java.util.function.BooleanSupplier signal) {
        stopSignal = Objects.requireNonNull(signal);
        return this;
    }

    /** What the data is, for provenance (default: the table's source). */
    public ModelBuilder dataSource(String value) {
        dataSource = value;
        return this;
    }

    /**
     * Fits a model on {@code table}: encoder, network and training as the settings say.
     *
     * @throws DataFormatException the data cannot be trained on, naming the file, line and column
     * @throws IOException         a checkpoint cannot be written or resumed
     */
    public Model fit(Table table) throws IOException {
        Objects.requireNonNull(table, "table");
        if (targets.isEmpty()) throw new IllegalArgumentException("no target column given (columns: " + String.join(", ", table.columns()) + ")");
        Loss chosenLoss = loss != null ? loss : spec != null && spec.loss() != null ? Loss.byName(spec.loss()) : null;
        TargetKind kind = targetKind(chosenLoss);
        TableEncoder.Builder eb = TableEncoder.builder().targets(targets).targetKind(kind, task != null ? taskReason
                        : chosenLoss != null ? "the loss, " + chosenLoss.name() : "as given").scaling(scaling)
                .categorical(categorical).ignore(ignore).features(features).missingValues(missingValues)
                .imputeMissing(imputeMissing).indicators(missingIndicators);
        if (spec != null) eb.networkOutputs(Networks.outputs(spec.module()));
        TableEncoder.Fit fit = eb.fit(table, validationFraction, seed);
        List<String> notes = new ArrayList<>();
        note(notes, fit.task());
        for (String n : fit.notes()) note(notes, n);
        TableEncoder enc = fit.encoder();
        boolean classes = enc.target() instanceof ClassEncoder;
        if (chosenLoss == null) chosenLoss = classes ? new CrossEntropy() : new MeanSquaredError();
        if (classes && !(chosenLoss instanceof CrossEntropy)) {
            throw new IllegalArgumentException("loss " + chosenLoss.name() + " does not take classes; classification trains with cross-entropy");
        }
        if (!classes && chosenLoss instanceof CrossEntropy) {
            throw new IllegalArgumentException("cross-entropy takes classes, but the target is numbers (--task classify reads them as classes)");
        }
        if (classes && spec == null && enc.classLabels().size() < 2) {
            throw new DataFormatException(table.source() + ": only one class (" + Table.quote(enc.classLabels().getFirst())
                    + ") in target '" + targets.getFirst() + "'; classification needs at least two");
        }
        String source = dataSource != null ? dataSource : table.source();
        Dataset train = enc.encode(table, fit.trainRows()).dataset(source);
        Dataset validation = fit.validationRows().length == 0 ? null : enc.encode(table, fit.validationRows()).dataset(source);
        if (classes && classWeights == ClassWeights.BALANCED) {
            chosenLoss = balanced(train, enc.classLabels().size());
            note(notes, "class weights: balanced (" + describeWeights(((CrossEntropy) chosenLoss).classWeights(), enc.classLabels()) + ")");
        } else if (classes) {
            String imbalance = imbalance(train, enc.classLabels());
            if (imbalance != null) note(notes, imbalance);
        }
        Module net;
        if (spec != null) {
            net = spec.module();
            if (spec.inputs() != enc.inputs()) {
                throw new IllegalArgumentException(spec.source() + ": the network takes " + spec.inputs() + " inputs, the data gives "
                        + enc.inputs() + " features " + enc.featureNames());
            }
        } else {
            int outputs = chosenLoss instanceof BinaryCrossEntropy ? enc.targetNames().size() : enc.outputs();
            Sequential mlp = network(enc.inputs(), outputs);
            if (!classes && scaleTargets && !(chosenLoss instanceof BinaryCrossEntropy)) {
                Rescale r = standardising(train);
                net = new Sequential(concat(mlp.layers(), r));
                note(notes, describeRescale(r));
            } else {
                net = mlp;
            }
        }
        if (validation != null && validation.size() < SMALL_VALIDATION) {
            note(notes, "only " + samples(validation.size()) + " held out for validation: the scores on them, and the epoch early "
                    + "stopping picks, are mostly chance (more rows, or --val 0 with --epochs N)");
        }
        return train(enc, net, chosenLoss, train, validation, null, source, notes, validation == null
                ? "training set (" + samples(train.size()) + "; no validation split)" : "validation set (" + samples(validation.size()) + ")");
    }

    /**
     * Fits a model on images already encoded by {@code encoder} ({@code train}'s features, class indices as
     * targets); the validation part is held out of {@code train}, and {@code test}, when there is one, is what
     * the fitted model is evaluated on.
     */
    public Model fit(Dataset train, Dataset test, PixelEncoder encoder) throws IOException {
        List<String> notes = new ArrayList<>();
        note(notes, "classification: " + encoder.classLabels().size() + " classes of images");
        Loss chosenLoss = loss != null ? loss : spec != null && spec.loss() != null ? Loss.byName(spec.loss()) : new CrossEntropy();
        if (!(chosenLoss instanceof CrossEntropy)) throw new IllegalArgumentException("images train with cross-entropy, not " + chosenLoss.name());
        Dataset fitOn = train, validation = null;
        if (validationFraction > 0) {
            Dataset.Split s = train.split(validationFraction, seed);
            fitOn = s.train();
            validation = s.validation();
        }
        if (classWeights == ClassWeights.BALANCED) chosenLoss = balanced(fitOn, encoder.classLabels().size());
        Module net = spec != null ? spec.module() : network(encoder.inputs(), encoder.outputs());
        String source = dataSource != null ? dataSource : train.source();
        Dataset evalOn = test != null ? test : validation;
        String on = test != null ? "test set (" + samples(test.size()) + ")" : validation != null
                ? "validation set (" + samples(validation.size()) + ")" : "training set (" + samples(fitOn.size()) + "; no validation split)";
        return train(encoder, net, chosenLoss, fitOn, validation, evalOn, source, notes, on);
    }

    /** Validation rows below which a note says their scores are mostly chance. */
    static final int SMALL_VALIDATION = 20;

    private static String samples(int n) {
        return n + (n == 1 ? " sample" : " samples");
    }

    /**
     * The network built from the data: the hidden layers, then an output layer that starts at zero, so that the
     * untrained network predicts the training mean (a regression, through its rescale) or equal probabilities
     * for every class, rather than a random function of the inputs. On small noisy tables early stopping then
     * keeps a much smoother fit (docs/real-data.md: scikit-learn's diabetes, R² 0.37 → 0.46).
     */
    private Sequential network(int inputs, int outputs) {
        long parameters = 0;
        int width = inputs;
        for (int h : hidden) {
            parameters += ((long) width + 1) * h;
            width = h;
        }
        parameters += ((long) width + 1) * outputs;
        // The weights, their gradients, Adam's two moments, and the best epoch's copy that early stopping keeps.
        String no = Memory.shortfall(parameters > Long.MAX_VALUE / 20 ? Long.MAX_VALUE : parameters * 4 * 5,
                "a network of " + parameters + " parameters (" + inputs + " inputs, layers " + hidden + ")");
        if (no != null) throw new IllegalArgumentException(no);
        Sequential mlp = Networks.mlp(inputs, hidden, outputs, activation, Init.constant(0), new SplittableRandom(seed));
        if (dropout == 0) return mlp;
        List<Module> layers = new ArrayList<>();
        for (Module m : mlp.layers()) {
            layers.add(m);
            if (m instanceof Activation) layers.add(new Dropout(dropout));
        }
        return new Sequential(layers);
    }

    private TargetKind targetKind(Loss chosenLoss) {
        if (task != null) {
            if (chosenLoss != null && (task == Task.CLASSIFICATION) != (chosenLoss instanceof CrossEntropy)
                    && !(chosenLoss instanceof BinaryCrossEntropy)) {
                throw new IllegalArgumentException("task " + task.name().toLowerCase(Locale.ROOT) + " does not fit loss " + chosenLoss.name());
            }
            if (chosenLoss instanceof BinaryCrossEntropy) return TargetKind.NUMBERS;
            return task == Task.CLASSIFICATION ? TargetKind.CLASSES : TargetKind.NUMBERS;
        }
        if (chosenLoss == null) return null;
        return chosenLoss instanceof CrossEntropy ? TargetKind.CLASSES : TargetKind.NUMBERS;
    }

    /**
     * Refuses a checkpoint whose preprocessing is not the one this run fitted: resuming on other data (other classes,
     * columns, scaling) would continue a network trained for different inputs, without a word.
     */
    private static void checkSameData(Path checkpoint, Encoder enc) throws IOException {
        Map<String, Object> saved = ModelFile.load(checkpoint).preprocessing();
        if (saved == null || saved.equals(enc.toMap())) return;
        String why;
        Encoder theirs;
        try {
            theirs = Encoder.fromMap(saved);
        } catch (ModelFileException e) {
            theirs = null;
        }
        if (theirs != null && !theirs.classLabels().equals(enc.classLabels())) {
            why = "its classes are " + theirs.classLabels() + ", this data's " + enc.classLabels();
        } else if (theirs != null && !theirs.featureNames().equals(enc.featureNames())) {
            why = "its " + theirs.featureNames().size() + " features are not this data's " + enc.featureNames().size();
        } else {
            why = "its preprocessing (scaling, fill values or categories) was fitted on other rows";
        }
        throw new ModelFileException(checkpoint.toString(), "not a checkpoint of this run: it was trained on other data (" + why
                + "); resume on the data it was trained on, or start afresh without --resume");
    }

    private void note(List<String> notes, String line) {
        notes.add(line);
        noteListener.accept(line);
    }

    private Model train(Encoder enc, Module net, Loss lossFn, Dataset train, Dataset validation, Dataset evalOn, String source,
                        List<String> notes, String evaluatedOn) throws IOException {
        double rate = learningRate != null ? learningRate
                : optimizerType == OptimizerType.ADAM || optimizerType == OptimizerType.ADAMW ? 1e-3 : 1e-2;
        Map<String, Double> hyper = new LinkedHashMap<>();
        hyper.put("lr", rate);
        if (weightDecay != null) hyper.put("weight_decay", weightDecay);
        Optimizer opt = Optimizer.create(optimizerType, hyper, net.namedParameters());
        int runEpochs;
        EarlyStopping stopper = null;
        int stepsPerEpoch = (int) ((train.size() + (long) batchSize - 1) / batchSize);   // a batch may exceed the rows
        int wait = patience != null ? patience
                : Math.max(DEFAULT_PATIENCE, (PATIENCE_STEPS + stepsPerEpoch - 1) / stepsPerEpoch);
        if (epochs != null) {
            runEpochs = epochs;
            if (patience != null && validation != null) stopper = stopping(wait);
            note(notes, "epochs: " + epochs + (stopper != null ? ", stopping early after " + wait + " without improvement" : ""));
        } else if (validation != null) {
            runEpochs = maxEpochs;
            stopper = stopping(wait);
            note(notes, "epochs: until " + watched() + " has not improved" + (minDelta > 0 ? " by more than " + Messages.number(minDelta) : "")
                    + " for " + wait + " epochs"
                    + (patience == null && wait > DEFAULT_PATIENCE ? " (" + PATIENCE_STEPS + " steps of " + stepsPerEpoch + " per epoch)" : "")
                    + ", at most " + maxEpochs + ", keeping the best epoch's weights; --epochs N trains exactly N");
        } else {
            runEpochs = DEFAULT_EPOCHS_WITHOUT_VALIDATION;
            note(notes, "epochs: " + runEpochs + " (no validation rows to stop on); --epochs N trains exactly N");
        }
        if (patience != null && validation == null) throw new IllegalArgumentException("early stopping needs validation rows (a validation fraction above 0)");
        Trainer.Builder tb = Trainer.builder(net, lossFn, opt).epochs(runEpochs).batchSize(batchSize).seed(seed)
                .dataSource(source).progress(progress).preprocessing(enc.toMap()).stopWhen(stopSignal);
        if (validation != null) tb.validation(validation);
        if (stopper != null) tb.callback(stopper);
        if (clipNorm != Double.POSITIVE_INFINITY) tb.clipGradientNorm(clipNorm);
        bindSchedule(tb, rate, runEpochs, wait, validation != null, notes);
        for (Callback c : callbacks) tb.callback(c);
        if (checkpointDir != null) tb.callback(new Checkpoints(checkpointDir, 1, true));
        if (resumeFrom != null) {
            checkSameData(resumeFrom, enc);
            tb.resumeFrom(resumeFrom);
        }
        // The loss before any step: with the output layer at zero, that of predicting the mean (or equal class
        // probabilities). A run that ends far above it has diverged, though every number stayed finite.
        double untrained = Evaluation.of(net, lossFn, train, Task.forLoss(lossFn), 256).loss();
        long start = System.nanoTime();
        History history = tb.build().fit(train);
        double seconds = (System.nanoTime() - start) / 1e9;
        String stopped = history.stopReason();
        if (history.epochs().isEmpty()) {
            stopped += "; no epoch finished";
        } else if (stopped.equals("completed")) {
            stopped = "ran all " + history.epochs().size() + (history.epochs().size() == 1 ? " epoch" : " epochs");
            if (stopper != null && stopper.bestEpoch() >= 0 && stopper.bestEpoch() + 1 < history.epochs().size()) {
                stopped += "; the weights of the best epoch, " + (stopper.bestEpoch() + 1) + ", were restored";
            }
        }
        Evaluation evaluation = Evaluation.of(net, lossFn, evalOn != null ? evalOn : validation != null ? validation : train,
                Task.forLoss(lossFn), 256);
        OptimizerState s = opt.state();
        SavedOptimizer saved = new SavedOptimizer(s.type().name(), s.hyperParameters(), s.steps(), s.tensors());
        if (!finite(s.tensors())) {
            saved = null;       // moments that overflowed resume nothing; the weights themselves are checked by the trainer
            note(notes, "the optimizer's state is not finite and is not saved: the model can be used, not resumed");
        }
        List<EpochRecord> epochs = history.epochs();
        if (!epochs.isEmpty() && epochs.getLast().trainLoss() > DIVERGED * untrained) {
            note(notes, String.format(Locale.ROOT, "the run diverged: its training loss ended at %.6g, %s times the untrained network's "
                            + "%.6g; the model is saved, but a learning rate of %s is probably too high (--lr)", epochs.getLast().trainLoss(),
                    Messages.number(Math.round(epochs.getLast().trainLoss() / untrained)), untrained, Messages.number(rate)));
        }
        Map<String, Object> settings = settings(lossFn, rate, runEpochs, stopper != null ? wait : null, validation != null, opt);
        int best = stopper != null && stopper.restoresBest() ? stopper.bestEpoch() : -1;
        Model.Fitted fitted = new Model.Fitted(history, notes.getFirst(), notes, stopped, evaluation, evaluatedOn, seconds, best);
        return new Model(enc, net, lossFn, settings, Provenance.now(seed, source), saved, fitted, List.of());
    }

    private Map<String, Object> settings(Loss lossFn, double rate, int runEpochs, Integer wait, boolean validated, Optimizer opt) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("loss", lossFn.name());
        m.put("optimizer", optimizerType.name());
        m.put("learning_rate", rate);
        Double decay = opt.hyperParameters().get("weight_decay");
        if (decay != null && decay != 0) m.put("weight_decay", decay);
        if (schedule != Schedule.CONSTANT) m.put("lr_schedule", schedule.id());
        if (warmupEpochs > 0) m.put("warmup_epochs", warmupEpochs);
        if (clipNorm != Double.POSITIVE_INFINITY) m.put("clip_norm", clipNorm);
        if (dropout > 0 && spec == null) m.put("dropout", dropout);
        m.put("epochs", runEpochs);
        if (wait != null) {
            m.put("early_stop_patience", wait);
            m.put("early_stop_monitor", monitor);
            if (minDelta > 0) m.put("early_stop_min_delta", minDelta);
        }
        m.put("batch_size", batchSize);
        m.put("seed", seed);
        m.put("validation_fraction", validated ? validationFraction : 0.0);
        if (spec != null) {
            m.put("model_spec", spec.source());
        } else {
            m.put("layers", hidden);
            m.put("activation", activation.id());
        }
        if (classWeights != ClassWeights.NONE) m.put("class_weight", classWeights.name().toLowerCase(Locale.ROOT));
        return m;
    }

    private EarlyStopping stopping(int wait) {
        EarlyStopping.Builder b = EarlyStopping.builder().patience(wait).minDelta(minDelta).restoreBest(true);
        if (!monitor.equals("val_loss")) b.monitor(monitor);     // the default: the validation loss, said as "no improvement"
        return b.build();
    }

    /** What early stopping watches, in words. */
    private String watched() {
        return monitor.equals("val_loss") ? "the validation loss" : monitor;
    }

    /** The learning-rate schedule of the run, and a note saying it. */
    private void bindSchedule(Trainer.Builder tb, double rate, int runEpochs, int wait, boolean validated, List<String> notes) {
        LearningRateSchedule.ForRun after = switch (schedule) {
            case CONSTANT, PLATEAU -> (base, n) -> epoch -> base;
            case COSINE -> LearningRateSchedule.cosine(rate * 0.01);
            case STEP -> LearningRateSchedule.stepDecay(Math.max(1, runEpochs / 3), 0.1);
            case EXPONENTIAL -> LearningRateSchedule.exponentialDecay(Math.pow(0.01, 1.0 / Math.max(1, runEpochs - 1)));
        };
        if (schedule == Schedule.PLATEAU) {
            int patience = Math.max(2, wait / 3);
            tb.reduceOnPlateau(ReduceOnPlateau.builder().patience(patience).factor(0.1).build(rate));
        }
        if (warmupEpochs > 0) {
            tb.schedule(LearningRateSchedule.warmup(warmupEpochs, after));
        } else if (schedule != Schedule.CONSTANT && schedule != Schedule.PLATEAU) {
            tb.schedule(after);
        }
        if (schedule != Schedule.CONSTANT || warmupEpochs > 0) {
            String what = switch (schedule) {
                case CONSTANT -> "constant";
                case COSINE -> "cosine, from " + Messages.number(rate) + " to " + Messages.number(rate * 0.01) + " over " + runEpochs + " epochs";
                case STEP -> "×0.1 every " + Math.max(1, runEpochs / 3) + " epochs";
                case EXPONENTIAL -> "×" + Messages.number(Math.pow(0.01, 1.0 / Math.max(1, runEpochs - 1))) + " each epoch";
                case PLATEAU -> "×0.1 when the " + (validated ? "validation" : "training") + " loss has not improved for "
                        + Math.max(2, wait / 3) + " epochs";
            };
            note(notes, "learning rate: " + what + (warmupEpochs > 0 ? ", after a linear warm-up of " + warmupEpochs + " epochs" : ""));
        }
    }

    private static boolean finite(Map<String, Tensor> tensors) {
        for (Tensor t : tensors.values()) {
            for (int i = 0; i < t.size(); i++) if (!Double.isFinite(t.getFlat(i))) return false;
        }
        return true;
    }

    /** The rescale of the training targets' mean and population deviation, per target column. */
    private static Rescale standardising(Dataset train) {
        Tensor y = train.targets();
        int n = y.shape().dim(0), k = y.shape().dim(1);
        double[] mean = new double[k], std = new double[k];
        for (int j = 0; j < k; j++) {
            double sum = 0;
            for (int i = 0; i < n; i++) sum += y.get(i, j);
            mean[j] = sum / n;
            double sq = 0;
            for (int i = 0; i < n; i++) sq += (y.get(i, j) - mean[j]) * (y.get(i, j) - mean[j]);
            std[j] = Math.sqrt(sq / n);
            if (!Double.isFinite(mean[j]) || !Double.isFinite(std[j])) {
                throw new IllegalArgumentException("target values too large to standardise (their mean or deviation overflows)");
            }
        }
        return Rescale.standardising(mean, std);
    }

    private static String describeRescale(Rescale r) {
        StringBuilder s = new StringBuilder("targets standardised on the training rows (");
        for (int j = 0; j < r.features(); j++) {
            s.append(j == 0 ? "" : "; ").append("mean ").append(Messages.number(r.shift().getFlat(j)))
                    .append(", std ").append(Messages.number(r.scale().getFlat(j)));
        }
        return s.append("); predictions, losses and metrics are in the target's own units").toString();
    }

    private static List<Module> concat(List<Module> layers, Module last) {
        List<Module> out = new ArrayList<>(layers);
        out.add(last);
        return out;
    }

    private static CrossEntropy balanced(Dataset train, int classes) {
        long[] count = new long[classes];
        for (int i = 0; i < train.size(); i++) count[(int) train.targets().getFlat(i)]++;
        double[] w = new double[classes];
        long present = java.util.Arrays.stream(count).filter(c -> c > 0).count();
        for (int c = 0; c < classes; c++) w[c] = count[c] == 0 ? 1 : (double) train.size() / (present * count[c]);
        return new CrossEntropy(w);
    }

    private static String describeWeights(double[] w, List<String> labels) {
        StringBuilder b = new StringBuilder();
        for (int c = 0; c < w.length && c < 10; c++) b.append(c == 0 ? "" : ", ").append(labels.get(c)).append(" ").append(Messages.number(w[c]));
        return b.append(w.length > 10 ? ", …" : "").toString();
    }

    /** A note when the rarest class is under a fifth of the commonest, else null. */
    private static String imbalance(Dataset train, List<String> labels) {
        long[] count = new long[labels.size()];
        for (int i = 0; i < train.size(); i++) count[(int) train.targets().getFlat(i)]++;
        int most = 0, least = -1;
        for (int c = 0; c < count.length; c++) {
            if (count[c] > count[most]) most = c;
            if (count[c] > 0 && (least < 0 || count[c] < count[least])) least = c;
        }
        if (least < 0 || count[least] * 5 >= count[most]) return null;
        return String.format(Locale.ROOT, "classes are unbalanced: '%s' is %.1f%% of the training rows, '%s' %.1f%%; "
                        + "--class-weight balanced weighs each class equally", labels.get(most), 100.0 * count[most] / train.size(),
                labels.get(least), 100.0 * count[least] / train.size());
    }

}
