package dev.backprop.encode;

import dev.backprop.data.DataFormatException;
import dev.backprop.io.ModelFileException;
import dev.backprop.io.SavedMap;
import dev.backprop.data.Table;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Class labels: the label of output {@code k} is {@code labels().get(k)}, and a target cell becomes its class index
 * (for softmax cross-entropy). Labels are names (text, matched exactly) or whole numbers (matched by value, so
 * {@code 3.0} and {@code 3} are one class; the label keeps the spelling the data first used).
 *
 * <p>Fitted on a table ({@link #fit}), the labels are the distinct present values of the target column over every
 * row, sorted (as text, or by value for whole numbers): labels {1, 2, 3, 5, 6, 7} are outputs 0 to 5, and a model
 * saves the mapping so that predictions are written back as the user's own labels. For a network written by hand,
 * {@link #indices} makes whole number {@code k} output {@code k}, whatever subset of classes a file holds.
 */
public final class ClassEncoder implements TargetEncoder {
    private final String column;
    private final List<String> labels;
    private final boolean wholeNumbers;
    private final Map<String, Integer> index = new HashMap<>();          // names
    private final Map<Long, Integer> byValue = new HashMap<>();          // whole numbers

    /**
     * @param column       the target column
     * @param labels       the labels by class index, distinct, at least one
     * @param wholeNumbers whether the labels are whole numbers, matched by value ({@code "3"}, {@code "3.0"}, {@code "-1"})
     */
    public ClassEncoder(String column, List<String> labels, boolean wholeNumbers) {
        this.column = Objects.requireNonNull(column, "column");
        this.labels = List.copyOf(labels);
        this.wholeNumbers = wholeNumbers;
        if (labels.isEmpty()) throw new IllegalArgumentException("class target '" + column + "': no classes");
        for (int i = 0; i < labels.size(); i++) {
            String l = labels.get(i);
            if (wholeNumbers) {
                long v = wholeValue(l);
                if (v == NOT_WHOLE) throw new IllegalArgumentException("class target '" + column + "': label '" + l + "' is not a whole number");
                if (byValue.put(v, i) != null) throw new IllegalArgumentException("class target '" + column + "': label '" + l + "' repeats");
            }
            if (index.put(l, i) != null) throw new IllegalArgumentException("class target '" + column + "': label '" + l + "' repeats");
        }
    }

    private static final long NOT_WHOLE = Long.MIN_VALUE;

    /** The value of a whole number written as a cell ({@code 3}, {@code 3.0}, {@code -1e2}), or {@link #NOT_WHOLE}. */
    private static long wholeValue(String text) {
        double v = Table.parse(text.strip());
        return Double.isNaN(v) || v != Math.rint(v) || Math.abs(v) > 0x1p53 ? NOT_WHOLE : (long) v;
    }

    /**
     * The distinct present labels of column {@code c} over every row, sorted: by value when every one is a whole
     * number, else as text. Every row counts, not only the training rows: a label is vocabulary, not a statistic,
     * and a class met only in held-out rows must still be encodable there.
     */
    static ClassEncoder fit(Table table, int c, MissingValues missing) throws DataFormatException {
        ColumnProfile p = ColumnProfile.of(table, c, missing);
        String name = table.columns().get(c);
        if (p.allWholeNumbers()) {
            TreeMap<Long, String> set = new TreeMap<>();        // by value, each spelt as the data first spelt it
            for (int r = 0; r < table.size(); r++) {
                String cell = table.cell(r, c);
                if (missing.isMissing(cell)) continue;
                long v = (long) Table.parse(cell);
                if (set.putIfAbsent(v, cell) == null && set.size() > CategoricalEncoder.MAX_CATEGORIES) {
                    throw tooMany(table, r, c);
                }
            }
            return new ClassEncoder(name, new ArrayList<>(set.values()), true);
        }
        TreeSet<String> set = new TreeSet<>();
        for (int r = 0; r < table.size(); r++) {
            String cell = table.cell(r, c);
            if (missing.isMissing(cell)) continue;
            if (cell.length() > CategoricalEncoder.MAX_CATEGORY_CHARS) throw CategoricalEncoder.tooLong(table, r, c);
            if (set.add(cell) && set.size() > CategoricalEncoder.MAX_CATEGORIES) throw tooMany(table, r, c);
        }
        if (set.isEmpty()) throw new DataFormatException(table.source() + ": target column " + Table.quote(name) + ": every cell is missing");
        return new ClassEncoder(name, new ArrayList<>(set), false);
    }

    private static DataFormatException tooMany(Table table, int r, int c) {
        return new DataFormatException(table.where(r, c) + ": more than " + CategoricalEncoder.MAX_CATEGORIES
                + " distinct classes; is it a number to predict? (--task regress)");
    }

    /** Classes {@code 0 … classes−1}, labelled by their index: whole number {@code k} in a file is output {@code k}. */
    public static ClassEncoder indices(String column, int classes) {
        if (classes < 1) throw new IllegalArgumentException("class target '" + column + "': needs at least one output, got " + classes);
        List<String> labels = new ArrayList<>(classes);
        for (int k = 0; k < classes; k++) labels.add(Integer.toString(k));
        return new ClassEncoder(column, labels, true);
    }

    /** The target column. */
    public String column() {
        return column;
    }

    @Override
    public List<String> columns() {
        return List.of(column);
    }

    /** The labels by class index. */
    public List<String> labels() {
        return labels;
    }

    /** Whether the labels are whole numbers, matched by value. */
    public boolean wholeNumbers() {
        return wholeNumbers;
    }

    @Override
    public int outputs() {
        return labels.size();
    }

    /** The class index of a label as a user writes it ({@code "setosa"}, {@code "3"}, {@code "3.0"}), or −1. */
    public int indexOf(String label) {
        Integer k;
        if (wholeNumbers) {
            long v = wholeValue(label);
            k = v == NOT_WHOLE ? null : byValue.get(v);
        } else {
            k = index.get(label.strip());
        }
        return k == null ? -1 : k;
    }

    /** The class index of a present target cell; an error naming its place when it is not one of the labels. */
    int encode(Table table, int row, int col) throws DataFormatException {
        String cell = table.cell(row, col);
        int k = indexOf(cell);
        if (k >= 0) return k;
        if (wholeNumbers && labels.equals(indices(column, labels.size()).labels)) {
            throw new DataFormatException(table.where(row, col) + ": class " + Table.quote(cell) + " is not one of the "
                    + labels.size() + " classes 0.." + (labels.size() - 1) + " (one per output of the network)");
        }
        int shown = Math.min(labels.size(), 20);
        String known = String.join(", ", labels.subList(0, shown)) + (shown < labels.size() ? ", …" : "");
        throw new DataFormatException(table.where(row, col) + ": class " + Table.quote(cell) + " is not one of the model's "
                + "classes (" + dev.backprop.io.Messages.clean(known, 400) + ")");
    }

    @Override
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("kind", "classes");
        m.put("column", column);
        m.put("classes", labels);
        m.put("values", wholeNumbers ? "whole_numbers" : "names");
        return m;
    }

    static ClassEncoder fromMap(SavedMap f) throws ModelFileException {
        String column = f.string("column");
        List<String> labels = f.strings("classes");
        boolean whole = f.choice("values", "names", "whole_numbers").equals("whole_numbers");
        if (labels.isEmpty()) throw f.bad("classes must hold at least one label");
        try {
            return new ClassEncoder(column, labels, whole);
        } catch (IllegalArgumentException e) {
            throw f.bad(e.getMessage());
        }
    }

    @Override
    public String describe() {
        int shown = Math.min(labels.size(), 12);
        String list = String.join(", ", labels.subList(0, shown)) + (shown < labels.size() ? ", …" : "");
        return "target " + column + ": " + labels.size() + " classes (" + list + ") as outputs 0.." + (labels.size() - 1)
                + (wholeNumbers ? ", whole numbers matched by value" : "");
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ClassEncoder e && column.equals(e.column) && labels.equals(e.labels) && wholeNumbers == e.wholeNumbers;
    }

    @Override
    public int hashCode() {
        return Objects.hash(column, labels, wholeNumbers);
    }

    @Override
    public String toString() {
        return "ClassEncoder[" + describe() + "]";
    }
}
