package dev.backprop.tensor;

/**
 * A tensor operation was given operands whose shapes do not fit. The message names the operation and the shapes,
 * e.g. {@code matmul: [128, 784] x [256, 10]}.
 */
public final class ShapeException extends IllegalArgumentException {
    /** An exception with {@code message}: the operation and the shapes, as {@link #of} writes them for two operands. */
    public ShapeException(String message) {
        super(message);
    }

    /** {@code op: [a] x [b]}, the form used for binary operations. */
    public static ShapeException of(String op, Shape a, Shape b) {
        return new ShapeException(op + ": " + a + " x " + b);
    }
}
