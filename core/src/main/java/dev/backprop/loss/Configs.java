package dev.backprop.loss;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/** Reading a loss's parameters back from a {@link Loss#config()} map, strictly: a misspelt key is an error, not a default. */
final class Configs {
    private Configs() {}

    /** Throws unless every key of {@code config} is {@code "name"} or one of {@code parameters}. */
    static void requireOnly(Map<String, ?> config, String loss, String... parameters) {
        Set<String> known = new TreeSet<>(Arrays.asList(parameters));
        known.add("name");
        for (String key : config.keySet()) {
            if (!known.contains(key)) {
                throw new IllegalArgumentException(loss + ": unknown config key '" + key + "'; known keys: "
                        + String.join(", ", known));
            }
        }
    }

    /** The number under {@code key}, or {@code fallback} when the key is absent or null. */
    static double number(Map<String, ?> config, String loss, String key, double fallback) {
        Object v = config.get(key);
        if (v == null) return fallback;
        if (v instanceof Number n) return n.doubleValue();
        throw new IllegalArgumentException(loss + ": config '" + key + "' must be a number, got " + v);
    }

    /** The numbers under {@code key} (a list, or a double[]), or null when the key is absent or null. */
    static double[] numbers(Map<String, ?> config, String loss, String key) {
        Object v = config.get(key);
        if (v == null) return null;
        if (v instanceof double[] a) return a.clone();
        if (v instanceof List<?> list) {
            double[] out = new double[list.size()];
            for (int i = 0; i < out.length; i++) {
                if (!(list.get(i) instanceof Number n)) {
                    throw new IllegalArgumentException(loss + ": config '" + key + "' must be a list of numbers, got "
                            + list.get(i) + " at position " + i);
                }
                out[i] = n.doubleValue();
            }
            return out;
        }
        throw new IllegalArgumentException(loss + ": config '" + key + "' must be a list of numbers, got " + v);
    }

    /** An unmodifiable list of the values, the form a config map holds them in (JSON writers understand lists). */
    static List<Double> list(double[] values) {
        List<Double> out = new ArrayList<>(values.length);
        for (double v : values) out.add(v);
        return List.copyOf(out);
    }
}
