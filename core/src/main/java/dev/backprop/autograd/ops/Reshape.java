package dev.backprop.autograd.ops;

import dev.backprop.autograd.Op;
import dev.backprop.tensor.Shape;
import dev.backprop.tensor.Tensor;

/** The same elements in another shape (no copy); the gradient is reshaped back. */
public final class Reshape extends Op {
    private final Shape target;
    private Shape source;

    /**
     * Reshapes to {@code target}, which must hold as many elements as the input (no {@code -1} to infer a
     * dimension); otherwise applying it throws {@link dev.backprop.tensor.ShapeException}.
     */
    public Reshape(Shape target) {
        this.target = target;
    }

    @Override
    public String name() {
        return "reshape";
    }

    @Override
    protected Tensor forward(Tensor... in) {
        source = in[0].shape();
        return in[0].view(target);
    }

    @Override
    protected Tensor[] backward(Tensor g) {
        return new Tensor[] {g.view(source)};
    }
}
