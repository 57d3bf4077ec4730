package dev.backprop.encode;

import dev.backprop.data.Dataset;
import dev.backprop.tensor.Tensor;
import java.util.List;

/**
 * Rows encoded: features {@code [n, inputs]} float32, targets {@code [n]} class indices or {@code [n, outputs]}
 * numbers (null when only features were asked for), the table rows they came from, and what the encoding had to
 * say ({@link #notes()}: cells imputed, categories not seen in training, rows left out for a missing target).
 *
 * @param features {@code [n, inputs]}
 * @param targets  {@code [n]} or {@code [n, outputs]}, or null
 * @param rows     the table row of each sample, in order
 * @param notes    one line each, for people
 */
public record Encoded(Tensor features, Tensor targets, int[] rows, List<String> notes) {
    /** Copies {@code notes}; the tensors and {@code rows} are kept as given. */
    public Encoded {
        notes = List.copyOf(notes);
    }

    /** Features and targets as a data set; there must be targets. */
    public Dataset dataset(String source) {
        if (targets == null) throw new IllegalStateException("encoded without targets");
        return new Dataset(features, targets, source);
    }

    /** Number of samples. */
    public int size() {
        return rows.length;
    }
}
