package dev.backprop.examples;

import dev.backprop.autograd.NoGrad;
import dev.backprop.data.Dataset;
import dev.backprop.init.Init;
import dev.backprop.loss.MeanSquaredError;
import dev.backprop.nn.Activation;
import dev.backprop.nn.Linear;
import dev.backprop.nn.Module;
import dev.backprop.nn.Sequential;
import dev.backprop.optim.Sgd;
import dev.backprop.tensor.DType;
import dev.backprop.tensor.Tensor;
import dev.backprop.train.EpochRecord;
import dev.backprop.train.History;
import dev.backprop.train.Trainer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Seed 001, "Understanding Backpropagation Algorithm": the tutorial's 4-layer network [4, 2, 2, 1] with a linear
 * output and no output bias, its local gradients δ⁽ˡ⁾ = ∂C/∂z⁽ˡ⁾ by autodiff and by the backward recursion, its
 * worked gradient ∂C/∂w₂₂⁽²⁾, then the network (and a wider one) trained with sigmoid, ReLU and tanh.
 *
 * <p>Notation as the tutorial's forward pass: a⁽¹⁾ = x, z⁽ˡ⁺¹⁾ = W⁽ˡ⁾a⁽ˡ⁾ + b⁽ˡ⁾, a⁽ˡ⁺¹⁾ = f(z⁽ˡ⁺¹⁾) for l = 1, 2,
 * s = W⁽³⁾a⁽³⁾, C = (y − s)². W⁽ˡ⁾ is {@code [units of layer l+1, units of layer l]}, as the library's
 * {@link Linear} stores it, so the library's layers hold the tutorial's matrices unchanged.
 *
 * <pre>{@code
 * Seed001.LocalGradients g = Seed001.localGradients(Activation.Kind.SIGMOID);
 * g.maxDeltaDifference();   // recursion against autodiff
 * }</pre>
 */
public final class Seed001 implements SeedExample {
    /** Seed of the example network's weights, of the regression data, and of every training run. */
    static final long SEED = 1;
    /** Units per layer: the tutorial's 4 inputs, two hidden layers of 2 ("4 neurons for the hidden layers"), 1 output. */
    static final int[] LAYERS = {4, 2, 2, 1};
    /** The wider network the training part compares with. */
    static final int[] WIDE_LAYERS = {4, 8, 8, 1};
    /** The sample of the worked gradients: a point of the regression task, y = target(x). */
    static final double[] INPUT = {0.5, -0.2, 0.1, 0.8};

    static final int SAMPLES = 300;
    static final double LEARNING_RATE = 0.1;
    static final int BATCH = 16;
    static final int EPOCHS = 300;
    /** The training loss the table counts epochs to: about 5% of the targets' variance. */
    static final double THRESHOLD = 0.02;
    static final List<Activation.Kind> ACTIVATIONS = List.of(Activation.Kind.SIGMOID, Activation.Kind.RELU,
            Activation.Kind.TANH);

    /** The regression task: a smooth function of four inputs that two hidden layers of two units can approximate. */
    static double target(double[] x) {
        return 0.8 * Math.sin(x[0] + x[1]) + 0.4 * Math.tanh(2 * (x[2] - x[3]));
    }

