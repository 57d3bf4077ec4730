package dev.backprop.data;

import dev.backprop.tensor.Tensor;
import java.util.SplittableRandom;

/** Small generated data sets for teaching and tests. */
public final class Synthetic {
    private Synthetic() {}

    /** XOR: the four points of {0, 1}², target 1 when exactly one input is 1; targets {@code [4, 1]}. */
    public static Dataset xor() {
        return new Dataset(Tensor.of(new double[] {0, 0, 0, 1, 1, 0, 1, 1}, 4, 2),
                Tensor.of(new double[] {0, 1, 1, 0}, 4, 1), "xor");
    }

    /**
     * Two interleaved spirals in the plane, {@code perClass} points each, radius growing with the angle over one and
     * a half turns, plus Gaussian noise of standard deviation {@code noise}. Targets are class indices {@code [n]}
     * (0 and 1). Not linearly separable: a network needs hidden layers to split them.
     */
    public static Dataset spirals(int perClass, double noise, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        int n = 2 * perClass;
        double[] x = new double[2 * n], y = new double[n];
        for (int c = 0; c < 2; c++) {
            for (int i = 0; i < perClass; i++) {
                double t = 0.25 + 2.75 * Math.PI * i / perClass;
                double r = t / (3 * Math.PI);
                int k = c * perClass + i;
                x[2 * k] = r * Math.cos(t + c * Math.PI) + noise * rng.nextGaussian();
                x[2 * k + 1] = r * Math.sin(t + c * Math.PI) + noise * rng.nextGaussian();
                y[k] = c;
            }
        }
        return new Dataset(Tensor.of(x, n, 2), Tensor.of(y, n), "spirals(" + perClass + ", " + noise + ", " + seed + ")");
    }
}
