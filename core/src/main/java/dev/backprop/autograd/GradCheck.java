package dev.backprop.autograd;

import dev.backprop.tensor.DType;
import dev.backprop.tensor.Tensor;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Function;

/**
 * Compares the gradient that backpropagation computes with central differences, (f(x + ε) − f(x − ε)) / 2ε, all
 * in double precision: the inputs are copied to float64 and every op runs in float64, so a disagreement is a wrong
 * derivative, not rounding.
 *
 * <p>When some element disagrees, every op of the graph is then checked on its own (its backward against central
 * differences of its forward, with a random upstream gradient), and the report names the op whose local derivative
 * is wrong.
 *
 * <pre>{@code
 * GradCheck.Result r = GradCheck.check(in -> in[0].matmul(in[1]).sigmoid().sum(), x, w);
 * if (!r.passed()) System.out.println(r);   // worst element, analytic vs numeric, and the op at fault
 * }</pre>
 */
public final class GradCheck {
    /** Step of the central differences. */
    public static final double DEFAULT_EPS = 1e-6;
    /** An element passes when |analytic − numeric| ≤ atol + rtol·|numeric|. */
    public static final double DEFAULT_ATOL = 1e-6;
    /** Default rtol, the relative part of that tolerance. */
    public static final double DEFAULT_RTOL = 1e-4;

    private final Function<Tensor[], Tensor> f;
    private double eps = DEFAULT_EPS;
    private double atol = DEFAULT_ATOL;
    private double rtol = DEFAULT_RTOL;

    private GradCheck(Function<Tensor[], Tensor> f) {
        this.f = f;
    }

    /** A check of the scalar function {@code f} with the default step and tolerances. */
    public static GradCheck of(Function<Tensor[], Tensor> f) {
        return new GradCheck(f);
    }

    /** Checks {@code f} at {@code inputs} with the defaults. */
    public static Result check(Function<Tensor[], Tensor> f, Tensor... inputs) {
        return of(f).at(inputs);
    }

    /** Sets the finite-difference step. */
    public GradCheck eps(double value) {
        if (!(value > 0)) throw new IllegalArgumentException("gradcheck: eps must be > 0, got " + value);
        eps = value;
        return this;
    }

    /** Sets the absolute and relative tolerances. */
    public GradCheck tolerance(double absolute, double relative) {
        if (!(absolute >= 0) || !(relative >= 0)) {
            throw new IllegalArgumentException("gradcheck: tolerances must be >= 0, got " + absolute + ", " + relative);
        }
        atol = absolute;
        rtol = relative;
        return this;
    }

    /** One element's comparison. */
    public record Element(int input, int[] index, double analytic, double numeric, double error, double allowed) {
        /** error / allowed: above 1 fails. */
        double ratio() {
            return allowed == 0 ? (error == 0 ? 0 : Double.POSITIVE_INFINITY) : error / allowed;
        }

        @Override
        public String toString() {
            return "input " + input + " " + Arrays.toString(index) + ": analytic " + analytic + ", numeric " + numeric
                    + " (|difference| " + String.format(java.util.Locale.ROOT, "%.3g", error) + ")";
        }
    }

    /**
     * The outcome: whether every element agreed, the worst element, and the op it belongs to: when the check
     * failed, the op whose own derivative disagrees most with its own forward; otherwise the op that consumed the
     * worst input.
     */
    public record Result(boolean passed, Element worst, String op, Element opWorst, int elementsChecked) {
        @Override
        public String toString() {
            String head = (passed ? "gradcheck passed" : "gradcheck FAILED") + " (" + elementsChecked + " elements); worst: "
                    + (worst == null ? "none" : worst.toString());
            if (op == null) return head;
            return head + (passed ? "; used by " + op : "; wrong local derivative: " + op
                    + (opWorst == null ? "" : " (" + opWorst + ")"));
        }
    }

    /** Runs the check at {@code inputs} (which are copied, not changed). */
    public Result at(Tensor... inputs) {
        Tensor[] leaves = new Tensor[inputs.length];
        for (int i = 0; i < inputs.length; i++) leaves[i] = inputs[i].to(DType.FLOAT64).copy().requiresGrad(true);
        Tensor out = f.apply(leaves);
        requireScalar64(out);
        out.backward();

        Element worst = null;
        boolean passed = true;
        int checked = 0;
        for (int i = 0; i < leaves.length; i++) {
            for (int j = 0; j < leaves[i].size(); j++) {
                double numeric = centralDifference(leaves, i, j);
                Tensor g = leaves[i].grad();
                double analytic = g == null ? 0 : g.getFlat(j);
                Element e = element(i, leaves[i], j, analytic, numeric);
                checked++;
                if (e.ratio() > 1) passed = false;
                if (worst == null || e.ratio() > worst.ratio()) worst = e;
            }
        }
        if (passed) return new Result(true, worst, worst == null ? null : consumerOf(out, leaves[worst.input()]), null, checked);
        Element[] local = {null};
        String culprit = localCulprit(out, local);
        return new Result(false, worst, culprit, local[0], checked);
    }

