package dev.backprop.explain;

import static dev.backprop.explain.Format.computed;

import dev.backprop.data.Dataset;
import dev.backprop.loss.CrossEntropy;
import dev.backprop.loss.Loss;
import dev.backprop.nn.Mode;
import dev.backprop.nn.Module;
import dev.backprop.tensor.DType;
import dev.backprop.tensor.ShapeException;
import dev.backprop.tensor.Tensor;
import dev.backprop.train.Evaluation;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * The loss of a spec-shaped network ({@link dev.backprop.io.NetworkSpec}) on a whole data set, and the gradient of
 * that loss with respect to every weight and bias, in the spec's own layout: {@code layers[k].weights[j][i] =
 * ∂L/∂w_ji} (input i into unit j of spec layer k) and {@code layers[k].biases[j] = ∂L/∂b_j}.
 *
 * <p>L is the loss exactly as the {@link Loss} defines it over the set as one batch: {@code half-sse} ½ Σ over
 * samples and outputs of (y − o)²; {@code mse}, {@code mae}, {@code huber} and {@code bce} the mean over every
 * element; {@code cross-entropy} the mean over samples of −log softmax (targets: class indices {@code [n]}, or
 * probabilities {@code [n, classes]}). Where a spec ends in the activation its loss fuses (softmax with cross-entropy,
 * sigmoid with bce), the loss takes the logits before it, as in training ({@link Evaluation#lossView}).
 *
 * <p>Computed in float64: the float32 parameters and data are copied exactly to float64 and the forward and
 * backward passes run in double precision, so the numbers are those of the model as stored, free of float32
 * rounding, and agree with central finite differences to about 1e-9 (what {@link NetworkGradCheck} checks). The
 * model is not changed.
 *
 * <pre>{@code
 * Gradients g = Gradients.of(spec.module(), Loss.byName("mse"), features, targets);   // features [n, inputs]
 * String json = g.toJson();   // {"loss": L, "loss_function": "mse", "samples": n, "layers": [{"weights": …, "biases": …}]}
 * }</pre>
 *
 * @param lossName the loss's registry name
 * @param samples  the number of samples n
 * @param loss     L on the whole set
 * @param layers   one entry per spec layer, input side first
 */
public record Gradients(String lossName, int samples, double loss, List<Layer> layers) {

    /**
     * One spec layer's gradients.
     *
     * @param weights ∂L/∂W, {@code [units][inputs]}: {@code weights[j][i] = ∂L/∂w_ji}
     * @param biases  ∂L/∂b, {@code [units]}
     */
    public record Layer(double[][] weights, double[] biases) {
        /** ‖∂L/∂W‖ and ‖∂L/∂b‖ together (Frobenius). */
        public double norm() {
            double s = 0;
            for (double[] row : weights) for (double v : row) s += v * v;
            for (double v : biases) s += v * v;
            return Math.sqrt(s);
        }
    }

    /** Layers with more weights than this are written as norms by {@link #toText()}, not number by number. */
    public static final int MAX_LISTED_WEIGHTS = 64;

    /** Copies {@code layers}; {@code lossName} must not be null. */
    public Gradients {
        Objects.requireNonNull(lossName, "lossName");
        layers = List.copyOf(layers);
    }

    /** The gradients over {@code data}'s features and targets. */
    public static Gradients of(Module model, Loss loss, Dataset data) {
        return of(model, loss, data.features(), data.targets());
    }

    /**
     * The loss of {@code model} on the set and its gradients.
     *
     * @param features {@code [n, inputs]}
     * @param targets  {@code [n, outputs]}, or {@code [n]} class indices for cross-entropy ({@code [n]} is also
     *                 read as {@code [n, 1]} for a network of one output)
     * @throws IllegalArgumentException when the model is not spec-shaped or the data does not fit it
     */
    public static Gradients of(Module model, Loss loss, Tensor features, Tensor targets) {
        Objects.requireNonNull(loss, "loss");
        List<SpecLayers.Layer> spec = SpecLayers.of(model, "gradients");
        Tensor x = features.to(DType.FLOAT64);
        Tensor y = targets.to(DType.FLOAT64);
        requireFit(spec, x, y);
        if (y.rank() == 1 && spec.getLast().units() == 1 && !(loss instanceof CrossEntropy)) {
            y = y.reshape(y.shape().dim(0), 1);
        }
        boolean fused = Evaluation.lossView(model, loss) != model;

        Tensor[] w = new Tensor[spec.size()], b = new Tensor[spec.size()];
        Tensor a = x;
        for (int k = 0; k < spec.size(); k++) {
            w[k] = spec.get(k).weight64();
            b[k] = spec.get(k).bias64();
            Tensor net = SpecLayers.net(a, w[k], b[k]);
            a = fused && k == spec.size() - 1 ? net : spec.get(k).activation().forward(net, Mode.EVAL);
        }
        Tensor l = loss.apply(a, y);
        l.backward();
        List<Layer> layers = new ArrayList<>();
        for (int k = 0; k < spec.size(); k++) {
            int units = spec.get(k).units(), inputs = spec.get(k).inputs();
            double[] gw = w[k].grad() == null ? new double[units * inputs] : w[k].grad().toDoubleArray();
            double[][] rows = new double[units][inputs];
            for (int j = 0; j < units; j++) System.arraycopy(gw, j * inputs, rows[j], 0, inputs);
            layers.add(new Layer(rows, b[k].grad() == null ? new double[units] : b[k].grad().toDoubleArray()));
        }
        return new Gradients(loss.name(), x.shape().dim(0), l.item(), layers);
    }

    private static void requireFit(List<SpecLayers.Layer> spec, Tensor x, Tensor y) {
        int inputs = spec.getFirst().inputs();
        if (x.rank() != 2 || x.shape().dim(1) != inputs) {
            throw new ShapeException("gradients: features " + x.shape() + " do not fit a network of " + inputs
                    + " inputs (expected [samples, " + inputs + "])");
        }
        if (x.shape().dim(0) == 0) throw new ShapeException("gradients: the data set has no samples");
        if (y.rank() == 0 || y.shape().dim(0) != x.shape().dim(0)) {
            throw new ShapeException("gradients: " + x.shape().dim(0) + " samples of features but targets " + y.shape());
        }
    }

    /**
     * Plain data for JSON, keys in this order: {@code loss, loss_function, samples, layers}, each layer
     * {@code {"weights": [[…]], "biases": […]}} as a spec writes its values.
     */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("loss", loss);
        m.put("loss_function", lossName);
        m.put("samples", samples);
        List<Object> ls = new ArrayList<>();
        for (Layer l : layers) {
            Map<String, Object> e = new LinkedHashMap<>();
            List<Object> rows = new ArrayList<>();
            for (double[] r : l.weights()) rows.add(boxed(r));
            e.put("weights", rows);
            e.put("biases", boxed(l.biases()));
            ls.add(e);
        }
        m.put("layers", ls);
        return m;
    }

    /** {@link #toMap()} as indented JSON text. */
    public String toJson() {
        return dev.backprop.io.JsonText.pretty(toMap());
    }

    private static List<Double> boxed(double[] v) {
        List<Double> out = new ArrayList<>(v.length);
        for (double d : v) out.add(d);
        return out;
    }

    /**
     * A readable report: the loss, then per layer ∂L/∂W row by row (row j: the weights into unit j) and ∂L/∂b, or for
     * a layer of more than {@value #MAX_LISTED_WEIGHTS} weights its norm and largest element.
     */
    public String toText() {
        StringBuilder b = new StringBuilder();
        b.append(String.format(Locale.ROOT, "Loss %s over %d sample%s: %s%n", lossName, samples, samples == 1 ? "" : "s",
                computed(loss)));
        for (int k = 0; k < layers.size(); k++) {
            Layer l = layers.get(k);
            int units = l.biases().length, inputs = units == 0 ? 0 : l.weights()[0].length;
            b.append(String.format(Locale.ROOT, "layers[%d] (%d→%d): ‖∂L/∂(W, b)‖ = %s%n", k, inputs, units, computed(l.norm())));
            if ((long) units * inputs > MAX_LISTED_WEIGHTS) {
                double max = -1;
                String at = "";
                for (int j = 0; j < units; j++) {
                    for (int i = 0; i < inputs; i++) {
                        if (Math.abs(l.weights()[j][i]) > max) {
                            max = Math.abs(l.weights()[j][i]);
                            at = "weights[" + j + "][" + i + "]";
                        }
                    }
                    if (Math.abs(l.biases()[j]) > max) {
                        max = Math.abs(l.biases()[j]);
                        at = "biases[" + j + "]";
                    }
                }
                b.append("  largest |gradient| ").append(computed(max)).append(" at ").append(at).append('\n');
                continue;
            }
            for (int j = 0; j < units; j++) {
                List<String> row = new ArrayList<>();
                for (int i = 0; i < inputs; i++) row.add(computed(l.weights()[j][i]));
                b.append("  ∂L/∂W[").append(j).append("] = [").append(String.join(", ", row)).append("]\n");
            }
            List<String> bs = new ArrayList<>();
            for (double v : l.biases()) bs.add(computed(v));
            b.append("  ∂L/∂b = [").append(String.join(", ", bs)).append("]\n");
        }
        return b.toString();
    }
}
