package dev.backprop.explain;

import dev.backprop.loss.Loss;
import dev.backprop.nn.Activation;
import dev.backprop.nn.Module;
import dev.backprop.nn.Sequential;
import dev.backprop.tensor.Tensor;
import dev.backprop.train.Evaluation;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Every number of one step of backpropagation on one sample, for a network of the shape a JSON spec builds
 * ({@link dev.backprop.io.NetworkSpec}: {@link dev.backprop.nn.Linear} + {@link Activation} pairs) and any
 * {@link Loss}: the forward pass unit by unit ({@code net_j = Σ_i w_ji·out_i + b_j}, {@code out_j = f(net_j)}), the
 * loss E, the backward pass ({@code ∂E/∂out_j}, {@code ∂out_j/∂net_j}, {@code δ_j = ∂E/∂net_j}, and every weight's
 * and bias's gradient as a product of chain-rule factors), the step {@code p ← p − α·∂E/∂p} and the loss after it.
 *
 * <p>Every value comes from the tensor autodiff, in float64 (the network's float32 parameters are copied
 * exactly): the nets and outs keep their gradients ({@link Tensor#retainGrad()}), so {@code ∂E/∂out_j} and
 * {@code δ_j} are what backpropagation computed; {@code ∂out_j/∂net_j} is the autodiff derivative of the layer's
 * activation at {@code net_j}; {@code ∂net_j/∂w_ji = out_i} is the forward value. The products of those factors are
 * presentation only, checked against the autodiff gradients ({@link #maxChainRuleDifference()}).
 *
 * <p>Two cases have no diagonal {@code ∂out_j/∂net_j}, so δ is given directly and a weight's factors are
 * {@code δ_j · out_i}: a softmax layer (each out depends on every net; {@code δ_j = out_j·(∂E/∂out_j − Σ_k
 * out_k·∂E/∂out_k)}), and an output layer whose activation the loss takes over ({@link Evaluation#lossView}:
 * softmax with cross-entropy, sigmoid with bce), where the loss reads the logits and {@code δ = out − y}.
 *
 * <p>Names: inputs {@code x1, x2, …}; with one hidden layer its units are {@code h1, h2, …}, with several, unit
 * {@code j} of hidden layer {@code l} is {@code h<l>_<j>}; outputs are {@code o1, o2, …}; {@code w(x1→h1)} is the
 * weight from x1 into h1, {@code b(h1)} the bias of h1. Layers with more than {@value #MAX_LISTED_UNITS} units or
 * {@value #MAX_LISTED_WEIGHTS} weights are summarised (see {@link Detail}).
 *
 * <pre>{@code
 * Explanation e = Explanation.builder(spec.module(), Loss.byName("half-sse"))
 *         .input(0.1, 0.2).target(0.05, 0.95).learningRate(0.5).build();
 * System.out.print(e.toText());          // or e.toJson(), e.toMap()
 * }</pre>
 */
public final class Explanation {
    /** A layer with more units than this is summarised under {@link Detail#AUTO}. */
    public static final int MAX_LISTED_UNITS = 8;
    /** A layer with more weights than this is summarised under {@link Detail#AUTO}. */
    public static final int MAX_LISTED_WEIGHTS = 64;

    /** How much of each layer is written out. */
    public enum Detail {
        /** Every unit and weight of small layers; a summary of layers over {@value #MAX_LISTED_UNITS} units or {@value #MAX_LISTED_WEIGHTS} weights. */
        AUTO,
        /** Every unit and weight of every layer, however large. */
        FULL,
        /** A summary of every layer. */
        SUMMARY
    }

    /**
     * One factor of a chain-rule product.
     *
     * @param key    its JSON key: {@code dE_dout}, {@code dout_dnet}, {@code dE_dnet}, {@code dnet_dw} or {@code dnet_db}
     * @param symbol as the text writes it, e.g. {@code ∂out(o1)/∂net(o1)}
     * @param value  its value
     */
    public record Factor(String key, String symbol, double value) {}

    /**
     * One unit's numbers.
     *
     * @param name       e.g. {@code h1}
     * @param net        net_j = Σ_i w_ji·out_i + b_j
     * @param out        out_j = f(net_j)
     * @param dErrorDOut ∂E/∂out_j (autodiff); NaN for an output whose activation the loss takes over
     * @param dOutDNet   ∂out_j/∂net_j (autodiff of the activation); NaN for softmax and for a taken-over output
     * @param delta      δ_j = ∂E/∂net_j (autodiff)
     */
    public record Unit(String name, double net, double out, double dErrorDOut, double dOutDNet, double delta) {}

    /**
     * One weight w(from→to).
     *
     * @param gradient ∂E/∂w from autodiff
     * @param factors  the chain-rule factors whose product is the gradient
     * @param updated  w − α·∂E/∂w
     */
    public record Weight(String from, String to, double value, double gradient, List<Factor> factors, double updated) {
        /** The product of the factors (which equals {@link #gradient()} up to rounding). */
        public double product() {
            return Explanation.product(factors);
        }
    }

    /** One bias b(unit), with the same meaning of the fields as {@link Weight}'s. */
    public record Bias(String unit, double value, double gradient, List<Factor> factors, double updated) {
        /** The product of the factors. */
        public double product() {
            return Explanation.product(factors);
        }
    }

    /** Mean, least and greatest of some values. */
    public record Stats(double mean, double min, double max) {
        static Stats of(double[] v) {
            double sum = 0, min = Double.POSITIVE_INFINITY, max = Double.NEGATIVE_INFINITY;
            for (double x : v) {
                sum += x;
                min = Math.min(min, x);
                max = Math.max(max, x);
            }
            return new Stats(sum / v.length, min, max);
        }
    }

    /**
     * A layer in a few numbers, for layers too large to list.
     *
     * @param weightGradientNorm ‖∂E/∂W‖ (Frobenius)
     * @param biasGradientNorm   ‖∂E/∂b‖
     * @param maxAbsGradient     the largest |gradient| among weights and biases
     * @param maxGradientAt      the parameter holding it, e.g. {@code w(x3→h2)}
     * @param updateNorm         ‖Δ‖ of weights and biases together, ‖(W', b') − (W, b)‖
     */
    public record Summary(Stats net, Stats out, Stats delta, double weightGradientNorm, double biasGradientNorm,
                          double maxAbsGradient, String maxGradientAt, double updateNorm) {}

    /** One layer: its units, weights, biases and their gradients and updates. Arrays are copies. */
    public static final class Layer {
        private final int index;
        private final String title;
        private final SpecLayers.Layer spec;
        private final String[] inputNames;
        private final String[] unitNames;
        private final double[] inputs;
        private final double[] net, out, dErrorDOut, dOutDNet, delta;
        private final double[][] weights, weightGradients, weightsAfter;
        private final double[] biases, biasGradients, biasesAfter;
        private final boolean fusedWithLoss;
        private final boolean listed;

        Layer(int index, String title, SpecLayers.Layer spec, String[] inputNames, String[] unitNames, double[] inputs,
              double[] net, double[] out, double[] dErrorDOut, double[] dOutDNet, double[] delta,
              double[][] weights, double[][] weightGradients, double[][] weightsAfter,
              double[] biases, double[] biasGradients, double[] biasesAfter, boolean fusedWithLoss, boolean listed) {
            this.index = index;
            this.title = title;
            this.spec = spec;
            this.inputNames = inputNames;
            this.unitNames = unitNames;
            this.inputs = inputs;
            this.net = net;
            this.out = out;
            this.dErrorDOut = dErrorDOut;
            this.dOutDNet = dOutDNet;
            this.delta = delta;
            this.weights = weights;
            this.weightGradients = weightGradients;
            this.weightsAfter = weightsAfter;
            this.biases = biases;
            this.biasGradients = biasGradients;
            this.biasesAfter = biasesAfter;
            this.fusedWithLoss = fusedWithLoss;
            this.listed = listed;
        }

        /** Position in the network, from 0 (the spec's {@code layers[index]}). */
        public int index() {
            return index;
        }

        /** {@code hidden layer 1}, {@code output layer}. */
        public String title() {
            return title;
        }

        /** The activation applied to the layer's nets ({@code IDENTITY} for a linear layer). */
        public Activation.Kind activation() {
            return spec.kind();
        }

        /** Number of units. */
        public int size() {
            return unitNames.length;
        }

        /** Number of inputs to each unit. */
        public int fanIn() {
            return inputNames.length;
        }

        /** The names of this layer's inputs ({@code x1, …} or the previous layer's units). */
        public List<String> inputNames() {
            return List.of(inputNames);
        }

        /** The names of this layer's units. */
        public List<String> unitNames() {
            return List.of(unitNames);
        }

        /** The values this layer's units receive: the input x, or the previous layer's outs. */
        public double[] inputValues() {
            return inputs.clone();
        }

        /** Unit {@code j}. */
        public Unit unit(int j) {
            return new Unit(unitNames[j], net[j], out[j], dErrorDOut[j], dOutDNet[j], delta[j]);
        }

        /** Every unit, in order. */
        public List<Unit> units() {
            List<Unit> u = new ArrayList<>(size());
            for (int j = 0; j < size(); j++) u.add(unit(j));
            return u;
        }

        /**
         * Whether the factors are ∂E/∂out · ∂out/∂net · ∂net/∂w (an elementwise activation the loss does not take
         * over); otherwise they are δ · ∂net/∂w.
         */
        public boolean hasDiagonalFactors() {
            return spec.elementwise() && !fusedWithLoss;
        }

        /** Whether the loss takes this (output) layer's net as logits, its activation fused into the loss. */
        public boolean fusedWithLoss() {
            return fusedWithLoss;
        }

        /** Whether the text and map list every unit and weight (else they summarise the layer). */
        public boolean listed() {
            return listed;
        }

        /** The weight from input {@code i} into unit {@code j}. */
        public Weight weight(int j, int i) {
            String to = unitNames[j];
            List<Factor> f = new ArrayList<>(unitFactors(j));
            f.add(new Factor("dnet_dw", "∂net(" + to + ")/∂w(" + inputNames[i] + "→" + to + ")", inputs[i]));
            return new Weight(inputNames[i], to, weights[j][i], weightGradients[j][i], List.copyOf(f), weightsAfter[j][i]);
        }

        /** Every weight, unit by unit ({@code j} outer, {@code i} inner). */
        public List<Weight> weights() {
            List<Weight> w = new ArrayList<>(size() * fanIn());
            for (int j = 0; j < size(); j++) for (int i = 0; i < fanIn(); i++) w.add(weight(j, i));
            return w;
        }

        /** The bias of unit {@code j}. */
        public Bias bias(int j) {
            String u = unitNames[j];
            List<Factor> f = new ArrayList<>(unitFactors(j));
            f.add(new Factor("dnet_db", "∂net(" + u + ")/∂b(" + u + ")", 1));
            return new Bias(u, biases[j], biasGradients[j], List.copyOf(f), biasesAfter[j]);
        }

        /** Every bias, in unit order. */
        public List<Bias> biases() {
            List<Bias> b = new ArrayList<>(size());
            for (int j = 0; j < size(); j++) b.add(bias(j));
            return b;
        }

        /** The factors that every parameter of unit {@code j} shares: ∂E/∂out_j · ∂out_j/∂net_j, or δ_j. */
        private List<Factor> unitFactors(int j) {
            String u = unitNames[j];
            if (hasDiagonalFactors()) {
                return List.of(new Factor("dE_dout", "∂E/∂out(" + u + ")", dErrorDOut[j]),
                        new Factor("dout_dnet", "∂out(" + u + ")/∂net(" + u + ")", dOutDNet[j]));
            }
            return List.of(new Factor("dE_dnet", "∂E/∂net(" + u + ")", delta[j]));
        }

        /** W before the step, {@code [units][inputs]}. */
        public double[][] weightMatrix() {
            return deepCopy(weights);
        }

        /** ∂E/∂W, {@code [units][inputs]}. */
        public double[][] weightGradients() {
            return deepCopy(weightGradients);
        }

        /** W after the step. */
        public double[][] weightsAfter() {
            return deepCopy(weightsAfter);
        }

        /** b before the step. */
        public double[] biasVector() {
            return biases.clone();
        }

        /** ∂E/∂b. */
        public double[] biasGradients() {
            return biasGradients.clone();
        }

        /** b after the step. */
        public double[] biasesAfter() {
            return biasesAfter.clone();
        }

        /** The layer in a few numbers. */
        public Summary summary() {
            double gw = 0, gb = 0, update = 0, maxAbs = -1;
            String at = null;
            for (int j = 0; j < size(); j++) {
                for (int i = 0; i < fanIn(); i++) {
                    double g = weightGradients[j][i], d = weightsAfter[j][i] - weights[j][i];
                    gw += g * g;
                    update += d * d;
                    if (Math.abs(g) > maxAbs) {
                        maxAbs = Math.abs(g);
                        at = "w(" + inputNames[i] + "→" + unitNames[j] + ")";
                    }
                }
                double g = biasGradients[j], d = biasesAfter[j] - biases[j];
                gb += g * g;
                update += d * d;
                if (Math.abs(g) > maxAbs) {
                    maxAbs = Math.abs(g);
                    at = "b(" + unitNames[j] + ")";
                }
            }
            return new Summary(Stats.of(net), Stats.of(out), Stats.of(delta), Math.sqrt(gw), Math.sqrt(gb), maxAbs, at,
                    Math.sqrt(update));
        }

        SpecLayers.Layer spec() {
            return spec;
        }

        double inputValue(int i) {
            return inputs[i];
        }

        double[] netValues() {
            return net;
        }

        double[] outValues() {
            return out;
        }

        double[] deltas() {
            return delta;
        }

        double[] dErrorDOutValues() {
            return dErrorDOut;
        }

        double[] dOutDNetValues() {
            return dOutDNet;
        }

        double weightValue(int j, int i) {
            return weights[j][i];
        }

        private static double[][] deepCopy(double[][] a) {
            double[][] c = new double[a.length][];
            for (int r = 0; r < a.length; r++) c[r] = a[r].clone();
            return c;
        }
    }

    private final Loss loss;
    private final boolean fused;
    private final String shape;
    private final String[] inputNames;
    private final double[] input;
    private final double[] target;
    private final int targetClass;
    private final double learningRate;
    private final List<Layer> layers;
    private final double error;
    private final double errorAfter;
    private final double errorAfterWeightsOnly;
    private final Remarks remarks;
    private final double maxChainRuleDifference;
    private final Detail detail;

    Explanation(Loss loss, boolean fused, String shape, String[] inputNames, double[] input, double[] target,
                        int targetClass, double learningRate, List<Layer> layers, double error, double errorAfter,
                        double errorAfterWeightsOnly, Remarks remarks, Detail detail) {
        this.loss = loss;
        this.fused = fused;
        this.shape = shape;
        this.inputNames = inputNames;
        this.input = input;
        this.target = target;
        this.targetClass = targetClass;
        this.learningRate = learningRate;
        this.layers = List.copyOf(layers);
        this.error = error;
        this.errorAfter = errorAfter;
        this.errorAfterWeightsOnly = errorAfterWeightsOnly;
        this.remarks = remarks;
        this.detail = detail;
        double worst = 0;
        for (Layer l : layers) {
            for (int j = 0; j < l.size(); j++) {
                for (int i = 0; i < l.fanIn(); i++) {
                    Weight w = l.weight(j, i);
                    worst = Math.max(worst, Math.abs(w.product() - w.gradient()));
                }
                Bias b = l.bias(j);
                worst = Math.max(worst, Math.abs(b.product() - b.gradient()));
            }
        }
        this.maxChainRuleDifference = worst;
    }

    /** Starts an explanation of {@code model} (spec-shaped) under {@code loss}. */
    public static Builder builder(Module model, Loss loss) {
        return new Builder(model, loss);
    }

    /**
     * What a caller adds to an explanation's text: notes at its end, and remarks beside particular values. The seeds'
     * examples use it to say where a tutorial prints other numbers ({@code dev.backprop.examples.Seed003}); the
     * explanation itself knows no tutorial.
     */
    public interface Remarks {
        /** No notes, no remarks. */
        Remarks NONE = e -> List.of();

        /** Lines the text ends with, and the JSON's {@code notes}; empty when there is nothing to say of {@code e}. */
        List<String> notes(Explanation e);

        /** A remark written after the net input of unit {@code unit} of layer {@code layer} (both from 0), or null. */
        default String netRemark(Explanation e, int layer, int unit) {
            return null;
        }
    }

    /** Settings of an explanation; {@link #input} and a target are required. */
    public static final class Builder {
        // Read by OneStep, which does the work.
        final Module model;
        final Loss loss;
        double[] input;
        double[] target;
        int targetClass = -1;
        double learningRate = 0.5;
        Detail detail = Detail.AUTO;
        Remarks remarks = Remarks.NONE;

        private Builder(Module model, Loss loss) {
            this.model = Objects.requireNonNull(model, "model");
            this.loss = Objects.requireNonNull(loss, "loss");
        }

        /** The sample x, one value per input. */
        public Builder input(double... x) {
            input = x.clone();
            return this;
        }

        /**
         * The target y, one value per output. For cross-entropy a single value is read as a class index when there
         * is more than one output (as {@link #targetClass} does); a full-length vector is a probability target.
         */
        public Builder target(double... y) {
            target = y.clone();
            targetClass = -1;
            return this;
        }

        /**
         * The target as a class, {@code 0 … outputs − 1}: cross-entropy's index target; for any other loss the
         * one-hot vector of that class.
         */
        public Builder targetClass(int c) {
            if (c < 0) throw new IllegalArgumentException("explain: a target class is 0 or more, got " + c);
            targetClass = c;
            target = null;
            return this;
        }

        /** α of the step p ← p − α·∂E/∂p; default 0.5 (seed 003's). Finite and {@code >= 0}. */
        public Builder learningRate(double alpha) {
            if (!(alpha >= 0) || Double.isInfinite(alpha)) {
                throw new IllegalArgumentException("explain: the learning rate must be finite and >= 0, got " + alpha);
            }
            learningRate = alpha;
            return this;
        }

        /** Notes and remarks of the caller's, such as a tutorial's own numbers; default none. */
        public Builder remarks(Remarks r) {
            remarks = Objects.requireNonNull(r, "remarks");
            return this;
        }

        /** How much to write out; default {@link Detail#AUTO}. */
        public Builder detail(Detail d) {
            detail = Objects.requireNonNull(d, "detail");
            return this;
        }

        /**
         * Runs the forward pass, the backward pass and the step.
         *
         * @throws IllegalArgumentException when the network is not spec-shaped, or the input or target does not
         *                                  fit it
         */
        public Explanation build() {
            return OneStep.run(this);
        }
    }

    static double product(List<Factor> factors) {
        double p = 1;
        for (Factor f : factors) p *= f.value();
        return p;
    }

    // ---------------------------------------------------------------- accessors

    /** The loss. */
    public Loss lossFunction() {
        return loss;
    }

    /** Whether the loss takes the output layer's net (logits), the last activation fused into it. */
    public boolean fusedOutput() {
        return fused;
    }

    /** The sizes, {@code 2-2-2}. */
    public String shape() {
        return shape;
    }

    /** x. */
    public double[] input() {
        return input.clone();
    }

    /** {@code x1, x2, …}. */
    public List<String> inputNames() {
        return List.of(inputNames);
    }

    /** y as a vector (one-hot for a class target). */
    public double[] target() {
        return target.clone();
    }

    /** The target class for cross-entropy's index target, else −1. */
    public int targetClass() {
        return targetClass;
    }

    /** α. */
    public double learningRate() {
        return learningRate;
    }

    /** The layers, input side first. */
    public List<Layer> layers() {
        return layers;
    }

    /** Layer {@code k}. */
    public Layer layer(int k) {
        return layers.get(k);
    }

    /** E before the step. */
    public double loss() {
        return error;
    }

    /** E after one step on every weight and bias. */
    public double lossAfter() {
        return errorAfter;
    }

    /** E after a step on the weights only, the biases left as they were (as seed 003's tutorial steps). */
    public double lossAfterWeightsOnly() {
        return errorAfterWeightsOnly;
    }

    /**
     * The largest |product of the chain-rule factors − autodiff gradient| over every weight and bias: the check that
     * the factors shown multiply to the gradients backpropagation computed (about 1e-17 in float64).
     */
    public double maxChainRuleDifference() {
        return maxChainRuleDifference;
    }

    /** The detail setting this was built with. */
    public Detail detail() {
        return detail;
    }

    /** The notes the text ends with: those of the {@link Builder#remarks remarks} it was built with. */
    public List<String> notes() {
        return remarks.notes(this);
    }

    /** The remark on the net input of unit {@code unit} of layer {@code layer}, or null. */
    public String netRemark(int layer, int unit) {
        return remarks.netRemark(this, layer, unit);
    }

    /** The explanation as text, in the seeds' style, one line per equation. */
    public String toText() {
        return ExplanationText.render(this);
    }

    /**
     * The explanation as plain data for JSON ({@code --format json}): maps with a fixed key order, lists, strings,
     * numbers, and null where a value is not defined (∂out/∂net of a softmax, say). Keys: {@code network,
     * loss_function, learning_rate, inputs, targets, target_class, layers} (each: {@code index, title, activation,
     * inputs, size, fused_with_loss, listed, summary}, and when listed {@code units} ({@code name, net, out,
     * dE_dout, dout_dnet, delta}), {@code weights} ({@code from, to, value, gradient, factors, updated}) and
     * {@code biases} ({@code unit, value, gradient, factors, updated})), {@code loss, loss_after,
     * chain_rule_max_difference, notes}.
     */
    public Map<String, Object> toMap() {
        return ExplanationMap.of(this);
    }

    /** {@link #toMap()} as indented JSON text (no trailing newline); NaN, where a value is undefined, is null. */
    public String toJson() {
        return dev.backprop.io.JsonText.pretty(toMap());
    }

    @Override
    public String toString() {
        return "Explanation[" + shape + ", " + loss.name() + ", E = " + error + " → " + errorAfter + "]";
    }
}
