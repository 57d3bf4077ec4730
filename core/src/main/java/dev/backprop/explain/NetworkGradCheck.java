package dev.backprop.explain;

import dev.backprop.autograd.GradCheck;
import dev.backprop.autograd.NoGrad;
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
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Checks a network's backpropagated gradients, every parameter on given data and loss, against central finite
 * differences (L(p + ε) − L(p − ε)) / 2ε, all in double precision, and names the layer whose gradients disagree
 * most. Works on any {@link Module}; a layer is the module that owns the parameters (spec layer {@code k},
 * modules {@code 2k} and {@code 2k + 1} of a spec-shaped network, is named {@code layers[k] (in→out, activation)}).
 *
 * <p>The parameters are copied to float64 and put in place of the model's own for the duration of the check
 * ({@link Module#setParameters}), then the originals are put back, so the model is unchanged afterwards (but must
 * not be used by another thread meanwhile). The data is converted to float64 too, so a disagreement is a wrong
 * derivative, not rounding. When the check fails, {@link GradCheck} is run on the worst layer's parameters to name
 * the op whose own local derivative is wrong.
 *
 * <p>An element passes when |analytic − numeric| ≤ atol + rtol·|numeric| (defaults 1e-6 and 1e-4, ε = 1e-6, as
 * {@link GradCheck}). The loss is computed on the {@link Evaluation#lossView loss view} of the model, as in training.
 *
 * <pre>{@code
 * NetworkGradCheck.Result r = NetworkGradCheck.of(spec.module(), Loss.byName("mse")).check(features, targets);
 * if (!r.passed()) System.out.print(r.toText());     // per-layer errors, the worst layer, the op at fault
 * }</pre>
 */
public final class NetworkGradCheck {
    /** Step of the central differences. */
    public static final double DEFAULT_EPS = GradCheck.DEFAULT_EPS;
    /** Absolute tolerance. */
    public static final double DEFAULT_ATOL = GradCheck.DEFAULT_ATOL;
    /** Relative tolerance. */
    public static final double DEFAULT_RTOL = GradCheck.DEFAULT_RTOL;

    private final Module model;
    private final Loss loss;
    private double eps = DEFAULT_EPS;
    private double atol = DEFAULT_ATOL;
    private double rtol = DEFAULT_RTOL;
    private int maxPerLayer = Integer.MAX_VALUE;

    private NetworkGradCheck(Module model, Loss loss) {
        this.model = Objects.requireNonNull(model, "model");
        this.loss = Objects.requireNonNull(loss, "loss");
    }

    /** A check of {@code model} under {@code loss}, with the default step and tolerances. */
    public static NetworkGradCheck of(Module model, Loss loss) {
        return new NetworkGradCheck(model, loss);
    }

    /** Sets the finite-difference step ε. */
    public NetworkGradCheck eps(double value) {
        if (!(value > 0) || Double.isInfinite(value)) throw new IllegalArgumentException("gradcheck: eps must be finite and > 0, got " + value);
        eps = value;
        return this;
    }

    /** Sets the absolute and relative tolerances. */
    public NetworkGradCheck tolerance(double absolute, double relative) {
        if (!(absolute >= 0) || !(relative >= 0)) {
            throw new IllegalArgumentException("gradcheck: tolerances must be >= 0, got " + absolute + ", " + relative);
        }
        atol = absolute;
        rtol = relative;
        return this;
    }

    /**
     * Checks at most {@code n} elements per layer, evenly spaced over its parameters (default: all). Each element
     * costs two forward passes over the data, so a large network is checked on a sample.
     */
    public NetworkGradCheck maxElementsPerLayer(int n) {
        if (n < 1) throw new IllegalArgumentException("gradcheck: maxElementsPerLayer must be >= 1, got " + n);
        maxPerLayer = n;
        return this;
    }

    /**
     * One layer's outcome.
     *
     * @param index            position among the layers, from 0
     * @param name             {@code layers[0] (2→3, tanh)} for a spec-shaped network, else the owning module's
     *                         path and type, e.g. {@code 1 (wrong_linear)}
     * @param parameters       the parameters' names, e.g. {@code 0.weight, 0.bias}
     * @param elements         how many elements the layer's parameters hold
     * @param checked          how many were checked
     * @param maxAbsoluteError the largest |analytic − numeric|
     * @param maxRelativeError the largest |analytic − numeric| / max(|analytic|, |numeric|) (0 where both are 0)
     * @param worstParameter   the parameter of the element furthest outside its tolerance
     * @param worstIndex       that element's index in its parameter
     * @param analytic         that element's backpropagated gradient
     * @param numeric          that element's central difference
     * @param passed           whether every checked element is within tolerance
     */
    public record LayerResult(int index, String name, List<String> parameters, int elements, int checked,
                              double maxAbsoluteError, double maxRelativeError, String worstParameter, int[] worstIndex,
                              double analytic, double numeric, boolean passed) {
        /** Copies {@code parameters} and {@code worstIndex}. */
        public LayerResult {
            parameters = List.copyOf(parameters);
            worstIndex = worstIndex.clone();
        }

        /** A copy of the worst element's index in its parameter, one entry per dimension. */
        @Override
        public int[] worstIndex() {
            return worstIndex.clone();
        }
    }

    /**
     * The outcome.
     *
     * @param passed     whether every checked element of every layer is within tolerance
     * @param loss       the loss at the parameters checked
     * @param samples    the number of samples
     * @param layers     per layer, in the order of the model's parameters
     * @param worstLayer the index of the layer whose worst element is furthest outside (or nearest to) its tolerance
     * @param wrongOp    when the check failed, the op whose own local derivative disagrees with its forward (as
     *                   {@link GradCheck} names it), or null if none was found or the check passed
     * @param eps        the step used
     * @param atol       the absolute tolerance
     * @param rtol       the relative tolerance
     */
    public record Result(boolean passed, double loss, int samples, List<LayerResult> layers, int worstLayer,
                         String wrongOp, double eps, double atol, double rtol) {
        /** Copies {@code layers}. */
        public Result {
            layers = List.copyOf(layers);
        }

        /** The worst layer's outcome. */
        public LayerResult worst() {
            return layers.get(worstLayer);
        }

        /** A summary: the verdict, one line per layer, the worst element, and the op at fault when one is found. */
        public String toText() {
            StringBuilder b = new StringBuilder();
            int checked = 0;
            for (LayerResult l : layers) checked += l.checked();
            b.append(String.format(Locale.ROOT, "Gradient check %s: %d elements of %d layer%s on %d sample%s, loss %s "
                            + "(central differences, ε = %.0e, tolerance %.0e + %.0e·|numeric|)%n", passed ? "passed" : "FAILED",
                    checked, layers.size(), layers.size() == 1 ? "" : "s", samples, samples == 1 ? "" : "s",
                    Format.computed(loss), eps, atol, rtol));
            for (LayerResult l : layers) {
                b.append(String.format(Locale.ROOT, "  %-4s %s: %d%s elements, max |error| %.2e, max relative error %.2e%n",
                        l.passed() ? "ok" : "FAIL", l.name(), l.checked(),
                        l.checked() < l.elements() ? " of " + l.elements() : "", l.maxAbsoluteError(), l.maxRelativeError()));
            }
            LayerResult w = worst();
            b.append(String.format(Locale.ROOT, "Worst layer: %s, at %s%s: analytic %.9g, numeric %.9g%n", w.name(),
                    w.worstParameter(), Arrays.toString(w.worstIndex()), w.analytic(), w.numeric()));
            if (!passed) {
                b.append(wrongOp != null
                        ? "Wrong local derivative: " + wrongOp + " (its backward disagrees with differences of its own forward)\n"
                        : "No single op's local derivative was found wrong; the layer's gradients disagree as a whole\n");
            }
            return b.toString();
        }

        /**
         * Plain data for JSON: {@code passed, loss, samples, eps, atol, rtol, worst_layer, wrong_op, layers} (each
         * {@code index, name, parameters, elements, checked, max_abs_error, max_rel_error, worst_parameter,
         * worst_index, analytic, numeric, passed}).
         */
        public Map<String, Object> toMap() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("passed", passed);
            m.put("loss", loss);
            m.put("samples", samples);
            m.put("eps", eps);
            m.put("atol", atol);
            m.put("rtol", rtol);
            m.put("worst_layer", worstLayer);
            m.put("wrong_op", wrongOp);
            List<Object> ls = new ArrayList<>();
            for (LayerResult l : layers) {
                Map<String, Object> e = new LinkedHashMap<>();
                e.put("index", l.index());
                e.put("name", l.name());
                e.put("parameters", l.parameters());
                e.put("elements", l.elements());
                e.put("checked", l.checked());
                e.put("max_abs_error", l.maxAbsoluteError());
                e.put("max_rel_error", l.maxRelativeError());
                e.put("worst_parameter", l.worstParameter());
                List<Integer> idx = new ArrayList<>();
                for (int i : l.worstIndex()) idx.add(i);
                e.put("worst_index", idx);
                e.put("analytic", l.analytic());
                e.put("numeric", l.numeric());
                e.put("passed", l.passed());
                ls.add(e);
            }
            m.put("layers", ls);
            return m;
        }

        /** {@link #toMap()} as indented JSON text. */
        public String toJson() {
            return dev.backprop.io.JsonText.pretty(toMap());
        }
    }

    /** Checks on {@code data}'s features and targets. */
    public Result check(Dataset data) {
        return check(data.features(), data.targets());
    }

    /**
     * Checks on {@code features} {@code [n, inputs]} and {@code targets} (what {@code loss} takes; {@code [n]} is
     * read as {@code [n, 1]} for a loss other than cross-entropy on a one-output model).
     *
     * @throws IllegalArgumentException when the model has no parameters
     */
    public Result check(Tensor features, Tensor targets) {
        Map<String, Tensor> originals = model.namedParameters();
        if (originals.isEmpty()) throw new IllegalArgumentException("gradcheck: the model has no parameters to check");
        Tensor x = features.to(DType.FLOAT64);
        Tensor y = targets.to(DType.FLOAT64);
        if (x.rank() == 0 || y.rank() == 0 || x.shape().dim(0) != y.shape().dim(0)) {
            throw new ShapeException("gradcheck: features " + x.shape() + " and targets " + y.shape()
                    + " must have one row per sample");
        }
        Module view = Evaluation.lossView(model, loss);
        Map<String, Tensor> copies = new LinkedHashMap<>();
        for (var e : originals.entrySet()) copies.put(e.getKey(), e.getValue().to(DType.FLOAT64).copy().requiresGrad(true));
        try {
            model.setParameters(copies);
            Tensor first = view.forward(x, Mode.EVAL);
            Tensor target = y.rank() == 1 && first.rank() == 2 && first.shape().dim(1) == 1 && !(loss instanceof CrossEntropy)
                    ? y.reshape(y.shape().dim(0), 1) : y;
            Tensor l = loss.apply(first, target);
            l.backward();

            List<LayerResult> layers = new ArrayList<>();
            Map<String, List<String>> groups = groups(copies.keySet());
            double worstRatio = -1;
            int worstLayer = 0;
            boolean passed = true;
            double[] ratio = new double[1];
            for (var g : groups.entrySet()) {
                LayerResult r = checkLayer(layers.size(), layerName(g.getKey()), g.getValue(), copies, view, x, target, ratio);
                passed &= r.passed();
                if (ratio[0] > worstRatio) {
                    worstRatio = ratio[0];
                    worstLayer = layers.size();
                }
                layers.add(r);
            }
            String wrongOp = null;
            if (!passed) {
                LayerResult worst = layers.get(worstLayer);
                if (worst.elements() <= maxPerLayer) wrongOp = culprit(worst.parameters(), copies, view, x, target);
            }
            return new Result(passed, l.item(), x.shape().dim(0), layers, worstLayer, wrongOp, eps, atol, rtol);
        } finally {
            model.setParameters(originals);
        }
    }

    private LayerResult checkLayer(int index, String name, List<String> params, Map<String, Tensor> copies, Module view,
                                   Tensor x, Tensor y, double[] worstRatioOut) {
        int total = 0;
        for (String p : params) total += copies.get(p).size();
        int toCheck = Math.min(total, maxPerLayer);
        double maxAbs = 0, maxRel = 0, worstRatio = -1, worstA = 0, worstN = 0;
        String worstParam = params.getFirst();
        int worstFlat = 0;
        boolean passed = true;
        for (int c = 0; c < toCheck; c++) {
            // Evenly spaced over the layer's elements (all of them when toCheck == total).
            int flat = (int) ((long) c * total / toCheck);
            String pName = null;
            int at = flat;
            for (String p : params) {
                if (at < copies.get(p).size()) {
                    pName = p;
                    break;
                }
                at -= copies.get(p).size();
            }
            Tensor p = copies.get(pName);
            double analytic = p.grad() == null ? 0 : p.grad().getFlat(at);
            double numeric = centralDifference(p, at, view, x, y);
            double err = Math.abs(analytic - numeric);
            if (Double.isNaN(analytic) != Double.isNaN(numeric)) err = Double.POSITIVE_INFINITY;
            else if (Double.isNaN(analytic)) err = 0;
            double scale = Math.max(Math.abs(analytic), Math.abs(numeric));
            double rel = err == 0 ? 0 : scale == 0 ? Double.POSITIVE_INFINITY : err / scale;
            double allowed = atol + rtol * Math.abs(numeric);
            double r = allowed == 0 ? (err == 0 ? 0 : Double.POSITIVE_INFINITY) : err / allowed;
            maxAbs = Math.max(maxAbs, err);
            maxRel = Math.max(maxRel, rel);
            if (r > 1) passed = false;
            if (r > worstRatio) {
                worstRatio = r;
                worstParam = pName;
                worstFlat = at;
                worstA = analytic;
                worstN = numeric;
            }
        }
        worstRatioOut[0] = worstRatio;
        return new LayerResult(index, name, params, total, toCheck, maxAbs, maxRel, worstParam,
                unflatten(copies.get(worstParam), worstFlat), worstA, worstN, passed);
    }

    private double centralDifference(Tensor p, int i, Module view, Tensor x, Tensor y) {
        double orig = p.getFlat(i);
        try (NoGrad ignored = NoGrad.enter()) {
            p.setFlatInPlace(i, orig + eps);
            double plus = loss.apply(view.forward(x, Mode.EVAL), y).item();
            p.setFlatInPlace(i, orig - eps);
            double minus = loss.apply(view.forward(x, Mode.EVAL), y).item();
            return (plus - minus) / (2 * eps);
        } finally {
            p.setFlatInPlace(i, orig);
        }
    }

    /** GradCheck on the given parameters alone (the others held at their float64 copies), for the op it names. */
    private String culprit(List<String> names, Map<String, Tensor> copies, Module view, Tensor x, Tensor y) {
        Tensor[] start = new Tensor[names.size()];
        for (int i = 0; i < start.length; i++) start[i] = copies.get(names.get(i)).detach();
        GradCheck.Result r = GradCheck.of(in -> {
            Map<String, Tensor> m = new LinkedHashMap<>();
            for (int i = 0; i < in.length; i++) m.put(names.get(i), in[i]);
            model.setParameters(m);
            return loss.apply(view.forward(x, Mode.EVAL), y);
        }).eps(eps).tolerance(atol, rtol).at(start);
        return r.passed() ? null : r.op();
    }

    /** Parameters grouped by the module that owns them (the name up to its last dot), in the model's order. */
    private static Map<String, List<String>> groups(Iterable<String> names) {
        Map<String, List<String>> g = new LinkedHashMap<>();
        for (String n : names) {
            int dot = n.lastIndexOf('.');
            g.computeIfAbsent(dot < 0 ? "" : n.substring(0, dot), k -> new ArrayList<>()).add(n);
        }
        return g;
    }

    /** {@code layers[k] (in→out, activation)} for a spec-shaped network; the module's path and type otherwise. */
    private String layerName(String owner) {
        if (SpecLayers.matches(model) && owner.matches("\\d+")) {
            int k = Integer.parseInt(owner) / 2;
            return SpecLayers.name(SpecLayers.of(model, "gradcheck"), k);
        }
        Module m = model;
        if (!owner.isEmpty()) {
            for (String part : owner.split("\\.")) m = m.children().get(part);
        }
        return (owner.isEmpty() ? "(model)" : owner) + " (" + m.config().get("type") + ")";
    }

    private static int[] unflatten(Tensor t, int flat) {
        int[] index = new int[t.rank()];
        for (int d = t.rank() - 1, rest = flat; d >= 0; d--) {
            index[d] = rest % t.shape().dim(d);
            rest /= t.shape().dim(d);
        }
        return index;
    }
}
