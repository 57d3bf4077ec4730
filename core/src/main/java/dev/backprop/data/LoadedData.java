package dev.backprop.data;

import dev.backprop.encode.PixelEncoder;
import dev.backprop.encode.Scaling;
import dev.backprop.encode.TargetKind;
import java.util.List;
import java.util.Objects;

/**
 * What {@link DataSource#load} found: a table, still to be preprocessed, or images ready to train on.
 *
 * <pre>{@code
 * switch (DataSource.load("builtin:iris")) {
 *     case LoadedData.Tabular t -> Model.builder().targets(t.defaultTargets()).fit(t.table());
 *     case LoadedData.Images i -> Model.builder().fit(i.train(), i.test(), i.encoder());
 * }
 * }</pre>
 */
public sealed interface LoadedData {
    /** One line saying what the data is, for messages and provenance. */
    String description();

    /**
     * Rows and columns of text (a CSV file, or a built-in table).
     *
     * @param table          the cells
     * @param defaultTargets the columns to predict when the user names none (a CSV file's last column)
     * @param kind           what the default targets hold, for a built-in set; null for a file (inferred from the
     *                       column, see {@link dev.backprop.encode.TableEncoder})
     * @param scaling        the scaling to use when the user names none: {@link Scaling#NONE} for the seeds' xor and
     *                       seed003, whose networks take the inputs as they are (and standardising seed003's single
     *                       sample would make every input 0), else {@link Scaling#STANDARD}
     * @param description    what it is
     */
    record Tabular(Table table, List<String> defaultTargets, TargetKind kind, Scaling scaling,
                   String description) implements LoadedData {
        /** Copies {@code defaultTargets}; {@code table}, {@code scaling} and {@code description} must not be null. */
        public Tabular {
            Objects.requireNonNull(table, "table");
            defaultTargets = List.copyOf(defaultTargets);
            Objects.requireNonNull(scaling, "scaling");
            Objects.requireNonNull(description, "description");
        }
    }

    /**
     * Images with class labels, already scaled as {@link #encoder()} says: features {@code [n, pixels]}, targets
     * class indices {@code [n]}.
     *
     * @param train       the training images
     * @param test        the test images, or null when the source has none
     * @param encoder     pixel count, scale and class names, for the model file
     * @param description what it is
     */
    record Images(Dataset train, Dataset test, PixelEncoder encoder, String description) implements LoadedData {
        /** {@code train}, {@code encoder} and {@code description} must not be null; {@code test} may be. */
        public Images {
            Objects.requireNonNull(train, "train");
            Objects.requireNonNull(encoder, "encoder");
            Objects.requireNonNull(description, "description");
        }
    }
}
