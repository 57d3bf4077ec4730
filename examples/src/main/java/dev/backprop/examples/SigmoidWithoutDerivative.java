package dev.backprop.examples;

import dev.backprop.autograd.Op;
import dev.backprop.tensor.Tensor;

/**
 * The sigmoid with its local derivative left out, as seed 002 asks whether one may: forward it is σ(net), backward it
 * hands {@code ∂E/∂out} on unchanged as if it were {@code ∂E/∂net}, so the factor σ(1 − σ) never enters the chain.
 *
 * <p>Deliberately <em>not</em> a derivative: what backpropagates through it is not the gradient of anything, and
 * {@link dev.backprop.autograd.GradCheck} says so, naming this op. It exists to measure how far that direction is from
 * the true gradient.
 *
 * <pre>{@code
 * Tensor out = new SigmoidWithoutDerivative().apply(x.matmul(w, false, true).add(b));   // [batch, units]
 * }</pre>
 */
final class SigmoidWithoutDerivative extends Op {
    /** The name GradCheck reports when it finds this op at fault. */
    static final String NAME = "sigmoid without σ′";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    protected Tensor forward(Tensor... in) {
        return in[0].sigmoid();
    }

    @Override
    protected Tensor[] backward(Tensor gradOutput) {
        // The true rule is ∂E/∂net = ∂E/∂out · σ(1 − σ); the variant keeps only the first factor.
        return new Tensor[] {gradOutput};
    }
}
