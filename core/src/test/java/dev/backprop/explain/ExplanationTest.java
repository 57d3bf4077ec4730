package dev.backprop.explain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.backprop.loss.Loss;
import dev.backprop.nn.Activation;
import dev.backprop.nn.Dropout;
import dev.backprop.nn.Linear;
import dev.backprop.nn.Mode;
import dev.backprop.nn.Sequential;
import dev.backprop.tensor.DType;
import dev.backprop.tensor.Tensor;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The general trace: every factor from autodiff, every product checked, and the text and map built from them. */
class ExplanationTest {
    private static final double[] X = {0.4, -0.9, 1.3};

    private static Explanation explain(Activation hidden, Loss loss) {
        Activation out = TestNets.outputFor(loss, hidden);
        Sequential net = TestNets.network(17, new int[] {3, 4, 3}, hidden, out);
        Explanation.Builder b = Explanation.builder(net, loss).input(X).learningRate(0.1);
        return switch (loss.name()) {
            case "cross-entropy" -> b.targetClass(2).build();
            case "bce" -> b.target(1, 0, 1).build();
            default -> b.target(0.3, -0.2, 0.8).build();
        };
    }

    private static void close(double expected, double actual, String what) {
        assertEquals(expected, actual, 1e-12 * Math.max(1, Math.abs(expected)), what);
    }

    @Test
    void theProductOfTheFactorsIsTheAutodiffGradientForEveryWeightAndBias() {
        for (Activation a : TestNets.allActivations()) {
            for (String name : Loss.NAMES) {
                Explanation e = explain(a, Loss.byName(name));
                String what = a.kind() + " + " + name;
                for (Explanation.Layer l : e.layers()) {
                    for (Explanation.Weight w : l.weights()) close(w.gradient(), w.product(), what + " " + w);
                    for (Explanation.Bias b : l.biases()) close(b.gradient(), b.product(), what + " " + b);
                }
                assertTrue(e.maxChainRuleDifference() < 1e-12, what);
            }
        }
    }

    @Test
    void theGradientsAreThoseOfTheWholeNetwork() {
        // One sample: Explanation's gradients must be Gradients' (which is checked against finite differences).
        for (Activation a : TestNets.allActivations()) {
            for (String name : Loss.NAMES) {
                Loss loss = Loss.byName(name);
                Explanation e = explain(a, loss);
                Sequential net = TestNets.network(17, new int[] {3, 4, 3}, a, TestNets.outputFor(loss, a));
                Tensor y = name.equals("cross-entropy") ? Tensor.of(DType.FLOAT64, new double[] {2}, 1)
                        : Tensor.of(DType.FLOAT64, e.target(), 1, 3);
                Gradients g = Gradients.of(net, loss, Tensor.of(DType.FLOAT64, X, 1, 3), y);
                close(g.loss(), e.loss(), a.kind() + " + " + name);
                for (int k = 0; k < 2; k++) {
                    Explanation.Layer l = e.layer(k);
                    for (int j = 0; j < l.size(); j++) {
                        for (int i = 0; i < l.fanIn(); i++) close(g.layers().get(k).weights()[j][i], l.weight(j, i).gradient(), name);
                        close(g.layers().get(k).biases()[j], l.bias(j).gradient(), name);
                    }
                }
            }
        }
    }

    @Test
    void factorsAreTheChainRulesTermsByHand() {
        for (Activation a : TestNets.allActivations()) {
            Explanation e = explain(a, Loss.byName("half-sse"));
            for (Explanation.Layer l : e.layers()) {
                double[] in = l.inputValues();
                for (int j = 0; j < l.size(); j++) {
                    Explanation.Unit u = l.unit(j);
                    // net_j = Σ_i w_ji·out_i + b_j
                    double net = l.bias(j).value();
                    for (int i = 0; i < l.fanIn(); i++) net += l.weight(j, i).value() * in[i];
                    close(net, u.net(), "net");
                    if (a.kind() != Activation.Kind.SOFTMAX) {
                        // ∂out/∂net against a central difference of the activation itself
                        double h = 1e-6;
                        double up = a.forward(Tensor.of(DType.FLOAT64, new double[] {u.net() + h}, 1, 1), Mode.EVAL).item();
                        double down = a.forward(Tensor.of(DType.FLOAT64, new double[] {u.net() - h}, 1, 1), Mode.EVAL).item();
                        assertEquals((up - down) / (2 * h), u.dOutDNet(), 1e-7, a.kind() + " at " + u.net());
                        close(u.dErrorDOut() * u.dOutDNet(), u.delta(), "δ = ∂E/∂out·∂out/∂net");
                    }
                    for (int i = 0; i < l.fanIn(); i++) {
                        List<Explanation.Factor> f = l.weight(j, i).factors();
                        assertEquals(in[i], f.getLast().value(), "∂net/∂w = out_i");
                        assertEquals("dnet_dw", f.getLast().key());
                    }
                }
                if (l.index() == 0) continue;
                // ∂E/∂out_j of the layer below = Σ_k δ_k·w_kj of this one
                Explanation.Layer below = e.layer(l.index() - 1);
                for (int j = 0; j < below.size(); j++) {
                    double sum = 0;
                    for (int k = 0; k < l.size(); k++) sum += l.unit(k).delta() * l.weight(k, j).value();
                    close(sum, below.unit(j).dErrorDOut(), "Σ_k δ_k·w_kj");
                }
            }
            // half-sse: ∂E/∂out = out − y
            Explanation.Layer o = e.layer(1);
            for (int k = 0; k < 3; k++) close(o.unit(k).out() - e.target()[k], o.unit(k).dErrorDOut(), "out − y");
        }
    }

