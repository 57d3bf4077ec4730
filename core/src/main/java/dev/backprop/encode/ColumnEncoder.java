package dev.backprop.encode;

import dev.backprop.data.DataFormatException;
import dev.backprop.data.Table;
import java.util.List;
import java.util.Map;

/**
 * How one input column becomes features: {@link NumericEncoder} (one scaled number, plus a missing-value indicator
 * when the training rows had gaps) or {@link CategoricalEncoder} (one-hot). Fitted on training rows, immutable,
 * saved as {@link #toMap()}.
 */
public sealed interface ColumnEncoder permits NumericEncoder, CategoricalEncoder {
    /** The column's name in the table. */
    String column();

    /** How many features this column gives. */
    int width();

    /** The features' names, {@link #width()} of them. */
    List<String> featureNames();

    /**
     * Writes this column's features for one cell into {@code out[at, at + width())}, which holds zeros.
     *
     * @param cell  the cell's text, or null when it is missing
     * @param table the table and place of the cell, for messages
     * @param tally counts imputed cells and unseen categories
     * @throws DataFormatException a cell that cannot be encoded, naming its file, line and column
     */
    void encode(String cell, Table table, int row, int col, float[] out, int at, Tally tally) throws DataFormatException;

    /** The saved form: {@code name}, {@code kind} and what the kind needs. */
    Map<String, Object> toMap();

    /** One line for people: {@code age: numeric, standardised (mean 41.5, std 12.25); missing → 41.5 + indicator}. */
    String describe();
}
