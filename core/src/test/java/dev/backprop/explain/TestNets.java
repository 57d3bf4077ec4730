package dev.backprop.explain;

import dev.backprop.init.Init;
import dev.backprop.loss.Loss;
import dev.backprop.nn.Activation;
import dev.backprop.nn.Linear;
import dev.backprop.nn.Module;
import dev.backprop.nn.Sequential;
import dev.backprop.tensor.DType;
import dev.backprop.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/** Small random networks of the spec's shape, and data for them, drawn from explicit seeds. */
final class TestNets {
    private TestNets() {}

    /** Every activation a spec can name, with a non-default parameter where it has one. */
    static List<Activation> allActivations() {
        List<Activation> out = new ArrayList<>();
        for (Activation.Kind k : Activation.Kind.values()) {
            out.add(switch (k) {
                case LEAKY_RELU -> Activation.leakyRelu(0.1);
                case ELU -> Activation.elu(0.7);
                default -> new Activation(k);
            });
        }
        return out;
    }

    /**
     * Linear + activation pairs of the given sizes ({@code sizes[0]} inputs), weights normal with standard deviation
     * 0.8 and biases uniform in [−0.5, 0.5), so that units sit neither all at zero nor saturated.
     */
    static Sequential network(long seed, int[] sizes, Activation... activations) {
        SplittableRandom rng = new SplittableRandom(seed);
        List<Module> ms = new ArrayList<>();
        for (int k = 0; k < activations.length; k++) {
            Linear l = new Linear(sizes[k], sizes[k + 1], true, Init.normal(0, 0.8), Init.uniform(-0.5, 0.5), rng);
            ms.add(l);
            ms.add(activations[k]);
        }
        return new Sequential(ms);
    }

    /** Seed 003's 2-2-2 sigmoid network with the tutorial's weights and biases (the examples module has the tutorial). */
    static Sequential seed003() {
        SplittableRandom unused = new SplittableRandom(0);
        Linear hidden = new Linear(2, 2, true, Init.constant(0), Init.constant(0), unused);
        Linear output = new Linear(2, 2, true, Init.constant(0), Init.constant(0), unused);
        hidden.weight().copyFromInPlace(Tensor.matrix(new double[][] {{0.25, 0.15}, {0.35, 0.28}}));
        hidden.bias().copyFromInPlace(Tensor.vector(0.45, 0.45));
        output.weight().copyFromInPlace(Tensor.matrix(new double[][] {{0.35, 0.20}, {0.45, 0.40}}));
        output.bias().copyFromInPlace(Tensor.vector(0.5, 0.5));
        return new Sequential(hidden, Activation.sigmoid(), output, Activation.sigmoid());
    }

    /** Features {@code [n, inputs]}, normal. */
    static Tensor features(long seed, int n, int inputs) {
        return Tensor.randn(new SplittableRandom(seed), n, inputs);
    }

    /** Targets the loss takes: class indices {@code [n]} for cross-entropy, 0/1 for bce, normal values otherwise. */
    static Tensor targets(long seed, Loss loss, int n, int outputs) {
        SplittableRandom rng = new SplittableRandom(seed);
        if (loss.name().equals("cross-entropy")) {
            double[] c = new double[n];
            for (int i = 0; i < n; i++) c[i] = rng.nextInt(outputs);
            return Tensor.of(DType.FLOAT32, c, n);
        }
        double[] y = new double[n * outputs];
        for (int i = 0; i < y.length; i++) y[i] = loss.name().equals("bce") ? rng.nextInt(2) : rng.nextGaussian();
        return Tensor.of(DType.FLOAT32, y, n, outputs);
    }

    /** The activation a loss's output layer gets in the tests: the one it fuses, or the hidden one otherwise. */
    static Activation outputFor(Loss loss, Activation hidden) {
        return switch (loss.name()) {
            case "cross-entropy" -> Activation.softmax();
            case "bce" -> Activation.sigmoid();
            default -> hidden;
        };
    }
}
