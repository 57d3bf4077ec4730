package dev.backprop.examples;

import dev.backprop.explain.Explanation;
import dev.backprop.explain.Format;
import dev.backprop.init.Init;
import dev.backprop.nn.Activation;
import dev.backprop.nn.Linear;
import dev.backprop.loss.HalfSumSquares;
import dev.backprop.nn.Sequential;
import dev.backprop.optim.Sgd;
import dev.backprop.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Seed 003, "Mastering Backpropagation": a 2-2-2 sigmoid network, one sample, every number of one step; then the
 * same network trained until the error is below 0.001.
 */
public final class Seed003 implements SeedExample {
    /** The tutorial's own numbers, quoted from its text, for the side-by-side table. */
    static final Map<String, String> TUTORIAL = Map.ofEntries(
            Map.entry("net(h1)", "0.505"), Map.entry("net(h2)", "0.541"),
            Map.entry("out(h1)", "0.623633"), Map.entry("out(h2)", "0.632045"),
            Map.entry("net(o1)", "0.794609"), Map.entry("net(o2)", "1.0334528"),
            Map.entry("out(o1)", "0.6888201"), Map.entry("out(o2)", "0.7375445"),
            Map.entry("E", "0.22661423"), Map.entry("w1 after", "0.249921"), Map.entry("E after", "0.224991003"));

    /** The network as a JSON spec: what {@code backprop explain --model} reads. */
    static final String SPEC = """
            {"inputs": 2, "loss": "half-sse", "layers": [
              {"units": 2, "activation": "sigmoid", "weights": [[0.25, 0.15], [0.35, 0.28]], "biases": [0.45, 0.45]},
              {"units": 2, "activation": "sigmoid", "weights": [[0.35, 0.20], [0.45, 0.40]], "biases": [0.5, 0.5]}]}
            """;

    /** Steps of gradient descent, and the error before each, for the training part. */
    record Training(int stepsBelow, List<double[]> errors, double finalError, double[] finalOutput) {}

    /** The example; {@link #guideSection()} runs it. */
    public Seed003() {}

    @Override
    public String id() {
        return "003";
    }

    @Override
    public String title() {
        return "003: a 2-2-2 network with every number";
    }

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

    /**
     * What an explanation of this tutorial's network, sample and loss adds: the tutorial adds up net(o1) wrongly, and
     * every number it derives from that (out(o1), E, the updates, E after the step) differs from a correct
     * computation. For any other network, sample or loss it adds nothing. {@code backprop explain} and the demo use it.
     */
    public static final Explanation.Remarks TUTORIAL_SLIP = new Explanation.Remarks() {
        @Override
        public List<String> notes(Explanation e) {
            if (!matches(e)) return List.of();
            Explanation.Layer o = e.layer(1);
            double h1 = o.inputValues()[0], h2 = o.inputValues()[1];
            return List.of(
                    "Note on seed 003's tutorial: it prints net(o1) = " + TUTORIAL_NET_O1 + ", an addition slip: "
                            + Format.given(o.weightMatrix()[0][0]) + "·" + Format.computed(h1) + " + " + Format.given(o.weightMatrix()[0][1])
                            + "·" + Format.computed(h2) + " + " + Format.given(o.biasVector()[0]) + " = "
                            + Format.computed(o.unit(0).net()) + ".",
                    "So its out(o1) = " + TUTORIAL_OUT_O1 + " and E = " + TUTORIAL_ERROR
                            + ", and the updates worked from them, differ from the values above (out(o1) = "
                            + Format.computed(o.unit(0).out()) + ", E = " + Format.computed(e.loss()) + ").",
                    "The tutorial updates the weights only, leaving the biases, and reports E = "
                            + TUTORIAL_ERROR_AFTER + " after the step; computed correctly that is "
                            + Format.computed(e.lossAfterWeightsOnly()) + " (and " + Format.computed(e.lossAfter())
                            + " with the biases updated too).");
        }

        @Override
        public String netRemark(Explanation e, int layer, int unit) {
            return layer == 1 && unit == 0 && matches(e) ? "the tutorial prints " + TUTORIAL_NET_O1 + ": an addition slip, see the note" : null;
        }
    };

