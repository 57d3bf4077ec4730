package dev.backprop.model;

import dev.backprop.autograd.NoGrad;
import dev.backprop.data.DataFormatException;
import dev.backprop.data.Dataset;
import dev.backprop.data.Table;
import dev.backprop.encode.CategoricalEncoder;
import dev.backprop.encode.ClassEncoder;
import dev.backprop.encode.Encoded;
import dev.backprop.encode.Encoder;
import dev.backprop.encode.PixelEncoder;
import dev.backprop.encode.TableEncoder;
import dev.backprop.io.ModelFile;
import dev.backprop.io.Messages;
import dev.backprop.io.ModelFileException;
import dev.backprop.io.Provenance;
import dev.backprop.io.SavedModel;
import dev.backprop.io.SavedOptimizer;
import dev.backprop.loss.CrossEntropy;
import dev.backprop.loss.Loss;
import dev.backprop.nn.Module;
import dev.backprop.nn.Rescale;
import dev.backprop.tensor.ShapeException;
import dev.backprop.tensor.Tensor;
import dev.backprop.train.Evaluation;
import dev.backprop.train.History;
import dev.backprop.train.Predictions;
import dev.backprop.train.Task;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A trained model: the encoder that turns a table's rows (or images) into features, the network, and the loss it
 * was trained with. One type to fit on a table, save, load and predict with; the command line's {@code train},
 * {@code evaluate} and {@code predict} are thin layers over it.
 *
 * <pre>{@code
 * Model m = Model.builder().target("species").fit(Table.readCsv(Path.of("iris.csv")));
 * m.save(Path.of("iris.bpm"));
 * Prediction p = Model.load(Path.of("iris.bpm")).predict(Map.of("sepal_length", 5.1, "sepal_width", 3.5,
 *         "petal_length", 1.4, "petal_width", 0.2));          // Label[label=setosa, ...]
 * }</pre>
 *
 * <p><b>Fitting a table</b> ({@link ModelBuilder#fit(Table)}) decides, unless told, whether the target holds classes or
 * numbers ({@link TableEncoder}), holds out a validation part (stratified by class) and fits the encoder on the
 * training rows only, so that no statistic of the held-out rows leaks into training. Classes train with
 * cross-entropy, numbers with mean squared error; a regression network built from the data learns standardised
 * targets through a final {@link Rescale}, so its predictions, losses and metrics are in the target's own units.
 *
 * <p><b>Training length.</b> With no epoch count given, training runs until the validation loss has not improved
 * for {@link ModelBuilder#patience patience} epochs (default {@value ModelBuilder#DEFAULT_PATIENCE}, or as many as make
 * {@value ModelBuilder#PATIENCE_STEPS} optimizer steps when epochs are short), at most
 * {@value ModelBuilder#DEFAULT_MAX_EPOCHS} epochs, and keeps the best epoch's weights; without validation rows it runs
 * {@value ModelBuilder#DEFAULT_EPOCHS_WITHOUT_VALIDATION} epochs. Every decision is said in {@link Fitted#notes()}.
 *
 * <p><b>Threads.</b> A model does not change once fitted or loaded: {@code predict} and {@code evaluate} may be called
 * from many threads at once, and each call gets what it would get alone (the autodiff's recording switch and the
 * step workspaces are per thread; the network's weights are only read). Do not train its {@link #network()} while
 * others predict with it.
 */
public final class Model {
    private final Encoder encoder;
    private final Module network;
    private final Loss loss;
    private final Map<String, Object> settings;
    private final Provenance provenance;
    private final SavedOptimizer optimizer;
    private final Fitted fitted;
    private final List<String> notes;

    Model(Encoder encoder, Module network, Loss loss, Map<String, Object> settings, Provenance provenance,
          SavedOptimizer optimizer, Fitted fitted, List<String> notes) {
        this.encoder = encoder;
        this.network = network;
        this.loss = loss;
        this.settings = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(settings));
        this.provenance = provenance;
        this.optimizer = optimizer;
        this.fitted = fitted;
        this.notes = List.copyOf(notes);
    }

    /**
     * How a model was fitted in this process (a model loaded from a file has none).
     *
     * @param history     the epochs
     * @param task        one line: the task and why ({@code classification: target 'species' holds text ...})
     * @param notes       every decision and data fact worth saying, the task first
     * @param stopped     why training stopped
     * @param evaluation  the loss and metrics on {@link #evaluatedOn()}
     * @param evaluatedOn the validation rows, the test set, or the training rows, with their count
     * @param seconds     time spent training
     * @param bestEpoch   the epoch (from 0) whose weights early stopping restored, or −1 (the last epoch's are kept)
     */
    public record Fitted(History history, String task, List<String> notes, String stopped, Evaluation evaluation,
                         String evaluatedOn, double seconds, int bestEpoch) {
        /** Copies {@code notes}. */
        public Fitted {
            notes = List.copyOf(notes);
        }
    }

    /** Settings for fitting a model; see {@link ModelBuilder}. */
    public static ModelBuilder builder() {
        return new ModelBuilder();
    }

    // ---------------------------------------------------------------- files

    /**
     * Loads a model file written by {@link #save} (or by {@code backprop train --out}).
     *
     * @throws IOException a file that is not a model, or one without an encoder or a loss, naming the file
     */
    public static Model load(Path file) throws IOException {
        SavedModel s = ModelFile.load(file);
        if (s.loss() == null) throw new DataFormatException(file + ": the model file names no loss");
        if (s.preprocessing() == null || s.preprocessing().isEmpty()) {
            throw new DataFormatException(file + ": the model file has no preprocessing (it was not saved by 'train')");
        }
        Encoder encoder;
        Loss loss;
        try {
            encoder = Encoder.fromMap(s.preprocessing());
        } catch (ModelFileException e) {
            throw new ModelFileException(file.toString(), e.getMessage(), e);
        }
        try {
            loss = Loss.fromConfig(s.loss());
        } catch (IllegalArgumentException e) {
            throw new DataFormatException(file + ": " + e.getMessage());
        }
        checkFits(file.toString(), s.module(), encoder, loss);
        return new Model(encoder, s.module(), loss, s.training(), s.provenance(), s.optimizer(), null, s.notes());
    }

    /** The network must take the encoder's features and give the outputs its loss reads. */
    private static void checkFits(String where, Module network, Encoder encoder, Loss loss) throws DataFormatException {
        int outputs;
        try (NoGrad ignored = NoGrad.enter()) {
            outputs = Evaluation.lossView(network, loss).forward(Tensor.zeros(1, encoder.inputs())).shape().dim(1);
        } catch (IllegalArgumentException e) {
            throw new DataFormatException(where + ": the network does not take the " + encoder.inputs() + " features its encoder gives: "
                    + e.getMessage());
        }
        int expected = loss instanceof CrossEntropy && encoder.target() instanceof ClassEncoder ? encoder.classLabels().size()
                : encoder.targetNames().size();
        if (outputs != expected) {
            throw new DataFormatException(where + ": the network gives " + outputs + " outputs; its encoder's target needs " + expected);
        }
    }

    /**
     * Writes the model file: the network's weights, the encoder, the loss, the training settings and provenance,
     * and the optimizer's state (so a later run may continue it). Atomic: an interrupted save leaves the previous
     * file as it was.
     */
    public void save(Path file) throws IOException {
        ModelFile.save(file, SavedModel.builder(network, provenance).loss(loss.config()).preprocessing(encoder.toMap())
                .training(settings).optimizer(optimizer).build());
    }

    // ---------------------------------------------------------------- predicting

    /**
     * The prediction for one row given by column name: a number, a text or null (missing) per input column; an
     * input column left out is missing (imputed as in training). Other keys must be target columns.
     *
     * @throws IllegalArgumentException a key that is not a column of the model, or a model trained on images
     * @throws DataFormatException      a value that its column cannot take (text in a numeric column)
     */
    public Prediction predict(Map<String, ?> row) throws DataFormatException {
        Encoded e = table().features(row);
        Predictions p = Predictions.of(network, loss, e.features());
        checkFinite(p.outputs(), e, null);
        return decode(p, 1).getFirst();
    }

    /**
     * The prediction for one row given as its cells, one per input column in {@link #inputColumns()} order (the
     * order of the training table), NaN for a missing cell. A categorical column's cell is matched to its category
     * by value ({@code 3.0} is category {@code "3"}); a column of text categories needs {@link #predict(Map)}.
     */
    public Prediction predict(double... cells) throws DataFormatException {
        TableEncoder t = table();
        List<String> columns = t.inputColumns();
        if (cells.length != columns.size()) {
            throw new IllegalArgumentException("predict: " + cells.length + " cells for " + columns.size() + " input columns " + columns);
        }
        Map<String, Object> row = new LinkedHashMap<>();
        for (int i = 0; i < cells.length; i++) {
            if (t.column(columns.get(i)) instanceof CategoricalEncoder ce
                    && ce.categories().stream().allMatch(c -> Double.isNaN(Table.parse(c)))) {
                throw new IllegalArgumentException("predict: column '" + columns.get(i) + "' holds text categories ("
                        + String.join(", ", ce.categories().subList(0, Math.min(5, ce.categories().size())))
                        + (ce.categories().size() > 5 ? ", …" : "") + "); give the row by name with predict(Map)");
            }
            row.put(columns.get(i), Double.isNaN(cells[i]) ? null : cells[i]);
        }
        return predict(row);
    }

    /**
     * Predictions for every row of a table (target columns are not needed and are ignored), with the notes of the
     * encoding: cells imputed, categories not seen in training.
     *
     * @param predictions one per row, in order
     * @param notes       lines for people
     */
    public record Predicted(List<Prediction> predictions, List<String> notes) {}

    /** Predicts every row of {@code table}. */
    public Predicted predict(Table table) throws DataFormatException {
        Encoded e = table().features(table);
        Predictions p = Predictions.of(network, loss, e.features());
        checkFinite(p.outputs(), e, table);
        return new Predicted(decode(p, e.features().shape().dim(0)), e.notes());
    }

    /**
     * Refuses rows whose output the network cannot compute as a finite number (inputs far beyond the training rows',
     * 3e38 where it saw 0 to 10): one line naming the first such row and its largest input, never a NaN reported as a
     * prediction or folded into a metric.
     */
    private void checkFinite(Tensor out, Encoded e, Table table) throws DataFormatException {
        int n = out.shape().dim(0), k = out.size() / Math.max(1, n);
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < k; j++) {
                if (Double.isFinite(out.getFlat(i * k + j))) continue;
                int row = e.rows() == null ? i : e.rows()[i], worst = 0, width = e.features().shape().dim(1);
                for (int f = 1; f < width; f++) {
                    if (Math.abs(e.features().get(i, f)) > Math.abs(e.features().get(i, worst))) worst = f;
                }
                throw new DataFormatException((table == null ? "predict" : table.source() + ": line " + table.line(row))
                        + ": the network's output for this row is "
                        + "not a finite number: its inputs are far beyond the training rows' (the largest, '" + encoder.featureNames().get(worst)
                        + "', is " + Messages.number(e.features().get(i, worst)) + " after scaling, where training saw values near 0)");
            }
        }
    }

    /** Predicts rows already encoded: {@code [n, inputs()]} features (images through {@link PixelEncoder}). */
    public List<Prediction> predict(Tensor features) {
        if (features.rank() != 2 || features.shape().dim(1) != encoder.inputs()) {
            throw new ShapeException("predict: features " + features.shape() + ", the model takes [n, " + encoder.inputs() + "]");
        }
        return decode(Predictions.of(network, loss, features), features.shape().dim(0));
    }

    private List<Prediction> decode(Predictions p, int n) {
        List<Prediction> out = new ArrayList<>(n);
        List<String> targets = encoder.targetNames();
        if (p.classes() != null) {
            List<String> labels = loss instanceof CrossEntropy ? encoder.classLabels() : List.of("0", "1");
            int k = p.probabilities().shape().dim(1);
            for (int i = 0; i < n; i++) {
                Map<String, Double> probs = new LinkedHashMap<>();
                for (int c = 0; c < k; c++) probs.put(c < labels.size() ? labels.get(c) : Integer.toString(c), p.probabilities().get(i, c));
                int c = p.classes()[i];
                out.add(new Prediction.Label(c < labels.size() ? labels.get(c) : Integer.toString(c), c, probs));
            }
            return out;
        }
        Tensor values = p.probabilities() != null ? p.probabilities() : p.outputs();
        int k = values.shape().dim(1);
        for (int i = 0; i < n; i++) {
            Map<String, Double> v = new LinkedHashMap<>();
            for (int j = 0; j < k; j++) v.put(j < targets.size() ? targets.get(j) : "output" + j, values.get(i, j));
            out.add(new Prediction.Values(v));
        }
        return out;
    }

    // ---------------------------------------------------------------- evaluating

    /**
     * An evaluation of the rows of a table that have a target.
     *
     * @param evaluation the loss (in the target's units) and metrics
     * @param samples    the rows evaluated
     * @param notes      lines for people: rows left out for a missing target, cells imputed, unseen categories
     */
    public record Evaluated(Evaluation evaluation, int samples, List<String> notes) {}

    /** The loss and metrics on every row of {@code table} whose target is present. */
    public Evaluated evaluate(Table table) throws DataFormatException {
        Encoded e = table().encode(table);
        if (e.size() == 0) throw new DataFormatException(table.source() + ": no row has a target to evaluate on");
        try (var ignored = NoGrad.enter()) {
            checkFinite(network.forward(e.features()), e, table);
        }
        return new Evaluated(evaluate(e.dataset(table.source())), e.size(), e.notes());
    }

    /** The loss and metrics on encoded samples. */
    public Evaluation evaluate(Dataset data) {
        return Evaluation.of(network, loss, data, task(), 256);
    }

    private TableEncoder table() {
        if (!(encoder instanceof TableEncoder t)) {
            throw new IllegalArgumentException("this model was trained on images; it takes encoded features, not table rows");
        }
        return t;
    }

    // ---------------------------------------------------------------- parts

    /** How rows become features and targets. */
    public Encoder encoder() {
        return encoder;
    }

    /** The network (its weights are the model's; a caller that changes them changes the model). */
    public Module network() {
        return network;
    }

    /** The loss it was trained with; its losses are reported in this loss. */
    public Loss loss() {
        return loss;
    }

    /** Classification or regression, which decides the metrics: from the loss. */
    public Task task() {
        return Task.forLoss(loss);
    }

    /** The input columns of a table model, in the order {@link #predict(double...)} takes them. */
    public List<String> inputColumns() {
        return table().inputColumns();
    }

    /** The training settings, as saved in the model file. */
    public Map<String, Object> settings() {
        return settings;
    }

    /** Where the model came from. */
    public Provenance provenance() {
        return provenance;
    }

    /** What loading the model's file found worth saying (a file without a checksum); empty for a fitted model. */
    public List<String> notes() {
        return notes;
    }

    /** How it was fitted, for a model fitted in this process; null for one loaded from a file. */
    public Fitted fitted() {
        return fitted;
    }

    @Override
    public String toString() {
        return "Model[" + encoder.inputs() + " features -> " + loss.name() + " on " + encoder.target().describe() + "]";
    }

    /** Which column encoders a table model has, for people: {@code age: numeric, standardised ...}. */
    public List<String> describe() {
        List<String> out = new ArrayList<>(encoder.describe());
        out.add("loss: " + loss.name());
        return out;
    }
}
