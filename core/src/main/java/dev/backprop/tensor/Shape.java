package dev.backprop.tensor;

import java.util.Arrays;

/**
 * The dimensions of a tensor, outermost first (row-major): {@code [rows, columns]} for a matrix, {@code []} for a
 * scalar. Immutable.
 *
 * <pre>{@code
 * Shape s = Shape.of(128, 784);   // s.size() == 100352, s.toString() == "[128, 784]"
 * }</pre>
 */
public final class Shape {
    private static final Shape SCALAR = new Shape(new int[0]);

    private final int[] dims;
    private final int size;

    private Shape(int[] dims) {
        this.dims = dims;
        long n = 1;
        for (int d : dims) {
            if (d < 0) throw new IllegalArgumentException("negative dimension in " + Arrays.toString(dims));
            n *= d;
            if (n > Integer.MAX_VALUE - 8) {
                throw new IllegalArgumentException("shape " + Arrays.toString(dims) + " has more than 2^31 elements");
            }
        }
        this.size = (int) n;
    }

    /** A shape with these dimensions; {@code Shape.of()} is the scalar shape. */
    public static Shape of(int... dims) {
        return dims.length == 0 ? SCALAR : new Shape(dims.clone());
    }

    /** The shape of a scalar: no dimensions, one element. */
    public static Shape scalar() {
        return SCALAR;
    }

    /** Number of dimensions. */
    public int rank() {
        return dims.length;
    }

    /** Dimension {@code axis}; a negative axis counts from the end ({@code -1} is the last). */
    public int dim(int axis) {
        return dims[axis(axis)];
    }

    /** Number of elements (1 for a scalar). */
    public int size() {
        return size;
    }

    /** A copy of the dimensions. */
    public int[] dims() {
        return dims.clone();
    }

    /** True for a scalar or any shape of exactly one element. */
    public boolean isScalarLike() {
        return size == 1;
    }

    /** Resolves a possibly negative axis to {@code 0..rank-1}, or throws naming the shape. */
    public int axis(int axis) {
        int a = axis < 0 ? axis + dims.length : axis;
        if (a < 0 || a >= dims.length) {
            throw new IllegalArgumentException("axis " + axis + " is out of range for shape " + this);
        }
        return a;
    }

    /** Row-major strides: how far apart in the flat array consecutive indices of each dimension are. */
    public int[] strides() {
        int[] s = new int[dims.length];
        int stride = 1;
        for (int i = dims.length - 1; i >= 0; i--) {
            s[i] = stride;
            stride *= dims[i];
        }
        return s;
    }

    /** The product of the dimensions before {@code axis}. */
    public int outer(int axis) {
        int n = 1;
        for (int i = 0; i < axis; i++) n *= dims[i];
        return n;
    }

    /** The product of the dimensions after {@code axis}. */
    public int inner(int axis) {
        int n = 1;
        for (int i = axis + 1; i < dims.length; i++) n *= dims[i];
        return n;
    }

    /** This shape with dimension {@code axis} removed, or set to 1 when {@code keep}. */
    public Shape reduce(int axis, boolean keep) {
        int a = axis(axis);
        if (keep) {
            int[] d = dims.clone();
            d[a] = 1;
            return new Shape(d);
        }
        int[] d = new int[dims.length - 1];
        for (int i = 0, j = 0; i < dims.length; i++) if (i != a) d[j++] = dims[i];
        return d.length == 0 ? SCALAR : new Shape(d);
    }

    /** This shape with {@code dims[axis]} replaced. */
    public Shape with(int axis, int value) {
        int[] d = dims.clone();
        d[axis(axis)] = value;
        return new Shape(d);
    }

    /**
     * The shape of an elementwise result of {@code a} and {@code b} under NumPy broadcasting: dimensions are
     * aligned from the right, and a dimension of 1 (or a missing one) stretches to match the other.
     *
     * @throws ShapeException naming {@code op} and both shapes when they cannot be broadcast
     */
    public static Shape broadcast(String op, Shape a, Shape b) {
        if (a.equals(b)) return a;
        int rank = Math.max(a.rank(), b.rank());
        int[] out = new int[rank];
        for (int i = 0; i < rank; i++) {
            int da = i < rank - a.rank() ? 1 : a.dims[i - (rank - a.rank())];
            int db = i < rank - b.rank() ? 1 : b.dims[i - (rank - b.rank())];
            if (da != db && da != 1 && db != 1) throw ShapeException.of(op, a, b);
            out[i] = da == 1 ? db : da;
        }
        return Shape.of(out);
    }

    /**
     * Strides for reading a tensor of this shape as if it had shape {@code target} (which it broadcasts to):
     * 0 along the dimensions this shape stretches over.
     */
    public int[] broadcastStrides(Shape target) {
        int rank = target.rank();
        int[] own = strides();
        int[] s = new int[rank];
        int shift = rank - dims.length;
        for (int i = shift; i < rank; i++) {
            int d = dims[i - shift];
            s[i] = d == 1 ? 0 : own[i - shift];
        }
        return s;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Shape s && Arrays.equals(dims, s.dims);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(dims);
    }

    /** {@code [128, 784]}; {@code []} for a scalar. */
    @Override
    public String toString() {
        return Arrays.toString(dims);
    }
}
