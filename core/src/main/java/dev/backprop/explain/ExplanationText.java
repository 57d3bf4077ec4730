package dev.backprop.explain;

import static dev.backprop.explain.Format.computed;
import static dev.backprop.explain.Format.factor;
import static dev.backprop.explain.Format.given;
import static dev.backprop.explain.Format.givenFactor;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@link Explanation#toText()}: the forward pass, the loss, the backward pass, the step and the loss after it, one
 * equation per line in the seeds' style: the symbols, then the numbers, then the result, e.g.
 * {@code net(h1) = w(x1→h1)·x1 + w(x2→h1)·x2 + b(h1) = 0.25·0.1 + 0.15·0.2 + 0.45 = 0.505000}.
 */
final class ExplanationText {
    private ExplanationText() {}

    /** The header lists inputs and targets one by one up to this many, and summarises them beyond. */
    private static final int MAX_LISTED_VALUES = 8;
    /** A hidden unit's ∂E/∂out = Σ_k δ_k·w_kj is written term by term up to this many terms. */
    private static final int MAX_SUM_TERMS = 8;

    static String render(Explanation e) {
        StringBuilder b = new StringBuilder();
        header(e, b);
        b.append('\n').append("Forward pass\n");
        for (Explanation.Layer l : e.layers()) forward(e, l, b);
        b.append("  ").append(LossText.expanded(e)).append('\n');

        b.append('\n').append("Backward pass: the chain rule, from the output back\n");
        for (int k = e.layers().size() - 1; k >= 0; k--) backward(e, e.layer(k), b);

        b.append('\n').append("Gradient descent: every weight and bias p ← p − α·∂E/∂p, with α = ")
                .append(given(e.learningRate())).append('\n');
        for (Explanation.Layer l : e.layers()) update(e, l, b);

        b.append('\n').append("E after the step: ").append(computed(e.lossAfter())).append(" (before: ")
                .append(computed(e.loss())).append(")\n");
        b.append(String.format(Locale.ROOT, "Check: every product of chain-rule factors above equals the autodiff gradient"
                + " (largest difference %.1e)%n", e.maxChainRuleDifference()));
        List<String> notes = e.notes();
        if (!notes.isEmpty()) {
            b.append('\n');
            for (String n : notes) b.append(n).append('\n');
        }
        return b.toString();
    }

    private static void header(Explanation e, StringBuilder b) {
        List<String> acts = new ArrayList<>();
        for (Explanation.Layer l : e.layers()) acts.add(l.spec().describe());
        b.append("One step of backpropagation: a ").append(e.shape()).append(" network (").append(String.join(", ", acts))
                .append("), one sample, learning rate α = ").append(given(e.learningRate())).append('\n');
        b.append("Loss ").append(e.lossFunction().name()).append(": ").append(LossText.formula(e)).append('\n');
        b.append("Inputs: ").append(values("x", e.input())).append('\n');
        if (e.targetClass() >= 0) {
            int c = e.targetClass();
            b.append("Target: class ").append(c).append(" (o").append(c + 1).append("), so y").append(c + 1)
                    .append(" = 1 and the other y are 0\n");
        } else {
            b.append("Targets: ").append(values("y", e.target())).append('\n');
        }
        int hidden = e.layers().size() - 1;
        String h = hidden == 0 ? "" : hidden == 1 ? "h1, h2, … the hidden units, "
                : "h<l>_<j> unit j of hidden layer l (h1_1, h1_2, …, h2_1, …), ";
        b.append("Names: x1, x2, … the inputs, ").append(h).append("o1, o2, … the outputs; w(a→b) is the weight from a into b, "
                + "b(u) the bias of u, δ(u) = ∂E/∂net(u)\n");
    }

    /** {@code x1 = 0.1, x2 = 0.2}, or for many values their count, mean, least and greatest. */
    private static String values(String prefix, double[] v) {
        if (v.length > MAX_LISTED_VALUES) {
            Explanation.Stats s = Explanation.Stats.of(v);
            return v.length + " values, mean " + computed(s.mean()) + ", min " + computed(s.min()) + ", max " + computed(s.max());
        }
        List<String> t = new ArrayList<>();
        for (int i = 0; i < v.length; i++) t.add(prefix + (i + 1) + " = " + given(v[i]));
        return String.join(", ", t);
    }

    // ---------------------------------------------------------------- forward

