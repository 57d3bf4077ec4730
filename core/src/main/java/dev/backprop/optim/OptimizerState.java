package dev.backprop.optim;

import dev.backprop.tensor.Tensor;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Everything an {@link Optimizer}'s later steps depend on, for checkpoints and model files: its type, its
 * hyper-parameters (PyTorch names, {@code "lr"} the current learning rate, flags as 0 or 1), the number of steps
 * taken, and its buffers as tensors named {@code <parameter>.<slot>} (e.g. {@code "0.weight.exp_avg"}) together
 * with {@code <parameter>.step}, a float64 scalar counting that parameter's updates. The maps keep their order
 * and cannot be modified; {@link Optimizer#state()} fills them with copies, so later steps do not change a state.
 *
 * <pre>{@code
 * OptimizerState saved = opt.state();                            // e.g. at a checkpoint
 * Optimizer resumed = Optimizer.fromState(saved, Map.of("0.weight", w, "0.bias", b));
 * }</pre>
 */
public record OptimizerState(OptimizerType type, Map<String, Double> hyperParameters, long steps,
                             Map<String, Tensor> tensors) {
    /**
     * Checks the state and copies both maps into unmodifiable ones that keep their order.
     *
     * @throws NullPointerException     if {@code type}, a map, a name or a value is null
     * @throws IllegalArgumentException if {@code steps} is negative
     */
    public OptimizerState {
        Objects.requireNonNull(type, "type");
        if (steps < 0) throw new IllegalArgumentException("optimizer state: steps must be >= 0, got " + steps);
        hyperParameters = ordered("hyper-parameter", hyperParameters);
        tensors = ordered("tensor", tensors);
    }

    private static <V> Map<String, V> ordered(String what, Map<String, V> map) {
        Objects.requireNonNull(map, what + "s");
        Map<String, V> copy = new LinkedHashMap<>();
        map.forEach((k, v) -> copy.put(Objects.requireNonNull(k, what + " name"),
                Objects.requireNonNull(v, () -> "optimizer state: " + what + " '" + k + "' is null")));
        return Collections.unmodifiableMap(copy);
    }
}
