package dev.backprop.encode;

import dev.backprop.data.Table;
import java.util.HashSet;
import java.util.Set;

/**
 * What one column of a table holds, counted over its rows: missing cells, numbers, whole numbers, other text, and
 * distinct values. {@link TableEncoder} reads a column's kind from it, and the task from its target's.
 *
 * <p>A column is numeric when most of its present cells are numbers ({@link #numeric()}): one stray text in a column
 * of numbers ({@code 1,5}, {@code 5+}, {@code inf}) is then an error naming its line and column, not a reason to
 * one-hot encode the whole column, wherever in the file it stands.
 *
 * @param column       the column's name
 * @param rows         rows looked at
 * @param missing      cells that are missing ({@link MissingValues})
 * @param numbers      present cells that are decimal numbers ({@link Table#isDecimal}; those beyond a float too)
 * @param wholeNumbers of those, the whole numbers (|v| ≤ 2<sup>53</sup>)
 * @param firstText    the first row whose present cell is not a number, or −1
 * @param distinct     distinct present texts (for a numeric column: distinct values), counted up to
 *                     {@link #DISTINCT_LIMIT}
 * @param consecutive  numeric, every value a whole number seen once, and together a run with no gaps
 *                     (5, 6, …, n + 4 in any order)
 * @param min          the least number, or NaN when there is none
 * @param decimalCommas present cells that are numbers written with a decimal comma ({@code 0,5}, {@code -12,75}), which
 *                     are text to a reader that takes '.' as the decimal point
 */
public record ColumnProfile(String column, int rows, int missing, int numbers, int wholeNumbers, int firstText,
                            int distinct, boolean consecutive, double min, int decimalCommas) {
    private static final java.util.regex.Pattern DECIMAL_COMMA = java.util.regex.Pattern.compile("[+-]?\\d+,\\d+");

    /** Distinct values counted at most; past it, {@link #distinct()} stays here. */
    public static final int DISTINCT_LIMIT = 100_000;

    /** Profiles column {@code c} of {@code table} over every row. */
    public static ColumnProfile of(Table table, int c, MissingValues missingValues) {
        int n = table.size(), missing = 0, numbers = 0, whole = 0, firstText = -1, commas = 0;
        Set<String> texts = new HashSet<>();
        Set<Double> values = new HashSet<>();
        double min = Double.POSITIVE_INFINITY, max = Double.NEGATIVE_INFINITY;
        for (int r = 0; r < n; r++) {
            String cell = table.cell(r, c);
            if (missingValues.isMissing(cell)) {
                missing++;
                continue;
            }
            double v = Table.parse(cell);
            if (Double.isNaN(v) && Table.isDecimal(cell)) {
                numbers++;   // a number beyond a float: it counts towards a numeric column, where it is then an error
                continue;
            }
            if (Double.isNaN(v)) {
                if (firstText < 0) firstText = r;
                if (cell.length() < 64 && DECIMAL_COMMA.matcher(cell).matches()) commas++;
                if (texts.size() < DISTINCT_LIMIT) texts.add(cell);
                continue;
            }
            numbers++;
            if (v == Math.rint(v) && Math.abs(v) <= 0x1p53) whole++;
            if (values.size() < DISTINCT_LIMIT) values.add(v == 0 ? 0.0 : v);   // -0.0 and 0.0 are one value
            min = Math.min(min, v);
            max = Math.max(max, v);
        }
        int textCells = n - missing - numbers;
        boolean numeric = numbers > textCells;
        int distinct = numeric ? values.size() : Math.min(DISTINCT_LIMIT, texts.size() + values.size());
        boolean consecutive = numeric && textCells == 0 && whole == numbers && distinct == numbers && numbers > 1
                && max - min + 1 == numbers;
        return new ColumnProfile(table.columns().get(c), n, missing, numbers, whole, firstText, distinct, consecutive,
                numbers == 0 ? Double.NaN : min, commas);
    }

    /** Present cells: not missing. */
    public int present() {
        return rows - missing;
    }

    /**
     * Whether the column is numbers written with a decimal comma: most of its present cells are ({@code 0,5}), so it
     * is neither numeric to a '.' reader nor meant as categories.
     */
    public boolean decimalCommaNumbers() {
        return !numeric() && decimalCommas > 0 && decimalCommas * 2 > texts();
    }

    /** Present cells that are not numbers. */
    public int texts() {
        return rows - missing - numbers;
    }

    /** Whether every cell is missing. */
    public boolean empty() {
        return present() == 0;
    }

    /** Whether the column holds numbers: more of its present cells are numbers than are not. */
    public boolean numeric() {
        return numbers > texts();
    }

    /** Whether the values are 0 … n−1 or 1 … n, each once, with no cell missing: the signature of a row number. */
    public boolean rowNumbers() {
        return consecutive && missing == 0 && (min == 0 || min == 1);
    }

    /** Whether every present cell is a whole number (and there is at least one). */
    public boolean allWholeNumbers() {
        return numbers > 0 && wholeNumbers == numbers && texts() == 0;
    }
}