    @Test
    void softmaxWithCrossEntropyHasDeltaOutMinusY() {
        Explanation e = explain(Activation.tanh(), Loss.byName("cross-entropy"));
        Explanation.Layer o = e.layer(1);
        assertTrue(o.fusedWithLoss());
        assertFalse(o.hasDiagonalFactors());
        double[] y = {0, 0, 1};
        double sum = 0;
        for (int k = 0; k < 3; k++) {
            Explanation.Unit u = o.unit(k);
            close(u.out() - y[k], u.delta(), "δ = out − y");
            assertTrue(Double.isNaN(u.dOutDNet()) && Double.isNaN(u.dErrorDOut()));
            sum += u.out();
            assertEquals(List.of("dE_dnet", "dnet_dw"), o.weight(k, 0).factors().stream().map(Explanation.Factor::key).toList());
        }
        close(1, sum, "softmax sums to 1");
        close(-Math.log(o.unit(2).out()), e.loss(), "E = −log out(o3)");
        String text = e.toText();
        assertTrue(text.contains("δ(o1) = ∂E/∂net(o1) = out(o1) − y1 = "), text);
        assertTrue(text.contains("δ(o_k) = ∂E/∂net(o_k) = out(o_k) − y_k"), text);
        assertTrue(text.contains("Target: class 2 (o3)"), text);
        assertTrue(text.contains("E = −log out(o3) = −log "), text);

        // The same with a one-hot probability target.
        Sequential net = TestNets.network(17, new int[] {3, 4, 3}, Activation.tanh(), Activation.softmax());
        Explanation p = Explanation.builder(net, Loss.byName("cross-entropy")).input(X).target(0, 0, 1).learningRate(0.1).build();
        for (int k = 0; k < 3; k++) close(o.unit(k).delta(), p.layer(1).unit(k).delta(), "one-hot target");
        assertEquals(-1, p.targetClass());
    }

    @Test
    void sigmoidWithBinaryCrossEntropyHasDeltaOutMinusYOverK() {
        Explanation e = explain(Activation.relu(), Loss.byName("bce"));
        Explanation.Layer o = e.layer(1);
        assertTrue(o.fusedWithLoss());
        double[] y = {1, 0, 1};
        for (int k = 0; k < 3; k++) close((o.unit(k).out() - y[k]) / 3, o.unit(k).delta(), "δ = (out − y)/K");
        assertTrue(e.toText().contains("δ(o2) = ∂E/∂net(o2) = (out(o2) − y2)/3 = "), e.toText());
    }

    @Test
    void softmaxWithoutItsLossShowsTheJacobianProduct() {
        Sequential net = TestNets.network(5, new int[] {3, 4, 3}, Activation.sigmoid(), Activation.softmax());
        Explanation e = Explanation.builder(net, Loss.byName("mse")).input(X).target(0, 1, 0).build();
        Explanation.Layer o = e.layer(1);
        assertFalse(o.fusedWithLoss());
        assertFalse(o.hasDiagonalFactors());
        double s = 0;
        for (int k = 0; k < 3; k++) s += o.unit(k).out() * o.unit(k).dErrorDOut();
        for (int j = 0; j < 3; j++) {
            Explanation.Unit u = o.unit(j);
            close(2 * (u.out() - e.target()[j]) / 3, u.dErrorDOut(), "mse: ∂E/∂out = 2(out − y)/K");
            close(u.out() * (u.dErrorDOut() - s), u.delta(), "δ_j = out_j·(∂E/∂out_j − s)");
            assertTrue(Double.isNaN(u.dOutDNet()));
        }
        String text = e.toText();
        assertTrue(text.contains("out = softmax(net): every out depends on every net"), text);
        assertTrue(text.contains("δ(o1) = out(o1)·(∂E/∂out(o1) − s) = "), text);
    }

