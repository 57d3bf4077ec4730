package dev.backprop.autograd.ops;

import dev.backprop.autograd.Op;
import dev.backprop.tensor.Broadcast;
import dev.backprop.tensor.DType;
import dev.backprop.tensor.Shape;
import dev.backprop.tensor.Tensor;

/**
 * An elementwise op of two broadcast operands, y = f(a, b). A subclass gives f and its two partial derivatives
 * side by side; this class broadcasts, and in backward sums each partial over the elements an operand was
 * stretched across (a bias added to every row gets the sum of the rows' gradients).
 */
abstract class BinaryPointwise extends Op {
    private Tensor a;
    private Tensor b;
    private Tensor y;
    private Broadcast.Reader readA;
    private Broadcast.Reader readB;

    abstract double value(double a, double b);

    /** ∂y/∂a at (a, b), with y = f(a, b). */
    abstract double da(double a, double b, double y);

    /** ∂y/∂b at (a, b), with y = f(a, b). */
    abstract double db(double a, double b, double y);

    /**
     * The same op over float32 arrays in a loop of its own, for the hot ops (a bias added under every row, a mask
     * multiplied in): the general loop calls {@link #value} through a call site every subclass shares. Returns false
     * to use the general loop.
     */
    boolean forwardFloats(float[] a, Broadcast.Reader ra, float[] b, Broadcast.Reader rb, float[] y) {
        return false;
    }

    /** ∂E/∂a (or ∂E/∂b) for float32 in a loop of its own, or null to use the general loop. */
    Tensor partialFloats(Tensor g, boolean first, Tensor a, Tensor b, Tensor y) {
        return null;
    }

    @Override
    protected final Tensor forward(Tensor... in) {
        Shape shape = Shape.broadcast(name(), in[0].shape(), in[1].shape());
        DType type = DType.promote(in[0].dtype(), in[1].dtype());
        a = in[0].to(type);
        b = in[1].to(type);
        readA = Broadcast.reader(a.shape(), shape);
        readB = Broadcast.reader(b.shape(), shape);
        y = Tensor.zeros(type, shape);
        int n = shape.size();
        if (type == DType.FLOAT32) {
            float[] av = a.floats(), bv = b.floats(), out = y.floats();
            if (!forwardFloats(av, readA, bv, readB, out)) {
                for (int i = 0; i < n; i++) out[i] = (float) value(av[readA.at(i)], bv[readB.at(i)]);
            }
        } else {
            double[] av = a.doubles(), bv = b.doubles(), out = y.doubles();
            for (int i = 0; i < n; i++) out[i] = value(av[readA.at(i)], bv[readB.at(i)]);
        }
        return y;
    }

    @Override
    protected final Tensor[] backward(Tensor g) {
        Tensor ga = needsGrad(0) ? partial(g, true) : null;
        Tensor gb = needsGrad(1) ? partial(g, false) : null;
        return new Tensor[] {ga, gb};
    }

    /** ∂E/∂a (or ∂E/∂b) = Σ over the reads of that element of ∂E/∂y · ∂y/∂a. */
    private Tensor partial(Tensor g, boolean first) {
        if (y.dtype() == DType.FLOAT32) {
            Tensor fast = partialFloats(g.to(DType.FLOAT32), first, a, b, y);
            if (fast != null) return fast;
        }
        Tensor target = first ? a : b;
        Broadcast.Reader read = first ? readA : readB;
        Tensor out = Tensor.zeros(y.dtype(), target.shape());
        int n = y.size();
        if (y.dtype() == DType.FLOAT32) {
            float[] av = a.floats(), bv = b.floats(), yv = y.floats(), gv = g.to(DType.FLOAT32).floats(), r = out.floats();
            for (int i = 0; i < n; i++) {
                float x = av[readA.at(i)], z = bv[readB.at(i)];
                r[read.at(i)] += (float) (gv[i] * (first ? da(x, z, yv[i]) : db(x, z, yv[i])));
            }
        } else {
            double[] av = a.doubles(), bv = b.doubles(), yv = y.doubles(), gv = g.to(DType.FLOAT64).doubles(), r = out.doubles();
            for (int i = 0; i < n; i++) {
                double x = av[readA.at(i)], z = bv[readB.at(i)];
                r[read.at(i)] += gv[i] * (first ? da(x, z, yv[i]) : db(x, z, yv[i]));
            }
        }
        return out;
    }
}
