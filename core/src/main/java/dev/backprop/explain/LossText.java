package dev.backprop.explain;

import static dev.backprop.explain.Format.computed;
import static dev.backprop.explain.Format.factor;
import static dev.backprop.explain.Format.given;
import static dev.backprop.explain.Format.givenFactor;

import dev.backprop.loss.BinaryCrossEntropy;
import dev.backprop.loss.CrossEntropy;
import dev.backprop.loss.HalfSumSquares;
import dev.backprop.loss.Huber;
import dev.backprop.loss.Loss;
import dev.backprop.loss.MeanAbsoluteError;
import dev.backprop.loss.MeanSquaredError;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;

/**
 * The loss's part of an explanation: E's formula, E with the numbers put in, and the output layer's first
 * derivative (∂E/∂out, or δ directly where the loss takes logits). The numbers shown inside the formulas are worked
 * by hand here, for the reader; each is compared with the autodiff value, and where they differ (a weighted loss
 * whose simple formula does not hold, say) only the autodiff value is shown.
 */
final class LossText {
    private LossText() {}

    /** Formulas with more outputs than this are written with Σ only, not term by term. */
    private static final int MAX_TERMS = 8;

    /** The loss's formula in Σ notation, e.g. {@code E = ½ Σ_k (y_k − out(o_k))²}. */
    static String formula(Explanation e) {
        Loss loss = e.lossFunction();
        String z = e.fusedOutput() ? "net(o_k)" : "out(o_k)";
        return switch (loss) {
            case HalfSumSquares h -> "E = ½ Σ_k (y_k − out(o_k))²";
            case MeanSquaredError m -> "E = (1/K) Σ_k (out(o_k) − y_k)², K = " + outputs(e);
            case MeanAbsoluteError m -> "E = (1/K) Σ_k |out(o_k) − y_k|, K = " + outputs(e);
            case Huber h -> "E = (1/K) Σ_k h(out(o_k) − y_k), h(d) = ½d² if |d| ≤ δ, else δ·(|d| − ½δ); δ = "
                    + given(h.delta()) + ", K = " + outputs(e);
            case CrossEntropy c when e.targetClass() >= 0 -> e.fusedOutput()
                    ? "E = −log out(o_c): minus the log of the softmax's probability of the target class c"
                    : "E = −log softmax(out(o))_c, c the target class (the loss applies the softmax to out(o))";
            case CrossEntropy c -> "E = −Σ_k " + (c.classWeights() != null ? "w_k·" : "") + "y_k·log softmax(" + (e.fusedOutput()
                    ? "net(o))_k = −Σ_k " + (c.classWeights() != null ? "w_k·" : "") + "y_k·log out(o_k)" : "out(o))_k");
            case BinaryCrossEntropy b -> {
                String p = e.fusedOutput() ? "out(o_k)" : "σ(out(o_k))";
                String pw = b.posWeight() == 1 ? "" : given(b.posWeight()) + "·";
                yield "E = (1/K) Σ_k −[" + pw + "y_k·log " + p + " + (1 − y_k)·log(1 − " + p + ")]"
                        + (e.fusedOutput() ? ", out(o_k) = σ(net(o_k))" : "") + ", K = " + outputs(e);
            }
            default -> "E = " + loss.name() + "(" + z.replace("_k", "") + ", y)";
        };
    }

