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
import java.util.TreeSet;

/**
 * A column of categories, one-hot encoded: one feature per category of the training rows (sorted as text), 1 for
 * the cell's category and 0 for the others, never scaled. When the training rows had missing cells, missing is a
 * category of its own (the last feature, {@code column=(missing)}). A category the training rows did not hold (or a
 * missing cell when they had none) sets no feature: all zeros, as scikit-learn's {@code handle_unknown='ignore'};
 * the encoding counts such cells so that callers can say so.
 *
 */
public final class CategoricalEncoder implements ColumnEncoder {
    /**
     * Most categories one column may have: past it, the column is probably an identifier or free text, whose one-hot
     * encoding would swamp the network with features.
     */
    public static final int MAX_CATEGORIES = 1000;

    /**
     * Longest category (or class label) in characters: a model file saves every one, and a longer cell is free text,
     * not a category.
     */
    public static final int MAX_CATEGORY_CHARS = 4096;

    private final String column;
    private final List<String> categories;
    private final boolean missingCategory;
    private final Map<String, Integer> index = new HashMap<>();

    /**
     * @param column          the column's name
     * @param categories      the categories in feature order, distinct
     * @param missingCategory whether missing cells have a feature of their own (the last)
     */
    public CategoricalEncoder(String column, List<String> categories, boolean missingCategory) {
        if (column == null || column.isEmpty()) throw new IllegalArgumentException("categorical column: no name");
        this.column = column;
        this.categories = List.copyOf(categories);
        this.missingCategory = missingCategory;
        if (categories.size() > MAX_CATEGORIES) {
            throw new IllegalArgumentException("categorical column '" + column + "': more than " + MAX_CATEGORIES + " categories");
        }
        for (int i = 0; i < categories.size(); i++) {
            if (index.put(categories.get(i), i) != null) {
                throw new IllegalArgumentException("categorical column '" + column + "': category '" + categories.get(i) + "' repeats");
            }
        }
    }

    @Override
    public String column() {
        return column;
    }

    /** The categories in feature order. */
    public List<String> categories() {
        return categories;
    }

    /** Whether missing cells have a feature of their own, the last. */
    public boolean missingCategory() {
        return missingCategory;
    }

    /** The categories of the present cells of {@code trainRows}, sorted; missing as a category if they had gaps. */
    static CategoricalEncoder fit(Table table, int c, int[] trainRows, MissingValues missing) throws DataFormatException {
        TreeSet<String> set = new TreeSet<>();
        boolean gaps = false;
        for (int r : trainRows) {
            String cell = table.cell(r, c);
            if (missing.isMissing(cell)) {
                gaps = true;
            } else if (cell.length() > MAX_CATEGORY_CHARS) {
                throw tooLong(table, r, c);
            } else if (set.add(cell) && set.size() > MAX_CATEGORIES) {
                throw new DataFormatException(table.where(r, c) + ": more than " + MAX_CATEGORIES + " distinct values; too "
                        + "many categories (is it an identifier or free text? leave it out: --ignore " + table.columns().get(c) + ")");
            }
        }
        return new CategoricalEncoder(table.columns().get(c), new ArrayList<>(set), gaps);
    }

    /** A cell too long to be a category, at its place. */
    static DataFormatException tooLong(Table table, int r, int c) {
        return new DataFormatException(table.where(r, c) + ": a text of " + table.cell(r, c).length() + " characters; a category "
                + "has at most " + MAX_CATEGORY_CHARS + " (is it free text? leave it out: --ignore " + table.columns().get(c) + ")");
    }

    @Override
    public int width() {
        return categories.size() + (missingCategory ? 1 : 0);
    }

    @Override
    public List<String> featureNames() {
        List<String> out = new ArrayList<>(width());
        for (String c : categories) out.add(column + "=" + c);
        if (missingCategory) out.add(column + "=(missing)");
        return out;
    }

    @Override
    public void encode(String cell, Table table, int row, int col, float[] out, int at, Tally tally) {
        if (cell == null) {
            if (missingCategory) out[at + categories.size()] = 1;
            tally.imputed(column);
            return;
        }
        Integer k = index.get(cell);
        if (k == null) tally.unseen(column, cell);
        else out[at + k] = 1;
    }

    @Override
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", column);
        m.put("kind", "categorical");
        m.put("categories", categories);
        m.put("missing_category", missingCategory);
        return m;
    }

    static CategoricalEncoder fromMap(SavedMap f) throws ModelFileException {
        String name = f.string("name");
        List<String> cats = f.strings("categories");
        boolean missing = f.bool("missing_category", false);
        if (cats.isEmpty() && !missing) throw f.bad("categories must hold at least one category");
        if (cats.size() > MAX_CATEGORIES) throw f.bad("categories: more than " + MAX_CATEGORIES);
        try {
            return new CategoricalEncoder(name, cats, missing);
        } catch (IllegalArgumentException e) {
            throw f.bad(e.getMessage());
        }
    }

    @Override
    public String describe() {
        int shown = Math.min(categories.size(), 8);
        String list = String.join(", ", categories.subList(0, shown)) + (shown < categories.size() ? ", …" : "");
        return column + ": categorical, " + categories.size() + (categories.size() == 1 ? " category" : " categories")
                + " one-hot (" + list + ")" + (missingCategory ? "; missing is a category of its own" : "")
                + "; a category not seen in training → all zeros";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CategoricalEncoder e && column.equals(e.column) && categories.equals(e.categories)
                && missingCategory == e.missingCategory;
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hash(column, categories, missingCategory);
    }

    @Override
    public String toString() {
        return "CategoricalEncoder[" + describe() + "]";
    }
}
