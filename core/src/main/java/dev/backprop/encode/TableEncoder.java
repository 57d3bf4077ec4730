package dev.backprop.encode;

import dev.backprop.data.DataFormatException;
import dev.backprop.io.ModelFileException;
import dev.backprop.io.SavedMap;
import dev.backprop.data.Dataset;
import dev.backprop.data.Table;
import dev.backprop.io.Messages;
import dev.backprop.tensor.Memory;
import dev.backprop.tensor.Tensor;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Rows of a table as features and targets: one {@link ColumnEncoder} per input column, in table order, and a
 * {@link TargetEncoder}; which cells are missing ({@link MissingValues}) and whether they are imputed or refused.
 *
 * <pre>{@code
 * Table t = Table.readCsv(Path.of("titanic.csv"));
 * TableEncoder.Fit fit = TableEncoder.builder().targets(List.of("Survived")).fit(t, 0.2, 42);
 * fit.task();                                        // "classification: target 'Survived' holds 2 distinct whole numbers (0, 1) ..."
 * Encoded train = fit.encoder().encode(t, fit.trainRows());
 * Encoded validation = fit.encoder().encode(t, fit.validationRows());
 * }</pre>
 *
 * <p><b>What is fitted on which rows.</b> Scaling statistics, imputed values and the categories of each input column
 * come from the training rows only, so nothing of the held-out rows leaks into training; a category they never held
 * encodes as all zeros. Class labels come from every row with a target (vocabulary, not a statistic).
 *
 * <p><b>Column kinds.</b> A column is numeric when most of its present cells are numbers ({@link ColumnProfile}); a
 * stray text in it is then an error naming its line and column. Other columns, and those named categorical, are
 * one-hot encoded. Left out, each with a note: columns whose every cell is missing; text columns whose values all
 * differ (identifiers, names), or differ on more than half of at least 50 rows (free text); numeric columns whose
 * values are 1 … n or 0 … n−1 in some order (row numbers), or all differ under a name such as {@code id},
 * {@code PassengerId} or {@code customer_id}. Columns named in {@link Builder#features} or {@link Builder#categorical}
 * are never left out.
 *
 * <p><b>The task</b>, unless given: a text target holds classes; so does a target of whole numbers with few distinct
 * values: at most {@value #MAX_INFERRED_CLASSES}, each on {@value #ROWS_PER_CLASS} rows or more on average (two values
 * always). Any other numeric target, or several target columns, holds numbers.
 *
 * <p><b>Missing cells</b> ({@link MissingValues}: empty, {@code NA}, {@code NaN}, {@code ?} by default) are imputed
 * from the training rows: a number by the mean (plus, when asked, an indicator feature), a category as a category of
 * its own.
 * Rows whose target is missing are left out and counted. With {@link Builder#imputeMissing imputeMissing(false)} a
 * missing cell is an error naming its file, line and column.
 */
public final class TableEncoder implements Encoder {
    /** Most distinct whole numbers a target may hold to be read as classes when the task is not given. */
    public static final int MAX_INFERRED_CLASSES = 20;

    /** Rows per distinct whole number, on average, that a target needs to be read as classes (two values always are). */
    public static final int ROWS_PER_CLASS = 5;

    /** Rows below which no column is taken for an identifier. */
    static final int IDENTIFIER_MIN_ROWS = 10;

    /** Rows below which no text column with repeated values is taken for free text. */
    static final int FREE_TEXT_MIN_ROWS = 50;

    private final List<ColumnEncoder> inputs;
    private final TargetEncoder target;
    private final MissingValues missingValues;
    private final boolean imputeMissing;
    private final int features;

    /**
     * @param inputs        the input columns' encoders, in feature order; at least one
     * @param target        the target's encoder
     * @param missingValues which cells are missing
     * @param imputeMissing whether missing cells are imputed (else an error)
     */
    public TableEncoder(List<ColumnEncoder> inputs, TargetEncoder target, MissingValues missingValues, boolean imputeMissing) {
        this.inputs = List.copyOf(inputs);
        this.target = Objects.requireNonNull(target, "target");
        this.missingValues = Objects.requireNonNull(missingValues, "missingValues");
        this.imputeMissing = imputeMissing;
        if (this.inputs.isEmpty()) throw new IllegalArgumentException("table encoder: no input columns");
        Set<String> names = new HashSet<>(target.columns());
        long width = 0;
        for (ColumnEncoder e : this.inputs) {
            if (!names.add(e.column())) throw new IllegalArgumentException("table encoder: column '" + e.column() + "' appears twice (or is a target)");
            width += e.width();
        }
        if (width > Integer.MAX_VALUE - 8) throw new IllegalArgumentException("table encoder: more features than a tensor holds");
        this.features = (int) width;
    }

    /** Settings for fitting; see {@link Builder}. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * What fitting found: the encoder, the rows it split into training and validation, the task and why, and one
     * note per thing a user should know (columns left out, missing cells, rows without a target).
     *
     * @param encoder        the fitted encoder
     * @param trainRows      the training rows (table indices, sorted), every one with a target
     * @param validationRows the held-out rows (sorted; empty without a split)
     * @param task           one line: the task and why, e.g. {@code classification: target 'Type' holds 6 distinct whole numbers}
     * @param notes          lines for people
     */
    public record Fit(TableEncoder encoder, int[] trainRows, int[] validationRows, String task, List<String> notes) {
        /** Copies {@code notes}; the row arrays are kept as given. */
        public Fit {
            notes = List.copyOf(notes);
        }
    }

    /**
     * Settings of a table encoder. Only the targets are required.
     *
     * <pre>{@code
     * TableEncoder.Fit fit = TableEncoder.builder().targets(List.of("price")).ignore(Set.of("id"))
     *         .categorical(Set.of("zip")).missingValues(MissingValues.parse("NA,-")).fit(table, 0.2, 42);
     * }</pre>
     */
    public static final class Builder {
        private List<String> targets = List.of();
        private TargetKind kind;
        private String kindReason = "as given";
        private Scaling scaling = Scaling.STANDARD;
        private Set<String> categorical = Set.of();
        private Set<String> ignore = Set.of();
        private List<String> features;
        private MissingValues missingValues = MissingValues.DEFAULT;
        private boolean imputeMissing = true;
        private boolean indicators;
        private int networkOutputs;

        private Builder() {}

        /** The target columns, in output order (required). */
        public Builder targets(List<String> columns) {
            targets = List.copyOf(columns);
            return this;
        }

        /** Classes or numbers; null (the default) infers it from the target column. */
        public Builder targetKind(TargetKind value) {
            kind = value;
            return this;
        }

        /**
         * Classes or numbers as {@link #targetKind(TargetKind)}, and why, for the task line: {@code "--task
         * classify"}, {@code "builtin:iris's own target"}.
         */
        public Builder targetKind(TargetKind value, String why) {
            kind = value;
            kindReason = why;
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

        /** The input columns, and no others (default: every column but the targets and the ignored ones). */
        public Builder features(Collection<String> columns) {
            features = columns == null ? null : List.copyOf(columns);
            return this;
        }

        /** Which cells are missing. Default {@link MissingValues#DEFAULT}. */
        public Builder missingValues(MissingValues value) {
            missingValues = Objects.requireNonNull(value, "missingValues");
            return this;
        }

        /** Whether missing cells are imputed (default) or an error naming their place. */
        public Builder imputeMissing(boolean value) {
            imputeMissing = value;
            return this;
        }

        /**
         * Whether a numeric column with missing training cells gets an indicator feature, 1 where the cell was missing
         * (default false, as scikit-learn's {@code SimpleImputer}: on cells missing at random it is a column of noise).
         */
        public Builder indicators(boolean value) {
            indicators = value;
            return this;
        }

        /**
         * The network is given (written by hand) with this many outputs: whole-number class labels are output
         * indices {@code 0 … outputs−1}, text labels map in sorted order and may be at most that many. 0 (the
         * default): the labels decide the outputs.
         */
        public Builder networkOutputs(int outputs) {
            if (outputs < 0) throw new IllegalArgumentException("network outputs must be >= 0, got " + outputs);
            networkOutputs = outputs;
            return this;
        }

        /** Fits on every row of {@code table} that has a target, with no validation split. */
        public Fit fit(Table table) throws DataFormatException {
            return fit(table, 0, 0);
        }

        /**
         * Fits on {@code table}, holding out {@code validationFraction} of the rows with a target (0 for none) for
         * validation, drawn by {@code seed}; stratified by class for classes, so that each class keeps its share in
         * both parts. Scaling, imputation and categories come from the training rows only.
         */
        public Fit fit(Table table, double validationFraction, long seed) throws DataFormatException {
            if (!(validationFraction >= 0 && validationFraction < 1)) {
                throw new IllegalArgumentException("validation fraction must be in [0, 1), got " + validationFraction);
            }
            Target t = target(table);
            int[] rows = t.rows();
            int[] train = rows, validation = new int[0];
            if (validationFraction > 0) {
                if (rows.length < 2) {
                    throw new DataFormatException(table.source() + ": " + rows.length + " row with a target: too few to hold out "
                            + "validation rows (--val 0)");
                }
                Dataset.SplitRows s = t.classes() != null ? Dataset.stratifiedSplitRows(t.classes(), validationFraction, seed)
                        : Dataset.splitRows(rows.length, validationFraction, seed);
                train = pick(rows, s.train());
                validation = pick(rows, s.validation());
            }
            return fitInputs(table, t, train, validation);
        }

        /**
         * Fits on the rows {@code trainRows} of {@code table} (indices; those whose target is missing are left out),
         * for a caller that splits the rows itself.
         */
        public Fit fit(Table table, int[] trainRows) throws DataFormatException {
            Target t = target(table);
            java.util.BitSet has = new java.util.BitSet(table.size());
            for (int r : t.rows()) has.set(r);
            int[] train = Arrays.stream(trainRows).filter(r -> {
                Objects.checkIndex(r, table.size());
                return has.get(r);
            }).toArray();
            return fitInputs(table, t, train, new int[0]);
        }

        /**
         * The target's encoder, its columns, the rows that have one, their classes (for classes; else null), the task
         * line and the notes so far.
         */
        private record Target(TargetEncoder encoder, int[] columns, int[] rows, int[] classes, String task, List<String> notes) {}

        private Target target(Table table) throws DataFormatException {
            Objects.requireNonNull(table, "table");
            String src = table.source();
            List<String> notes = new ArrayList<>();
            checkColumns(table);
            int[] targetCols = new int[targets.size()];
            for (int j = 0; j < targetCols.length; j++) targetCols[j] = table.column(targets.get(j));
            ColumnProfile tp = ColumnProfile.of(table, targetCols[0], missingValues);
            if (tp.empty()) throw new DataFormatException(src + ": target column " + Table.quote(targets.getFirst()) + ": every cell is missing");
            if (kind == null && tp.decimalCommaNumbers()) throw decimalComma(table, targetCols[0], tp, "--task classify");
            TargetKind k = kind != null ? kind : inferKind(tp);
            String task = describeTask(k, tp, kind == null);
            TargetEncoder targetEncoder;
            if (k == TargetKind.CLASSES) {
                if (targets.size() != 1) {
                    throw new DataFormatException(src + ": classification takes one target column, got " + targets.size() + " " + targets);
                }
                targetEncoder = classes(table, targetCols[0], tp);
            } else {
                for (int c : targetCols) {
                    requireNumericTarget(table, c);
                    ColumnProfile p = c == targetCols[0] ? tp : ColumnProfile.of(table, c, missingValues);
                    if (p.distinct() == 1 && p.present() > 1) {
                        notes.add("note: target column " + Table.quote(table.columns().get(c)) + " holds one value, " + Messages.number(p.min())
                                + ", in every row: there is nothing to learn, and R² says nothing");
                    }
                }
                targetEncoder = new NumberEncoder(targets);
            }
            int[] withTarget = new int[table.size()];
            int kept = 0, dropped = 0;
            for (int r = 0; r < table.size(); r++) {
                int missingAt = -1;
                for (int c : targetCols) if (missingValues.isMissing(table.cell(r, c))) missingAt = c;
                if (missingAt < 0) {
                    withTarget[kept++] = r;
                } else if (!imputeMissing) {
                    throw missingCell(table, r, missingAt);
                } else {
                    dropped++;
                }
            }
            if (dropped > 0) {
                notes.add(dropped + (dropped == 1 ? " row" : " rows") + " left out: " + (dropped == 1 ? "its" : "their") + " target "
                        + (targets.size() == 1 ? "'" + targets.getFirst() + "' is" : "is") + " missing");
            }
            int[] rows = Arrays.copyOf(withTarget, kept);
            int labels = targetEncoder.outputs();
            if (targetEncoder instanceof ClassEncoder && networkOutputs == 0 && labels > 2 && rows.length < ROWS_PER_CLASS * labels) {
                notes.add(labels + " classes in " + rows.length + " rows: fewer than " + ROWS_PER_CLASS + " rows per class on average, "
                        + "too few to learn each from (is it a quantity? --task regress)");
            }
            int[] classes = null;
            if (targetEncoder instanceof ClassEncoder ce) {
                // Every label is checked now: one outside a hand-written network's outputs is an error before training.
                classes = new int[rows.length];
                for (int i = 0; i < rows.length; i++) classes[i] = ce.encode(table, rows[i], targetCols[0]);
            }
            return new Target(targetEncoder, targetCols, rows, classes, task, notes);
        }

        /** Fits the input columns on {@code train}. */
        private Fit fitInputs(Table table, Target t, int[] train, int[] validation) throws DataFormatException {
            if (train.length == 0) throw new DataFormatException(table.source() + ": no rows with a target to train on");
            List<String> notes = new ArrayList<>(t.notes());
            List<ColumnEncoder> encoders = new ArrayList<>();
            for (int c : inputColumns(table)) {
                String name = table.columns().get(c);
                ColumnProfile p = ColumnProfile.of(table, c, missingValues);
                boolean named = categorical.contains(name) || (features != null && features.contains(name));
                if (!imputeMissing && p.missing() > 0) throw missingCell(table, firstMissing(table, c), c);
                if (p.empty()) {
                    notes.add("column '" + name + "': every cell is missing; left out");
                    continue;
                }
                if (!categorical.contains(name) && p.decimalCommaNumbers()) throw decimalComma(table, c, p, "--categorical " + name);
                String identifier = named ? null : identifier(name, p);
                if (identifier != null) {
                    notes.add("column '" + name + "' looks like " + identifier + "; left out (to keep it, name it in --features"
                            + (p.numeric() ? "" : " or --categorical") + ")");
                    continue;
                }
                ColumnEncoder e = categorical.contains(name) || !p.numeric()
                        ? CategoricalEncoder.fit(table, c, train, missingValues)
                        : NumericEncoder.fit(table, c, train, scaling, missingValues, indicators, p);
                encoders.add(e);
                int gaps = 0;
                for (int r : train) if (missingValues.isMissing(table.cell(r, c))) gaps++;
                if (gaps > 0) {
                    String share = String.format(Locale.ROOT, "%.1f%%", 100.0 * gaps / train.length);
                    notes.add("column '" + name + "': " + gaps + " of " + train.length + " training cells missing (" + share + "); "
                            + switch (e) {
                                case NumericEncoder n -> "filled with their mean, " + Messages.number(n.fill())
                                        + (n.indicator() ? ", and an indicator feature '" + name + " (missing)'" : "");
                                case CategoricalEncoder ce -> "missing is a category of its own";
                            });
                }
            }
            if (encoders.isEmpty()) throw new DataFormatException(table.source() + ": no input columns left (all are targets, ignored or left out)");
            TableEncoder encoder = new TableEncoder(encoders, t.encoder(), missingValues, imputeMissing);
            return new Fit(encoder, train, validation, t.task(), notes);
        }

        private void checkColumns(Table table) throws DataFormatException {
            String src = table.source();
            if (targets.isEmpty()) {
                throw new DataFormatException(src + ": no target column given (columns: " + Messages.clean(String.join(", ", table.columns()), 400) + ")");
            }
            if (new HashSet<>(targets).size() != targets.size()) throw new DataFormatException(src + ": a target column is named twice: " + targets);
            for (String t : targets) table.column(t);
            for (String c : categorical) table.column(c);
            for (String c : ignore) {
                table.column(c);
                if (targets.contains(c)) throw new DataFormatException(src + ": column '" + c + "' is both a target and ignored");
            }
            if (features != null) {
                for (String c : features) {
                    table.column(c);
                    if (targets.contains(c)) throw new DataFormatException(src + ": column '" + c + "' is both a target and a feature");
                    if (ignore.contains(c)) throw new DataFormatException(src + ": column '" + c + "' is both a feature and ignored");
                }
            }
        }

        private List<Integer> inputColumns(Table table) {
            List<Integer> out = new ArrayList<>();
            for (int c = 0; c < table.columns().size(); c++) {
                String name = table.columns().get(c);
                if (targets.contains(name) || ignore.contains(name)) continue;
                if (features != null && !features.contains(name)) continue;
                out.add(c);
            }
            return out;
        }

        /** A column of numbers like {@code 0,5}: neither read as categories nor as numbers without a word. */
        private static DataFormatException decimalComma(Table table, int c, ColumnProfile p, String asText) {
            return new DataFormatException(table.where(p.firstText(), c) + ": " + Table.quote(table.cell(p.firstText(), c))
                    + " is a number written with a decimal comma, as are " + p.decimalCommas() + " of the column's " + p.present()
                    + " filled cells; backprop reads '.' as the decimal point: write them with '.' (the file's delimiter may then be ',')"
                    + ", or read them as text with " + asText);
        }

        private TargetKind inferKind(ColumnProfile tp) {
            if (targets.size() > 1) return TargetKind.NUMBERS;
            if (!tp.numeric()) return TargetKind.CLASSES;
            return tp.allWholeNumbers() && fewValues(tp) ? TargetKind.CLASSES : TargetKind.NUMBERS;
        }

        /** At most {@value #MAX_INFERRED_CLASSES} values, each with {@value #ROWS_PER_CLASS} rows on average (or two values). */
        private static boolean fewValues(ColumnProfile tp) {
            return tp.distinct() <= MAX_INFERRED_CLASSES && (tp.distinct() <= 2 || tp.present() >= ROWS_PER_CLASS * tp.distinct());
        }

        private String describeTask(TargetKind k, ColumnProfile tp, boolean inferred) {
            String what = k == TargetKind.CLASSES ? "classification" : "regression";
            String target = targets.size() == 1 ? "target '" + targets.getFirst() + "'" : targets.size() + " target columns";
            if (!inferred) return what + " of " + target + " (" + kindReason + ")";
            String why;
            if (targets.size() > 1) {
                why = target + " (several targets are numbers)";
            } else if (!tp.numeric()) {
                why = target + " holds text (" + tp.distinct() + " distinct " + (tp.distinct() == 1 ? "value" : "values") + ")";
            } else if (tp.allWholeNumbers()) {
                why = target + " holds " + tp.distinct() + " distinct whole " + (tp.distinct() == 1 ? "number" : "numbers") + " in "
                        + tp.present() + " rows" + (k == TargetKind.CLASSES ? " (few values, each on many rows: classes)"
                        : tp.distinct() > MAX_INFERRED_CLASSES ? " (more than " + MAX_INFERRED_CLASSES + " values: a quantity)"
                        : " (fewer than " + ROWS_PER_CLASS + " rows per value: a quantity)");
            } else {
                why = target + " holds numbers with fractions";
            }
            String other = k == TargetKind.CLASSES ? "--task regress" : "--task classify";
            return what + ": " + why + "; to override: " + other;
        }

        private ClassEncoder classes(Table table, int c, ColumnProfile tp) throws DataFormatException {
            String name = table.columns().get(c);
            if (networkOutputs > 0 && tp.allWholeNumbers()) return ClassEncoder.indices(name, networkOutputs);
            ClassEncoder fitted = ClassEncoder.fit(table, c, missingValues);
            if (networkOutputs > 0 && fitted.labels().size() > networkOutputs) {
                throw new DataFormatException(table.source() + ": column " + Table.quote(name) + " holds " + fitted.labels().size()
                        + " classes, the network has " + networkOutputs + " outputs");
            }
            return fitted;
        }

        private void requireNumericTarget(Table table, int c) throws DataFormatException {
            if (categorical.contains(table.columns().get(c))) {
                throw new DataFormatException(table.source() + ": target column '" + table.columns().get(c) + "' is named categorical; "
                        + "a regression target must be numeric (to predict its classes: --task classify)");
            }
            for (int r = 0; r < table.size(); r++) {
                if (!missingValues.isMissing(table.cell(r, c))) NumberEncoder.value(table, r, c);
            }
        }

        /**
         * What an input column looks like when it carries no general information, or null: text whose every value
         * differs (an identifier, a name), text with a distinct value on more than half of many rows (free text), a
         * row number (0 … n−1 or 1 … n, each once; a run such as the years 1947 … 1962 is data), or a column named as an identifier
         * ({@code id}, {@code PassengerId}, {@code customer_id}, {@code index}) whose values all differ.
         */
        private static String identifier(String name, ColumnProfile p) {
            if (p.present() < IDENTIFIER_MIN_ROWS) return null;
            boolean allDistinct = p.distinct() == p.present();
            if (!p.numeric()) {
                if (allDistinct) return "an identifier or a name (every one of its " + p.present() + " values differs)";
                if (p.present() >= FREE_TEXT_MIN_ROWS && p.distinct() * 2 > p.present()) {
                    return "free text (" + p.distinct() + " distinct values in " + p.present() + " rows)";
                }
                return null;
            }
            if (p.rowNumbers()) return "a row number (each whole number from " + (long) p.min() + " to " + (long) (p.min() + p.present() - 1) + " once)";
            if (allDistinct && p.allWholeNumbers() && identifierName(name)) return "an identifier (named so, every value differs)";
            return null;
        }

        private static boolean identifierName(String name) {
            String n = name.strip(), lower = n.toLowerCase(Locale.ROOT);
            return lower.equals("id") || lower.equals("index") || lower.equals("#") || lower.startsWith("unnamed")
                    || lower.endsWith("_id") || lower.endsWith(" id") || lower.endsWith("-id") || n.endsWith("Id") || n.endsWith("ID");
        }

        private int firstMissing(Table table, int c) {
            for (int r = 0; r < table.size(); r++) if (missingValues.isMissing(table.cell(r, c))) return r;
            return 0;
        }

        private static int[] pick(int[] rows, int[] positions) {
            int[] out = new int[positions.length];
            for (int i = 0; i < out.length; i++) out[i] = rows[positions[i]];
            return out;
        }
    }

    private static DataFormatException missingCell(Table table, int r, int c) {
        String cell = table.cell(r, c);
        return new DataFormatException(table.where(r, c) + ": missing value" + (cell.isEmpty() ? "" : " " + Table.quote(cell))
                + " (missing cells are refused; to impute them: --missing impute)");
    }

    // ---------------------------------------------------------------- encoding

    /** Every row of {@code table} with a target; rows whose target is missing are left out and counted in the notes. */
    public Encoded encode(Table table) throws DataFormatException {
        return encode(table, allRows(table.size()), true);
    }

    /** The rows {@code rows} of {@code table} (those whose target is missing are left out and counted). */
    public Encoded encode(Table table, int[] rows) throws DataFormatException {
        return encode(table, rows, true);
    }

    /** The features of every row of {@code table}, for prediction: the target columns need not be there. */
    public Encoded features(Table table) throws DataFormatException {
        return encode(table, allRows(table.size()), false);
    }

    /**
     * The features of one row given by column name: numbers, text, or null (missing); an input column the map does
     * not hold is missing. Other keys must be target columns.
     *
     * @throws IllegalArgumentException a key that is not a column of the model, or a value of another type
     */
    public Encoded features(Map<String, ?> row) throws DataFormatException {
        Set<String> known = new HashSet<>(inputColumns());
        known.addAll(target.columns());
        for (String key : row.keySet()) {
            if (!known.contains(key)) {
                throw new IllegalArgumentException("row: no column " + Table.quote(String.valueOf(key)) + " in the model (inputs: "
                        + Messages.clean(String.join(", ", inputColumns()), 400) + ")");
            }
        }
        List<String> cells = new ArrayList<>();
        for (String c : inputColumns()) cells.add(text(row.get(c), c));
        return features(Table.of("row", inputColumns(), List.of(cells)));
    }

    /** A value of a row map as cell text. */
    static String text(Object v, String column) {
        return switch (v) {
            case null -> "";
            case String s -> s.strip();
            case Double d when d.isNaN() -> "";
            case Float f when f.isNaN() -> "";
            case Double d -> d == Math.rint(d) && Math.abs(d) < 1e15 ? Long.toString(d.longValue()) : d.toString();
            case Float f -> text(f.doubleValue(), column);
            case BigDecimal b -> b.toPlainString();
            case Number n -> n.toString();
            case Boolean b -> b.toString();
            default -> throw new IllegalArgumentException("row: column '" + column + "' holds a " + v.getClass().getSimpleName()
                    + "; a cell is a number, a string or null");
        };
    }

    private static int[] allRows(int n) {
        int[] r = new int[n];
        for (int i = 0; i < n; i++) r[i] = i;
        return r;
    }

    private Encoded encode(Table table, int[] rows, boolean withTargets) throws DataFormatException {
        Objects.requireNonNull(table, "table");
        int n = rows.length;
        long size = (long) n * features;
        if (size > Integer.MAX_VALUE - 8) {
            throw new DataFormatException(table.source() + ": " + n + " rows x " + features + " features is more than a tensor holds");
        }
        String no = Memory.shortfall(4 * size, "encoding " + n + " rows x " + features + " features");
        if (no != null) {
            throw new DataFormatException(table.source() + ": " + no + (inputs.stream().anyMatch(e -> e.width() > 100)
                    ? "; the widest columns: " + widest() : ""));
        }
        int[] cols = new int[inputs.size()];
        for (int i = 0; i < cols.length; i++) cols[i] = columnFor(table, inputs.get(i).column(), "input");
        int[] targetCols = new int[withTargets ? target.columns().size() : 0];
        for (int j = 0; j < targetCols.length; j++) targetCols[j] = columnFor(table, target.columns().get(j), "target");
        int outputs = target instanceof ClassEncoder ? 1 : target.outputs();
        float[] x = new float[(int) size];
        float[] y = withTargets ? new float[Math.multiplyExact(n, outputs)] : null;
        int[] kept = new int[n];
        int m = 0;
        Tally tally = new Tally();
        for (int r : rows) {
            if (withTargets && targetMissing(table, r, targetCols)) {
                tally.dropped(table.line(r));
                continue;
            }
            int at = m * features;
            for (int i = 0; i < cols.length; i++) {
                ColumnEncoder e = inputs.get(i);
                String cell = table.cell(r, cols[i]);
                boolean missing = missingValues.isMissing(cell);
                if (missing && !imputeMissing) throw missingCell(table, r, cols[i]);
                e.encode(missing ? null : cell, table, r, cols[i], x, at, tally);
                at += e.width();
            }
            if (withTargets) {
                switch (target) {
                    case ClassEncoder ce -> y[m] = ce.encode(table, r, targetCols[0]);
                    case NumberEncoder ne -> {
                        for (int j = 0; j < targetCols.length; j++) y[m * outputs + j] = (float) NumberEncoder.value(table, r, targetCols[j]);
                    }
                }
            }
            kept[m++] = r;
        }
        if (m < n) {
            x = Arrays.copyOf(x, m * features);
            if (y != null) y = Arrays.copyOf(y, m * outputs);
        }
        Tensor features = Tensor.wrap(x, m, this.features);
        Tensor targets = y == null ? null : target instanceof ClassEncoder ? Tensor.wrap(y, m) : Tensor.wrap(y, m, outputs);
        String which = target.columns().size() == 1 ? "'" + target.columns().getFirst() + "'" : target.columns().toString();
        return new Encoded(features, targets, Arrays.copyOf(kept, m), tally.notes(which));
    }

    /** The three widest input columns, with their widths, for a message. */
    private String widest() {
        return inputs.stream().sorted((a, b) -> Integer.compare(b.width(), a.width())).limit(3)
                .map(e -> e.column() + " (" + e.width() + ")").collect(java.util.stream.Collectors.joining(", "));
    }

    private boolean targetMissing(Table table, int r, int[] targetCols) throws DataFormatException {
        for (int c : targetCols) {
            if (missingValues.isMissing(table.cell(r, c))) {
                if (!imputeMissing) throw missingCell(table, r, c);
                return true;
            }
        }
        return false;
    }

    private int columnFor(Table table, String name, String role) throws DataFormatException {
        int c = table.indexOf(name);
        if (c < 0) {
            throw new DataFormatException(table.source() + ": no column " + Table.quote(name) + " (the model's " + role
                    + (role.equals("input") ? "s are " + known(inputColumns()) : "s are " + known(target.columns()))
                    + "; the file has " + known(table.columns()) + ")");
        }
        return c;
    }

    private static String known(List<String> names) {
        int shown = Math.min(names.size(), 20);
        String s = String.join(", ", names.subList(0, shown));
        return Messages.clean(names.size() > shown ? s + ", ... (" + names.size() + " in all)" : s, 600);
    }

    // ---------------------------------------------------------------- description

    /** The input columns' encoders, in feature order. */
    public List<ColumnEncoder> columns() {
        return inputs;
    }

    /** The input columns, in order. */
    public List<String> inputColumns() {
        return inputs.stream().map(ColumnEncoder::column).toList();
    }

    /** The encoder of input column {@code name}, or null. */
    public ColumnEncoder column(String name) {
        for (ColumnEncoder e : inputs) if (e.column().equals(name)) return e;
        return null;
    }

    @Override
    public TargetEncoder target() {
        return target;
    }

    /** Which cells are missing. */
    public MissingValues missingValues() {
        return missingValues;
    }

    /** Whether missing cells are imputed (else refused). */
    public boolean imputesMissing() {
        return imputeMissing;
    }

    @Override
    public int inputs() {
        return features;
    }

    @Override
    public List<String> featureNames() {
        List<String> out = new ArrayList<>(features);
        for (ColumnEncoder e : inputs) out.addAll(e.featureNames());
        return List.copyOf(out);
    }

    @Override
    public List<String> describe() {
        List<String> out = new ArrayList<>();
        for (ColumnEncoder e : inputs) out.add(e.describe());
        out.add(target.describe());
        out.add("missing cells (" + missingValues.describe() + "): " + (imputeMissing ? "imputed" : "refused"));
        return out;
    }

    // ---------------------------------------------------------------- saved form

    /**
     * <pre>{@code
     * {"version": 2, "type": "table", "missing_values": ["?", "NA", "N/A", "NaN", "nan"], "missing": "impute",
     *  "inputs": [{"name": "age", "kind": "numeric", "scaling": "standard", "mean": 41.5, "std": 12.25, "fill": 41.5, "indicator": false},
     *             {"name": "colour", "kind": "categorical", "categories": ["blue", "red"], "missing_category": false}],
     *  "target": {"kind": "classes", "column": "species", "classes": ["setosa", ...], "values": "names"}}
     * }</pre>
     * A numeric target is {@code {"kind": "numbers", "columns": ["price"]}}.
     */
    @Override
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("version", VERSION);
        m.put("type", "table");
        m.put("missing_values", missingValues.toList());
        m.put("missing", imputeMissing ? "impute" : "refuse");
        List<Object> list = new ArrayList<>();
        for (ColumnEncoder e : inputs) list.add(e.toMap());
        m.put("inputs", list);
        m.put("target", target.toMap());
        return m;
    }

    static TableEncoder fromMap(SavedMap f) throws ModelFileException {
        MissingValues mv = new MissingValues(Set.copyOf(f.texts("missing_values")));
        boolean impute = f.choice("missing", "impute", "refuse").equals("impute");
        List<ColumnEncoder> inputs = new ArrayList<>();
        for (SavedMap in : f.objects("inputs")) {
            inputs.add(switch (in.choice("kind", "numeric", "categorical")) {
                case "numeric" -> NumericEncoder.fromMap(in);
                default -> CategoricalEncoder.fromMap(in);
            });
        }
        if (inputs.isEmpty()) throw f.bad("inputs must hold at least one column");
        TargetEncoder target = Encoder.targetFromMap(f.object("target"));
        try {
            return new TableEncoder(inputs, target, mv, impute);
        } catch (IllegalArgumentException e) {
            throw f.bad(e.getMessage());
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TableEncoder e && toMap().equals(e.toMap());
    }

    @Override
    public int hashCode() {
        return toMap().hashCode();
    }

    @Override
    public String toString() {
        return "TableEncoder[" + inputs.size() + " columns -> " + features + " features; " + target.describe() + "]";
    }
}
