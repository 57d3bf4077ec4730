package dev.backprop.autograd;

import dev.backprop.tensor.DType;
import dev.backprop.tensor.Shape;
import dev.backprop.tensor.Tensor;
import dev.backprop.tensor.Workspace;

/**
 * One differentiable operation: its forward value and, beside it, its local derivative.
 *
 * <p>An instance is used once: {@link #apply} runs {@link #forward} (which may keep what the derivative will need,
 * such as its inputs or its output) and, when gradients are being recorded, links the result to this function so
 * that {@link Tensor#backward()} can later call {@link #backward} with {@code ∂E/∂output} and receive
 * {@code ∂E/∂input} for each input: the chain rule, one link at a time.
 *
 * <p>Both methods run with recording off, so they may use any tensor operation freely. Subclass it to add an op:
 *
 * <pre>{@code
 * final class Square extends Op {
 *     private Tensor x;
 *     public String name() { return "square"; }
 *     protected Tensor forward(Tensor... in) { x = in[0]; return x.mul(x); }
 *     protected Tensor[] backward(Tensor g) { return new Tensor[] {g.mul(x).mul(2)}; }   // d(x²)/dx = 2x
 * }
 * Tensor y = new Square().apply(x);
 * }</pre>
 * {@link GradCheck} tells you whether such a derivative is right.
 *
 * <p>Inside a {@link Workspace} scope (each {@code Trainer} step), the arrays that {@code forward} and
 * {@code backward} get from {@link Tensor#zeros} are reused by the next step: an op keeps what it allocates only
 * for its own backward pass, never in a field that outlives the step.
 */
public abstract class Op {
    private Tensor[] inputs;
    private boolean intoLeafGradients;

    /** For subclasses: each op is a subclass of its own, and each instance is {@link #apply applied} once. */
    public Op() {}

    /** The op's name in messages and gradient-check reports, e.g. {@code "matmul"}. */
    public abstract String name();

    /** Computes the output from the inputs; keeps whatever {@link #backward} needs. Inputs are never modified. */
    protected abstract Tensor forward(Tensor... inputs);

    /**
     * Given {@code ∂E/∂output} (the output's shape), returns {@code ∂E/∂input_i} for every input, in the input's
     * shape, or {@code null} for an input that needs no gradient (see {@link #needsGrad}).
     */
    protected abstract Tensor[] backward(Tensor gradOutput);

    /**
     * Runs the op. When recording is on ({@link NoGrad}) and some input requires a gradient, the result remembers
     * this function, so that backpropagation can pass through it.
     *
     * @throws IllegalStateException if this instance was applied before
     */
    public final Tensor apply(Tensor... inputs) {
        if (this.inputs != null) {
            throw new IllegalStateException(name() + ": an Op instance is applied once; create a new one");
        }
        this.inputs = inputs.clone();
        Tensor out;
        Workspace workspace = Workspace.beginOp();
        try (NoGrad ignored = NoGrad.enter()) {
            out = forward(inputs);
        } finally {
            Workspace.endOp(workspace);
        }
        if (NoGrad.isRecording()) {
            for (Tensor in : inputs) {
                if (in.requiresGrad()) {
                    out.recordedBy(this);
                    break;
                }
            }
        }
        return out;
    }

    /** The inputs this function was applied to (shared, not copied). */
    public final Tensor[] inputs() {
        return inputs.clone();
    }

    final Tensor input(int i) {
        return inputs[i];
    }

    final int arity() {
        return inputs.length;
    }

    /** Whether input {@code i} needs a gradient; {@link #backward} may skip the work for those that do not. */
    protected final boolean needsGrad(int i) {
        return inputs[i].requiresGrad();
    }

    /**
     * The gradient buffer of input {@code i}, for an op that can add {@code ∂E/∂input_i} into it directly (a matrix
     * product with β = 1) instead of returning a new tensor that backpropagation then adds: no array the size of a
     * weight matrix is allocated per step, and no extra pass reads it. Non-null only during {@link Tensor#backward}
     * for a leaf that keeps its gradient (a parameter) of dtype {@code dtype}; the buffer is created, zeroed, on
     * first use. An op that writes into it returns null for that input; when this returns null the op returns the
     * gradient as usual (so gradient checks, which call {@link #backward} on its own, see every gradient).
     */
    protected final Tensor leafGradient(int i, DType dtype) {
        Tensor in = inputs[i];
        if (!intoLeafGradients || !in.isLeaf() || !in.keepsGrad() || in.dtype() != dtype) return null;
        Tensor g = in.grad();
        if (g == null) {
            // An array of its own, never a workspace's: the buffer outlives the step.
            int n = in.size();
            g = dtype == DType.FLOAT64 ? Tensor.wrap(new double[n], in.shape()) : Tensor.wrap(new float[n], in.shape());
            in.setGrad(g);
        }
        return g.dtype() == dtype ? g : null;
    }

    /** A shape error naming this op, for use in {@link #forward}. */
    protected final IllegalArgumentException shapeError(Shape a, Shape b) {
        return dev.backprop.tensor.ShapeException.of(name(), a, b);
    }

    /**
     * Recomputes the forward value on other inputs of the same shapes, for local gradient checks. It calls
     * {@link #forward} again, so what the op keeps for {@link #backward} now belongs to these inputs.
     */
    final Tensor reforward(Tensor... newInputs) {
        try (NoGrad ignored = NoGrad.enter()) {
            return forward(newInputs);
        }
    }

    /** Calls {@link #backward} with recording off. */
    final Tensor[] runBackward(Tensor gradOutput) {
        return runBackward(gradOutput, false);
    }

    /**
     * Calls {@link #backward} with recording off; with {@code intoLeaves}, the op may add leaf gradients into their
     * buffers itself ({@link #leafGradient}).
     */
    final Tensor[] runBackward(Tensor gradOutput, boolean intoLeaves) {
        intoLeafGradients = intoLeaves;
        Workspace workspace = Workspace.beginOp();
        try (NoGrad ignored = NoGrad.enter()) {
            return backward(gradOutput);
        } finally {
            intoLeafGradients = false;
            Workspace.endOp(workspace);
        }
    }

    @Override
    public String toString() {
        return name();
    }
}
