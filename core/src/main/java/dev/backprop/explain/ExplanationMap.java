package dev.backprop.explain;

import dev.backprop.nn.Activation;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@link Explanation#toMap()}: the same numbers as the text, as plain data (insertion-ordered maps, lists, strings,
 * numbers, null) that any JSON writer turns into the same document every time.
 */
final class ExplanationMap {
    private ExplanationMap() {}

    static Map<String, Object> of(Explanation e) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("network", network(e));
        Map<String, Object> loss = new LinkedHashMap<>(e.lossFunction().config());
        loss.put("formula", LossText.formula(e));
        loss.put("fused_with_output", e.fusedOutput());
        m.put("loss_function", loss);
        m.put("learning_rate", e.learningRate());
        m.put("inputs", named(e.inputNames(), e.input()));
        List<String> yNames = new ArrayList<>();
        for (int k = 0; k < e.target().length; k++) yNames.add("y" + (k + 1));
        m.put("targets", named(yNames, e.target()));
        m.put("target_class", e.targetClass() >= 0 ? e.targetClass() : null);
        List<Object> layers = new ArrayList<>();
        for (Explanation.Layer l : e.layers()) layers.add(layer(l));
        m.put("layers", layers);
        m.put("loss", number(e.loss()));
        m.put("loss_after", number(e.lossAfter()));
        m.put("loss_after_weights_only", number(e.lossAfterWeightsOnly()));
        m.put("chain_rule_max_difference", e.maxChainRuleDifference());
        m.put("notes", e.notes());
        return m;
    }

    private static Map<String, Object> network(Explanation e) {
        Map<String, Object> n = new LinkedHashMap<>();
        n.put("shape", e.shape());
        n.put("inputs", e.input().length);
        List<Object> layers = new ArrayList<>();
        for (Explanation.Layer l : e.layers()) {
            Map<String, Object> s = new LinkedHashMap<>();
            s.put("units", l.size());
            s.put("activation", l.activation() == Activation.Kind.IDENTITY ? "linear" : l.activation().id());
            if (l.activation() == Activation.Kind.LEAKY_RELU) s.put("slope", l.spec().parameter());
            if (l.activation() == Activation.Kind.ELU) s.put("alpha", l.spec().parameter());
            layers.add(s);
        }
        n.put("layers", layers);
        return n;
    }

    private static List<Object> named(List<String> names, double[] values) {
        List<Object> out = new ArrayList<>();
        for (int i = 0; i < values.length; i++) {
            Map<String, Object> v = new LinkedHashMap<>();
            v.put("name", names.get(i));
            v.put("value", values[i]);
            out.add(v);
        }
        return out;
    }

    private static Map<String, Object> layer(Explanation.Layer l) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("index", l.index());
        m.put("title", l.title());
        m.put("activation", l.spec().describe());
        m.put("size", l.size());
        m.put("inputs", l.inputNames());
        m.put("fused_with_loss", l.fusedWithLoss());
        m.put("listed", l.listed());
        m.put("summary", summary(l.summary()));
        if (!l.listed()) return m;
        List<Object> units = new ArrayList<>();
        for (Explanation.Unit u : l.units()) {
            Map<String, Object> v = new LinkedHashMap<>();
            v.put("name", u.name());
            v.put("net", u.net());
            v.put("out", u.out());
            v.put("dE_dout", number(u.dErrorDOut()));
            v.put("dout_dnet", number(u.dOutDNet()));
            v.put("delta", u.delta());
            units.add(v);
        }
        m.put("units", units);
        List<Object> weights = new ArrayList<>();
        for (Explanation.Weight w : l.weights()) {
            Map<String, Object> v = new LinkedHashMap<>();
            v.put("from", w.from());
            v.put("to", w.to());
            v.put("value", w.value());
            v.put("gradient", w.gradient());
            v.put("factors", factors(w.factors()));
            v.put("updated", w.updated());
            weights.add(v);
        }
        m.put("weights", weights);
        List<Object> biases = new ArrayList<>();
        for (Explanation.Bias b : l.biases()) {
            Map<String, Object> v = new LinkedHashMap<>();
            v.put("unit", b.unit());
            v.put("value", b.value());
            v.put("gradient", b.gradient());
            v.put("factors", factors(b.factors()));
            v.put("updated", b.updated());
            biases.add(v);
        }
        m.put("biases", biases);
        return m;
    }

    private static Map<String, Object> factors(List<Explanation.Factor> f) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (Explanation.Factor x : f) m.put(x.key(), x.value());
        return m;
    }

    private static Map<String, Object> summary(Explanation.Summary s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("net", stats(s.net()));
        m.put("out", stats(s.out()));
        m.put("delta", stats(s.delta()));
        m.put("weight_gradient_norm", s.weightGradientNorm());
        m.put("bias_gradient_norm", s.biasGradientNorm());
        m.put("max_abs_gradient", s.maxAbsGradient());
        m.put("max_gradient_at", s.maxGradientAt());
        m.put("update_norm", s.updateNorm());
        return m;
    }

    private static Map<String, Object> stats(Explanation.Stats s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("mean", s.mean());
        m.put("min", s.min());
        m.put("max", s.max());
        return m;
    }

    /** JSON has no NaN: a value that is not defined here is null. */
    private static Double number(double v) {
        return Double.isNaN(v) ? null : v;
    }
}
