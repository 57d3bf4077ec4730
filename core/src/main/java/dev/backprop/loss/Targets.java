package dev.backprop.loss;

import dev.backprop.tensor.ShapeException;
import dev.backprop.tensor.Tensor;

/** The checks every loss makes before computing, so that its errors name the loss rather than an inner op. */
final class Targets {
    private Targets() {}

    /**
     * Requires equal shapes. Broadcasting is refused on purpose: a {@code [n, 1]} target against a {@code [n, k]}
     * output would broadcast into a wrong loss without any error.
     */
    static void requireSameShape(String loss, Tensor output, Tensor target) {
        requireNonEmpty(loss, output, target);
        if (!output.shape().equals(target.shape())) throw ShapeException.of(loss, output.shape(), target.shape());
    }

    /** Requires both tensors, and an output with at least one element (a mean over nothing is 0/0). */
    static void requireNonEmpty(String loss, Tensor output, Tensor target) {
        // The messages are built only on failure: this runs on every training step.
        if (output == null) throw new NullPointerException(loss + ": output");
        if (target == null) throw new NullPointerException(loss + ": target");
        if (output.size() == 0) {
            throw new ShapeException(loss + ": the output " + output.shape() + " is empty (target " + target.shape() + ")");
        }
    }
}
