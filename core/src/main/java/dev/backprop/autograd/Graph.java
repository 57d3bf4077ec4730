package dev.backprop.autograd;

import dev.backprop.tensor.ShapeException;
import dev.backprop.tensor.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reverse-mode differentiation over the recorded graph: a topological order of the tensors that lead to the
 * output, then one pass from the output back to the leaves, where every op turns {@code ∂E/∂output} into
 * {@code ∂E/∂input} and contributions to the same tensor are added (a value used twice gets both).
 */
public final class Graph {
    private Graph() {}

    /**
     * Backpropagates from {@code output}. With {@code upstream == null} the output must hold one element and
     * {@code ∂E/∂output = 1}. Leaves that require a gradient have it added to their {@link Tensor#grad()}.
     */
    public static void backward(Tensor output, Tensor upstream) {
        if (!output.requiresGrad()) {
            throw new IllegalStateException("backward(): the tensor does not require a gradient (no input was "
                    + "marked requiresGrad(true), or it was computed inside a NoGrad scope)");
        }
        Tensor seed;
        if (upstream == null) {
            if (output.size() != 1) {
                throw new IllegalStateException("backward(): the output has shape " + output.shape()
                        + "; pass backward(upstream) with a gradient of that shape, or reduce it to a scalar first");
            }
            seed = Tensor.zeros(output.dtype(), output.shape()).fillInPlace(1);
        } else {
            if (!upstream.shape().equals(output.shape())) {
                throw new ShapeException("backward: upstream gradient " + upstream.shape() + " for output " + output.shape());
            }
            seed = upstream.to(output.dtype());
        }

        List<Tensor> order = topologicalOrder(output);
        Map<Tensor, Tensor> pending = new IdentityHashMap<>();
        pending.put(output, seed);
        try (NoGrad ignored = NoGrad.enter()) {
            for (int i = order.size() - 1; i >= 0; i--) {
                Tensor t = order.get(i);
                Tensor g = pending.remove(t);
                if (g == null) continue;
                Op fn = t.gradFn();
                if (t.keepsGrad()) accumulate(t, g);
                if (fn == null) continue;
                Tensor[] grads = fn.runBackward(g, true);
                if (grads.length != fn.arity()) {
                    throw new IllegalStateException(fn.name() + ": backward returned " + grads.length
                            + " gradients for " + fn.arity() + " inputs");
                }
                for (int j = 0; j < grads.length; j++) {
                    Tensor in = fn.input(j);
                    if (!in.requiresGrad() || grads[j] == null) continue;
                    Tensor gj = grads[j];
                    if (!gj.shape().equals(in.shape())) {
                        throw new ShapeException(fn.name() + ": backward gave a gradient of shape " + gj.shape()
                                + " for input " + j + " of shape " + in.shape());
                    }
                    gj = gj.to(in.dtype());
                    Tensor prev = pending.get(in);
                    // A fresh sum, never in place: an op may hand the same tensor to several inputs.
                    pending.put(in, prev == null ? gj : prev.add(gj));
                }
            }
        }
    }

    private static void accumulate(Tensor t, Tensor g) {
        Tensor existing = t.grad();
        if (existing == null) t.setGrad(g.copy());
        else existing.addInPlace(g, 1);
    }

    /**
     * The tensors the output depends on through recorded ops, each after all of its inputs, the output last.
     * Iterative (an explicit stack), so a chain of any length backpropagates without a stack overflow.
     */
    public static List<Tensor> topologicalOrder(Tensor output) {
        List<Tensor> order = new ArrayList<>();
        Set<Tensor> visited = Collections.newSetFromMap(new IdentityHashMap<>());
        // The stack as two parallel arrays: a tensor and the index of its next input to visit.
        Tensor[] tensors = new Tensor[16];
        int[] next = new int[16];
        int top = 0;
        visited.add(output);
        tensors[0] = output;
        while (top >= 0) {
            Tensor t = tensors[top];
            Op fn = t.gradFn();
            if (fn != null && next[top] < fn.arity()) {
                Tensor in = fn.input(next[top]++);
                if (in.requiresGrad() && visited.add(in)) {
                    if (++top == tensors.length) {
                        tensors = Arrays.copyOf(tensors, 2 * top);
                        next = Arrays.copyOf(next, 2 * top);
                    }
                    tensors[top] = in;
                    next[top] = 0;
                }
            } else {
                tensors[top--] = null;
                order.add(t);
            }
        }
        return order;
    }

    /** The distinct ops in the graph of {@code output}, inputs first. */
    public static List<Op> ops(Tensor output) {
        List<Op> fns = new ArrayList<>();
        for (Tensor t : topologicalOrder(output)) if (t.gradFn() != null) fns.add(t.gradFn());
        return fns;
    }

}