    private double centralDifference(Tensor[] leaves, int input, int j) {
        double x = leaves[input].getFlat(j);
        Tensor[] shifted = leaves.clone();
        try (NoGrad ignored = NoGrad.enter()) {
            Tensor plus = leaves[input].detach().copy();
            plus.setFlatInPlace(j, x + eps);
            shifted[input] = plus;
            double fPlus = f.apply(shifted).item();
            Tensor minus = leaves[input].detach().copy();
            minus.setFlatInPlace(j, x - eps);
            shifted[input] = minus;
            double fMinus = f.apply(shifted).item();
            return (fPlus - fMinus) / (2 * eps);
        }
    }

    private Element element(int input, Tensor t, int flat, double analytic, double numeric) {
        int[] index = new int[t.rank()];
        for (int d = t.rank() - 1, rest = flat; d >= 0; d--) {
            index[d] = rest % t.shape().dim(d);
            rest /= t.shape().dim(d);
        }
        double error = Math.abs(analytic - numeric);
        if (Double.isNaN(analytic) != Double.isNaN(numeric)) error = Double.POSITIVE_INFINITY;
        else if (Double.isNaN(analytic)) error = 0;
        return new Element(input, index, analytic, numeric, error, atol + rtol * Math.abs(numeric));
    }

    private static void requireScalar64(Tensor out) {
        if (out.size() != 1) {
            throw new IllegalArgumentException("gradcheck: the function must return one number, got shape " + out.shape()
                    + " (reduce it, e.g. with sum())");
        }
        if (out.dtype() != DType.FLOAT64) {
            throw new IllegalArgumentException("gradcheck: the function computed in " + out.dtype()
                    + "; it must keep its inputs' float64 (do not convert them with to(FLOAT32))");
        }
        if (!out.requiresGrad()) {
            throw new IllegalArgumentException("gradcheck: the result does not depend on any input");
        }
    }

    private static String consumerOf(Tensor out, Tensor leaf) {
        for (Op fn : Graph.ops(out)) {
            for (Tensor in : fn.inputs()) if (in == leaf) return fn.name();
        }
        return null;
    }

    /** Checks every op of the graph on its own; returns the name of the worst one that fails, or null if none does. */
    private String localCulprit(Tensor out, Element[] worstOut) {
        List<Op> fns = Graph.ops(out);
        SplittableRandom rng = new SplittableRandom(0x9E3779B97F4A7C15L);
        String culprit = null;
        Element worst = null;
        for (Op fn : fns) {
            Tensor[] in = fn.inputs();
            for (int i = 0; i < in.length; i++) in[i] = in[i].detach();
            Tensor y = fn.reforward(in);
            Tensor g = Tensor.zeros(y.dtype(), y.shape());
            for (int k = 0; k < g.size(); k++) g.setFlatInPlace(k, rng.nextDouble(-1, 1));
            Tensor[] grads = fn.runBackward(g);
            for (int i = 0; i < in.length; i++) {
                if (!fn.inputs()[i].requiresGrad() || in[i].dtype() != DType.FLOAT64) continue;
                for (int j = 0; j < in[i].size(); j++) {
                    double numeric = localDifference(fn, in, i, j, g);
                    double analytic = grads[i] == null ? 0 : grads[i].getFlat(j);
                    Element e = element(i, in[i], j, analytic, numeric);
                    if (e.ratio() > 1 && (worst == null || e.ratio() > worst.ratio())) {
                        worst = e;
                        culprit = fn.name();
                    }
                }
            }
        }
        worstOut[0] = worst;
        return culprit;
    }

    private double localDifference(Op fn, Tensor[] in, int i, int j, Tensor g) {
        Tensor[] shifted = in.clone();
        double x = in[i].getFlat(j);
        Tensor plus = in[i].copy();
        plus.setFlatInPlace(j, x + eps);
        shifted[i] = plus;
        double fPlus = dot(fn.reforward(shifted), g);
        Tensor minus = in[i].copy();
        minus.setFlatInPlace(j, x - eps);
        shifted[i] = minus;
        double fMinus = dot(fn.reforward(shifted), g);
        return (fPlus - fMinus) / (2 * eps);
    }

    private static double dot(Tensor a, Tensor b) {
        double s = 0;
        for (int k = 0; k < a.size(); k++) s += a.getFlat(k) * b.getFlat(k);
        return s;
    }
}