    /**
     * One forward and backward pass on {@link #INPUT}, in float64, written out and by autodiff.
     *
     * @param kind       the hidden activation f
     * @param weights    W⁽¹⁾ {@code [2, 4]}, W⁽²⁾ {@code [2, 2]}, W⁽³⁾ {@code [1, 2]}
     * @param biases     b⁽¹⁾, b⁽²⁾ (the output has none)
     * @param z          z⁽²⁾, z⁽³⁾, and z⁽⁴⁾ = s (the linear output)
     * @param a          a⁽¹⁾ = x, a⁽²⁾, a⁽³⁾
     * @param y          the target
     * @param cost       C = (y − s)²
     * @param deltas     δ⁽²⁾, δ⁽³⁾, δ⁽⁴⁾ by the recursion: δ⁽⁴⁾ = ∂C/∂s = 2(s − y), δ⁽ˡ⁾ = (W⁽ˡ⁾)ᵀδ⁽ˡ⁺¹⁾ ∘ f′(z⁽ˡ⁾)
     * @param autoDeltas δ⁽²⁾, δ⁽³⁾, δ⁽⁴⁾ by autodiff: the gradients retained on z⁽²⁾, z⁽³⁾ and s
     * @param weightGradients ∂C/∂W⁽ˡ⁾ = δ⁽ˡ⁺¹⁾(a⁽ˡ⁾)ᵀ from the recursion's δ
     * @param autoWeightGradients ∂C/∂W⁽ˡ⁾ by autodiff
     * @param biasGradients ∂C/∂b⁽ˡ⁾ = δ⁽ˡ⁺¹⁾ from the recursion's δ
     * @param autoBiasGradients ∂C/∂b⁽ˡ⁾ by autodiff
     * @param autoDCdA3  ∂C/∂a⁽³⁾ by autodiff (retained on a⁽³⁾)
     */
    record LocalGradients(Activation.Kind kind, double[][][] weights, double[][] biases, double[][] z, double[][] a,
                          double y, double cost, double[][] deltas, double[][] autoDeltas,
                          double[][][] weightGradients, double[][][] autoWeightGradients,
                          double[][] biasGradients, double[][] autoBiasGradients, double[] autoDCdA3) {

        /** Largest |recursion − autodiff| over every δ. */
        double maxDeltaDifference() {
            double max = 0;
            for (int l = 0; l < deltas.length; l++) max = Math.max(max, maxAbsDiff(deltas[l], autoDeltas[l]));
            return max;
        }

        /** Largest |δ-formula − autodiff| over every weight and bias gradient. */
        double maxParameterDifference() {
            double max = 0;
            for (int l = 0; l < weightGradients.length; l++) {
                for (int j = 0; j < weightGradients[l].length; j++) {
                    max = Math.max(max, maxAbsDiff(weightGradients[l][j], autoWeightGradients[l][j]));
                }
            }
            for (int l = 0; l < biasGradients.length; l++) {
                max = Math.max(max, maxAbsDiff(biasGradients[l], autoBiasGradients[l]));
            }
            return max;
        }

        /** ∂C/∂a₂⁽³⁾ by hand: ∂C/∂s · ∂s/∂a₂⁽³⁾ = 2(s − y) · W⁽³⁾₁₂. */
        double dCdA32() {
            return 2 * (z[2][0] - y) * weights[2][0][1];
        }

        /** f′(z₂⁽³⁾). */
        double fPrimeZ32() {
            return fPrime(kind, z[1][1]);
        }

        /** The tutorial's ∂C/∂w₂₂⁽²⁾ = ∂C/∂a₂⁽³⁾ · f′(z₂⁽³⁾) · a₂⁽²⁾. */
        double dCdW22TutorialFormula() {
            return dCdA32() * fPrimeZ32() * a[1][1];
        }

        /** ∂C/∂w₂₂⁽²⁾ by autodiff: element [1, 1] (row: unit 2 of layer 3; column: unit 2 of layer 2) of W⁽²⁾'s gradient. */
        double dCdW22Autodiff() {
            return autoWeightGradients[1][1][1];
        }
    }

    /**
     * One network's training run.
     *
     * @param kind            the hidden activation
     * @param layers          units per layer
     * @param epochLosses     each epoch's mean training loss (MSE over its mini-batches, before their steps)
     * @param finalLoss       MSE over all samples after training
     * @param epochsToThreshold the first epoch whose training loss is below {@link #THRESHOLD}, or −1
     * @param activeSamples   per hidden layer, per unit, on how many samples its activation is nonzero after training
     */
    record Run(Activation.Kind kind, int[] layers, double[] epochLosses, double finalLoss, int epochsToThreshold,
               int[][] activeSamples) {}