    /** Whether {@code e} explains the tutorial's network, sample and loss (any learning rate). */
    static boolean matches(Explanation e) {
        if (!(e.lossFunction() instanceof HalfSumSquares) || e.layers().size() != 2) return false;
        Explanation.Layer h = e.layer(0), o = e.layer(1);
        return h.activation() == Activation.Kind.SIGMOID && o.activation() == Activation.Kind.SIGMOID
                && h.fanIn() == 2 && h.size() == 2 && o.size() == 2
                && close(h.weightMatrix(), W1) && close(h.biasVector(), B1)
                && close(o.weightMatrix(), W2) && close(o.biasVector(), B2)
                && close(e.input(), INPUT) && close(e.target(), TARGET);
    }

    private static boolean close(double[][] a, double[][] b) {
        if (a.length != b.length) return false;
        for (int r = 0; r < a.length; r++) if (!close(a[r], b[r])) return false;
        return true;
    }

    private static boolean close(double[] a, double[] b) {
        if (a == null || a.length != b.length) return false;
        for (int i = 0; i < a.length; i++) if (!(Math.abs(a[i] - b[i]) <= TOLERANCE)) return false;
        return true;
    }

    /** A fresh copy of the tutorial's network, float32 as its JSON spec builds it. */
    public static Sequential network() {
        SplittableRandom unused = new SplittableRandom(0);      // every value is set below; Linear wants a generator
        Linear hidden = new Linear(2, 2, true, Init.constant(0), Init.constant(0), unused);
        Linear output = new Linear(2, 2, true, Init.constant(0), Init.constant(0), unused);
        hidden.weight().copyFromInPlace(Tensor.matrix(W1));
        hidden.bias().copyFromInPlace(Tensor.vector(B1));
        output.weight().copyFromInPlace(Tensor.matrix(W2));
        output.bias().copyFromInPlace(Tensor.vector(B2));
        return new Sequential(hidden, Activation.sigmoid(), output, Activation.sigmoid());
    }

    /**
     * The tutorial's step, explained: its 2-2-2 sigmoid network, x = (0.1, 0.2), y = (0.05, 0.95), half the sum of
     * squares, α = 0.5, with the note on its addition slip in net(o1).
     */
    public static Explanation explanation() {
        return Explanation.builder(network(), new HalfSumSquares()).input(INPUT).target(TARGET).learningRate(LEARNING_RATE)
                .remarks(TUTORIAL_SLIP).build();
    }

    /**
     * Plain gradient descent, W ← W − 0.5·∂E/∂W on the one sample, until E falls below 0.001 (at most {@code maxSteps});
     * with {@code biasesToo = false} only the weights move, as in the tutorial.
     */
    static Training train(boolean biasesToo, int maxSteps) {
        Sequential net = network();
        if (!biasesToo) {
            for (var e : net.namedParameters().entrySet()) if (e.getKey().endsWith("bias")) e.getValue().requiresGrad(false);
        }
        Tensor x = Tensor.matrix(new double[][] {{0.1, 0.2}}), y = Tensor.matrix(new double[][] {{0.05, 0.95}});
        HalfSumSquares loss = new HalfSumSquares();
        Sgd sgd = Sgd.builder().lr(0.5).build(net.namedParameters());
        List<double[]> errors = new ArrayList<>();
        int below = -1;
        double error = Double.NaN;
        for (int step = 0; step <= maxSteps; step++) {
            Tensor e = loss.apply(net.forward(x), y);
            error = e.item();
            if (step == 0 || step == 1 || step == 10 || step == 100 || step % 1000 == 0) errors.add(new double[] {step, error});
            if (error < 0.001) {
                below = step;
                if (errors.get(errors.size() - 1)[0] != step) errors.add(new double[] {step, error});
                break;
            }
            sgd.zeroGrad();
            e.backward();
            sgd.step();
        }
        return new Training(below, errors, error, net.forward(x).toDoubleArray());
    }

