package dev.backprop.nn;

import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;

/** Ready-made networks. */
public final class Networks {
    private Networks() {}

    /**
     * A multi-layer perceptron: {@code inputs → hidden[0] → … → outputs}, each hidden layer a {@link Linear} followed
     * by {@code activation} (initialised for it: He for the ReLU family, Xavier otherwise), and a plain linear output
     * layer (logits for the cross-entropy losses, values for regression). Hidden sizes may be empty (a linear model).
     *
     * <pre>{@code
     * Sequential net = Networks.mlp(784, List.of(256, 128), 10, Activation.Kind.RELU, new SplittableRandom(42));
     * }</pre>
     */
    public static Sequential mlp(int inputs, List<Integer> hidden, int outputs, Activation.Kind activation, RandomGenerator rng) {
        List<Module> layers = new ArrayList<>();
        int width = inputs;
        for (int h : hidden) {
            if (h < 1) throw new IllegalArgumentException("layer sizes must be at least 1, got " + h);
            layers.add(new Linear(width, h, activation.defaultInit(), rng));
            layers.add(new Activation(activation));
            width = h;
        }
        layers.add(new Linear(width, outputs, rng));
        return new Sequential(layers);
    }
}