    /** E term by term with the numbers put in, ending with E's value; or the formula and the value for many outputs. */
    static String expanded(Explanation e) {
        int k = outputs(e);
        Explanation.Layer o = e.layer(e.layers().size() - 1);
        double[] out = o.outValues(), y = e.target();
        String value = computed(e.loss());
        if (k > MAX_TERMS) return formula(e) + " = " + value;
        Loss loss = e.lossFunction();
        return switch (loss) {
            case HalfSumSquares h -> "E = " + join(k, " + ", j -> "½(y" + (j + 1) + " − out(o" + (j + 1) + "))²")
                    + " = " + join(k, " + ", j -> "½(" + givenFactor(y[j]) + " − " + factor(out[j]) + ")²") + " = " + value;
            case MeanSquaredError m -> "E = " + mean(k, join(k, " + ", j -> "(out(o" + (j + 1) + ") − y" + (j + 1) + ")²"))
                    + " = " + mean(k, join(k, " + ", j -> "(" + factor(out[j]) + " − " + givenFactor(y[j]) + ")²")) + " = " + value;
            case MeanAbsoluteError m -> "E = " + mean(k, join(k, " + ", j -> "|out(o" + (j + 1) + ") − y" + (j + 1) + "|"))
                    + " = " + mean(k, join(k, " + ", j -> "|" + factor(out[j]) + " − " + givenFactor(y[j]) + "|")) + " = " + value;
            case Huber h -> "E = " + mean(k, join(k, " + ", j -> "h(out(o" + (j + 1) + ") − y" + (j + 1) + ")"))
                    + " = " + mean(k, join(k, " + ", j -> "h(" + computed(out[j] - y[j]) + ")")) + " = " + value
                    + "   (h(d) = ½d² if |d| ≤ " + given(h.delta()) + ", else " + given(h.delta()) + "·(|d| − "
                    + given(h.delta() / 2) + "))";
            case CrossEntropy c when e.targetClass() >= 0 -> {
                int t = e.targetClass() + 1;
                double p = e.fusedOutput() ? out[t - 1] : softmax(out)[t - 1];
                yield (e.fusedOutput() ? "E = −log out(o" + t + ")" : "E = −log softmax(out(o))_" + t)
                        + " = −log " + computed(p) + " = " + value;
            }
            case BinaryCrossEntropy b when b.posWeight() == 1 -> {
                double[] p = e.fusedOutput() ? out : sigmoid(out);
                String terms = join(k, " + ", j -> "[" + givenFactor(y[j]) + "·log " + computed(p[j]) + " + "
                        + givenFactor(1 - y[j]) + "·log " + computed(1 - p[j]) + "]");
                yield "E = " + (k == 1 ? "−" + terms : "−(" + terms + ")/" + k) + " = " + value;
            }
            default -> formula(e) + " = " + value;
        };
    }

    /**
     * The output unit {@code j}'s ∂E/∂out line, for an output layer the loss does not take over: its formula, the
     * numbers put in, and the autodiff value.
     */
    static String outputDerivative(Explanation e, int j) {
        Explanation.Layer o = e.layer(e.layers().size() - 1);
        double[] out = o.outValues(), y = e.target();
        double v = o.dErrorDOutValues()[j];
        int k = outputs(e), n = j + 1;
        String lhs = "∂E/∂out(o" + n + ") = ";
        String over = k == 1 ? "" : "/" + k;
        String d = factor(out[j]) + " − " + givenFactor(y[j]);
        Shown shown = switch (e.lossFunction()) {
            case HalfSumSquares h -> new Shown("out(o" + n + ") − y" + n, d, out[j] - y[j]);
            case MeanSquaredError m -> new Shown("2·(out(o" + n + ") − y" + n + ")" + over, "2·(" + d + ")" + over,
                    2 * (out[j] - y[j]) / k);
            case MeanAbsoluteError m -> new Shown("sign(out(o" + n + ") − y" + n + ")" + over, "sign(" + d + ")" + over,
                    Math.signum(out[j] - y[j]) / k);
            case Huber h -> new Shown("clamp(out(o" + n + ") − y" + n + ", −δ, δ)" + over,
                    "clamp(" + computed(out[j] - y[j]) + ", " + given(-h.delta()) + ", " + given(h.delta()) + ")" + over,
                    Math.max(-h.delta(), Math.min(h.delta(), out[j] - y[j])) / k);
            case CrossEntropy c -> new Shown("softmax(out(o))_" + n + " − y" + n,
                    factor(softmax(out)[j]) + " − " + givenFactor(y[j]), softmax(out)[j] - y[j]);
            case BinaryCrossEntropy b -> new Shown("(σ(out(o" + n + ")) − y" + n + ")" + over,
                    "(" + factor(sigmoid(out)[j]) + " − " + givenFactor(y[j]) + ")" + over, (sigmoid(out)[j] - y[j]) / k);
            default -> null;
        };
        if (shown == null || !agrees(shown.hand(), v)) {
            return lhs + computed(v) + "   (autodiff through " + e.lossFunction().name() + ")";
        }
        return lhs + shown.formula() + " = " + shown.numbers() + " = " + computed(v);
    }