    @Test
    void lossesOnALinearOutputTakeItsValuesAsLogits() {
        Sequential net = TestNets.network(17, new int[] {3, 4, 3}, Activation.tanh(), Activation.identity());
        Explanation ce = Explanation.builder(net, Loss.byName("cross-entropy")).input(X).targetClass(0).build();
        assertFalse(ce.fusedOutput());
        Explanation.Layer o = ce.layer(1);
        double[] z = {o.unit(0).out(), o.unit(1).out(), o.unit(2).out()};
        double[] p = LossText.softmax(z), y = {1, 0, 0};
        for (int k = 0; k < 3; k++) close(p[k] - y[k], o.unit(k).dErrorDOut(), "∂E/∂out = softmax(out) − y");
        assertTrue(ce.toText().contains("∂E/∂out(o1) = softmax(out(o))_1 − y1 = "), ce.toText());
        assertTrue(ce.toText().contains("∂out(o1)/∂net(o1) = 1 (linear)"), ce.toText());

        Explanation bce = Explanation.builder(net, Loss.byName("bce")).input(X).target(1, 0, 1).build();
        Explanation.Layer b = bce.layer(1);
        for (int k = 0; k < 3; k++) {
            double sigma = 1 / (1 + Math.exp(-b.unit(k).out()));
            close((sigma - bce.target()[k]) / 3, b.unit(k).dErrorDOut(), "∂E/∂out = (σ(out) − y)/K");
        }
        assertTrue(bce.toText().contains("∂E/∂out(o2) = (σ(out(o2)) − y2)/3 = "), bce.toText());
    }

    @Test
    void jsonTextHoldsTheMap() throws Exception {
        Explanation e = explain(Activation.relu(), Loss.byName("cross-entropy"));
        String json = e.toJson();
        var tree = new com.fasterxml.jackson.databind.ObjectMapper().readTree(json);
        assertEquals(List.copyOf(e.toMap().keySet()), iterable(tree.fieldNames()));
        assertEquals(e.loss(), tree.get("loss").doubleValue());
        assertTrue(tree.get("layers").get(1).get("units").get(0).get("dE_dout").isNull(), "undefined is null");
        assertEquals(2, tree.get("target_class").intValue());
    }

    private static List<String> iterable(java.util.Iterator<String> it) {
        List<String> out = new java.util.ArrayList<>();
        it.forEachRemaining(out::add);
        return out;
    }

    @Test
    void textWritesNegativeFactorsInParenthesesAndEveryWeight() {
        Explanation e = explain(Activation.tanh(), Loss.byName("half-sse"));
        String text = e.toText();
        assertTrue(text.contains("Forward pass\n") && text.contains("Backward pass") && text.contains("Gradient descent"), text);
        assertTrue(text.contains("·(-"), "negative factors in parentheses:\n" + text);
        assertFalse(text.contains("·-") || text.contains("· -"), text);
        assertTrue(text.contains("net(h1) = w(x1→h1)·x1 + w(x2→h1)·x2 + w(x3→h1)·x3 + b(h1) = "), text);
        assertTrue(text.contains("out(h1) = tanh(net(h1)) = tanh("), text);
        assertTrue(text.contains("∂E/∂out(h1) = δ(o1)·w(h1→o1) + δ(o2)·w(h1→o2) + δ(o3)·w(h1→o3) = "), text);
        assertTrue(text.contains("∂out(h1)/∂net(h1) = 1 − out(h1)² = 1 − "), text);
        for (Explanation.Layer l : e.layers()) {
            for (Explanation.Weight w : l.weights()) {
                assertTrue(text.contains("∂E/∂w(" + w.from() + "→" + w.to() + ") = "), w.toString());
                assertTrue(text.contains("w(" + w.from() + "→" + w.to() + ") ← "), w.toString());
            }
        }
        assertTrue(text.contains("E after the step: "), text);
    }

