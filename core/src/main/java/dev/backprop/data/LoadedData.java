package dev.backprop.data;

import java.util.List;
import java.util.Objects;

/**
 * What {@link DataSource#load} found: a table, still to be preprocessed, or images ready to train on.
 *
 * <pre>{@code
 * switch (DataSource.load("builtin:iris")) {
 *     case LoadedData.Tabular t -> Preprocessing.fit(t.table(), t.defaultTargets(), t.classify(), t.scaling(), rows);
 *     case LoadedData.Images i -> trainer.fit(i.train());           // i.preprocessing() goes into the model file
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
     * @param classify       whether the default targets are classes (for a CSV file: when the last column is not
     *                       numeric); a suggestion the user may override
     * @param scaling        the scaling to use when the user names none: {@link Preprocessing.Scaling#NONE} for the
     *                       seeds' xor and seed003, whose networks take the inputs as they are (and standardising
     *                       seed003's single sample would make every input 0), else
     *                       {@link Preprocessing.Scaling#STANDARD}
     * @param description    what it is
     */
    record Tabular(Table table, List<String> defaultTargets, boolean classify, Preprocessing.Scaling scaling,
                   String description) implements LoadedData {
        public Tabular {
            Objects.requireNonNull(table, "table");
            defaultTargets = List.copyOf(defaultTargets);
            Objects.requireNonNull(scaling, "scaling");
            Objects.requireNonNull(description, "description");
        }
    }

    /**
     * Images with class labels, already scaled as {@link #preprocessing()} says: features {@code [n, pixels]}, targets
     * class indices {@code [n]}.
     *
     * @param train         the training images
     * @param test          the test images, or null when the source has none
     * @param preprocessing {@link Preprocessing#pixels}: pixel count, scale and class names, for the model file
     * @param description   what it is
     */
    record Images(Dataset train, Dataset test, Preprocessing preprocessing, String description) implements LoadedData {
        public Images {
            Objects.requireNonNull(train, "train");
            Objects.requireNonNull(preprocessing, "preprocessing");
            Objects.requireNonNull(description, "description");
        }
    }
}
