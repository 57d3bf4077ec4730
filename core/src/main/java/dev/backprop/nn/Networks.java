package dev.backprop.nn;

import dev.backprop.init.Init;
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
        return mlp(inputs, hidden, outputs, activation, Init.xavierUniform(), rng);
    }

    /**
     * {@link #mlp(int, List, int, Activation.Kind, RandomGenerator)} with the output layer's weights drawn by
     * {@code outputInit} ({@code Init.constant(0)}: the network starts by outputting its biases, 0).
     */
    public static Sequential mlp(int inputs, List<Integer> hidden, int outputs, Activation.Kind activation, Init outputInit,
                                 RandomGenerator rng) {
        List<Module> layers = new ArrayList<>();
        int width = inputs;
        for (int h : hidden) {
            if (h < 1) throw new IllegalArgumentException("layer sizes must be at least 1, got " + h);
            layers.add(new Linear(width, h, activation.defaultInit(), rng));
            layers.add(new Activation(activation));
            width = h;
        }
        layers.add(new Linear(width, outputs, outputInit, rng));
        return new Sequential(layers);
    }

    /**
     * The number of outputs of a network: those of its last {@link Linear} layer (activations, dropout and a final
     * {@link Rescale} keep the width).
     *
     * @throws IllegalArgumentException when it has no linear layer
     */
    public static int outputs(Module network) {
        List<Module> layers = network instanceof Sequential s ? s.layers() : List.of(network);
        for (int i = layers.size() - 1; i >= 0; i--) {
            if (layers.get(i) instanceof Linear l) return l.outputs();
        }
        throw new IllegalArgumentException("the network has no linear layer to count its outputs by");
    }
}
