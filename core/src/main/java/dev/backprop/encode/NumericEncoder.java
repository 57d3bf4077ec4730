package dev.backprop.encode;

import dev.backprop.io.Messages;
import dev.backprop.data.DataFormatException;
import dev.backprop.io.ModelFileException;
import dev.backprop.io.SavedMap;
import dev.backprop.data.Table;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A numeric column: the feature is {@code scale(x)}; a missing cell takes {@code fill}, the mean of the training rows'
 * present values, and, when the training rows had missing cells, a second feature {@code column (missing)} is 1
 * for it and 0 otherwise, so that the network can tell an imputed value from a real one.
 *
 * @param column    the column's name
 * @param scale     the scaling fitted on the training rows
 * @param fill      the value a missing cell takes (before scaling)
 * @param indicator whether the column has a missing-value indicator feature
 */
public record NumericEncoder(String column, Scale scale, double fill, boolean indicator) implements ColumnEncoder {
    /**
     * Checks the settings.
     *
     * @throws IllegalArgumentException if {@code column} is null or empty, {@code scale} is null or {@code fill} is
     *                                  not finite
     */
    public NumericEncoder {
        if (column == null || column.isEmpty()) throw new IllegalArgumentException("numeric column: no name");
        if (scale == null) throw new IllegalArgumentException("numeric column '" + column + "': no scale");
        if (!Double.isFinite(fill)) throw new IllegalArgumentException("numeric column '" + column + "': fill " + fill + " is not finite");
    }

    /**
     * Fits column {@code c} of {@code table}: every present cell must be a number (checked on every row, so a bad
     * cell is found now, not at prediction); the scale and the fill come from the present cells of {@code trainRows}.
     *
     * @param indicators whether to add a missing-value indicator when the training rows have missing cells
     */
    static NumericEncoder fit(Table table, int c, int[] trainRows, Scaling scaling, MissingValues missing,
                              boolean indicators, ColumnProfile profile) throws DataFormatException {
        String name = table.columns().get(c);
        for (int r = 0; r < table.size(); r++) {
            String cell = table.cell(r, c);
            if (!missing.isMissing(cell) && Double.isNaN(Table.parse(cell))) {
                String at = table.where(r, c) + ": " + Table.quote(cell);
                if (Table.isDecimal(cell)) {
                    throw new DataFormatException(at + Table.notANumber(cell) + " (give the column in other units, or mark such "
                            + "cells missing: --missing-values)");
                }
                throw new DataFormatException(at + Table.NOT_A_NUMBER + " (the column holds numbers in " + profile.numbers() + " of its "
                        + profile.present() + " filled cells; to read it as categories: --categorical " + name + "; to mark such "
                        + "cells missing: --missing-values)");
            }
        }
        double[] values = new double[trainRows.length];
        int n = 0;
        for (int r : trainRows) {
            String cell = table.cell(r, c);
            if (!missing.isMissing(cell)) values[n++] = Table.parse(cell);
        }
        Scale scale;
        try {
            scale = scaling.fit(values, n);
        } catch (ArithmeticException e) {
            throw new DataFormatException(table.source() + ": column " + Table.quote(name) + ": values too large to scale (their "
                    + e.getMessage() + ")");
        }
        double sum = 0;
        for (int i = 0; i < n; i++) sum += values[i];
        double fill = n == 0 ? 0 : sum / n;
        if (!Double.isFinite(fill)) fill = scale.center();
        return new NumericEncoder(name, scale, fill, indicators && n < trainRows.length);
    }

    @Override
    public int width() {
        return indicator ? 2 : 1;
    }

    @Override
    public List<String> featureNames() {
        return indicator ? List.of(column, column + " (missing)") : List.of(column);
    }

    @Override
    public void encode(String cell, Table table, int row, int col, float[] out, int at, Tally tally) throws DataFormatException {
        if (cell == null) {
            out[at] = (float) scale.apply(fill);
            if (indicator) out[at + 1] = 1;
            tally.imputed(column);
            return;
        }
        double v = Table.parse(cell);
        if (Double.isNaN(v)) {
            throw new DataFormatException(table.where(row, col) + ": " + Table.quote(cell) + Table.notANumber(cell));
        }
        out[at] = (float) scale.apply(v);
    }

    @Override
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", column);
        m.put("kind", "numeric");
        m.put("scaling", scale.kind().key());
        m.putAll(scale.toMap());
        m.put("fill", fill);
        m.put("indicator", indicator);
        return m;
    }

    static NumericEncoder fromMap(SavedMap f) throws ModelFileException {
        String name = f.string("name");
        Scaling scaling;
        try {
            scaling = Scaling.of(f.string("scaling"));
        } catch (IllegalArgumentException e) {
            throw f.bad(e.getMessage());
        }
        Scale scale;
        try {
            scale = switch (scaling) {
                case NONE -> new Scale.Identity();
                case STANDARD -> new Scale.Standard(f.number("mean"), f.number("std"));
                case MIN_MAX -> new Scale.MinMax(f.number("min"), f.number("max"));
            };
            return new NumericEncoder(name, scale, f.number("fill"), f.bool("indicator", false));
        } catch (IllegalArgumentException e) {
            throw f.bad(e.getMessage());
        }
    }

    @Override
    public String describe() {
        String s = column + ": numeric, " + switch (scale) {
            case Scale.Identity i -> "not scaled";
            case Scale.Standard st -> "standardised (mean " + Messages.number(st.mean()) + ", std " + Messages.number(st.std()) + ")";
            case Scale.MinMax mm -> "min-max scaled (min " + Messages.number(mm.min()) + ", max " + Messages.number(mm.max()) + ")";
        };
        return s + "; a missing cell → " + Messages.number(fill) + (indicator ? " and the indicator '" + column + " (missing)'" : "");
    }
}
