package dev.backprop.io;

import dev.backprop.tensor.Tensor;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * An optimizer's state as a model file keeps it, so that training can resume where it stopped: plain data, with the
 * same four fields as the optimizer package's state, which converts to and from it.
 *
 * <pre>{@code
 * SavedOptimizer s = new SavedOptimizer("adam", Map.of("lr", 1e-3, "beta1", 0.9), 100, Map.of("m.0.weight", m0));
 * }</pre>
 *
 * @param type            the optimizer's name, e.g. {@code "adam"}
 * @param hyperParameters its settings by name (non-finite values are kept: they are stored as the JSON strings
 *                        {@code "NaN"}, {@code "Infinity"}, {@code "-Infinity"})
 * @param steps           how many updates it has made (Adam's bias correction depends on it)
 * @param tensors         its per-parameter state (moments, velocities) by name; stored in the file as
 *                        {@code "optimizer." + name}
 */
public record SavedOptimizer(String type, Map<String, Double> hyperParameters, long steps, Map<String, Tensor> tensors) {
    /**
     * Checks the fields and copies both maps into unmodifiable ones that keep their order.
     *
     * @throws NullPointerException     if {@code type} or a map is null
     * @throws IllegalArgumentException if {@code type} is blank, {@code steps} is negative, or a map holds a null (or,
     *                                  for tensors, empty) name or a null value
     */
    public SavedOptimizer {
        Objects.requireNonNull(type, "type");
        if (type.isBlank()) throw new IllegalArgumentException("optimizer type is blank");
        if (steps < 0) throw new IllegalArgumentException("optimizer steps must be >= 0, got " + steps);
        hyperParameters = Collections.unmodifiableMap(new LinkedHashMap<>(Objects.requireNonNull(hyperParameters, "hyperParameters")));
        tensors = Collections.unmodifiableMap(new LinkedHashMap<>(Objects.requireNonNull(tensors, "tensors")));
        for (var e : hyperParameters.entrySet()) {
            if (e.getKey() == null || e.getValue() == null) throw new IllegalArgumentException("optimizer hyperparameter: null name or value");
        }
        for (var e : tensors.entrySet()) {
            if (e.getKey() == null || e.getKey().isEmpty() || e.getValue() == null) {
                throw new IllegalArgumentException("optimizer state: empty name or null tensor");
            }
        }
    }
}
