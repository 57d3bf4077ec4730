package dev.backprop.loss;

import dev.backprop.tensor.Tensor;

/**
 * The seeds' error, {@code E = ½ Σ_b Σ_k (Y_bk − O_bk)²}: half the squared differences, <b>summed</b> over the batch
 * and over the outputs (no mean), so that {@code ∂E/∂O = O − Y} exactly as the seeds write the output delta. Because
 * it is a sum, the gradient grows with the batch size; {@link MeanSquaredError} is the batch-size-free alternative.
 *
 * <p>Output and target have the same shape, typically {@code [batch, outputs]}; the result is a scalar.
 *
 * <pre>{@code
 * Tensor out = x.matmul(w, false, true).add(b).sigmoid();                 // [1, 2], w requires a gradient
 * new HalfSumSquares().apply(out, Tensor.matrix(new double[][] {{0.05, 0.95}})).backward();   // w.grad() = ∂E/∂W
 * }</pre>
 */
public record HalfSumSquares() implements Loss {
    /** The registry name, {@value}. */
    public static final String NAME = "half-sse";

    @Override
    public Tensor apply(Tensor output, Tensor target) {
        Targets.requireSameShape(NAME, output, target);
        return target.sub(output).pow(2).sum().mul(0.5);
    }

    @Override
    public String name() {
        return NAME;
    }
}