    @Override
    public String guideSection() {
        Explanation e = explanation();
        StringBuilder sb = new StringBuilder();
        sb.append("The tutorial's network: inputs x = (0.1, 0.2), targets y = (0.05, 0.95), sigmoid everywhere, ")
                .append("E = ½ Σ (y − out)², learning rate 0.5. As a JSON spec (`seed003.json`):\n\n```json\n")
                .append(SPEC.strip()).append("\n```\n\n");
        sb.append("`./backprop explain --model seed003.json --input 0.1,0.2 --target 0.05,0.95 --lr 0.5` prints every step:\n\n```\n")
                .append(e.toText().strip()).append("\n```\n\n");

        Explanation.Layer h = e.layer(0), o = e.layer(1);
        sb.append("Side by side with the tutorial:\n\n| value | tutorial | backprop | |\n|---|---|---|---|\n");
        row(sb, "net(h1)", h.unit(0).net(), "");
        row(sb, "net(h2)", h.unit(1).net(), "");
        row(sb, "out(h1)", h.unit(0).out(), "the tutorial truncates 0.6236336");
        row(sb, "out(h2)", h.unit(1).out(), "");
        row(sb, "net(o1)", o.unit(0).net(), "**the tutorial's slip**: 0.35·0.623634 + 0.20·0.632045 + 0.5 = 0.844681");
        row(sb, "net(o2)", o.unit(1).net(), "");
        row(sb, "out(o1)", o.unit(0).out(), "follows from the slip");
        row(sb, "out(o2)", o.unit(1).out(), "the tutorial's 0.7375445 does not follow from its own 1.0334528 either");
        row(sb, "E", e.loss(), "follows from the slip");
        row(sb, "w1 after", h.weightsAfter()[0][0], "w(x1→h1) after one step; the tutorial's gradient is built on its slipped out(o1)");
        row(sb, "E after", e.lossAfterWeightsOnly(), "weights only, biases left alone, as the tutorial does");
        sb.append('\n');
        sb.append(String.format(Locale.ROOT, "The tutorial updates only the weights. Updating the biases too, as every library "
                + "does, lowers the error further in the same step: %.6f instead of %.6f.%n%n", e.lossAfter(), e.lossAfterWeightsOnly()));

        Training both = train(true, 20_000), weightsOnly = train(false, 20_000);
        sb.append("Repeating the step (plain gradient descent on the one sample, α = 0.5), the tutorial promises an error "
                + "\"less than 0.1\" after thousands of iterations. It gets much lower:\n\n");
        sb.append("| step | E (weights and biases) | E (weights only) |\n|---|---|---|\n");
        java.util.TreeMap<Integer, String[]> rows = new java.util.TreeMap<>();
        for (double[] r : both.errors()) rows.computeIfAbsent((int) r[0], k -> new String[2])[0] = String.format(Locale.ROOT, "%.6f", r[1]);
        for (double[] r : weightsOnly.errors()) rows.computeIfAbsent((int) r[0], k -> new String[2])[1] = String.format(Locale.ROOT, "%.6f", r[1]);
        for (var r : rows.entrySet()) {
            sb.append("| ").append(r.getKey()).append(" | ").append(r.getValue()[0] == null ? "" : r.getValue()[0])
                    .append(" | ").append(r.getValue()[1] == null ? "" : r.getValue()[1]).append(" |\n");
        }
        sb.append(String.format(Locale.ROOT, "%nE falls below 0.001 after %d steps with the biases trained (outputs %.4f, %.4f for "
                        + "targets 0.05, 0.95) and after %s with the weights only.%n",
                both.stepsBelow(), both.finalOutput()[0], both.finalOutput()[1],
                weightsOnly.stepsBelow() < 0 ? "more than 20000 steps" : weightsOnly.stepsBelow() + " steps"));
        return sb.toString();
    }

    private static void row(StringBuilder sb, String name, double ours, String note) {
        sb.append("| ").append(name).append(" | ").append(TUTORIAL.get(name)).append(" | ")
                .append(String.format(Locale.ROOT, "%.6f", ours)).append(" | ").append(note).append(" |\n");
    }
}