    private static void forward(Explanation e, Explanation.Layer l, StringBuilder b) {
        if (!l.listed()) {
            Explanation.Summary s = l.summary();
            b.append("  ").append(capital(l.title())).append(" (").append(l.size()).append(" units from ").append(l.fanIn())
                    .append(" inputs, ").append(l.spec().describe()).append("), summarised: net ").append(stats(s.net()))
                    .append("; out ").append(stats(s.out())).append('\n');
            return;
        }
        boolean first = l.index() == 0;
        for (int j = 0; j < l.size(); j++) {
            String u = l.unitNames().get(j);
            if (l.fanIn() > MAX_SUM_TERMS) {
                // Dozens of terms on one line help no one; the weights are listed one by one further down.
                String in = first ? "x_i" : generic(e.layer(l.index() - 1)).replace("_k", "_i");
                b.append("  net(").append(u).append(") = Σ_i w(").append(in).append("→").append(u).append(")·")
                        .append(first ? in : "out(" + in + ")").append(" + b(").append(u).append("), over ")
                        .append(l.fanIn()).append(" inputs = ").append(computed(l.netValues()[j]));
            } else {
                List<String> sym = new ArrayList<>(), num = new ArrayList<>();
                for (int i = 0; i < l.fanIn(); i++) {
                    String in = l.inputNames().get(i);
                    sym.add("w(" + in + "→" + u + ")·" + (first ? in : "out(" + in + ")"));
                    double x = l.inputValue(i);
                    num.add(givenFactor(l.weightValue(j, i)) + "·" + (first ? givenFactor(x) : factor(x)));
                }
                b.append("  net(").append(u).append(") = ").append(String.join(" + ", sym)).append(" + b(").append(u).append(") = ")
                        .append(String.join(" + ", num)).append(" + ").append(givenFactor(l.biasVector()[j])).append(" = ")
                        .append(computed(l.netValues()[j]));
            }
            String remark = e.netRemark(l.index(), j);
            if (remark != null) b.append("   (").append(remark).append(")");
            b.append('\n');
            b.append("  ").append(activation(l, j)).append('\n');
        }
    }

    /** {@code out(h1) = σ(net(h1)) = 1 / (1 + e^−0.505000) = 0.623634}, and alike for each activation. */
    private static String activation(Explanation.Layer l, int j) {
        String u = l.unitNames().get(j), out = "out(" + u + ") = ", net = "net(" + u + ")";
        double z = l.netValues()[j], o = l.outValues()[j];
        String r = " = " + computed(o);
        return switch (l.activation()) {
            case SIGMOID -> out + "σ(" + net + ") = 1 / (1 + e^−" + factor(z) + ")" + r;
            case TANH -> out + "tanh(" + net + ") = tanh(" + computed(z) + ")" + r;
            case RELU -> out + "max(0, " + net + ") = max(0, " + computed(z) + ")" + r;
            case LEAKY_RELU -> out + (z > 0 ? net + " (as it is > 0)" : given(l.spec().parameter()) + "·" + net + " (as it is ≤ 0) = "
                    + given(l.spec().parameter()) + "·" + factor(z)) + r;
            case ELU -> out + (z > 0 ? net + " (as it is > 0)" : "α·(e^" + net + " − 1) (as it is ≤ 0) = "
                    + given(l.spec().parameter()) + "·(e^" + factor(z) + " − 1)") + r;
            case GELU -> out + "gelu(" + net + ") = ½·net·(1 + tanh(√(2/π)·(net + 0.044715·net³))) at net = " + computed(z) + r;
            case SOFTMAX -> out + "e^" + net + " / Σ_k e^net(" + generic(l) + ") = e^" + factor(z) + " / "
                    + computed(softmaxDenominator(l.netValues(), z)) + r;
            case IDENTITY -> out + net + r;
        };
    }

    /** Σ_k e^net_k, written so that e^z / Σ equals the softmax (computed from the shifted values to stay finite). */
    private static double softmaxDenominator(double[] nets, double z) {
        double m = Double.NEGATIVE_INFINITY, s = 0;
        for (double v : nets) m = Math.max(m, v);
        for (double v : nets) s += Math.exp(v - m);
        return s * Math.exp(m);
    }

    /** The running unit name of a layer: {@code o_k}, {@code h_k}, {@code h2_k}. */
    private static String generic(Explanation.Layer l) {
        String first = l.unitNames().getFirst();
        int cut = first.indexOf('_');
        return cut >= 0 ? first.substring(0, cut) + "_k" : first.charAt(0) + "_k";
    }

    // ---------------------------------------------------------------- backward