    @Test
    void severalHiddenLayersNameTheirUnitsByLayer() {
        Sequential net = TestNets.network(3, new int[] {2, 3, 2, 1}, Activation.relu(), Activation.elu(0.7), Activation.identity());
        Explanation e = Explanation.builder(net, Loss.byName("huber")).input(0.5, -1.5).target(0.25).build();
        assertEquals(List.of("h1_1", "h1_2", "h1_3"), e.layer(0).unitNames());
        assertEquals(List.of("h2_1", "h2_2"), e.layer(1).unitNames());
        assertEquals(List.of("o1"), e.layer(2).unitNames());
        assertEquals("hidden layer 2", e.layer(1).title());
        assertTrue(e.toText().contains("net(h2_1) = w(h1_1→h2_1)·out(h1_1)"), e.toText());
        assertTrue(e.maxChainRuleDifference() < 1e-12);
    }

    @Test
    void aStepLowersTheLossAndUpdatesByAlphaTimesTheGradient() {
        Explanation e = explain(Activation.sigmoid(), Loss.byName("mse"));
        for (Explanation.Layer l : e.layers()) {
            for (Explanation.Weight w : l.weights()) close(w.value() - 0.1 * w.gradient(), w.updated(), w.toString());
            for (Explanation.Bias b : l.biases()) close(b.value() - 0.1 * b.gradient(), b.updated(), b.toString());
        }
        assertTrue(e.lossAfter() < e.loss(), e.lossAfter() + " vs " + e.loss());
    }

    @Test
    void mapHasAFixedStructure() {
        Explanation e = explain(Activation.tanh(), Loss.byName("half-sse"));
        Map<String, Object> m = e.toMap();
        assertEquals(List.of("network", "loss_function", "learning_rate", "inputs", "targets", "target_class", "layers", "loss",
                "loss_after", "loss_after_weights_only", "chain_rule_max_difference", "notes"), List.copyOf(m.keySet()));
        assertEquals(e.loss(), m.get("loss"));
        assertEquals(e.lossAfter(), m.get("loss_after"));
        assertNull(m.get("target_class"));
        List<?> layers = (List<?>) m.get("layers");
        assertEquals(2, layers.size());
        Map<?, ?> hidden = (Map<?, ?>) layers.get(0);
        assertEquals(List.of("index", "title", "activation", "size", "inputs", "fused_with_loss", "listed", "summary", "units",
                "weights", "biases"), List.copyOf(hidden.keySet()));
        Map<?, ?> unit = (Map<?, ?>) ((List<?>) hidden.get("units")).get(0);
        assertEquals(List.of("name", "net", "out", "dE_dout", "dout_dnet", "delta"), List.copyOf(unit.keySet()));
        assertEquals("h1", unit.get("name"));
        List<?> weights = (List<?>) hidden.get("weights");
        assertEquals(12, weights.size());
        Map<?, ?> w = (Map<?, ?>) weights.get(1);
        assertEquals(List.of("from", "to", "value", "gradient", "factors", "updated"), List.copyOf(w.keySet()));
        assertEquals("x2", w.get("from"));
        assertEquals("h1", w.get("to"));
        Map<?, ?> factors = (Map<?, ?>) w.get("factors");
        assertEquals(List.of("dE_dout", "dout_dnet", "dnet_dw"), List.copyOf(factors.keySet()));
        double product = 1;
        for (Object v : factors.values()) product *= (Double) v;
        close((Double) w.get("gradient"), product, "map factors");
        Map<?, ?> bias = (Map<?, ?>) ((List<?>) hidden.get("biases")).get(0);
        assertEquals(List.of("unit", "value", "gradient", "factors", "updated"), List.copyOf(bias.keySet()));
        assertEquals(e.toMap().toString(), m.toString(), "deterministic");
        assertJsonData(m);
    }

    @Test
    void undefinedValuesAreNullInTheMap() {
        Map<String, Object> m = explain(Activation.tanh(), Loss.byName("cross-entropy")).toMap();
        Map<?, ?> out = (Map<?, ?>) ((List<?>) m.get("layers")).get(1);
        Map<?, ?> unit = (Map<?, ?>) ((List<?>) out.get("units")).get(0);
        assertNull(unit.get("dE_dout"));
        assertNull(unit.get("dout_dnet"));
        assertEquals(2, m.get("target_class"));
        assertEquals(true, out.get("fused_with_loss"));
        assertEquals(List.of("dE_dnet", "dnet_dw"),
                List.copyOf(((Map<?, ?>) ((Map<?, ?>) ((List<?>) out.get("weights")).get(0)).get("factors")).keySet()));
        assertJsonData(m);
    }