    /** The example; {@link #guideSection()} runs it. */
    public Seed001() {}

    @Override
    public String id() {
        return "001";
    }

    @Override
    public String title() {
        return "001: a 4-layer network and its local gradients";
    }


    /**
     * The tutorial's network [4, 2, 2, 1] (or {@code layers}): Linear + f for each hidden layer, then a Linear
     * output without bias; weights from {@code weightInit}, biases from {@code biasInit}, drawn from {@code rng} layer
     * by layer.
     */
    static Sequential network(int[] layers, Activation.Kind kind, Init weightInit, Init biasInit, SplittableRandom rng) {
        List<Module> modules = new ArrayList<>();
        for (int l = 0; l + 2 < layers.length; l++) {
            modules.add(new Linear(layers[l], layers[l + 1], true, weightInit, biasInit, rng));
            modules.add(new Activation(kind));
        }
        int last = layers.length - 1;
        modules.add(new Linear(layers[last - 1], layers[last], false, weightInit, biasInit, rng));   // s = W⁽³⁾a⁽³⁾
        return new Sequential(modules);
    }

    /** The worked example's network: every weight and bias from uniform(−1, 1) with {@link #SEED}. */
    static Sequential exampleNetwork(Activation.Kind kind) {
        return network(LAYERS, kind, Init.uniform(-1, 1), Init.uniform(-1, 1), new SplittableRandom(SEED));
    }

    /** f′(z) for the hidden activations used here. */
    static double fPrime(Activation.Kind kind, double z) {
        return switch (kind) {
            case SIGMOID -> {
                double s = 1 / (1 + Math.exp(-z));
                yield s * (1 - s);
            }
            case TANH -> {
                double t = Math.tanh(z);
                yield 1 - t * t;
            }
            case RELU -> z > 0 ? 1 : 0;
            default -> throw new IllegalArgumentException("seed 001 uses sigmoid, relu or tanh, not " + kind.id());
        };
    }