    private static void backward(Explanation e, Explanation.Layer l, StringBuilder b) {
        boolean output = l.index() == e.layers().size() - 1;
        b.append("  ").append(capital(l.title())).append(" (").append(l.spec().describe()).append(")");
        if (!l.listed()) {
            Explanation.Summary s = l.summary();
            b.append(String.format(Locale.ROOT, ", summarised: %d units from %d inputs; δ %s; ‖∂E/∂W‖ = %s, ‖∂E/∂b‖ = %s; "
                            + "largest |gradient| %s at %s%n", l.size(), l.fanIn(), stats(s.delta()),
                    computed(s.weightGradientNorm()), computed(s.biasGradientNorm()), computed(s.maxAbsGradient()),
                    s.maxGradientAt()));
            return;
        }
        b.append('\n');
        String pad = "    ";
        if (l.fusedWithLoss()) b.append(pad).append(LossText.fusedRule(e)).append('\n');
        double s = 0;
        if (!l.fusedWithLoss() && !l.spec().elementwise()) {
            // The softmax's Jacobian applied to ∂E/∂out: δ_j = out_j·(∂E/∂out_j − Σ_k out_k·∂E/∂out_k).
            List<String> terms = new ArrayList<>();
            for (int k = 0; k < l.size(); k++) {
                s += l.outValues()[k] * l.dErrorDOutValues()[k];
                terms.add(factor(l.outValues()[k]) + "·" + factor(l.dErrorDOutValues()[k]));
            }
            for (int j = 0; j < l.size(); j++) b.append(pad).append(dErrorDOut(e, l, j, output)).append('\n');
            String g = generic(l), gj = g.replace("_k", "_j");
            b.append(pad).append("out = softmax(net): every out depends on every net, so δ(").append(gj).append(") = Σ_k ∂E/∂out(")
                    .append(g).append(")·∂out(").append(g).append(")/∂net(").append(gj).append(") = out(").append(gj)
                    .append(")·(∂E/∂out(").append(gj).append(") − s), where\n");
            b.append(pad).append("s = Σ_k out(").append(g).append(")·∂E/∂out(").append(g).append(")")
                    .append(l.size() <= MAX_SUM_TERMS ? " = " + String.join(" + ", terms) : "").append(" = ")
                    .append(computed(s)).append('\n');
        }
        for (int j = 0; j < l.size(); j++) {
            String u = l.unitNames().get(j);
            double delta = l.deltas()[j];
            if (l.fusedWithLoss()) {
                b.append(pad).append(LossText.fusedDelta(e, j)).append('\n');
            } else if (!l.spec().elementwise()) {
                b.append(pad).append("δ(").append(u).append(") = out(").append(u).append(")·(∂E/∂out(").append(u).append(") − s) = ")
                        .append(factor(l.outValues()[j])).append("·(").append(factor(l.dErrorDOutValues()[j])).append(" − ")
                        .append(factor(s)).append(") = ").append(computed(delta)).append('\n');
            } else {
                b.append(pad).append(dErrorDOut(e, l, j, output)).append('\n');
                b.append(pad).append(localDerivative(l, j)).append('\n');
                b.append(pad).append("δ(").append(u).append(") = ∂E/∂net(").append(u).append(") = ∂E/∂out(").append(u)
                        .append(") · ∂out(").append(u).append(")/∂net(").append(u).append(") = ")
                        .append(factor(l.dErrorDOutValues()[j])).append(" · ").append(factor(l.dOutDNetValues()[j]))
                        .append(" = ").append(computed(delta)).append('\n');
            }
            boolean first = l.index() == 0;
            for (int i = 0; i < l.fanIn(); i++) {
                Explanation.Weight w = l.weight(j, i);
                String in = l.inputNames().get(i);
                b.append(pad).append("  ∂E/∂w(").append(in).append("→").append(u).append(") = ")
                        .append(shared(l, u)).append(" · ").append(first ? in : "out(" + in + ")").append(" = ")
                        .append(numbers(w.factors(), first)).append(" = ").append(computed(w.gradient())).append('\n');
            }
            Explanation.Bias bias = l.bias(j);
            b.append(pad).append("  ∂E/∂b(").append(u).append(") = ").append(shared(l, u)).append(" · 1 = ")
                    .append(numbers(bias.factors(), false)).append(" = ").append(computed(bias.gradient())).append('\n');
        }
    }

    /** The symbols of the factors every parameter of unit u shares. */
    private static String shared(Explanation.Layer l, String u) {
        return l.hasDiagonalFactors() ? "∂E/∂out(" + u + ") · ∂out(" + u + ")/∂net(" + u + ")" : "δ(" + u + ")";
    }

    /** The factors' values joined by {@code ·}; the last (∂net/∂w, an input) as given when it is an input x. */
    private static String numbers(List<Explanation.Factor> f, boolean lastIsInput) {
        List<String> t = new ArrayList<>();
        for (int i = 0; i < f.size(); i++) {
            double v = f.get(i).value();
            boolean last = i == f.size() - 1;
            t.add(last && (lastIsInput || f.get(i).key().equals("dnet_db")) ? givenFactor(v) : factor(v));
        }
        return String.join(" · ", t);
    }