    /** Only what a JSON writer takes: maps with string keys, lists, strings, numbers, booleans, null; no NaN. */
    private static void assertJsonData(Object v) {
        switch (v) {
            case null -> { }
            case Map<?, ?> map -> map.forEach((k, x) -> {
                assertTrue(k instanceof String, String.valueOf(k));
                assertJsonData(x);
            });
            case List<?> list -> list.forEach(ExplanationTest::assertJsonData);
            case Double d -> assertTrue(Double.isFinite(d), "non-finite number");
            case String s -> { }
            case Integer i -> { }
            case Boolean b -> { }
            default -> throw new AssertionError("not JSON data: " + v.getClass());
        }
    }

    @Test
    void largeLayersAreSummarised() {
        Sequential net = TestNets.network(9, new int[] {20, 30, 2}, Activation.leakyRelu(0.1), Activation.sigmoid());
        double[] x = new double[20];
        for (int i = 0; i < x.length; i++) x[i] = Math.sin(i);
        Explanation e = Explanation.builder(net, Loss.byName("bce")).input(x).target(1, 0).build();
        Explanation.Layer hidden = e.layer(0);
        assertFalse(hidden.listed(), "30 units, 600 weights");
        assertTrue(e.layer(1).listed(), "2 units, 60 weights");
        String text = e.toText();
        assertTrue(text.contains("Hidden layer (30 units from 20 inputs, leaky_relu (slope 0.1)), summarised: net mean "), text);
        assertTrue(text.contains("Hidden layer: 600 weights and 30 biases updated; ‖Δ‖ = "), text);
        assertTrue(text.contains("Inputs: 20 values, mean "), text);
        assertFalse(text.contains("w(x1→h1)"), "no weight of the summarised layer is listed");
        assertTrue(text.lines().count() < 200, "readable: " + text.lines().count() + " lines");

        Explanation.Summary s = hidden.summary();
        double norm = 0, max = 0;
        for (double[] row : hidden.weightGradients()) for (double g : row) {
            norm += g * g;
            max = Math.max(max, Math.abs(g));
        }
        for (double g : hidden.biasGradients()) max = Math.max(max, Math.abs(g));
        close(Math.sqrt(norm), s.weightGradientNorm(), "‖∂E/∂W‖");
        close(max, s.maxAbsGradient(), "max |gradient|");
        assertTrue(text.contains("largest |gradient| " + Format.computed(max) + " at " + s.maxGradientAt()), text);
        assertTrue(s.out().min() <= s.out().mean() && s.out().mean() <= s.out().max());

        Map<?, ?> layer = (Map<?, ?>) ((List<?>) e.toMap().get("layers")).get(0);
        assertEquals(false, layer.get("listed"));
        assertFalse(layer.containsKey("weights"));
        assertTrue(((Map<?, ?>) layer.get("summary")).containsKey("update_norm"));

        Explanation full = Explanation.builder(net, Loss.byName("bce")).input(x).target(1, 0).detail(Explanation.Detail.FULL).build();
        assertTrue(full.layer(0).listed());
        assertTrue(full.toText().contains("∂E/∂w(x20→h30) = "));
        Explanation summary = Explanation.builder(net, Loss.byName("bce")).input(x).target(1, 0)
                .detail(Explanation.Detail.SUMMARY).build();
        assertFalse(summary.layer(1).listed());
    }

    @Test
    void rejectsWhatItCannotExplain() {
        SplittableRandom rng = new SplittableRandom(1);
        Sequential withDropout = new Sequential(new Linear(2, 2, rng), new Dropout(0.5));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Explanation.builder(withDropout, Loss.byName("mse")).input(1, 2).target(0, 0).build());
        assertTrue(e.getMessage().contains("Linear + Activation pairs"), e.getMessage());
        Sequential net = TestNets.seed003();
        Loss sse = Loss.byName("half-sse");
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Explanation.builder(net, sse).input(1).target(0, 0).build())
                .getMessage().contains("1 input values for a network of 2 inputs"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Explanation.builder(net, sse).input(1, 2).target(0).build())
                .getMessage().contains("1 target values for a network of 2 outputs"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Explanation.builder(net, Loss.byName("cross-entropy"))
                .input(1, 2).target(2).build()).getMessage().contains("not a class index in 0..1"));
        assertThrows(IllegalArgumentException.class, () -> Explanation.builder(net, sse).input(1, 2).build());
        assertThrows(IllegalArgumentException.class, () -> Explanation.builder(net, sse).learningRate(-1));
    }
}
