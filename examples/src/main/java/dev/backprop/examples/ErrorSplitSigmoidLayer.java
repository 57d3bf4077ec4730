package dev.backprop.examples;

import dev.backprop.autograd.Op;
import dev.backprop.tensor.Tensor;

/**
 * A sigmoid layer, out = σ(x·Wᵀ + b), trained the way the code of Tariq Rashid's <i>Make Your Own Neural Network</i>
 * trains one: the layer's own weights get the true gradient, but the error it hands back to the layer below leaves
 * out the layer's σ(1 − σ).
 *
 * <p>With {@code e = ∂E/∂out} ({@code [batch, out]}) and δ = e ∘ σ(1 − σ):
 * <pre>
 * ∂E/∂W = δᵀ·x      (true)            ∂E/∂b = Σ_batch δ   (true)
 * "∂E/∂x" = e·W     (the true one is δ·W; the book's hidden_errors = numpy.dot(self.who.T, output_errors))
 * </pre>
 * Inputs: {@code x [batch, in]}, {@code W [out, in]}, {@code b [out]}; output {@code [batch, out]}.
 *
 * <pre>{@code
 * Tensor h = new ErrorSplitSigmoidLayer().apply(x, w1, b1);
 * Tensor out = new ErrorSplitSigmoidLayer().apply(h, w2, b2);
 * }</pre>
 */
final class ErrorSplitSigmoidLayer extends Op {
    /** The name GradCheck reports when it finds this op at fault. */
    static final String NAME = "sigmoid layer, error split by weights";

    private Tensor x;
    private Tensor w;
    private Tensor out;

    @Override
    public String name() {
        return NAME;
    }

    @Override
    protected Tensor forward(Tensor... in) {
        x = in[0];
        w = in[1];
        out = x.matmul(w, false, true).add(in[2]).sigmoid();
        return out;
    }

    @Override
    protected Tensor[] backward(Tensor e) {
        Tensor delta = e.mul(out).mul(out.neg().add(1));          // δ = e ∘ σ(1 − σ), as the true gradient has it
        Tensor gw = needsGrad(1) ? delta.matmul(x, true, false) : null;
        Tensor gb = needsGrad(2) ? delta.sum(0, false) : null;
        Tensor gx = needsGrad(0) ? e.matmul(w) : null;             // e·W, not δ·W: the book's error split by weights
        return new Tensor[] {gx, gw, gb};
    }
}
