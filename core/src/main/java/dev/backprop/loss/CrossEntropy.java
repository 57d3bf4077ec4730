package dev.backprop.loss;

import dev.backprop.tensor.ShapeException;
import dev.backprop.tensor.Tensor;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Softmax cross-entropy from logits: {@code −log p}, where {@code p = softmax(z)} row by row, computed in one fused
 * op (a stable log-softmax, then the negative log-likelihood) whose derivative is {@code (softmax − target)} scaled
 * by the weights and the normaliser, never a division by a probability. Logits of any finite size (±1000 and
 * beyond) give a finite loss and a finite gradient.
 *
 * <p>{@code output}: logits {@code [N, C]} (batch, classes), no softmax applied. The target takes one of two forms,
 * told apart by its shape:
 * <ul>
 *   <li><b>class indices</b>, {@code [N]} or {@code [N, 1]}: row {@code i} holds the integer class {@code y_i} in
 *       {@code 0..C−1} (stored as a float; see {@link #classIndices}). The loss is the weighted mean, as PyTorch's
 *       {@code CrossEntropyLoss(weight=w)}:
 *       {@code E = Σ_i w[y_i]·(−log p_i[y_i]) / Σ_i w[y_i]}, which is the plain mean over samples when unweighted.
 *       Index targets carry no gradient.</li>
 *   <li><b>probabilities</b> (one-hot or soft labels), {@code [N, C]}, the output's own shape:
 *       {@code E = (1/N) Σ_i Σ_c w_c·t_ic·(−log p_ic)}, the mean over samples (again as PyTorch). Rows are not
 *       required to sum to 1. Such a target may require a gradient; it then gets {@code ∂E/∂t}.</li>
 * </ul>
 * A target of the output's shape is always read as probabilities (this decides the degenerate {@code C = 1}).
 * Without weights every {@code w} is 1, so a one-hot target gives the same loss as its indices. With weights the
 * two normalisers differ, as in PyTorch: uniform weights {@code c} leave the index form unchanged but scale the
 * probability form by {@code c}.
 *
 * <pre>{@code
 * Tensor logits = x.matmul(w, false, true).add(b);                            // [3, C], no softmax
 * new CrossEntropy().apply(logits, CrossEntropy.classIndices(2, 0, 1)).backward();
 * }</pre>
 */
public final class CrossEntropy implements Loss {
    /** The registry name, {@value}. */
    public static final String NAME = "cross-entropy";

    private final double[] classWeights;

    /** Unweighted: the mean over samples of {@code −log p[y]}. */
    public CrossEntropy() {
        this.classWeights = null;
    }

    /**
     * Weighted by class: {@code classWeights[c]} multiplies the loss of every sample of class {@code c}; its length
     * must equal the number of classes {@code C} of the logits it is applied to. Copied.
     *
     * @throws IllegalArgumentException when empty, or a weight is negative or not finite, or all are 0
     */
    public CrossEntropy(double[] classWeights) {
        if (classWeights.length == 0) throw new IllegalArgumentException(NAME + ": classWeights is empty");
        boolean positive = false;
        for (int c = 0; c < classWeights.length; c++) {
            double w = classWeights[c];
            if (!(w >= 0) || Double.isInfinite(w)) {
                throw new IllegalArgumentException(NAME + ": class weight " + c + " is " + w + "; weights must be finite and >= 0");
            }
            positive |= w > 0;
        }
        if (!positive) throw new IllegalArgumentException(NAME + ": every class weight is 0");
        this.classWeights = classWeights.clone();
    }

    /** A copy of the class weights, or null when unweighted. */
    public double[] classWeights() {
        return classWeights == null ? null : classWeights.clone();
    }

    /** A float32 target of class indices, shape {@code [N]}: {@code classIndices(2, 0, 1)} for three samples. */
    public static Tensor classIndices(int... classes) {
        double[] v = new double[classes.length];
        for (int i = 0; i < v.length; i++) v[i] = classes[i];
        return Tensor.of(v, v.length);
    }

    /**
     * @throws ShapeException           when the logits are not {@code [N, C]}, the target is neither {@code [N]},
     *                                  {@code [N, 1]} nor {@code [N, C]}, or the weights are not {@code C} long
     * @throws IllegalArgumentException when an index is not an integer in {@code 0..C−1} (naming the row, the value
     *                                  and {@code C}), or every sample's class has weight 0
     */
    @Override
    public Tensor apply(Tensor output, Tensor target) {
        Targets.requireNonEmpty(NAME, output, target);
        if (output.rank() != 2) {
            throw new ShapeException(NAME + ": " + output.shape() + " x " + target.shape()
                    + "; the logits must be [batch, classes]");
        }
        int n = output.shape().dim(0), c = output.shape().dim(1);
        if (classWeights != null && classWeights.length != c) {
            throw new ShapeException(NAME + ": " + classWeights.length + " class weights for logits " + output.shape()
                    + " (" + c + " classes)");
        }
        if (target.shape().equals(output.shape())) {
            return new SoftmaxCrossEntropy(classWeights, null).apply(output, target);
        }
        boolean indices = (target.rank() == 1 || (target.rank() == 2 && target.shape().dim(1) == 1))
                && target.shape().dim(0) == n;
        if (!indices) {
            throw new ShapeException(NAME + ": " + output.shape() + " x " + target.shape() + "; the target must be ["
                    + n + "] or [" + n + ", 1] class indices, or [" + n + ", " + c + "] probabilities");
        }
        int[] classes = readIndices(target, n, c);
        requirePositiveWeight(classes);
        return new SoftmaxCrossEntropy(classWeights, classes).apply(output);
    }

    private static int[] readIndices(Tensor target, int n, int c) {
        int[] classes = new int[n];
        for (int i = 0; i < n; i++) {
            double v = target.getFlat(i);
            // NaN fails every comparison, so it is caught here too.
            if (!(v >= 0 && v < c && v == Math.rint(v))) {
                String shown = v == Math.rint(v) && !Double.isInfinite(v) ? Long.toString((long) v) : Double.toString(v);
                throw new IllegalArgumentException(NAME + ": target row " + i + " is " + shown
                        + ", not a class index in 0.." + (c - 1) + " (C = " + c + ")");
            }
            classes[i] = (int) v;
        }
        return classes;
    }

    /** The weighted mean divides by Σ w[y_i]; a batch whose classes all weigh 0 would be 0/0. */
    private void requirePositiveWeight(int[] classes) {
        if (classWeights == null) return;
        for (int y : classes) if (classWeights[y] > 0) return;
        throw new IllegalArgumentException(NAME + ": every target class of this batch has weight 0, so the weighted "
                + "mean is 0/0; classes " + Arrays.toString(classes));
    }

    @Override
    public Input input() {
        return Input.SOFTMAX_LOGITS;
    }

    @Override
    public String name() {
        return NAME;
    }

    /** {@code {"name": "cross-entropy"}}, plus {@code "classWeights": [w_0, …]} when weighted. */
    @Override
    public Map<String, Object> config() {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("name", NAME);
        if (classWeights != null) c.put("classWeights", Configs.list(classWeights));
        return Collections.unmodifiableMap(c);
    }

    static CrossEntropy fromConfig(Map<String, ?> config) {
        Configs.requireOnly(config, NAME, "classWeights");
        double[] w = Configs.numbers(config, NAME, "classWeights");
        return w == null ? new CrossEntropy() : new CrossEntropy(w);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CrossEntropy other && Arrays.equals(classWeights, other.classWeights);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(classWeights);
    }

    @Override
    public String toString() {
        return classWeights == null ? "CrossEntropy[]" : "CrossEntropy[classWeights=" + Arrays.toString(classWeights) + "]";
    }
}
