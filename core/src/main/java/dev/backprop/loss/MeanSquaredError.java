package dev.backprop.loss;

import dev.backprop.tensor.Tensor;

/**
 * The mean squared error, {@code E = (1/(B·K)) Σ_b Σ_k (Y_bk − O_bk)²}: the <b>mean over every element</b> (batch
 * {@code B} times outputs {@code K}), so {@code ∂E/∂O = 2(O − Y)/(B·K)}.
 *
 * <p>Output and target have the same shape, typically {@code [batch, outputs]}; the result is a scalar.
 *
 * <pre>{@code
 * Tensor e = new MeanSquaredError().apply(out, y);   // out, y: [B, K]
 * e.backward();
 * }</pre>
 */
public record MeanSquaredError() implements Loss {
    /** The registry name, {@value}. */
    public static final String NAME = "mse";

    @Override
    public Tensor apply(Tensor output, Tensor target) {
        Targets.requireSameShape(NAME, output, target);
        return output.sub(target).pow(2).mean();
    }

    @Override
    public String name() {
        return NAME;
    }
}
