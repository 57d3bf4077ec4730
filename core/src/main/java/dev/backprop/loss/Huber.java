package dev.backprop.loss;

import dev.backprop.tensor.Tensor;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The Huber loss: squared for small errors, linear for large ones, so outliers pull with a bounded force. With
 * {@code d = O − Y} elementwise,
 * <pre>
 *   h(d) = ½ d²             for |d| ≤ δ
 *   h(d) = δ (|d| − ½ δ)    for |d| &gt; δ
 *   E    = (1/(B·K)) Σ_b Σ_k h(d_bk)      (the mean over every element)
 * </pre>
 * Both pieces meet at {@code |d| = δ} with the same value {@code ½δ²} and the same slope {@code ±δ}, so
 * {@code ∂h/∂d = clamp(d, −δ, δ)} everywhere, the boundary included. {@code δ} defaults to 1 (PyTorch's
 * {@code HuberLoss} with {@code reduction='mean'}).
 *
 * <p>Output and target have the same shape, typically {@code [batch, outputs]}; the result is a scalar.
 *
 * <pre>{@code
 * Tensor e = new Huber(0.5).apply(out, y);   // out, y: [B, K]
 * e.backward();
 * }</pre>
 *
 * @param delta where the quadratic part ends; finite and {@code > 0}
 */
public record Huber(double delta) implements Loss {
    /** The registry name, {@value}. */
    public static final String NAME = "huber";
    /** The default {@code δ}. */
    public static final double DEFAULT_DELTA = 1.0;

    /** Validates {@code delta}. */
    public Huber {
        if (!(delta > 0) || Double.isInfinite(delta)) {
            throw new IllegalArgumentException(NAME + ": delta must be finite and > 0, got " + delta);
        }
    }

    /** With {@code δ = 1}. */
    public Huber() {
        this(DEFAULT_DELTA);
    }

    @Override
    public Tensor apply(Tensor output, Tensor target) {
        Targets.requireSameShape(NAME, output, target);
        return new HuberPointwise(delta).apply(output.sub(target)).mean();
    }

    @Override
    public String name() {
        return NAME;
    }

    /** {@code {"name": "huber", "delta": δ}}. */
    @Override
    public Map<String, Object> config() {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("name", NAME);
        c.put("delta", delta);
        return Collections.unmodifiableMap(c);
    }

    static Huber fromConfig(Map<String, ?> config) {
        Configs.requireOnly(config, NAME, "delta");
        return new Huber(Configs.number(config, NAME, "delta", DEFAULT_DELTA));
    }
}