    /** ∂E/∂out: from the loss for an output unit, Σ_k δ_k·w_kj for a hidden one. */
    private static String dErrorDOut(Explanation e, Explanation.Layer l, int j, boolean output) {
        if (output) return LossText.outputDerivative(e, j);
        Explanation.Layer next = e.layer(l.index() + 1);
        String u = l.unitNames().get(j);
        String lhs = "∂E/∂out(" + u + ") = ";
        String value = computed(l.dErrorDOutValues()[j]);
        if (next.size() > MAX_SUM_TERMS) {
            String g = generic(next);
            return lhs + "Σ_k δ(" + g + ")·w(" + u + "→" + g + "), over " + next.size() + " units = " + value;
        }
        List<String> sym = new ArrayList<>(), num = new ArrayList<>();
        for (int k = 0; k < next.size(); k++) {
            String v = next.unitNames().get(k);
            sym.add("δ(" + v + ")·w(" + u + "→" + v + ")");
            num.add(factor(next.deltas()[k]) + "·" + givenFactor(next.weightValue(k, j)));
        }
        return lhs + String.join(" + ", sym) + " = " + String.join(" + ", num) + " = " + value;
    }

    /** {@code ∂out(h1)/∂net(h1) = out(h1)·(1 − out(h1)) = 0.623634·(1 − 0.623634) = 0.234705}, alike per activation. */
    private static String localDerivative(Explanation.Layer l, int j) {
        String u = l.unitNames().get(j), lhs = "∂out(" + u + ")/∂net(" + u + ") = ", out = "out(" + u + ")";
        double o = l.outValues()[j], z = l.netValues()[j], d = l.dOutDNetValues()[j];
        String r = " = " + computed(d);
        String side = z > 0 ? " (as net(" + u + ") > 0)" : " (as net(" + u + ") ≤ 0)";
        // Piecewise-constant derivatives are written as the constant itself (1, 0, the slope), as autodiff gave it.
        return switch (l.activation()) {
            case SIGMOID -> lhs + out + "·(1 − " + out + ") = " + factor(o) + "·(1 − " + factor(o) + ")" + r;
            case TANH -> lhs + "1 − " + out + "² = 1 − " + factor(o) + "²" + r;
            case RELU -> lhs + given(d) + side;
            case LEAKY_RELU -> lhs + (z > 0 ? given(d) : given(d) + ", the slope,") + side;
            case ELU -> z > 0 ? lhs + given(d) + side
                    : lhs + out + " + α" + side + " = " + factor(o) + " + " + given(l.spec().parameter()) + r;
            case GELU -> lhs + "gelu′(net(" + u + ")) at net = " + computed(z) + r;
            case IDENTITY -> lhs + given(d) + " (linear)";
            case SOFTMAX -> throw new IllegalStateException("softmax has no diagonal derivative");
        };
    }

    // ---------------------------------------------------------------- update

    private static void update(Explanation e, Explanation.Layer l, StringBuilder b) {
        if (!l.listed()) {
            b.append("  ").append(capital(l.title())).append(": ").append(l.size() * l.fanIn()).append(" weights and ")
                    .append(l.size()).append(" biases updated; ‖Δ‖ = α·‖∂E/∂(W, b)‖ = ")
                    .append(computed(l.summary().updateNorm())).append('\n');
            return;
        }
        String a = given(e.learningRate());
        for (int j = 0; j < l.size(); j++) {
            for (int i = 0; i < l.fanIn(); i++) {
                Explanation.Weight w = l.weight(j, i);
                b.append("  w(").append(w.from()).append("→").append(w.to()).append(") ← ").append(given(w.value())).append(" − ")
                        .append(a).append("·").append(factor(w.gradient())).append(" = ").append(computed(w.updated())).append('\n');
            }
        }
        for (int j = 0; j < l.size(); j++) {
            Explanation.Bias bias = l.bias(j);
            b.append("  b(").append(bias.unit()).append(") ← ").append(given(bias.value())).append(" − ").append(a).append("·")
                    .append(factor(bias.gradient())).append(" = ").append(computed(bias.updated())).append('\n');
        }
    }

    // ---------------------------------------------------------------- helpers

    private static String stats(Explanation.Stats s) {
        return "mean " + computed(s.mean()) + " (min " + computed(s.min()) + ", max " + computed(s.max()) + ")";
    }

    private static String capital(String s) {
        return Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }
}