    /**
     * The forward pass of {@link #exampleNetwork} on {@link #INPUT} through its layers one by one, every z and a
     * retaining its gradient, one backward pass from C; and the same δ and gradients by the recursion in plain double
     * arithmetic. The network's float32 parameters are put back as exact float64 copies first, so that the two ways
     * differ only by float64 rounding.
     */
    static LocalGradients localGradients(Activation.Kind kind) {
        return SameEverywhere.compute(() -> {
            Sequential net = exampleNetwork(kind);
            Map<String, Tensor> wide = new LinkedHashMap<>();
            for (var e : net.namedParameters().entrySet()) {
                wide.put(e.getKey(), e.getValue().to(DType.FLOAT64).requiresGrad(true));
            }
            net.setParameters(wide);
            List<Linear> linears = new ArrayList<>();
            for (var m : net.layers()) if (m instanceof Linear l) linears.add(l);
            int layers = linears.size();
            double[][][] weights = new double[layers][][];
            double[][] biases = new double[layers - 1][];
            for (int l = 0; l < layers; l++) {
                weights[l] = rows(linears.get(l).weight());
                if (l < layers - 1) biases[l] = linears.get(l).bias().toDoubleArray();
            }
            double y = target(INPUT);

            // Autodiff through the library's layers: each Linear gives a z (the last one s), each Activation an a.
            Tensor[] zs = new Tensor[layers], as = new Tensor[layers];
            as[0] = Tensor.of(DType.FLOAT64, INPUT, 1, INPUT.length);      // a⁽¹⁾ = x, one sample per row
            Tensor out = as[0];
            int linear = 0;
            for (var m : net.layers()) {
                out = m.forward(out).retainGrad();
                if (m instanceof Linear) zs[linear++] = out;
                else as[linear] = out;
            }
            Tensor cost = new MeanSquaredError().apply(out, Tensor.of(DType.FLOAT64, new double[] {y}, 1, 1));
            cost.backward();

            double[][] z = new double[layers][], a = new double[layers][];
            double[][] autoDeltas = new double[layers][];
            double[][][] autoWeightGradients = new double[layers][][];
            double[][] autoBiasGradients = new double[layers - 1][];
            for (int l = 0; l < layers; l++) {
                z[l] = zs[l].toDoubleArray();
                a[l] = as[l].toDoubleArray();
                autoDeltas[l] = zs[l].grad().toDoubleArray();
                autoWeightGradients[l] = rows(linears.get(l).weight().grad());
                if (l < layers - 1) autoBiasGradients[l] = linears.get(l).bias().grad().toDoubleArray();
            }

            // The recursion, by hand: δ at the linear output is ∂C/∂s, then back through each Wᵀ and f′.
            double[][] deltas = new double[layers][];
            deltas[layers - 1] = new double[] {2 * (z[layers - 1][0] - y)};
            for (int l = layers - 2; l >= 0; l--) {
                double[] d = new double[z[l].length];
                for (int j = 0; j < d.length; j++) {
                    double back = 0;
                    for (int k = 0; k < deltas[l + 1].length; k++) back += weights[l + 1][k][j] * deltas[l + 1][k];
                    d[j] = back * fPrime(kind, z[l][j]);
                }
                deltas[l] = d;
            }
            double[][][] weightGradients = new double[layers][][];
            double[][] biasGradients = new double[layers - 1][];
            for (int l = 0; l < layers; l++) {
                weightGradients[l] = new double[deltas[l].length][a[l].length];
                for (int j = 0; j < deltas[l].length; j++) {
                    for (int k = 0; k < a[l].length; k++) weightGradients[l][j][k] = deltas[l][j] * a[l][k];
                }
                if (l < layers - 1) biasGradients[l] = deltas[l].clone();
            }
            return new LocalGradients(kind, weights, biases, z, a, y, cost.item(), deltas, autoDeltas,
                    weightGradients, autoWeightGradients, biasGradients, autoBiasGradients, as[2].grad().toDoubleArray());
        });
    }

    /** {@link #SAMPLES} points of [−1, 1]⁴ drawn with {@link #SEED}, targets {@link #target}. */
    static Dataset data() {
        SplittableRandom rng = new SplittableRandom(SEED);
        double[] x = new double[SAMPLES * 4], y = new double[SAMPLES];
        for (int i = 0; i < SAMPLES; i++) {
            double[] row = new double[4];
            for (int j = 0; j < 4; j++) row[j] = x[i * 4 + j] = rng.nextDouble(-1, 1);
            y[i] = target(row);
        }
        return new Dataset(Tensor.of(x, SAMPLES, 4), Tensor.of(y, SAMPLES, 1), "seed 001 regression");
    }

    /** The targets' variance: the MSE of always predicting their mean, the baseline a network must beat. */
    static double baseline(Dataset d) {
        double[] y = d.targets().toDoubleArray();
        double mean = 0, var = 0;
        for (double v : y) mean += v;
        mean /= y.length;
        for (double v : y) var += (v - mean) * (v - mean);
        return var / y.length;
    }

