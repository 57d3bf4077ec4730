package dev.backprop.data;

import dev.backprop.tensor.Tensor;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * How raw data becomes a network's input, fitted once and then applied unchanged to training, validation and
 * prediction data. A model file stores it ({@link #toMap()}), so a model predicts on new CSV rows exactly as it was
 * trained.
 *
 * <pre>{@code
 * Table t = Table.readCsv(Path.of("iris.csv"));
 * Dataset.SplitRows rows = Dataset.splitRows(t.size(), 0.2, 42);    // the rows Trainer.validationSplit(0.2) holds out
 * Preprocessing p = Preprocessing.fit(t, List.of("species"), true, Scaling.STANDARD, rows.train());
 * Dataset all = p.transform(t);                                     // features [150, 4], targets [150] class indices
 * Preprocessing again = Preprocessing.fromMap(p.toMap());           // what a model file gives back
 * }</pre>
 *
 * <p><b>Tables.</b> Every column that is neither a target nor ignored is an input, in table order. A column is
 * numeric when its first cell is a number ({@link Table#looksNumeric}) unless the caller names it categorical. A
 * numeric column gives one feature, named as the column, scaled by {@link Scaling}; a categorical column gives one
 * feature per category (one-hot, 0 or 1, never scaled), named {@code column=category}, categories sorted as text.
 *
 * <p><b>What is fitted on which rows.</b> The scaling statistics come from the training rows only, so nothing about
 * the held-out rows leaks into training. The category lists and the class labels come from every row of the fitting
 * table: they are vocabulary, not statistics, and a category seen only in held-out rows would otherwise make those
 * rows impossible to encode.
 *
 * <p><b>Targets.</b> Classification ({@code classify}): exactly one target column, holding names (sorted as text) or
 * whole numbers (sorted numerically, labels written as {@code "3"}); targets become class indices {@code [n]} for
 * softmax cross-entropy. Otherwise (regression, or 0/1 targets for binary cross-entropy): one or more numeric
 * columns, targets {@code [n, k]} as they are in the file; targets are never scaled, so predictions need no
 * inverse transform and metrics are in the data's own units.
 *
 * <p><b>Images.</b> {@link #pixels} describes IDX image data: each image flattened to {@code features} pixels, each
 * multiplied by a scale (1/255 for bytes), classes by index.
 *
 * <p>Immutable. Every error is a {@link DataFormatException} naming the file, line and column where it can.
 */
public final class Preprocessing {
    /** Version of the {@link #toMap()} layout; a map of a later version is refused with a clear message. */
    public static final int VERSION = 1;

    /**
     * Most categories one categorical column (or class target) may have: past it, the column is probably an
     * identifier or free text, whose one-hot encoding would swamp the network with features.
     */
    public static final int MAX_CATEGORIES = 1000;

    /** How numeric input features are scaled; parameters come from the training rows. */
    public enum Scaling {
        /** As read. */
        NONE,
        /** {@code (x − mean) / std}, population standard deviation; a constant feature (std 0) is divided by 1. */
        STANDARD,
        /** {@code (x − min) / (max − min)}, to [0, 1] on the training rows; a constant feature (range 0) is divided by 1. */
        MIN_MAX;

        /** The name in a preprocessing map: {@code none}, {@code standard}, {@code min-max}. */
        public String key() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }

        /** The scaling of {@code key} ({@link #key()}, any case, '-' or '_'); an error listing the names otherwise. */
        public static Scaling of(String key) {
            for (Scaling s : values()) {
                if (s.key().equalsIgnoreCase(key.strip().replace('_', '-'))) return s;
            }
            throw new IllegalArgumentException("unknown scaling '" + key + "' (known: none, standard, min-max)");
        }
    }

    /**
     * One input column. Numeric: {@code categories} empty, feature = {@code (x − center) / spread}. Categorical:
     * {@code categories} in feature order, one feature each.
     */
    private record Input(String name, List<String> categories, double center, double spread, double statA, double statB,
                         Map<String, Integer> index) {
        static Input numeric(String name, Scaling scaling, double a, double b) {
            double center = switch (scaling) {
                case NONE -> 0;
                case STANDARD, MIN_MAX -> a;
            };
            double spread = switch (scaling) {
                case NONE -> 1;
                case STANDARD -> b == 0 ? 1 : b;
                case MIN_MAX -> b - a == 0 ? 1 : b - a;
            };
            return new Input(name, List.of(), center, spread, a, b, Map.of());
        }

        static Input categorical(String name, List<String> categories) {
            Map<String, Integer> index = new HashMap<>();
            for (int i = 0; i < categories.size(); i++) index.put(categories.get(i), i);
            return new Input(name, List.copyOf(categories), 0, 1, 0, 0, Map.copyOf(index));
        }

        boolean numeric() {
            return categories.isEmpty();
        }

        int width() {
            return numeric() ? 1 : categories.size();
        }
    }

    private final boolean images;
    private final List<Input> inputs;          // tables only
    private final Scaling scaling;             // tables only
    private final int pixelCount;              // images only
    private final double pixelScale;           // images only
    private final List<String> targets;
    private final boolean classification;
    private final List<String> classLabels;
    private final boolean wholeNumberLabels;   // class labels read from a numeric column: "3" matches a cell "3.0"
    private final Map<String, Integer> classIndex;
    private final int features;

    private Preprocessing(boolean images, List<Input> inputs, Scaling scaling, int pixelCount, double pixelScale,
                          List<String> targets, boolean classification, List<String> classLabels, boolean wholeNumberLabels) {
        this.images = images;
        this.inputs = List.copyOf(inputs);
        this.scaling = scaling;
        this.pixelCount = pixelCount;
        this.pixelScale = pixelScale;
        this.targets = List.copyOf(targets);
        this.classification = classification;
        this.classLabels = List.copyOf(classLabels);
        this.wholeNumberLabels = wholeNumberLabels;
        Map<String, Integer> ci = new HashMap<>();
        for (int i = 0; i < classLabels.size(); i++) ci.put(classLabels.get(i), i);
        this.classIndex = Map.copyOf(ci);
        this.features = images ? pixelCount : inputs.stream().mapToInt(Input::width).sum();
    }

    // ---------------------------------------------------------------- fitting

    /**
     * Fits on a table: inputs are all columns but the targets; statistics from {@code trainRows} (row indices of
     * {@code table}). See {@link #builder()} for categorical and ignored columns.
     *
     * @param targetColumns the target columns; exactly one when {@code classify}
     * @param classify      targets are classes (class indices, for cross-entropy) rather than numbers
     * @throws DataFormatException naming the column, and the file, line and column of a bad cell
     */
    public static Preprocessing fit(Table table, List<String> targetColumns, boolean classify, Scaling scaling,
                                    int[] trainRows) throws DataFormatException {
        return builder().targets(targetColumns).classify(classify).scaling(scaling).fit(table, trainRows);
    }

    /** Settings for {@link Builder#fit}: targets (required), classify (default false), scaling (default STANDARD). */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Optional settings of a table preprocessing.
     *
     * <pre>{@code
     * Preprocessing p = Preprocessing.builder().targets(List.of("price")).scaling(Scaling.MIN_MAX)
     *         .categorical(Set.of("zip")).ignore(Set.of("id")).fit(table, trainRows);
     * }</pre>
     */
    public static final class Builder {
        private List<String> targets = List.of();
        private boolean classify;
        private Scaling scaling = Scaling.STANDARD;
        private Set<String> categorical = Set.of();
        private Set<String> ignore = Set.of();

        private Builder() {}

        /** The target columns, in output order. */
        public Builder targets(List<String> columns) {
            targets = List.copyOf(columns);
            return this;
        }

        /** Whether targets are classes (one column, class indices) rather than numbers. Default false. */
        public Builder classify(boolean classes) {
            classify = classes;
            return this;
        }

        /** Scaling of numeric inputs. Default {@link Scaling#STANDARD}. */
        public Builder scaling(Scaling s) {
            scaling = Objects.requireNonNull(s, "scaling");
            return this;
        }

        /** Columns read as categories even when they hold numbers (codes such as zip or product numbers). */
        public Builder categorical(Collection<String> columns) {
            categorical = Set.copyOf(columns);
            return this;
        }

        /** Columns left out of the inputs (identifiers, free text). */
        public Builder ignore(Collection<String> columns) {
            ignore = Set.copyOf(columns);
            return this;
        }

        /**
         * Fits on {@code table}, scaling statistics from {@code trainRows} (indices into the table, at least one;
         * usually {@link Dataset#splitRows}'s {@code train()}).
         */
        public Preprocessing fit(Table table, int[] trainRows) throws DataFormatException {
            Objects.requireNonNull(table, "table");
            Objects.requireNonNull(trainRows, "trainRows");
            String src = table.source();
            if (targets.isEmpty()) {
                throw new DataFormatException(src + ": no target column given (columns: " + String.join(", ", table.columns()) + ")");
            }
            if (new HashSet<>(targets).size() != targets.size()) {
                throw new DataFormatException(src + ": a target column is named twice: " + targets);
            }
            for (String t : targets) table.column(t);
            for (String c : categorical) table.column(c);
            for (String c : ignore) {
                table.column(c);
                if (targets.contains(c)) throw new DataFormatException(src + ": column '" + c + "' is both a target and ignored");
            }
            if (trainRows.length == 0) throw new DataFormatException(src + ": no training rows to fit the scaling on");
            for (int r : trainRows) {
                if (r < 0 || r >= table.size()) {
                    throw new IndexOutOfBoundsException("training row " + r + " of a table of " + table.size() + " rows");
                }
            }
            if (classify && targets.size() != 1) {
                throw new DataFormatException(src + ": classification takes one target column, got " + targets.size() + " " + targets);
            }

            List<Input> inputs = new ArrayList<>();
            for (int c = 0; c < table.columns().size(); c++) {
                String name = table.columns().get(c);
                if (targets.contains(name) || ignore.contains(name)) continue;
                boolean numeric = !categorical.contains(name) && table.looksNumeric(c);
                inputs.add(numeric ? fitNumeric(table, c, name, trainRows) : Input.categorical(name, categories(table, c)));
            }
            if (inputs.isEmpty()) throw new DataFormatException(src + ": no input columns left (all are targets or ignored)");

            if (classify) {
                int c = table.column(targets.getFirst());
                boolean numbers = !categorical.contains(targets.getFirst()) && table.looksNumeric(c);
                List<String> labels = numbers ? wholeNumberLabels(table, c) : categories(table, c);
                if (labels.size() < 2) {
                    throw new DataFormatException(table.where(0, c) + ": only one class (" + Table.quote(labels.getFirst())
                            + "); classification needs at least two");
                }
                return new Preprocessing(false, inputs, scaling, 0, 0, targets, true, labels, numbers);
            }
            for (String t : targets) {
                int c = table.column(t);
                if (categorical.contains(t)) {
                    throw new DataFormatException(src + ": target column '" + t + "' is named categorical; a regression "
                            + "target must be numeric (to predict its classes, classify)");
                }
                if (!table.looksNumeric(c)) {
                    throw new DataFormatException(table.where(0, c) + ": target " + Table.quote(table.cell(0, c)) + " is not a number; "
                            + "a regression target must be numeric (to predict classes of '" + t + "', classify)");
                }
                for (int r = 0; r < table.size(); r++) table.number(r, c);
            }
            return new Preprocessing(false, inputs, scaling, 0, 0, targets, false, List.of(), false);
        }

        private Input fitNumeric(Table table, int c, String name, int[] trainRows) throws DataFormatException {
            double[] x = new double[table.size()];
            for (int r = 0; r < x.length; r++) x[r] = table.number(r, c);     // every cell, so a bad one is found now
            double a = 0, b = 0;
            switch (scaling) {
                case NONE -> { }
                case STANDARD -> {
                    // Two passes: the mean first, then squared deviations from it (no cancellation of large sums).
                    double sum = 0;
                    for (int r : trainRows) sum += x[r];
                    a = sum / trainRows.length;
                    double sq = 0;
                    for (int r : trainRows) sq += (x[r] - a) * (x[r] - a);
                    b = Math.sqrt(sq / trainRows.length);
                }
                case MIN_MAX -> {
                    a = Double.POSITIVE_INFINITY;
                    b = Double.NEGATIVE_INFINITY;
                    for (int r : trainRows) {
                        a = Math.min(a, x[r]);
                        b = Math.max(b, x[r]);
                    }
                }
            }
            if (!Double.isFinite(a) || !Double.isFinite(b) || !Double.isFinite(b - a)) {
                throw new DataFormatException(table.source() + ": column " + Table.quote(name) + ": values too large to scale "
                        + "(their " + (scaling == Scaling.STANDARD ? "mean or standard deviation" : "range") + " overflows)");
            }
            return Input.numeric(name, scaling, a, b);
        }
    }

    /** The distinct texts of a column over every row, sorted. */
    private static List<String> categories(Table table, int c) throws DataFormatException {
        TreeSet<String> set = new TreeSet<>();
        for (int r = 0; r < table.size(); r++) {
            if (set.add(table.cell(r, c)) && set.size() > MAX_CATEGORIES) {
                throw new DataFormatException(table.where(r, c) + ": more than " + MAX_CATEGORIES + " distinct values; "
                        + "too many categories (is it an identifier? ignore it)");
            }
        }
        return List.copyOf(set);
    }

    /** The distinct whole numbers of a numeric column, sorted numerically, as labels "3", "-1". */
    private static List<String> wholeNumberLabels(Table table, int c) throws DataFormatException {
        TreeMap<Long, String> set = new TreeMap<>();
        for (int r = 0; r < table.size(); r++) {
            long v = wholeNumber(table, r, c);
            if (set.putIfAbsent(v, Long.toString(v)) == null && set.size() > MAX_CATEGORIES) {
                throw new DataFormatException(table.where(r, c) + ": more than " + MAX_CATEGORIES + " distinct classes; "
                        + "is it a number to predict (regression) rather than a class?");
            }
        }
        return List.copyOf(set.values());
    }

    private static long wholeNumber(Table table, int r, int c) throws DataFormatException {
        double v = table.number(r, c);
        if (v != Math.rint(v) || Math.abs(v) > (1L << 53)) {
            throw new DataFormatException(table.where(r, c) + ": class " + Table.quote(table.cell(r, c)) + " is not a whole "
                    + "number; a class target holds names or whole numbers (for numbers to predict, use regression)");
        }
        return (long) v;
    }

    /**
     * Preprocessing for images: {@code features} pixels per image, each multiplied by {@code scale}, and the class
     * names by index. For Fashion-MNIST: {@code pixels(784, 1 / 255.0, List.of(FashionMnist.CLASSES))}.
     */
    public static Preprocessing pixels(int features, double scale, List<String> classLabels) {
        if (features < 1) throw new IllegalArgumentException("pixels: features must be at least 1, got " + features);
        if (!(Double.isFinite(scale) && scale > 0)) {
            throw new IllegalArgumentException("pixels: scale must be a positive number, got " + scale);
        }
        checkLabels(classLabels);
        return new Preprocessing(true, List.of(), Scaling.NONE, features, scale, List.of("label"), true, classLabels, false);
    }

    private static void checkLabels(List<String> labels) {
        if (labels.size() < 2) throw new IllegalArgumentException("class labels: at least two needed, got " + labels);
        if (new HashSet<>(labels).size() != labels.size()) throw new IllegalArgumentException("class labels repeat: " + labels);
    }

    // ---------------------------------------------------------------- applying

    /**
     * Features and targets of every row of {@code table}, which must have the input and target columns (found by
     * name; other columns are ignored). Features {@code [n, inputs()]} float32; targets {@code [n]} class indices
     * when {@link #classification()}, else {@code [n, outputs()]}.
     *
     * @throws DataFormatException a missing column, a cell that is not a number, a category or class not seen in
     *                             fitting, each with its file, line and column
     */
    public Dataset transform(Table table) throws DataFormatException {
        Tensor x = transformFeatures(table);
        int n = table.size();
        float[] y;
        if (classification) {
            int c = columnFor(table, targets.getFirst(), "target");
            y = new float[n];
            for (int r = 0; r < n; r++) {
                String label = wholeNumberLabels ? Long.toString(wholeNumber(table, r, c)) : table.cell(r, c);
                Integer k = classIndex.get(label);
                if (k == null) {
                    throw new DataFormatException(table.where(r, c) + ": class " + Table.quote(table.cell(r, c))
                            + " was not seen in training (classes: " + known(classLabels) + ")");
                }
                y[r] = k;
            }
            return new Dataset(x, Tensor.wrap(y, n), table.source());
        }
        int k = targets.size();
        int[] cols = new int[k];
        for (int j = 0; j < k; j++) cols[j] = columnFor(table, targets.get(j), "target");
        y = new float[Math.multiplyExact(n, k)];
        for (int r = 0; r < n; r++) {
            for (int j = 0; j < k; j++) y[r * k + j] = (float) table.number(r, cols[j]);
        }
        return new Dataset(x, Tensor.wrap(y, n, k), table.source());
    }

    /**
     * The features of every row of {@code table}, {@code [n, inputs()]} float32, for prediction: the target columns
     * need not be there.
     */
    public Tensor transformFeatures(Table table) throws DataFormatException {
        Objects.requireNonNull(table, "table");
        if (images) {
            throw new DataFormatException(table.source() + ": this preprocessing takes images (" + pixelCount
                    + " pixels each, IDX files), not a table");
        }
        int n = table.size();
        long size = (long) n * features;
        if (size > Integer.MAX_VALUE - 8) {
            throw new DataFormatException(table.source() + ": " + n + " rows x " + features + " features is more than a tensor holds");
        }
        int[] cols = new int[inputs.size()];
        for (int i = 0; i < cols.length; i++) cols[i] = columnFor(table, inputs.get(i).name(), "input");
        float[] x = new float[(int) size];
        for (int r = 0; r < n; r++) {
            int at = r * features;
            for (int i = 0; i < cols.length; i++) {
                Input in = inputs.get(i);
                if (in.numeric()) {
                    x[at++] = (float) ((table.number(r, cols[i]) - in.center()) / in.spread());
                } else {
                    Integer k = in.index().get(table.cell(r, cols[i]));
                    if (k == null) {
                        throw new DataFormatException(table.where(r, cols[i]) + ": category " + Table.quote(table.cell(r, cols[i]))
                                + " was not seen in training (categories: " + known(in.categories()) + ")");
                    }
                    x[at + k] = 1;
                    at += in.width();
                }
            }
        }
        return Tensor.wrap(x, n, features);
    }

    /**
     * Images as features: {@code raw} images of any shape whose first dimension is the sample count and whose other
     * dimensions hold {@link #inputs()} values (e.g. {@code [n, 28, 28]} raw bytes from {@link Idx#read}), flattened to
     * {@code [n, inputs()]} and multiplied by the scale. A new tensor; the argument is unchanged.
     */
    public Tensor transformPixels(Tensor raw) throws DataFormatException {
        if (!images) throw new IllegalStateException("transformPixels: this preprocessing is for tables; use transformFeatures");
        int n = raw.rank() == 0 ? 0 : raw.shape().dim(0);
        if (raw.rank() < 2 || (long) raw.size() != (long) n * pixelCount) {
            throw new DataFormatException("images of shape " + raw.shape() + ": expected [n, ...] with " + pixelCount
                    + " pixels per image");
        }
        float[] x = new float[raw.size()];
        for (int i = 0; i < x.length; i++) x[i] = (float) (raw.getFlat(i) * pixelScale);
        return Tensor.wrap(x, n, pixelCount);
    }

    private int columnFor(Table table, String name, String role) throws DataFormatException {
        int c = table.indexOf(name);
        if (c < 0) {
            throw new DataFormatException(table.source() + ": no column " + Table.quote(name) + " (the model's " + role
                    + (role.equals("input") ? "s are " + known(inputColumns()) : "s are " + known(targets))
                    + "; the file has " + known(table.columns()) + ")");
        }
        return c;
    }

    private static String known(List<String> names) {
        int shown = Math.min(names.size(), 20);
        String s = String.join(", ", names.subList(0, shown));
        return dev.backprop.io.Messages.clean(names.size() > shown ? s + ", ... (" + names.size() + " in all)" : s, 600);
    }

    // ---------------------------------------------------------------- description

    /** Whether this describes image pixels ({@link #pixels}) rather than table columns. */
    public boolean forImages() {
        return images;
    }

    /** The input columns in order (empty for images). */
    public List<String> inputColumns() {
        return inputs.stream().map(Input::name).toList();
    }

    /** The categories of an input column in feature order, or an empty list for a numeric (or unknown) column. */
    public List<String> categories(String inputColumn) {
        for (Input in : inputs) {
            if (in.name().equals(inputColumn)) return in.categories();
        }
        return List.of();
    }

    /** The scaling of numeric inputs ({@link Scaling#NONE} for images, which are scaled by {@link #pixelScale()}). */
    public Scaling scaling() {
        return scaling;
    }

    /** What each pixel is multiplied by (images only; 1 for tables). */
    public double pixelScale() {
        return images ? pixelScale : 1;
    }

    /**
     * The name of each feature after encoding, {@link #inputs()} of them: a numeric column's name, {@code column=category}
     * for one-hot features, {@code pixel0}, {@code pixel1}, … for images.
     */
    public List<String> featureNames() {
        List<String> out = new ArrayList<>(features);
        if (images) {
            for (int i = 0; i < pixelCount; i++) out.add("pixel" + i);
        } else {
            for (Input in : inputs) {
                if (in.numeric()) out.add(in.name());
                else for (String cat : in.categories()) out.add(in.name() + "=" + cat);
            }
        }
        return Collections.unmodifiableList(out);
    }

    /** The target columns ({@code [label]} for images). */
    public List<String> targetNames() {
        return targets;
    }

    /** Whether targets are classes (class indices); otherwise numbers. */
    public boolean classification() {
        return classification;
    }

    /** The class labels by index (empty for regression). */
    public List<String> classLabels() {
        return classLabels;
    }

    /** Number of features: the network's input width. */
    public int inputs() {
        return features;
    }

    /** The network's output width: the number of classes, or of target columns. */
    public int outputs() {
        return classification ? classLabels.size() : targets.size();
    }

    // ---------------------------------------------------------------- as plain data

    /**
     * This preprocessing as plain data for a model file (maps, lists, strings, numbers; unmodifiable). Table layout:
     * <pre>{@code
     * {"version": 1, "type": "table", "scaling": "standard",
     *  "inputs": [{"name": "age", "kind": "numeric", "mean": 41.5, "std": 12.25},
     *             {"name": "color", "kind": "categorical", "categories": ["blue", "red"]}],
     *  "targets": ["species"], "task": "classification", "classes": ["setosa", ...], "class_values": "names"}
     * }</pre>
     * Min-max scaling stores {@code min} and {@code max}; no scaling stores no statistics; {@code class_values} is
     * {@code whole_numbers} when the labels came from a numeric column; regression has {@code "task": "regression"}
     * and no classes. Images: {@code {"version": 1, "type": "pixels", "features": 784, "scale": 0.0039…, "targets":
     * ["label"], "task": "classification", "classes": [...]}}. Statistics are the fitted ones (a std of 0 is stored as
     * 0 and divided by 1 when applied).
     */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("version", VERSION);
        m.put("type", images ? "pixels" : "table");
        if (images) {
            m.put("features", pixelCount);
            m.put("scale", pixelScale);
        } else {
            m.put("scaling", scaling.key());
            List<Object> list = new ArrayList<>();
            for (Input in : inputs) {
                Map<String, Object> o = new LinkedHashMap<>();
                o.put("name", in.name());
                if (in.numeric()) {
                    o.put("kind", "numeric");
                    switch (scaling) {
                        case NONE -> { }
                        case STANDARD -> {
                            o.put("mean", in.statA());
                            o.put("std", in.statB());
                        }
                        case MIN_MAX -> {
                            o.put("min", in.statA());
                            o.put("max", in.statB());
                        }
                    }
                } else {
                    o.put("kind", "categorical");
                    o.put("categories", in.categories());
                }
                list.add(Collections.unmodifiableMap(o));
            }
            m.put("inputs", Collections.unmodifiableList(list));
        }
        m.put("targets", targets);
        m.put("task", classification ? "classification" : "regression");
        if (classification) {
            m.put("classes", classLabels);
            if (!images) m.put("class_values", wholeNumberLabels ? "whole_numbers" : "names");
        }
        return Collections.unmodifiableMap(m);
    }

    /**
     * A preprocessing from {@link #toMap()}'s data (as a model file gives it back: numbers may be Integer, Long,
     * BigInteger or Double). Every field is checked.
     *
     * @throws DataFormatException {@code preprocessing: inputs[2].std must be a number >= 0, got "x"} and the like
     */
    public static Preprocessing fromMap(Map<String, ?> map) throws DataFormatException {
        if (map == null) throw bad("missing");
        Object v = map.get("version");
        long version = whole(v, "version");
        if (version > VERSION) {
            throw bad("version " + version + " was written by a newer backprop; this one reads version " + VERSION);
        }
        if (version < 1) throw bad("version must be at least 1, got " + version);
        String type = string(map.get("type"), "type");
        String task = string(map.get("task"), "task");
        boolean classify = switch (task) {
            case "classification" -> true;
            case "regression" -> false;
            default -> throw bad("task must be \"classification\" or \"regression\", got " + show(task));
        };
        List<String> targets = strings(map.get("targets"), "targets");
        if (targets.isEmpty()) throw bad("targets must name at least one column");
        List<String> classes = List.of();
        if (classify) {
            if (targets.size() != 1) throw bad("classification has one target column, got " + targets.size());
            classes = strings(map.get("classes"), "classes");
            if (classes.size() < 2) throw bad("classes must hold at least two labels, got " + classes.size());
        } else if (map.get("classes") instanceof List<?> l && !l.isEmpty()) {
            throw bad("a regression has no classes");
        }
        switch (type) {
            case "pixels" -> {
                if (!classify) throw bad("pixels preprocessing must be a classification");
                long features = whole(map.get("features"), "features");
                if (features < 1 || features > Integer.MAX_VALUE) throw bad("features must be a whole number >= 1, got " + features);
                double scale = number(map.get("scale"), "scale");
                if (!(scale > 0)) throw bad("scale must be a positive number, got " + scale);
                return new Preprocessing(true, List.of(), Scaling.NONE, (int) features, scale, targets, true, classes, false);
            }
            case "table" -> {
                Scaling scaling;
                try {
                    scaling = Scaling.of(string(map.get("scaling"), "scaling"));
                } catch (IllegalArgumentException e) {
                    throw bad(e.getMessage());
                }
                boolean wholeNumbers = false;
                if (classify) {
                    String values = string(map.get("class_values"), "class_values");
                    switch (values) {
                        case "names" -> { }
                        case "whole_numbers" -> {
                            wholeNumbers = true;
                            for (String c : classes) {
                                if (!c.matches("-?\\d{1,16}") || !c.equals(Long.toString(Long.parseLong(c)))) {
                                    throw bad("classes: " + show(c) + " is not a whole number, but class_values is whole_numbers");
                                }
                            }
                        }
                        default -> throw bad("class_values must be \"names\" or \"whole_numbers\", got " + show(values));
                    }
                }
                if (!(map.get("inputs") instanceof List<?> list)) throw bad("inputs must be a list, got " + show(map.get("inputs")));
                if (list.isEmpty()) throw bad("inputs must hold at least one column");
                List<Input> inputs = new ArrayList<>();
                Set<String> names = new HashSet<>(targets);
                long width = 0;
                for (int i = 0; i < list.size(); i++) {
                    Input in = input(list.get(i), "inputs[" + i + "]", scaling);
                    if (!names.add(in.name())) {
                        throw bad("inputs[" + i + "]: column " + show(in.name()) + " appears twice (or is a target)");
                    }
                    inputs.add(in);
                    width += in.width();
                }
                if (width > Integer.MAX_VALUE) throw bad("more features than a tensor holds");
                return new Preprocessing(false, inputs, scaling, 0, 0, targets, classify, classes, wholeNumbers);
            }
            default -> throw bad("type must be \"table\" or \"pixels\", got " + show(type));
        }
    }

    private static Input input(Object o, String path, Scaling scaling) throws DataFormatException {
        if (!(o instanceof Map<?, ?> m)) throw bad(path + " must be an object, got " + show(o));
        String name = string(m.get("name"), path + ".name");
        if (name.isBlank()) throw bad(path + ".name must not be empty");
        String kind = string(m.get("kind"), path + ".kind");
        switch (kind) {
            case "categorical" -> {
                List<String> cats = strings(m.get("categories"), path + ".categories");
                if (cats.isEmpty()) throw bad(path + ".categories must hold at least one category");
                if (cats.size() > MAX_CATEGORIES) throw bad(path + ".categories: more than " + MAX_CATEGORIES);
                return Input.categorical(name, cats);
            }
            case "numeric" -> {
                return switch (scaling) {
                    case NONE -> Input.numeric(name, scaling, 0, 0);
                    case STANDARD -> {
                        double mean = number(m.get("mean"), path + ".mean");
                        double std = number(m.get("std"), path + ".std");
                        if (!(std >= 0)) throw bad(path + ".std must be a number >= 0, got " + std);
                        yield Input.numeric(name, scaling, mean, std);
                    }
                    case MIN_MAX -> {
                        double min = number(m.get("min"), path + ".min");
                        double max = number(m.get("max"), path + ".max");
                        if (!(max >= min)) throw bad(path + ": max " + max + " is below min " + min);
                        if (!Double.isFinite(max - min)) throw bad(path + ": max − min overflows");
                        yield Input.numeric(name, scaling, min, max);
                    }
                };
            }
            default -> throw bad(path + ".kind must be \"numeric\" or \"categorical\", got " + show(kind));
        }
    }

    private static DataFormatException bad(String what) {
        return new DataFormatException("preprocessing: " + what);
    }

    private static String show(Object o) {
        if (o == null) return "nothing";
        if (o instanceof String s) return "\"" + dev.backprop.io.Messages.clean(s, 40) + "\"";
        if (o instanceof Map<?, ?>) return "an object";
        if (o instanceof List<?> l) return "a list of " + l.size();
        return dev.backprop.io.Messages.clean(String.valueOf(o), 40);
    }

    private static String string(Object o, String path) throws DataFormatException {
        if (!(o instanceof String s)) throw bad(path + " must be a string, got " + show(o));
        return s;
    }

    /** A list of distinct non-empty strings. */
    private static List<String> strings(Object o, String path) throws DataFormatException {
        if (!(o instanceof List<?> l)) throw bad(path + " must be a list of strings, got " + show(o));
        Set<String> seen = new LinkedHashSet<>();
        for (int i = 0; i < l.size(); i++) {
            if (!(l.get(i) instanceof String s) || s.isEmpty()) {
                throw bad(path + "[" + i + "] must be a non-empty string, got " + show(l.get(i)));
            }
            if (!seen.add(s)) throw bad(path + "[" + i + "]: " + show(s) + " appears twice");
        }
        return List.copyOf(seen);
    }

    private static double number(Object o, String path) throws DataFormatException {
        double v = switch (o) {
            case Integer i -> i;
            case Long l -> l;
            case Double d -> d;
            case Float f -> f;
            case BigInteger b -> b.doubleValue();
            case BigDecimal b -> b.doubleValue();
            case null, default -> throw bad(path + " must be a number, got " + show(o));
        };
        if (!Double.isFinite(v)) throw bad(path + " must be a finite number, got " + show(o));
        return v;
    }

    private static long whole(Object o, String path) throws DataFormatException {
        return switch (o) {
            case Integer i -> i;
            case Long l -> l;
            case BigInteger b when b.bitLength() < 64 -> b.longValue();
            case null, default -> throw bad(path + " must be a whole number, got " + show(o));
        };
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Preprocessing p && toMap().equals(p.toMap());
    }

    @Override
    public int hashCode() {
        return toMap().hashCode();
    }

    @Override
    public String toString() {
        return images
                ? "Preprocessing[pixels " + pixelCount + " x " + pixelScale + ", " + classLabels.size() + " classes]"
                : "Preprocessing[" + inputs.size() + " columns -> " + features + " features, " + scaling.key() + ", "
                        + (classification ? classLabels.size() + " classes of " : "regression on ") + targets + "]";
    }
}
