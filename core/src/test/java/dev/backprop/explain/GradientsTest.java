package dev.backprop.explain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.backprop.autograd.NoGrad;
import dev.backprop.loss.Loss;
import dev.backprop.nn.Activation;
import dev.backprop.nn.Linear;
import dev.backprop.nn.Mode;
import dev.backprop.nn.Sequential;
import dev.backprop.tensor.DType;
import dev.backprop.tensor.Tensor;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Gradients against central finite differences computed here, in double precision, on random networks of every
 * activation and every loss.
 */
class GradientsTest {
    private static final double EPS = 1e-6;

    /** The loss of {@code net} with the given float64 parameters, computed here without autodiff's backward. */
    private static double lossAt(Sequential net, Loss loss, Tensor[] w, Tensor[] b, Tensor x, Tensor y, boolean fused) {
        try (NoGrad ignored = NoGrad.enter()) {
            Tensor a = x.to(DType.FLOAT64);
            int layers = w.length;
            for (int k = 0; k < layers; k++) {
                Tensor net64 = a.matmul(w[k], false, true).add(b[k]);
                a = fused && k == layers - 1 ? net64 : net.layers().get(2 * k + 1).forward(net64, Mode.EVAL);
            }
            return loss.apply(a, y.to(DType.FLOAT64)).item();
        }
    }

    /** Every element of every weight and bias: |analytic − numeric| ≤ 1e-7 + 1e-5·|numeric|. */
    private static void checkAgainstDifferences(Sequential net, Loss loss, Tensor x, Tensor y, boolean fused, String what) {
        Gradients g = Gradients.of(net, loss, x, y);
        int layers = net.layers().size() / 2;
        Tensor[] w = new Tensor[layers], b = new Tensor[layers];
        for (int k = 0; k < layers; k++) {
            Linear l = (Linear) net.layers().get(2 * k);
            w[k] = l.weight().to(DType.FLOAT64).copy();
            b[k] = l.bias().to(DType.FLOAT64).copy();
        }
        assertEquals(lossAt(net, loss, w, b, x, y, fused), g.loss(), 1e-12, what + ": loss");
        for (int k = 0; k < layers; k++) {
            for (Tensor p : new Tensor[] {w[k], b[k]}) {
                for (int i = 0; i < p.size(); i++) {
                    double v = p.getFlat(i);
                    p.setFlatInPlace(i, v + EPS);
                    double plus = lossAt(net, loss, w, b, x, y, fused);
                    p.setFlatInPlace(i, v - EPS);
                    double minus = lossAt(net, loss, w, b, x, y, fused);
                    p.setFlatInPlace(i, v);
                    double numeric = (plus - minus) / (2 * EPS);
                    int cols = p.rank() == 2 ? p.shape().dim(1) : 1;
                    double analytic = p == w[k] ? g.layers().get(k).weights()[i / cols][i % cols] : g.layers().get(k).biases()[i];
                    assertEquals(numeric, analytic, 1e-7 + 1e-5 * Math.abs(numeric),
                            what + ": layers[" + k + "] " + (p == w[k] ? "weight " : "bias ") + i);
                }
            }
        }
    }

    @Test
    void everyActivationAndEveryLossAgreeWithFiniteDifferences() {
        int n = 6;
        Tensor x = TestNets.features(1, n, 3);
        for (Activation a : TestNets.allActivations()) {
            for (String name : Loss.NAMES) {
                Loss loss = Loss.byName(name);
                Activation out = TestNets.outputFor(loss, a);
                Sequential net = TestNets.network(2, new int[] {3, 4, 3}, a, out);
                Tensor y = TestNets.targets(3, loss, n, 3);
                boolean fused = name.equals("cross-entropy") || name.equals("bce");
                checkAgainstDifferences(net, loss, x, y, fused, a.kind() + " + " + name);
                // The same losses on an output that is not fused into them (logits straight from a linear layer).
                Sequential plain = TestNets.network(2, new int[] {3, 4, 3}, a, Activation.identity());
                checkAgainstDifferences(plain, loss, x, y, false, a.kind() + " + linear + " + name);
            }
        }
    }