    /**
     * Trains a fresh network of {@code layers} with hidden activation {@code kind}: weights initialised for it (He for
     * ReLU, Xavier otherwise, {@link Activation.Kind#defaultInit()}), zero biases, plain SGD, MSE.
     */
    static Run train(int[] layers, Activation.Kind kind) {
        return SameEverywhere.compute(() -> {
            Dataset d = data();
            Sequential net = network(layers, kind, kind.defaultInit(), Init.constant(0), new SplittableRandom(SEED));
            Sgd sgd = Sgd.builder().lr(LEARNING_RATE).build(net.namedParameters());
            History h = Trainer.builder(net, new MeanSquaredError(), sgd).epochs(EPOCHS).batchSize(BATCH).seed(SEED)
                    .build().fit(d);
            double[] losses = h.epochs().stream().mapToDouble(EpochRecord::trainLoss).toArray();
            int reached = -1;
            for (int e = 0; e < losses.length && reached < 0; e++) if (losses[e] < THRESHOLD) reached = e + 1;
            NoGrad noGrad = NoGrad.enter();
            try {
                double finalLoss = new MeanSquaredError().apply(net.forward(d.features()), d.targets()).item();
                int[][] active = new int[layers.length - 2][];
                Tensor out = d.features();
                int hidden = 0;
                for (var m : net.layers()) {
                    out = m.forward(out);
                    if (m instanceof Activation && hidden < active.length) active[hidden++] = activeCounts(out);
                }
                return new Run(kind, layers.clone(), losses, finalLoss, reached, active);
            } finally {
                noGrad.close();
            }
        });
    }

    private static int[] activeCounts(Tensor a) {
        int n = a.shape().dim(0), units = a.shape().dim(1);
        int[] counts = new int[units];
        for (int i = 0; i < n; i++) for (int j = 0; j < units; j++) if (a.get(i, j) != 0) counts[j]++;
        return counts;
    }

