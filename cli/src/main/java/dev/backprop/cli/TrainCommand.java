package dev.backprop.cli;

import dev.backprop.data.Dataset;
import dev.backprop.data.Preprocessing;
import dev.backprop.io.ModelFile;
import dev.backprop.io.NetworkSpec;
import dev.backprop.io.Provenance;
import dev.backprop.io.SavedModel;
import dev.backprop.io.SavedOptimizer;
import dev.backprop.loss.Loss;
import dev.backprop.nn.Activation;
import dev.backprop.nn.Module;
import dev.backprop.nn.Networks;
import dev.backprop.optim.Optimizer;
import dev.backprop.optim.OptimizerState;
import dev.backprop.optim.OptimizerType;
import dev.backprop.tensor.Kernels;
import dev.backprop.tensor.blas.OpenBlasKernels;
import dev.backprop.train.Checkpoints;
import dev.backprop.train.EarlyStopping;
import dev.backprop.train.Evaluation;
import dev.backprop.train.History;
import dev.backprop.train.Progress;
import dev.backprop.train.Task;
import dev.backprop.train.Trainer;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code backprop train}: train a network on a data set, save it, and report. */
@Command(name = "train", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Train a network on a data set; print progress and a summary; save the model and a report.")
final class TrainCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--data", required = true, paramLabel = "FILE.csv|DIR|builtin:NAME",
            description = "The data: a CSV file with a header row, a directory of IDX files, or a built-in set (see 'datasets').")
    String data;

    @Option(names = "--target", split = ",", paramLabel = "COLS",
            description = "Target column(s) of a CSV file (default: the data's own, or the last column).")
    List<String> target = new ArrayList<>();

    @Option(names = "--categorical", split = ",", paramLabel = "COLS", description = "Columns to one-hot encode even if they hold numbers.")
    List<String> categorical = new ArrayList<>();

    @Option(names = "--scaling", paramLabel = "none|standard|min-max", description = "Input scaling fitted on the training rows (default: the data's).")
    String scaling;

    @Option(names = "--layers", split = ",", paramLabel = "N,N,...", description = "Hidden layer sizes (default: 64,64).")
    List<Integer> layers;

    @Option(names = "--activation", paramLabel = "NAME", description = "Hidden activation: relu, leaky_relu, elu, gelu, tanh, sigmoid (default: relu).")
    String activation = "relu";

    @Option(names = "--model", paramLabel = "SPEC.json", description = "A hand-written network (JSON spec) instead of --layers.")
    Path modelSpec;

    @Option(names = "--loss", paramLabel = "NAME", description = "half-sse, mse, mae, huber, cross-entropy, bce (default: cross-entropy for classes, mse otherwise).")
    String loss;

    @Option(names = "--optimizer", paramLabel = "NAME", description = "sgd, adam, adamw, rmsprop, adagrad (default: adam).")
    String optimizer = "adam";

    @Option(names = "--lr", paramLabel = "RATE", description = "Learning rate (default: 0.001 for adam/adamw, 0.01 otherwise).")
    Double lr;

    @Option(names = "--batch", paramLabel = "N", description = "Mini-batch size (default: 32).")
    int batch = 32;

    @Option(names = "--epochs", paramLabel = "N", description = "Epochs (default: 20).")
    int epochs = 20;

    @Option(names = "--seed", paramLabel = "N", description = "Seed of every random draw (default: 42).")
    long seed = 42;

    @Option(names = "--val", paramLabel = "FRACTION", description = "Fraction held out for validation (default: 0.2; 0 for none).")
    double val = 0.2;

    @Option(names = "--early-stop", paramLabel = "PATIENCE", description = "Stop after this many epochs without improvement, keeping the best weights.")
    Integer earlyStop;

    @Option(names = "--checkpoint-dir", paramLabel = "DIR", description = "Write last.bpm every epoch and best.bpm at each improvement.")
    Path checkpointDir;

    @Option(names = "--resume", paramLabel = "CHECKPOINT", description = "Continue a run from a checkpoint (same data and settings).")
    Path resume;

    @Option(names = "--threads", paramLabel = "N", description = "Threads a matrix product may use (default: -Dbackprop.threads, BACKPROP_THREADS, or the core count).")
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
        Result r = run(Progress.auto(System.err));
        Printing.summary(outw, r);
        outw.flush();
        return 0;
    }

    /** What a training run produced. */
    record Result(Module model, Loss loss, Preprocessing preprocessing, History history, Evaluation evaluation,
                  String evaluatedOn, Path savedTo, Path reportTo, Path plotTo, double seconds, String data) {}

    Result run(Progress progressWhenShown) throws Exception {
        checkRanges();
        if (threads != null) setThreads(threads);
        Loss lossFn = null;
        NetworkSpec networkSpec = null;
        if (modelSpec != null) {
            networkSpec = NetworkSpec.parse(modelSpec);
            if (loss == null) loss = networkSpec.loss();
        }
        Preprocessing.Scaling scale = scaling == null ? null : Preprocessing.Scaling.of(scaling);
        Prepared prepared = Prepared.forTraining(data, target, loss, scale, categorical, val, seed);
        Preprocessing p = prepared.preprocessing();
        if (loss == null) loss = p.classification() ? "cross-entropy" : "mse";
        lossFn = Loss.byName(loss);

        Module model;
        if (networkSpec != null) {
            model = networkSpec.module();
            if (networkSpec.inputs() != p.inputs()) {
                throw new IllegalArgumentException(modelSpec + ": the network takes " + networkSpec.inputs()
                        + " inputs, the data gives " + p.inputs() + " features " + p.featureNames());
            }
        } else {
            int outputs = loss.equals("bce") ? p.targetNames().size() : p.outputs();
            model = Networks.mlp(p.inputs(), layers == null ? List.of(64, 64) : layers, outputs,
                    Activation.Kind.parse(activation), new SplittableRandom(seed));
        }
        OptimizerType type = OptimizerType.parse(optimizer);
        double rate = lr != null ? lr : (type == OptimizerType.ADAM || type == OptimizerType.ADAMW ? 1e-3 : 1e-2);
        Optimizer opt = Optimizer.create(type, Map.of("lr", rate), model.namedParameters());

        Trainer.Builder tb = Trainer.builder(model, lossFn, opt).epochs(epochs).batchSize(batch).seed(seed)
                .validationSplit(val).dataSource(prepared.description())
                .progress(quiet ? Progress.silent() : progressWhenShown);
        if (earlyStop != null) tb.callback(new EarlyStopping(earlyStop, 0, true));
        if (checkpointDir != null) tb.callback(new Checkpoints(checkpointDir, 1, true));
        if (resume != null) tb.resumeFrom(resume);
        long start = System.nanoTime();
        History history = tb.build().fit(prepared.dataset());
        double seconds = (System.nanoTime() - start) / 1e9;

        Task task = Task.forLoss(loss);
        Dataset evalSet;
        String evaluatedOn;
        if (prepared.test() != null) {
            evalSet = prepared.test();
            evaluatedOn = "test set (" + evalSet.size() + " samples)";
        } else if (val > 0) {
            evalSet = prepared.dataset().split(val, seed).validation();
            evaluatedOn = "validation set (" + evalSet.size() + " samples)";
        } else {
            evalSet = prepared.dataset();
            evaluatedOn = "training set (" + evalSet.size() + " samples; no validation split)";
        }
        Evaluation evaluation = Evaluation.of(model, lossFn, evalSet, task, 256);

        if (out != null) {
            OptimizerState s = opt.state();
            Map<String, Object> training = trainingSettings(rate);
            ModelFile.save(out, new SavedModel(model, lossFn.config(), p.toMap(), training,
                    Provenance.now(seed, prepared.description()),
                    new SavedOptimizer(s.type().name(), s.hyperParameters(), s.steps(), s.tensors()), null));
        }
        Result result = new Result(model, lossFn, p, history, evaluation, evaluatedOn, out, report, plot, seconds,
                prepared.description());
        Reports.write(result, trainingSettings(rate));
        return result;
    }

    private void checkRanges() {
        if (epochs < 1) throw new IllegalArgumentException("--epochs must be at least 1, got " + epochs);
        if (batch < 1) throw new IllegalArgumentException("--batch must be at least 1, got " + batch);
        if (!(val >= 0 && val < 1)) throw new IllegalArgumentException("--val must be in [0, 1), got " + val);
        if (earlyStop != null && earlyStop < 1) throw new IllegalArgumentException("--early-stop must be at least 1, got " + earlyStop);
        if (layers != null && layers.isEmpty()) throw new IllegalArgumentException("--layers needs at least one size");
        if (modelSpec != null && layers != null) throw new IllegalArgumentException("give either --model or --layers, not both");
        if (earlyStop != null && val == 0) throw new IllegalArgumentException("--early-stop needs a validation split (--val > 0)");
    }

    static void setThreads(int n) {
        if (n < 1) throw new IllegalArgumentException("--threads must be at least 1, got " + n);
        if (Kernels.active() instanceof OpenBlasKernels blas) blas.setThreads(n);
    }

    Map<String, Object> trainingSettings(double rate) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("loss", loss);
        m.put("optimizer", optimizer.toLowerCase(Locale.ROOT));
        m.put("learning_rate", rate);
        m.put("epochs", epochs);
        m.put("batch_size", batch);
        m.put("seed", seed);
        m.put("validation_fraction", val);
        if (modelSpec != null) m.put("model_spec", modelSpec.toString());
        else {
            m.put("layers", layers == null ? List.of(64, 64) : layers);
            m.put("activation", activation);
        }
        if (earlyStop != null) m.put("early_stop_patience", earlyStop);
        return m;
    }
}