    @Test
    void deeperNetworksAgreeToo() {
        Sequential net = TestNets.network(4, new int[] {2, 5, 4, 3, 2}, Activation.gelu(), Activation.elu(0.7),
                Activation.tanh(), Activation.softmax());
        Loss ce = Loss.byName("cross-entropy");
        checkAgainstDifferences(net, ce, TestNets.features(5, 7, 2), TestNets.targets(6, ce, 7, 2), true, "deep");
    }

    @Test
    void halfSseIsASumOverSamplesAndMatchesTheExplanations() {
        Sequential net = TestNets.network(8, new int[] {2, 3, 2}, Activation.sigmoid(), Activation.sigmoid());
        Loss sse = Loss.byName("half-sse");
        double[][] xs = {{0.1, 0.2}, {-0.5, 0.7}, {1.1, -0.3}};
        double[][] ys = {{0.05, 0.95}, {1, 0}, {0.3, 0.6}};
        Gradients g = Gradients.of(net, sse, Tensor.matrix(xs), Tensor.matrix(ys));
        double loss = 0, sum = 0;
        for (int s = 0; s < xs.length; s++) {
            Explanation e = Explanation.builder(net, sse).input(xs[s]).target(ys[s]).build();
            loss += e.loss();
            sum += e.layer(0).weight(1, 0).gradient();
        }
        assertEquals(loss, g.loss(), 1e-6, "float32 data: the sample's values are rounded to float");
        assertEquals(sum, g.layers().get(0).weights()[1][0], 1e-6);
        assertEquals(3, g.samples());
    }

    @Test
    void mapIsInTheSpecsLayout() {
        Sequential net = TestNets.network(8, new int[] {3, 4, 2}, Activation.relu(), Activation.identity());
        Loss mse = Loss.byName("mse");
        Gradients g = Gradients.of(net, mse, TestNets.features(1, 5, 3), TestNets.targets(2, mse, 5, 2));
        Map<String, Object> m = g.toMap();
        assertEquals(List.of("loss", "loss_function", "samples", "layers"), List.copyOf(m.keySet()));
        assertEquals("mse", m.get("loss_function"));
        List<?> layers = (List<?>) m.get("layers");
        assertEquals(2, layers.size());
        Map<?, ?> first = (Map<?, ?>) layers.get(0);
        assertEquals(List.of("weights", "biases"), List.copyOf(first.keySet()));
        List<?> rows = (List<?>) first.get("weights");
        assertEquals(4, rows.size(), "one row per unit");
        assertEquals(3, ((List<?>) rows.get(0)).size(), "one column per input");
        assertEquals(g.layers().get(0).weights()[2][1], ((List<?>) rows.get(2)).get(1));
        assertEquals(4, ((List<?>) first.get("biases")).size());
        String text = g.toText();
        assertTrue(text.startsWith("Loss mse over 5 samples: "), text);
        assertTrue(text.contains("layers[0] (3→4): ‖∂L/∂(W, b)‖ = "), text);
        assertTrue(text.contains("∂L/∂W[3] = ["), text);
    }

    @Test
    void aSingleOutputTakesVectorTargets() {
        Sequential net = TestNets.network(8, new int[] {2, 3, 1}, Activation.tanh(), Activation.sigmoid());
        Loss bce = Loss.byName("bce");
        Tensor x = TestNets.features(1, 4, 2);
        Gradients column = Gradients.of(net, bce, x, Tensor.of(new double[] {1, 0, 0, 1}, 4, 1));
        Gradients vector = Gradients.of(net, bce, x, Tensor.vector(1, 0, 0, 1));
        assertEquals(column.loss(), vector.loss(), 0);
        assertEquals(column.layers().get(1).biases()[0], vector.layers().get(1).biases()[0], 0);
    }

    @Test
    void rejectsDataThatDoesNotFit() {
        Sequential net = TestNets.seed003();
        Loss sse = Loss.byName("half-sse");
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Gradients.of(net, sse, Tensor.zeros(4, 3), Tensor.zeros(4, 2)))
                .getMessage().contains("do not fit a network of 2 inputs"));
        assertThrows(IllegalArgumentException.class, () -> Gradients.of(net, sse, Tensor.zeros(4, 2), Tensor.zeros(3, 2)));
        assertThrows(IllegalArgumentException.class, () -> Gradients.of(new Sequential(net.layers().get(0)), sse,
                Tensor.zeros(4, 2), Tensor.zeros(4, 2)));
    }
}