    /** A derivative as written: its formula, the formula with numbers, and the number worked by hand. */
    private record Shown(String formula, String numbers, double hand) {}

    /** Why δ of an output layer that the loss takes over is given directly. */
    static String fusedRule(Explanation e) {
        if (e.lossFunction() instanceof BinaryCrossEntropy) {
            return "The loss takes net(o) as logits (sigmoid and binary cross-entropy in one step), so δ comes straight "
                    + "from it: δ(o_k) = ∂E/∂net(o_k) = (out(o_k) − y_k)/K, σ′ cancelling the logarithm's derivative";
        }
        return "The loss takes net(o) as logits (softmax and cross-entropy in one step), so δ comes straight from it: "
                + "δ(o_k) = ∂E/∂net(o_k) = out(o_k) − y_k, the softmax's Jacobian cancelling the logarithm's derivative";
    }

    /** δ of output unit {@code j} where the loss takes the logits: out − y (over K for bce), or the autodiff value. */
    static String fusedDelta(Explanation e, int j) {
        Explanation.Layer o = e.layer(e.layers().size() - 1);
        double[] out = o.outValues(), y = e.target();
        double v = o.deltas()[j];
        int k = outputs(e), n = j + 1;
        boolean bce = e.lossFunction() instanceof BinaryCrossEntropy;
        String over = bce && k > 1 ? "/" + k : "";
        double hand = (out[j] - y[j]) / (bce ? k : 1);
        String lhs = "δ(o" + n + ") = ∂E/∂net(o" + n + ") = ";
        if (!agrees(hand, v)) return lhs + computed(v) + "   (autodiff through " + e.lossFunction().name() + ")";
        String f = over.isEmpty() ? "out(o" + n + ") − y" + n : "(out(o" + n + ") − y" + n + ")" + over;
        String nums = over.isEmpty() ? factor(out[j]) + " − " + givenFactor(y[j])
                : "(" + factor(out[j]) + " − " + givenFactor(y[j]) + ")" + over;
        return lhs + f + " = " + nums + " = " + computed(v);
    }

    /** A hand-worked value agrees with autodiff when it differs by rounding only. */
    static boolean agrees(double hand, double autodiff) {
        return Math.abs(hand - autodiff) <= 1e-9 * Math.max(1, Math.abs(autodiff));
    }

    private static int outputs(Explanation e) {
        return e.layer(e.layers().size() - 1).size();
    }

    private static String join(int k, String sep, IntFunction<String> term) {
        List<String> t = new ArrayList<>(k);
        for (int j = 0; j < k; j++) t.add(term.apply(j));
        return String.join(sep, t);
    }

    private static String mean(int k, String sum) {
        return k == 1 ? sum : "(" + sum + ")/" + k;
    }

    static double[] softmax(double[] z) {
        double m = Double.NEGATIVE_INFINITY, s = 0;
        for (double v : z) m = Math.max(m, v);
        double[] p = new double[z.length];
        for (int i = 0; i < z.length; i++) s += p[i] = Math.exp(z[i] - m);
        for (int i = 0; i < z.length; i++) p[i] /= s;
        return p;
    }

    private static double[] sigmoid(double[] z) {
        double[] p = new double[z.length];
        for (int i = 0; i < z.length; i++) p[i] = 1 / (1 + Math.exp(-z[i]));
        return p;
    }
}
