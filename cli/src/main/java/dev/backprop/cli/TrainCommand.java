package dev.backprop.cli;

import dev.backprop.data.DataSource;
import dev.backprop.data.LoadedData;
import dev.backprop.encode.MissingValues;
import dev.backprop.encode.Scaling;
import dev.backprop.encode.TargetKind;
import dev.backprop.io.NetworkSpec;
import dev.backprop.loss.Loss;
import dev.backprop.model.Model;
import dev.backprop.model.ModelBuilder;
import dev.backprop.nn.Activation;
import dev.backprop.optim.OptimizerType;
import dev.backprop.tensor.Kernels;
import dev.backprop.tensor.blas.OpenBlasKernels;
import dev.backprop.train.Progress;
import dev.backprop.train.Task;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code backprop train}: train a network on a data set, save it, and report. */
@Command(name = "train", mixinStandardHelpOptions = true, sortOptions = false,
        header = "Train a network on a data set, save it, and report.",
        customSynopsis = "backprop train --data FILE.csv|DIR|builtin:NAME [--target COL] [--out MODEL.bpm] [OPTIONS]",
        synopsisHeading = "%nUsage: ", descriptionHeading = "%n", optionListHeading = "%nOptions:%n",
        parameterListHeading = "%nArguments:%n", footerHeading = "%nExamples:%n",
        description = {"Says what it decided about the data (task, columns, scaling, missing cells), prints progress and a",
            "summary, and saves the model, an HTML report and a PNG of the curves when asked. Without --epochs it",
            "trains until the validation loss stops improving and keeps the best epoch."},
        footer = {"  backprop train --data builtin:iris --out iris.bpm --report iris.html",
            "  backprop train --data examples/data/houses.csv --target price --ignore id --out houses.bpm",
            "  backprop train --data builtin:spirals --layers 32,32 --lr-schedule cosine --epochs 60 \\",
            "                 --plot curves.png",
            "  backprop train --data builtin:fashion-mnist --layers 256,128 --epochs 5 --batch 128 --val 0"})
