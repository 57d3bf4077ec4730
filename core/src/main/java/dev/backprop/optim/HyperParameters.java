package dev.backprop.optim;

import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Reads an optimizer's hyper-parameters back from the {@code Map<String, Double>} of an {@link OptimizerState}, for
 * an {@link OptimizerType.Factory}. A missing key takes the default (a file written before a setting existed still
 * loads); a key nobody reads is an error, because it is most likely a misspelt setting that would otherwise be
 * silently ignored.
 *
 * <pre>{@code
 * OptimizerType LION = OptimizerType.of("lion", (h, params) ->
 *         new Lion(params, h.get("lr", 1e-4), h.get("beta1", 0.9), h.get("beta2", 0.99)));
 * }</pre>
 */
public final class HyperParameters {
    private final OptimizerType type;
    private final Map<String, Double> values;
    private final Set<String> known = new LinkedHashSet<>();

    HyperParameters(OptimizerType type, Map<String, Double> values) {
        this.type = type;
        this.values = Objects.requireNonNull(values, "hyperParameters");
    }

    /** The value of {@code key}, or {@code defaultValue} when the state has none. */
    public double get(String key, double defaultValue) {
        known.add(key);
        Double v = values.get(key);
        return v == null ? defaultValue : v;
    }

    /**
     * The flag {@code key}, or {@code defaultValue}: flags travel as 1.0 and 0.0, since the map holds numbers only.
     *
     * @throws IllegalArgumentException when the value is neither 0 nor 1
     */
    public boolean flag(String key, boolean defaultValue) {
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

    /** How a flag is stored among the numbers of {@link Optimizer#hyperParameters()}: 1.0 or 0.0. */
    public static double flag(boolean value) {
        return value ? 1 : 0;
    }
}
