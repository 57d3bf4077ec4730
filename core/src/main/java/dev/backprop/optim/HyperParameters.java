package dev.backprop.optim;

import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Reads an optimizer's hyper-parameters back from the {@code Map<String, Double>} of an {@link OptimizerState}. A
 * missing key takes the default (a file written before a setting existed still loads); a key nobody reads is an
 * error, because it is most likely a misspelt setting that would otherwise be silently ignored.
 */
final class HyperParameters {
    private final OptimizerType type;
    private final Map<String, Double> values;
    private final Set<String> known = new LinkedHashSet<>();

    HyperParameters(OptimizerType type, Map<String, Double> values) {
        this.type = type;
        this.values = Objects.requireNonNull(values, "hyperParameters");
    }

    double get(String key, double defaultValue) {
        known.add(key);
        Double v = values.get(key);
        return v == null ? defaultValue : v;
    }

    /** Flags travel as 1.0 and 0.0, since the map holds numbers only. */
    boolean flag(String key, boolean defaultValue) {
        double v = get(key, defaultValue ? 1 : 0);
        if (v != 0 && v != 1) throw new IllegalArgumentException(type + ": " + key + " must be 0 or 1, got " + v);
        return v == 1;
    }

    /** Call after every get: rejects keys that this optimizer does not have. */
    void rejectUnknown() {
        for (String key : values.keySet()) {
            if (!known.contains(key)) {
                throw new IllegalArgumentException(type + ": unknown hyper-parameter '" + key + "'; known: " + known);
            }
        }
    }

    static double flag(boolean value) {
        return value ? 1 : 0;
    }
}