final class TrainCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--data", required = true, paramLabel = "FILE.csv|DIR|builtin:NAME",
            description = "The data: a CSV file with a header row, a directory of IDX files, or a built-in set (see 'datasets').")
    String data;

    @Option(names = "--target", split = ",", paramLabel = "COL,...", hideParamSyntax = true,
            description = "Target column(s) of a CSV file (default: the data's own, or the last column).")
    List<String> target = new ArrayList<>();

    @Option(names = "--task", paramLabel = "classify|regress",
            description = "Classes or numbers (default: inferred from the target: text or at most 20 distinct whole numbers are classes).")
    String task;

    @Option(names = "--features", split = ",", paramLabel = "COL,...", hideParamSyntax = true, description = "Use only these input columns.")
    List<String> features;

    @Option(names = "--ignore", split = ",", paramLabel = "COL,...", hideParamSyntax = true, description = "Leave these columns out of the inputs (identifiers, free text).")
    List<String> ignore = new ArrayList<>();

    @Option(names = "--categorical", split = ",", paramLabel = "COL,...", hideParamSyntax = true, description = "Columns to one-hot encode even if they hold numbers.")
    List<String> categorical = new ArrayList<>();

    @Option(names = "--delimiter", paramLabel = "CHAR", description = "The CSV delimiter: a character, or 'tab' (default: detected from , ; tab |).")
    String delimiter;

    @Option(names = "--missing", paramLabel = "impute|refuse",
            description = "Missing cells: impute them from the training rows (default), or refuse them with their line and column.")
    String missing = "impute";

    @Option(names = "--missing-indicators",
            description = "Give each numeric column with missing training cells an indicator input, 1 where the cell was missing.")
    boolean missingIndicators;

    @Option(names = "--missing-values", paramLabel = "LIST",
            description = "Comma-separated texts that mark a missing cell besides an empty one (default: NA,N/A,NaN,nan,?).")
    String missingValues;

    @Option(names = "--scaling", paramLabel = "none|standard|min-max", description = "Input scaling fitted on the training rows (default: the data's).")
    String scaling;

    @Option(names = "--target-scaling", paramLabel = "standard|none",
            description = "Regression targets learned standardised, predicted in their own units (default: standard).")
    String targetScaling = "standard";

    @Option(names = "--class-weight", paramLabel = "none|balanced", description = "Weigh classes equally in the loss (default: none).")
    String classWeight = "none";

    @Option(names = "--layers", split = ",", paramLabel = "N,N,...", hideParamSyntax = true, description = "Hidden layer sizes (default: 64, one hidden layer).")
    List<Integer> layers;

    @Option(names = "--activation", paramLabel = "NAME", description = "Hidden activation: relu, leaky_relu, elu, gelu, tanh, sigmoid (default: relu).")
    String activation = "relu";

    @Option(names = "--dropout", paramLabel = "P", description = "Dropout after each hidden layer: each unit zeroed with probability P in training (default: 0).")
    Double dropout;

    @Option(names = "--model", paramLabel = "SPEC.json", description = "A hand-written network (JSON spec) instead of --layers.")
    Path modelSpec;

    @Option(names = "--loss", paramLabel = "NAME", description = "half-sse, mse, mae, huber, cross-entropy, bce (default: cross-entropy for classes, mse otherwise).")
    String loss;

    @Option(names = "--optimizer", paramLabel = "NAME", description = "sgd, adam, adamw, rmsprop, adagrad (default: adam).")
    String optimizer = "adam";

    @Option(names = "--lr", paramLabel = "RATE", description = "Learning rate (default: 0.001 for adam/adamw, 0.01 otherwise).")
    Double lr;

    @Option(names = "--lr-schedule", paramLabel = "NAME",
            description = "constant, cosine (down to 1%% of --lr by the last epoch), step (×0.1 each third of the epochs), "
                    + "exponential (to 1%% by the last epoch), plateau (×0.1 when the validation loss stalls); default: constant.")
    String lrSchedule = "constant";

    @Option(names = "--warmup", paramLabel = "EPOCHS", description = "Raise the learning rate linearly over the first EPOCHS epochs (default: 0).")
    int warmup;

    @Option(names = "--weight-decay", paramLabel = "L", description = "Weight decay (default: the optimizer's: 0, 0.01 for adamw).")
    Double weightDecay;

    @Option(names = "--clip-norm", paramLabel = "MAX", description = "Scale each step's gradients down to a global L2 norm of at most MAX (default: none).")
    Double clipNorm;

    @Option(names = "--batch", paramLabel = "N", description = "Mini-batch size (default: 32).")
    int batch = 32;

    @Option(names = "--epochs", paramLabel = "N",
            description = "Train exactly N epochs (default: until the validation loss has not improved for 10 epochs, at most 200; 100 without validation rows).")
    Integer epochs;

    @Option(names = "--early-stop", paramLabel = "PATIENCE", description = "Stop after this many epochs without improvement, keeping the best weights (default without --epochs: 10).")
    Integer earlyStop;

    @Option(names = "--monitor", paramLabel = "METRIC",
            description = "What early stopping watches: val_loss, loss, val_accuracy, val_macro_f1, val_rmse, val_mae, val_r2 (default: val_loss).")
    String monitor;

    @Option(names = "--min-delta", paramLabel = "D", description = "The least change of the monitored value that counts as an improvement (default: 0).")
    Double minDelta;

    @Option(names = "--seed", paramLabel = "N", description = "Seed of every random draw (default: 42).")
    long seed = 42;

    @Option(names = "--val", paramLabel = "FRACTION", description = "Fraction held out for validation, stratified by class (default: 0.2; 0 for none).")
    double val = 0.2;

    @Option(names = "--checkpoint-dir", paramLabel = "DIR", description = "Write last.bpm every epoch and best.bpm at each improvement.")
    Path checkpointDir;

    @Option(names = "--resume", paramLabel = "CHECKPOINT", description = "Continue a run from a checkpoint (same data and settings).")
    Path resume;

    @Option(names = "--threads", paramLabel = "N", description = "Threads a matrix product may use (default: BACKPROP_THREADS, or the core count).")
    Integer threads;

    @Option(names = "--out", paramLabel = "MODEL.bpm", description = "Where to save the trained model.")
    Path out;

    @Option(names = "--report", paramLabel = "REPORT.html", description = "Write a self-contained HTML report.")
    Path report;

    @Option(names = "--plot", paramLabel = "CURVES.png", description = "Write the loss and accuracy curves as a PNG.")
    Path plot;

    @Option(names = "--quiet", description = "No progress output.")
    boolean quiet;

    @Override
    public Integer call() throws Exception {
        PrintWriter outw = spec.commandLine().getOut();
        Result r;
        try (Interrupts interrupts = Interrupts.install(System.err)) {
            r = run(Progress.auto(System.err), interrupts::requested);
        }
        Printing.summary(outw, r);
        outw.flush();
        return r.model().fitted().history().wasInterrupted() ? Interrupts.EXIT_CODE : 0;
    }

    /** What a training run produced. */
    record Result(Model model, Path savedTo, Path reportTo, Path plotTo, String data, dev.backprop.data.Table table,
                  dev.backprop.data.Dataset images) {}

    Result run(Progress progressWhenShown) throws Exception {
        return run(progressWhenShown, () -> false);
    }

    /** Trains; {@code stop} is asked after every step (a signal), and training ends there when it says so. */
    Result run(Progress progressWhenShown, java.util.function.BooleanSupplier stop) throws Exception {
        checkRanges();
        if (threads != null) setThreads(threads);
        PrintWriter outw = spec.commandLine().getOut();
        ModelBuilder b = Model.builder()
                .hiddenLayers(layers == null ? ModelBuilder.DEFAULT_HIDDEN : layers)
                .activation(Activation.Kind.parse(activation))
                .optimizer(OptimizerType.parse(optimizer))
                .batchSize(batch).seed(seed).validationFraction(val)
                .scaleTargets(choice(spec, "--target-scaling", targetScaling, "standard", "none").equals("standard"))
                .classWeights(ModelBuilder.ClassWeights.valueOf(choice(spec, "--class-weight", classWeight, "none", "balanced")
                        .toUpperCase(Locale.ROOT)))
                .imputeMissing(choice(spec, "--missing", missing, "impute", "refuse").equals("impute"))
                .missingIndicators(missingIndicators)
                .categorical(categorical).ignore(ignore).features(features)
                .progress(quiet ? Progress.silent() : progressWhenShown)
                .stopWhen(stop)
                .notes(line -> {
                    outw.println(Printing.safe(line));
                    outw.flush();
                });
        if (missingValues != null) b.missingValues(MissingValues.parse(missingValues));
        if (lr != null) b.learningRate(lr);
        if (epochs != null) b.epochs(epochs);
        if (earlyStop != null) b.patience(earlyStop);
        b.schedule(ModelBuilder.Schedule.parse(lrSchedule)).warmupEpochs(warmup);
        if (weightDecay != null) b.weightDecay(weightDecay);
        if (dropout != null) b.dropout(dropout);
        if (clipNorm != null) b.clipGradientNorm(clipNorm);
        if (monitor != null) b.monitor(monitor);
        if (minDelta != null) b.minDelta(minDelta);
        if (loss != null) b.loss(Loss.byName(loss));
        if (task != null) {
            String t = choice(spec, "--task", task, "classify", "regress");
            b.task(t.equals("classify") ? Task.CLASSIFICATION : Task.REGRESSION, "--task " + t);
        }
        if (modelSpec != null) b.network(NetworkSpec.parse(modelSpec));
        if (checkpointDir != null) b.checkpoints(checkpointDir);
        if (resume != null) b.resumeFrom(resume);

        LoadedData loaded = loading(data, quiet, () -> DataSource.load(data, delimiter(spec, delimiter)));
        b.dataSource(loaded.description());
        Model model = switch (loaded) {
            case LoadedData.Tabular tab -> {
                b.targets(target.isEmpty() ? tab.defaultTargets() : target);
                // A built-in table knows what its own target holds; a file's is inferred.
                if (target.isEmpty() && task == null && loss == null && modelSpec == null && tab.kind() != null) {
                    b.task(tab.kind() == TargetKind.CLASSES ? Task.CLASSIFICATION : Task.REGRESSION, "as " + data + " defines it");
                }
                b.scaling(scaling != null ? Scaling.of(scaling) : tab.scaling());
                yield b.fit(tab.table());
            }
            case LoadedData.Images images -> b.fit(images.train(), images.test(), images.encoder());
        };
        // Stopped before one epoch ended: the weights are hardly trained, and must not replace a model already there.
        var history = model.fitted().history();
        boolean nothingToKeep = history.wasInterrupted() && history.epochs().isEmpty();
        if (nothingToKeep && out != null) {
            System.err.println("backprop: interrupted before the first epoch ended: nothing saved to " + out);
        }
        Path savedTo = nothingToKeep ? null : out;
        if (savedTo != null) model.save(savedTo);
        Result result = new Result(model, savedTo, report, plot, loaded.description(),
                loaded instanceof LoadedData.Tabular tab ? tab.table() : null,
                loaded instanceof LoadedData.Images im ? (im.test() != null ? im.test() : im.train()) : null);
        Reports.write(result);
        return result;
    }

    interface Load<T> {
        T run() throws java.io.IOException;
    }

    /** How long a read may be silent before a line on stderr says what is happening. */
    static final long SILENT_READ_MILLIS = 1000;

    /**
     * Reads the data; unless {@code quiet}, a read that takes longer than {@link #SILENT_READ_MILLIS} says on stderr
     * what it reads, and then how long it took (a large file or image set is otherwise seconds of silence). A quick
     * read, or one that fails quickly, prints nothing more than its result.
     */
    static <T> T loading(String data, boolean quiet, Load<T> load) throws java.io.IOException {
        if (quiet) return load.run();
        long start = System.nanoTime();
        java.util.concurrent.atomic.AtomicBoolean said = new java.util.concurrent.atomic.AtomicBoolean();
        Object lock = new Object();
        boolean[] done = {false};
        Thread herald = Thread.ofVirtual().start(() -> {
            try {
                Thread.sleep(SILENT_READ_MILLIS);
            } catch (InterruptedException e) {
                return;
            }
            synchronized (lock) {
                if (done[0]) return;
                System.err.println("reading " + Printing.safe(data) + " ...");
                said.set(true);
            }
        });
        try {
            T loaded = load.run();
            synchronized (lock) {
                done[0] = true;
                if (said.get()) {
                    System.err.printf(Locale.ROOT, "read %s in %.1f s%n", Printing.safe(data), (System.nanoTime() - start) / 1e9);
                }
            }
            return loaded;
        } finally {
            synchronized (lock) {
                done[0] = true;
            }
            herald.interrupt();
        }
    }

    /** The {@code --delimiter} option as a character: one character, or {@code tab}; null when not given. */
    static Character delimiter(CommandSpec spec, String option) {
        if (option == null) return null;
        if (option.equalsIgnoreCase("tab") || option.equals("\\t")) return '\t';
        if (option.length() != 1) throw usage(spec, "--delimiter must be one character or 'tab', got '" + option + "'");
        return option.charAt(0);
    }

    private static String choice(CommandSpec spec, String option, String value, String... allowed) {
        String v = value.strip().toLowerCase(Locale.ROOT);
        for (String a : allowed) if (a.equals(v)) return a;
        throw usage(spec, option + " must be " + String.join(" or ", allowed) + ", got '" + value + "'");
    }

    /** A usage error (exit code 2), for an option value checked after parsing. */
    static ParameterException usage(CommandSpec spec, String message) {
        return new ParameterException(spec.commandLine(), message);
    }

    private void checkRanges() {
        if (epochs != null && epochs < 1) throw usage(spec, "--epochs must be at least 1, got " + epochs);
        if (batch < 1) throw usage(spec, "--batch must be at least 1, got " + batch);
        if (!(val >= 0 && val < 1)) throw usage(spec, "--val must be in [0, 1), got " + val);
        if (earlyStop != null && earlyStop < 1) throw usage(spec, "--early-stop must be at least 1, got " + earlyStop);
        if (layers != null && layers.isEmpty()) throw usage(spec, "--layers needs at least one size");
        if (layers != null && layers.stream().anyMatch(n -> n < 1)) throw usage(spec, "--layers sizes must be at least 1, got " + layers);
        if (modelSpec != null && layers != null) throw usage(spec, "give either --model or --layers, not both");
        if (earlyStop != null && val == 0) throw usage(spec, "--early-stop needs a validation split (--val > 0)");
        if (threads != null && threads < 1) throw usage(spec, "--threads must be at least 1, got " + threads);
        if (lr != null && !(lr > 0 && Double.isFinite(lr))) throw usage(spec, "--lr must be a positive number, got " + lr);
        named(() -> OptimizerType.parse(optimizer), "--optimizer");
        named(() -> ModelBuilder.Schedule.parse(lrSchedule), "--lr-schedule");
        ModelBuilder.Schedule sched = ModelBuilder.Schedule.parse(lrSchedule);
        if (epochs == null && sched != ModelBuilder.Schedule.CONSTANT && sched != ModelBuilder.Schedule.PLATEAU) {
            throw usage(spec, "--lr-schedule " + sched.id() + " spans the run: give its length with --epochs (or use plateau, "
                    + "which follows the validation loss)");
        }
        if (warmup < 0) throw usage(spec, "--warmup must be at least 0, got " + warmup);
        if (weightDecay != null && !(weightDecay >= 0 && Double.isFinite(weightDecay))) {
            throw usage(spec, "--weight-decay must be a number >= 0, got " + weightDecay);
        }
        if (dropout != null && !(dropout >= 0 && dropout < 1)) throw usage(spec, "--dropout must be in [0, 1), got " + dropout);
        if (dropout != null && modelSpec != null) throw usage(spec, "--dropout applies to the network built from --layers; a --model spec has its own layers");
        if (clipNorm != null && !(clipNorm > 0)) throw usage(spec, "--clip-norm must be a number > 0, got " + clipNorm);
        if (minDelta != null && !(minDelta >= 0 && Double.isFinite(minDelta))) throw usage(spec, "--min-delta must be a number >= 0, got " + minDelta);
        if (monitor != null && !monitor.matches("(val_)?[a-z0-9_]+")) throw usage(spec, "--monitor must be a metric name such as val_loss or val_accuracy, got '" + monitor + "'");
        boolean stopsEarly = earlyStop != null || epochs == null;
        if ((monitor != null || minDelta != null) && (!stopsEarly || val == 0)) {
            throw usage(spec, (monitor != null ? "--monitor" : "--min-delta") + " steers early stopping, which this run does not do "
                    + (val == 0 ? "(no validation rows: --val 0)" : "(--epochs without --early-stop)"));
        }
        named(() -> Activation.Kind.parse(activation), "--activation");
        if (loss != null) named(() -> Loss.byName(loss), "--loss");
        if (scaling != null) named(() -> Scaling.of(scaling), "--scaling");
        if (task != null) choice(spec, "--task", task, "classify", "regress");
        if (loss != null && task != null) {
            Loss l = Loss.byName(loss);
            boolean classify = task.equals("classify");
            if (l instanceof dev.backprop.loss.BinaryCrossEntropy && classify) {
                throw usage(spec, "--loss bce takes targets of 0 and 1 as numbers, one output per target column, not --task classify's "
                        + "class labels: for classes, --loss cross-entropy (the default)");
            }
            boolean classLoss = l instanceof dev.backprop.loss.CrossEntropy || l instanceof dev.backprop.loss.BinaryCrossEntropy;
            if (classify && !classLoss) {
                throw usage(spec, "--loss " + loss + " is a regression loss; --task classify trains with cross-entropy (the default)");
            }
            if (!classify && classLoss) {
                throw usage(spec, "--loss " + loss + " is a classification loss; --task regress trains with mse (the default), mae, huber "
                        + "or half-sse");
            }
        }
        if (lr != null && (float) (double) lr == 0) {
            throw usage(spec, "--lr " + lr + " is 0 as a 32-bit float, what the weights are: give at least 1.4e-45");
        }
        choice(spec, "--target-scaling", targetScaling, "standard", "none");
        choice(spec, "--class-weight", classWeight, "none", "balanced");
        choice(spec, "--missing", missing, "impute", "refuse");
        delimiter(spec, delimiter);
        new Outputs(spec).input("--data", data).input("--model", modelSpec).input("--resume", resume)
                .output("--out", out).output("--report", report).output("--plot", plot)
                .directory("--checkpoint-dir", checkpointDir).check();
    }

    /** A name that {@code parse} must accept, as a usage error naming the option when it does not. */
    private void named(Runnable parse, String option) {
        try {
            parse.run();
        } catch (IllegalArgumentException e) {
            throw usage(spec, option + ": " + e.getMessage());
        }
    }

    static void setThreads(int n) {
        if (n < 1) throw new IllegalArgumentException("--threads must be at least 1, got " + n);
        if (Kernels.active() instanceof OpenBlasKernels blas) blas.setThreads(n);
    }
}