    @Override
    public String guideSection() {
        LocalGradients g = localGradients(Activation.Kind.SIGMOID);
        StringBuilder sb = new StringBuilder();
        sb.append("The tutorial's network has 4 inputs, \"4 neurons for the hidden layers\" and 1 output. Its W⁽¹⁾ is ")
                .append("\"of shape (n, m) … n = 2 and m = 4\", so the four hidden neurons are two layers of two: ")
                .append(layersText(LAYERS)).append(". Its equations:\n\n")
                .append("- z⁽²⁾ = W⁽¹⁾x + b⁽¹⁾, a⁽²⁾ = f(z⁽²⁾); z⁽³⁾ = W⁽²⁾a⁽²⁾ + b⁽²⁾, a⁽³⁾ = f(z⁽³⁾);\n")
                .append("- s = W⁽³⁾a⁽³⁾: a linear output **without a bias**;\n")
                .append("- C = cost(s, y), \"as simple as MSE\". For one sample and one output that is C = (y − s)², ")
                .append("the library's `mse`; the tutorial never says whether a ½ is included, and with it every ")
                .append("gradient below would halve.\n\n")
                .append("W⁽ˡ⁾ is (units of the next layer) × (units of this layer), row j holding the weights into unit ")
                .append("j: exactly the `[out, in]` weight of the library's `Linear`, so the layers hold the ")
                .append("tutorial's matrices as they are. The tutorial gives no numbers, only \"initial values of w ")
                .append("and b are randomly chosen\"; here every weight and bias is drawn from uniform(−1, 1) (seed ")
                .append(SEED).append("), f is the sigmoid, and the sample is a point of the regression task trained ")
                .append("at the end, y = 0.8·sin(x₁ + x₂) + 0.4·tanh(2(x₃ − x₄)):\n\n```\n");
        String[] wNames = {"W⁽¹⁾ (2 × 4)", "W⁽²⁾ (2 × 2)", "W⁽³⁾ (1 × 2)"};
        for (int l = 0; l < g.weights().length; l++) {
            appendRows(sb, wNames[l], g.weights()[l]);
            if (l < g.biases().length) appendRows(sb, "b⁽" + sup(l + 1) + "⁾", new double[][] {g.biases()[l]});
        }
        sb.append("```\n\n");

        sb.append("The forward pass:\n\n| layer | z | a = f(z) |\n|---|---|---|\n")
                .append("| 1 (input) | | x = ").append(vec(g.a()[0], 3)).append(" |\n")
                .append("| 2 | ").append(vec(g.z()[0], 6)).append(" | ").append(vec(g.a()[1], 6)).append(" |\n")
                .append("| 3 | ").append(vec(g.z()[1], 6)).append(" | ").append(vec(g.a()[2], 6)).append(" |\n")
                .append("| 4 (output) | s = ").append(fmt(g.z()[2][0], 6)).append(" | |\n");
        sb.append(String.format(Locale.ROOT, "%ny = %.6f, C = (y − s)² = %.6f.%n%n", g.y(), g.cost()));

        sb.append("The tutorial defines the local gradient δⱼˡ = ∂C/∂zⱼˡ and leaves its computation out (\"I won't go ")
                .append("over the process now\"). Written out in its notation, where W⁽ˡ⁾ carries layer l into layer ")
                .append("l + 1: δ⁽⁴⁾ = ∂C/∂s = 2(s − y), since the output is linear; then δ⁽ˡ⁾ = (W⁽ˡ⁾)ᵀδ⁽ˡ⁺¹⁾ ∘ f′(z⁽ˡ⁾), ")
                .append("with f′(z) = σ(z)(1 − σ(z)). Autodiff gives the same numbers as the gradients it keeps on ")
                .append("z⁽²⁾, z⁽³⁾ and s (`retainGrad()`), from one `backward()` of C:\n\n")
                .append("| δ | by the recursion | by autodiff |\n|---|---|---|\n");
        String[] deltaNames = {"δ⁽²⁾ = (W⁽²⁾)ᵀδ⁽³⁾ ∘ f′(z⁽²⁾)", "δ⁽³⁾ = (W⁽³⁾)ᵀδ⁽⁴⁾ ∘ f′(z⁽³⁾)", "δ⁽⁴⁾ = 2(s − y)"};
        for (int l = g.deltas().length - 1; l >= 0; l--) {
            sb.append("| ").append(deltaNames[l]).append(" | ").append(vec(g.deltas()[l], 8)).append(" | ")
                    .append(vec(g.autoDeltas()[l], 8)).append(" |\n");
        }
        sb.append(String.format(Locale.ROOT, "%nThe largest difference is %s (both sides are float64, from the same "
                + "parameters). The tutorial's \"final values\" ∂C/∂wⱼₖ = δⱼ·aₖ and ∂C/∂bⱼ = δⱼ (δ of the layer the weight leads into, a of the layer it leaves), formed from "
                + "these δ, match autodiff's gradients of all %d weights and %d biases to %s.%n%n",
                sci(g.maxDeltaDifference()), countWeights(g), countBiases(g), sci(g.maxParameterDifference())));

        sb.append("The tutorial's worked gradient, of the weight w₂₂⁽²⁾ from a₂⁽²⁾ into z₂⁽³⁾:\n\n")
                .append("∂C/∂w₂₂⁽²⁾ = ∂C/∂a₂⁽³⁾ · f′(z₂⁽³⁾) · a₂⁽²⁾\n\n")
                .append("It leaves ∂C/∂a₂⁽³⁾ to the reader (\"fairly straightforward\"); a₂⁽³⁾ reaches C only through s, ")
                .append("so ∂C/∂a₂⁽³⁾ = ∂C/∂s · ∂s/∂a₂⁽³⁾ = 2(s − y) · W⁽³⁾₁₂.\n\n")
                .append("| factor | value |\n|---|---|\n")
                .append(String.format(Locale.ROOT, "| ∂C/∂a₂⁽³⁾ = 2(s − y) · W⁽³⁾₁₂ = 2 · (%s) · (%s) | %s |%n",
                        fmt(g.z()[2][0] - g.y(), 6), fmt(g.weights()[2][0][1], 6), fmt(g.dCdA32(), 8)))
                .append(String.format(Locale.ROOT, "| f′(z₂⁽³⁾) = σ(%s)(1 − σ(%s)) | %s |%n",
                        fmt(g.z()[1][1], 6), fmt(g.z()[1][1], 6), fmt(g.fPrimeZ32(), 8)))
                .append(String.format(Locale.ROOT, "| a₂⁽²⁾ | %s |%n", fmt(g.a()[1][1], 8)))
                .append(String.format(Locale.ROOT, "| **∂C/∂w₂₂⁽²⁾**, their product | **%s** |%n",
                        fmt(g.dCdW22TutorialFormula(), 8)))
                .append(String.format(Locale.ROOT, "| autodiff: element [2, 2] of W⁽²⁾'s gradient | %s |%n",
                        fmt(g.dCdW22Autodiff(), 8)))
                .append(String.format(Locale.ROOT, "%nAutodiff's own ∂C/∂a₂⁽³⁾, kept on a⁽³⁾, is %s. The formula and "
                        + "autodiff differ by %s.%n%n", fmt(g.autoDCdA3()[1], 8),
                        sci(Math.abs(g.dCdW22TutorialFormula() - g.dCdW22Autodiff()))));

        sb.append("Where the tutorial is loose:\n\n")
                .append("- Its layer numbers for W and b disagree with themselves. The forward equations use W⁽¹⁾, b⁽¹⁾ ")
                .append("for z⁽²⁾ (a weight is numbered after the layer it leaves), the text right after calls them ")
                .append("\"W² and W³ … the weights in layer 2 and 3\", and the single-weight derivation uses ")
                .append("zⱼˡ = Σₖ wⱼₖˡ aₖˡ⁻¹ + bⱼˡ (numbered after the layer it enters, as in Nielsen's book). The worked ")
                .append("example follows the forward equations: w₂₂⁽²⁾ feeds z₂⁽³⁾. In that numbering the recursion ")
                .append("is δ⁽ˡ⁾ = (W⁽ˡ⁾)ᵀδ⁽ˡ⁺¹⁾ ∘ f′(z⁽ˡ⁾), not the (Wˡ⁺¹)ᵀ of the other convention.\n")
                .append("- It says w₂₂⁽²⁾ \"connects (a₂)² and (z₂)²\"; it connects a₂⁽²⁾ to z₂⁽³⁾, as its own equation says.\n")
                .append("- \"The gradient shows how much the parameter needs to change … to minimize C\": the gradient ")
                .append("points uphill; descent steps against it, w := w − ε·∂C/∂w, as its algorithm then does.\n\n");

        Dataset d = data();
        double baseline = baseline(d);
        List<Run> narrow = new ArrayList<>(), wide = new ArrayList<>();
        for (Activation.Kind k : ACTIVATIONS) {
            narrow.add(train(LAYERS, k));
            wide.add(train(WIDE_LAYERS, k));
        }
        sb.append(String.format(Locale.ROOT, "Training: %d points drawn uniformly from [−1, 1]⁴ (seed %d), "
                        + "y = 0.8·sin(x₁ + x₂) + 0.4·tanh(2(x₃ − x₄)), MSE, plain SGD with α = %s, mini-batches of %d, "
                        + "%d epochs; hidden weights initialised for the activation (He for ReLU, Xavier for sigmoid "
                        + "and tanh), biases 0. Predicting the mean would score the targets' variance, %.4f. The "
                        + "tutorial's %s network, and a wider %s one for comparison:%n%n",
                SAMPLES, SEED, trim(LEARNING_RATE), BATCH, EPOCHS, baseline, layersText(LAYERS), layersText(WIDE_LAYERS)));
        sb.append("| hidden f | ").append(layersText(LAYERS)).append(": final MSE | epochs to MSE < ").append(trim(THRESHOLD))
                .append(" | ").append(layersText(WIDE_LAYERS)).append(": final MSE | epochs to MSE < ").append(trim(THRESHOLD))
                .append(" |\n|---|---|---|---|---|\n");
        for (int i = 0; i < ACTIVATIONS.size(); i++) {
            Run n = narrow.get(i), w = wide.get(i);
            sb.append("| ").append(n.kind().id()).append(" | ").append(fmt(n.finalLoss(), 4)).append(" | ")
                    .append(epochsText(n)).append(" | ").append(fmt(w.finalLoss(), 4)).append(" | ")
                    .append(epochsText(w)).append(" |\n");
        }
        sb.append('\n');
        Run relu = narrow.get(ACTIVATIONS.indexOf(Activation.Kind.RELU));
        Run wideRelu = wide.get(ACTIVATIONS.indexOf(Activation.Kind.RELU));
        if (relu.epochsToThreshold() < 0 && wideRelu.epochsToThreshold() > 0) {
            sb.append(String.format(Locale.ROOT, "The narrow ReLU network stalls at %.4f, %.0f%% of the variance. A ReLU "
                            + "unit is zero on one side of its hyperplane, and with two units per layer there is no "
                            + "other unit to carry what it drops: after training, the units of the first hidden layer "
                            + "are active on %s of the %d samples and those of the second on %s; a zero unit passes no "
                            + "gradient either. Sigmoid and tanh units never switch off (their derivative is never 0), "
                            + "so two of them per layer suffice here, and with eight per layer ReLU learns too.%n",
                    relu.finalLoss(), 100 * relu.finalLoss() / baseline, counts(relu.activeSamples()[0]), SAMPLES,
                    counts(relu.activeSamples()[1])));
        }
        return sb.toString();
    }

