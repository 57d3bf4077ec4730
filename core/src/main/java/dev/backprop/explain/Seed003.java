package dev.backprop.explain;

import dev.backprop.init.Init;
import dev.backprop.loss.HalfSumSquares;
import dev.backprop.loss.Loss;
import dev.backprop.nn.Activation;
import dev.backprop.nn.Linear;
import dev.backprop.nn.Sequential;
import dev.backprop.tensor.Tensor;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Seed 003's worked example ("Mastering Backpropagation"): its 2-2-2 sigmoid network, its sample, and the numbers
 * the tutorial prints where they differ from a correct computation, so that an explanation of this very network
 * can say where and why.
 */
final class Seed003 {
    private Seed003() {}

    static final double[] INPUT = {0.1, 0.2};
    static final double[] TARGET = {0.05, 0.95};
    static final double[][] W1 = {{0.25, 0.15}, {0.35, 0.28}};
    static final double[] B1 = {0.45, 0.45};
    static final double[][] W2 = {{0.35, 0.20}, {0.45, 0.40}};
    static final double[] B2 = {0.5, 0.5};
    static final double LEARNING_RATE = 0.5;

    /** The tutorial's net(o1), as it prints it: 0.35·0.623633 + 0.20·0.632045 + 0.5 added up wrongly (it is 0.844681). */
    static final String TUTORIAL_NET_O1 = "0.794609";
    /** What the tutorial derives from the slip, as it prints them. */
    static final String TUTORIAL_OUT_O1 = "0.6888201";
    static final String TUTORIAL_ERROR = "0.22661423";
    static final String TUTORIAL_ERROR_AFTER = "0.224991003";

    /** Parameters stored as float32 (as a spec stores them) are within this of the tutorial's decimals. */
    private static final double TOLERANCE = 1e-6;

    /** A fresh copy of the network, float32 as a JSON spec would build it. */
    static Sequential network() {
        SplittableRandom unused = new SplittableRandom(0);      // every value is set below; Linear wants a generator
        Linear hidden = new Linear(2, 2, true, Init.constant(0), Init.constant(0), unused);
        Linear output = new Linear(2, 2, true, Init.constant(0), Init.constant(0), unused);
        hidden.weight().copyFromInPlace(Tensor.matrix(W1));
        hidden.bias().copyFromInPlace(Tensor.vector(B1));
        output.weight().copyFromInPlace(Tensor.matrix(W2));
        output.bias().copyFromInPlace(Tensor.vector(B2));
        return new Sequential(hidden, Activation.sigmoid(), output, Activation.sigmoid());
    }

    /** Whether this is the tutorial's network, sample and loss (any learning rate). */
    static boolean matches(List<SpecLayers.Layer> layers, double[] input, double[] target, Loss loss) {
        if (!(loss instanceof HalfSumSquares) || layers.size() != 2) return false;
        SpecLayers.Layer h = layers.get(0), o = layers.get(1);
        return h.kind() == Activation.Kind.SIGMOID && o.kind() == Activation.Kind.SIGMOID
                && h.inputs() == 2 && h.units() == 2 && o.units() == 2
                && close(h.linear().weight(), W1) && close(h.linear().bias(), B1)
                && close(o.linear().weight(), W2) && close(o.linear().bias(), B2)
                && close(input, INPUT) && close(target, TARGET);
    }

    private static boolean close(Tensor t, double[][] rows) {
        double[] flat = new double[rows.length * rows[0].length];
        for (int r = 0; r < rows.length; r++) System.arraycopy(rows[r], 0, flat, r * rows[0].length, rows[0].length);
        return close(t.toDoubleArray(), flat);
    }

    private static boolean close(Tensor t, double[] v) {
        return close(t.toDoubleArray(), v);
    }

    private static boolean close(double[] a, double[] b) {
        if (a.length != b.length) return false;
        for (int i = 0; i < a.length; i++) if (!(Math.abs(a[i] - b[i]) <= TOLERANCE)) return false;
        return true;
    }
}
