package dev.backprop.model;

import java.util.Map;

/**
 * What a model predicts for one row: a class with the probability of each class, or numbers in the targets' own
 * units.
 *
 * <pre>{@code
 * switch (model.predict(Map.of("sepal_length", 5.1, "sepal_width", 3.5, "petal_length", 1.4, "petal_width", 0.2))) {
 *     case Prediction.Label l -> System.out.println(l.label() + " " + l.probabilities().get(l.label()));
 *     case Prediction.Values v -> System.out.println(v.values());
 * }
 * }</pre>
 */
public sealed interface Prediction {
    /**
     * A class.
     *
     * @param label         the class's label as the training data wrote it ({@code "setosa"}, {@code "3"})
     * @param index         its output index
     * @param probabilities each class's probability by label, in output order
     */
    record Label(String label, int index, Map<String, Double> probabilities) implements Prediction {
        /** Copies {@code probabilities} into an unmodifiable map, keeping its order. */
        public Label {
            probabilities = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(probabilities));
            if (!probabilities.containsKey(label)) {
                throw new IllegalArgumentException("prediction: label '" + label + "' has no probability (labels: " + probabilities.keySet() + ")");
            }
        }

        /** The probability of the predicted class. */
        public double probability() {
            return probabilities.get(label);
        }
    }

    /**
     * Numbers: a regression's outputs, or the probability of each 0/1 target of a multi-output binary cross-entropy.
     *
     * @param values each target column's value, in output order
     */
    record Values(Map<String, Double> values) implements Prediction {
        /** Copies {@code values} into an unmodifiable map, keeping its order. */
        public Values {
            values = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(values));
        }

        /** The value of target column {@code column}. */
        public double get(String column) {
            Double v = values.get(column);
            if (v == null) throw new IllegalArgumentException("no target column '" + column + "' (targets: " + values.keySet() + ")");
            return v;
        }
    }
}