    private static String epochsText(Run r) {
        return r.epochsToThreshold() < 0 ? "not within " + EPOCHS : Integer.toString(r.epochsToThreshold());
    }

    private static String counts(int[] c) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < c.length; i++) {
            if (i > 0) sb.append(i == c.length - 1 ? " and " : ", ");
            sb.append(c[i]);
        }
        return sb.toString();
    }

    private static int countWeights(LocalGradients g) {
        int n = 0;
        for (double[][] w : g.weights()) for (double[] row : w) n += row.length;
        return n;
    }

    private static int countBiases(LocalGradients g) {
        int n = 0;
        for (double[] b : g.biases()) n += b.length;
        return n;
    }

    private static String layersText(int[] layers) {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < layers.length; i++) sb.append(i > 0 ? ", " : "").append(layers[i]);
        return sb.append(']').toString();
    }

    private static void appendRows(StringBuilder sb, String label, double[][] rows) {
        sb.append(label).append('\n');
        for (double[] row : rows) {
            sb.append(' ');
            for (double v : row) sb.append(String.format(Locale.ROOT, " %10.6f", v));
            sb.append('\n');
        }
    }

    private static double[][] rows(Tensor t) {
        double[][] out = new double[t.shape().dim(0)][t.shape().dim(1)];
        for (int r = 0; r < out.length; r++) for (int c = 0; c < out[r].length; c++) out[r][c] = t.get(r, c);
        return out;
    }

    static double maxAbsDiff(double[] a, double[] b) {
        if (a.length != b.length) throw new IllegalArgumentException("maxAbsDiff: " + a.length + " x " + b.length);
        double max = 0;
        for (int i = 0; i < a.length; i++) max = Math.max(max, Math.abs(a[i] - b[i]));
        return max;
    }

    private static String vec(double[] v, int decimals) {
        StringBuilder sb = new StringBuilder("(");
        for (int i = 0; i < v.length; i++) sb.append(i > 0 ? ", " : "").append(fmt(v[i], decimals));
        return sb.append(')').toString();
    }

    private static String fmt(double v, int decimals) {
        return String.format(Locale.ROOT, "%." + decimals + "f", v);
    }

    private static String sup(int n) {
        return switch (n) {
            case 1 -> "¹";
            case 2 -> "²";
            case 3 -> "³";
            default -> Integer.toString(n);
        };
    }

    private static String sci(double v) {
        return v == 0 ? "0" : String.format(Locale.ROOT, "%.1e", v);
    }

    private static String trim(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
    }
}
