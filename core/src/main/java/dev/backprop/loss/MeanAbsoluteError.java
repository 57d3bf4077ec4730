package dev.backprop.loss;

import dev.backprop.tensor.Tensor;

/**
 * The mean absolute error, {@code E = (1/(B·K)) Σ_b Σ_k |Y_bk − O_bk|}: the <b>mean over every element</b>, so
 * {@code ∂E/∂O = sign(O − Y)/(B·K)}, taken as 0 where the output equals the target.
 *
 * <p>Output and target have the same shape, typically {@code [batch, outputs]}; the result is a scalar.
 *
 * <pre>{@code
 * Tensor e = new MeanAbsoluteError().apply(out, y);   // out, y: [B, K]
 * e.backward();
 * }</pre>
 */
public record MeanAbsoluteError() implements Loss {
    /** The registry name, {@value}. */
    public static final String NAME = "mae";

    @Override
    public Tensor apply(Tensor output, Tensor target) {
        Targets.requireSameShape(NAME, output, target);
        return output.sub(target).abs().mean();
    }

    @Override
    public String name() {
        return NAME;
    }
}
