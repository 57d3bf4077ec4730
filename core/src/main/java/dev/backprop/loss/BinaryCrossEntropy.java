package dev.backprop.loss;

import dev.backprop.tensor.Tensor;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Binary cross-entropy from logits (PyTorch's {@code BCEWithLogitsLoss}), fused with the sigmoid in one op. For a
 * logit {@code z} and a target {@code y} in [0, 1], elementwise,
 * <pre>
 *   ℓ(z, y) = (1 − y)·z + (1 + (pw − 1)·y)·(log(1 + e^−|z|) + max(−z, 0))
 *   E       = (1/(B·K)) Σ_b Σ_k ℓ(z_bk, y_bk)       (the mean over every element)
 * </pre>
 * which for {@code pw = 1} is {@code −y·log σ(z) − (1 − y)·log(1 − σ(z)) = max(z, 0) − z·y + log(1 + e^−|z|)}: no
 * exponent is positive, so no logit overflows, and the derivative {@code ∂ℓ/∂z = (1 + (pw − 1)·y)·σ(z) − pw·y}
 * (= σ(z) − y for pw = 1) is computed directly. {@code pw}, the positive-class weight ({@code pos_weight}),
 * multiplies the loss of the positive part ({@code y = 1}): above 1 it favours recall on rare positives.
 *
 * <p>Output (logits) and target have the same shape, typically {@code [batch, outputs]} with one independent
 * yes/no per output; the target is not checked to lie in [0, 1] (soft labels are fine). The result is a scalar; a
 * target that requires a gradient gets {@code ∂E/∂y} too.
 *
 * <pre>{@code
 * Tensor e = new BinaryCrossEntropy(3.0).apply(logits, labels);   // logits, labels: [B, K]
 * e.backward();
 * }</pre>
 *
 * @param posWeight the positive-class weight pw; finite and {@code >= 0}, default 1 (unweighted)
 */
public record BinaryCrossEntropy(double posWeight) implements Loss {
    /** The registry name, {@value}. */
    public static final String NAME = "bce";

    /** Validates {@code posWeight}. */
    public BinaryCrossEntropy {
        if (!(posWeight >= 0) || Double.isInfinite(posWeight)) {
            throw new IllegalArgumentException(NAME + ": posWeight must be finite and >= 0, got " + posWeight);
        }
    }

    /** Unweighted ({@code pw = 1}). */
    public BinaryCrossEntropy() {
        this(1.0);
    }

    @Override
    public Tensor apply(Tensor output, Tensor target) {
        Targets.requireSameShape(NAME, output, target);
        return new SigmoidBinaryCrossEntropy(posWeight).apply(output, target);
    }

    @Override
    public Input input() {
        return Input.SIGMOID_LOGITS;
    }

    @Override
    public String name() {
        return NAME;
    }

    /** {@code {"name": "bce", "posWeight": pw}}. */
    @Override
    public Map<String, Object> config() {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("name", NAME);
        c.put("posWeight", posWeight);
        return Collections.unmodifiableMap(c);
    }

    static BinaryCrossEntropy fromConfig(Map<String, ?> config) {
        Configs.requireOnly(config, NAME, "posWeight");
        return new BinaryCrossEntropy(Configs.number(config, NAME, "posWeight", 1.0));
    }
}
