package dev.backprop.encode;

import dev.backprop.data.DataFormatException;
import dev.backprop.io.ModelFileException;
import dev.backprop.io.SavedMap;
import dev.backprop.data.Table;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Numeric targets, {@code [n, columns]}, as they are in the file. A regression network built from the data learns
 * them standardised, but through its last layer ({@link dev.backprop.nn.Rescale}) predicts them in their own units,
 * so the encoding stays the identity and every loss, metric and prediction is in the target's units.
 *
 * @param columns the target columns, in output order
 */
public record NumberEncoder(List<String> columns) implements TargetEncoder {
    /**
     * Copies {@code columns}.
     *
     * @throws IllegalArgumentException if there are no columns or one repeats
     */
    public NumberEncoder {
        columns = List.copyOf(columns);
        if (columns.isEmpty()) throw new IllegalArgumentException("numeric target: no columns");
        if (new java.util.HashSet<>(columns).size() != columns.size()) throw new IllegalArgumentException("numeric target: a column repeats: " + columns);
    }

    @Override
    public int outputs() {
        return columns.size();
    }

    /** A present target cell as a number; an error naming its place when it is not one. */
    static double value(Table table, int row, int col) throws DataFormatException {
        String cell = table.cell(row, col);
        double v = Table.parse(cell);
        if (Double.isNaN(v)) {
            String why = Table.notANumber(cell);
            throw new DataFormatException(table.where(row, col) + ": target " + Table.quote(cell) + why
                    + (why.equals(Table.NOT_A_NUMBER) ? "; a regression target must be numeric (to predict classes: --task classify)" : ""));
        }
        return v;
    }

    @Override
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("kind", "numbers");
        m.put("columns", columns);
        return m;
    }

    static NumberEncoder fromMap(SavedMap f) throws ModelFileException {
        List<String> cols = f.strings("columns");
        if (cols.isEmpty()) throw f.bad("columns must name at least one column");
        try {
            return new NumberEncoder(cols);
        } catch (IllegalArgumentException e) {
            throw f.bad(e.getMessage());
        }
    }

    @Override
    public String describe() {
        return "target " + String.join(", ", columns) + ": numbers, in their own units";
    }
}
