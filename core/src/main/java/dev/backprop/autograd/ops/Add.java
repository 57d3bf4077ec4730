package dev.backprop.autograd.ops;

/** y = a + b (broadcast); ∂y/∂a = ∂y/∂b = 1. */
public final class Add extends BinaryPointwise {
    /** A fresh add op (an instance is applied once). */
    public Add() {}

    @Override
    public String name() {
        return "add";
    }

    @Override
    double value(double a, double b) {
        return a + b;
    }

    @Override
    double da(double a, double b, double y) {
        return 1;
    }

    @Override
    double db(double a, double b, double y) {
        return 1;
    }

    @Override
    boolean forwardFloats(float[] a, dev.backprop.tensor.Broadcast.Reader ra, float[] b,
                          dev.backprop.tensor.Broadcast.Reader rb, float[] y) {
        return Rows.add(a, ra, b, rb, y, 1f);
    }

    @Override
    dev.backprop.tensor.Tensor partialFloats(dev.backprop.tensor.Tensor g, boolean first, dev.backprop.tensor.Tensor a,
                                             dev.backprop.tensor.Tensor b, dev.backprop.tensor.Tensor y) {
        // ∂y/∂a = ∂y/∂b = 1: each operand's gradient is g summed over what it was stretched across.
        return dev.backprop.tensor.Broadcast.sumTo(g, (first ? a : b).shape());
    }
}
