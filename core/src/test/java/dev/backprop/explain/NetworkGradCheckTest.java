package dev.backprop.explain;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.backprop.autograd.Op;
import dev.backprop.loss.Loss;
import dev.backprop.nn.Activation;
import dev.backprop.nn.Linear;
import dev.backprop.nn.Mode;
import dev.backprop.nn.Module;
import dev.backprop.nn.Sequential;
import dev.backprop.tensor.Tensor;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The network check must pass on correct networks and, given a wrong derivative, fail and say where. */
class NetworkGradCheckTest {

    /** A test double: x·Wᵀ whose weight gradient is 1.5 times too large; the input gradient is right. */
    static final class WrongWeightGradient extends Op {
        private Tensor x;
        private Tensor w;

        @Override
        public String name() {
            return "wrong_weight_matmul";
        }

        @Override
        protected Tensor forward(Tensor... in) {
            x = in[0];
            w = in[1];
            return x.matmul(w, false, true);
        }

        @Override
        protected Tensor[] backward(Tensor g) {
            return new Tensor[] {g.matmul(w), g.matmul(x, true, false).mul(1.5)};    // should be gᵀ·x
        }
    }

    /** A layer with a weight and no bias whose product uses {@link WrongWeightGradient}. */
    static final class WrongLinear extends Module {
        WrongLinear(int in, int out, SplittableRandom rng) {
            registerParameter("weight", Tensor.randn(rng, out, in).mul(0.5));
        }

        @Override
        public Tensor forward(Tensor x, Mode mode) {
            return new WrongWeightGradient().apply(x, parameter("weight"));
        }

        @Override
        public Map<String, Object> config() {
            return Map.of("type", "wrong_linear");
        }
    }

    /** A test double: tanh with the derivative 1 − y instead of 1 − y². */
    static final class WrongTanh extends Op {
        private Tensor y;

        @Override
        public String name() {
            return "wrong_tanh";
        }

        @Override
        protected Tensor forward(Tensor... in) {
            y = in[0].tanh();
            return y;
        }

        @Override
        protected Tensor[] backward(Tensor g) {
            return new Tensor[] {g.mul(y.neg().add(1))};
        }
    }

    static final class WrongTanhLayer extends Module {
        @Override
        public Tensor forward(Tensor x, Mode mode) {
            return new WrongTanh().apply(x);
        }

        @Override
        public Map<String, Object> config() {
            return Map.of("type", "wrong_tanh");
        }
    }

    @Test
    void passesOnRealNetworksAndNamesTheirLayersAsTheSpecDoes() {
        for (Activation a : TestNets.allActivations()) {
            for (String name : Loss.NAMES) {
                Loss loss = Loss.byName(name);
                Sequential net = TestNets.network(21, new int[] {3, 4, 3}, a, TestNets.outputFor(loss, a));
                NetworkGradCheck.Result r = NetworkGradCheck.of(net, loss)
                        .check(TestNets.features(22, 5, 3), TestNets.targets(23, loss, 5, 3));
                assertTrue(r.passed(), a.kind() + " + " + name + ":\n" + r.toText());
                assertEquals(2, r.layers().size());
                assertEquals(16, r.layers().get(0).checked());
                assertNull(r.wrongOp());
                assertTrue(r.layers().get(0).name().startsWith("layers[0] (3→4, "), r.layers().get(0).name());
                assertEquals(List.of("0.weight", "0.bias"), r.layers().get(0).parameters());
                assertTrue(r.layers().get(1).maxAbsoluteError() < 1e-6, r.toText());
            }
        }
    }

    @Test
    void leavesTheModelAsItWas() {
        Sequential net = TestNets.network(1, new int[] {2, 3, 1}, Activation.sigmoid(), Activation.identity());
        Map<String, Tensor> before = net.namedParameters();
        float[] values = before.get("0.weight").toFloatArray();
        Loss mse = Loss.byName("mse");
        NetworkGradCheck.of(net, mse).check(TestNets.features(1, 3, 2), TestNets.targets(1, mse, 3, 1));
        Map<String, Tensor> after = net.namedParameters();
        for (String k : before.keySet()) assertSame(before.get(k), after.get(k), k);
        assertArrayEquals(values, after.get("0.weight").floats());
    }

    @Test
    void namesTheLayerWithAWrongWeightDerivative() {
        SplittableRandom rng = new SplittableRandom(5);
        Sequential net = new Sequential(new Linear(3, 4, rng), Activation.tanh(), new WrongLinear(4, 3, rng), Activation.sigmoid(),
                new Linear(3, 2, rng), Activation.identity());
        Loss mse = Loss.byName("mse");
        NetworkGradCheck.Result r = NetworkGradCheck.of(net, mse).check(TestNets.features(6, 4, 3), TestNets.targets(7, mse, 4, 2));
        assertFalse(r.passed(), r.toText());
        assertEquals(1, r.worstLayer());
        assertEquals("2 (wrong_linear)", r.worst().name());
        assertEquals("2.weight", r.worst().worstParameter());
        assertFalse(r.worst().passed());
        assertTrue(r.layers().get(0).passed(), "its input gradient is right, so the layer below is too:\n" + r.toText());
        assertTrue(r.layers().get(2).passed(), r.toText());
        assertEquals("wrong_weight_matmul", r.wrongOp(), r.toText());
        assertTrue(r.worst().maxRelativeError() > 0.3, "1.5 times too large is a relative error of 1/3");
        String text = r.toText();
        assertTrue(text.contains("Gradient check FAILED"), text);
        assertTrue(text.contains("Worst layer: 2 (wrong_linear), at 2.weight["), text);
        assertTrue(text.contains("Wrong local derivative: wrong_weight_matmul"), text);
        Map<String, Object> m = r.toMap();
        assertEquals(false, m.get("passed"));
        assertEquals(1, m.get("worst_layer"));
        assertEquals("wrong_weight_matmul", m.get("wrong_op"));
    }

    @Test
    void aWrongActivationDerivativeShowsInTheLayerBeneathItAndIsNamed() {
        SplittableRandom rng = new SplittableRandom(9);
        Sequential net = new Sequential(new Linear(3, 4, rng), new WrongTanhLayer(), new Linear(4, 2, rng), Activation.identity());
        Loss huber = Loss.byName("huber");
        NetworkGradCheck.Result r = NetworkGradCheck.of(net, huber)
                .check(TestNets.features(10, 5, 3), TestNets.targets(11, huber, 5, 2));
        assertFalse(r.passed());
        assertEquals(0, r.worstLayer(), r.toText());
        assertEquals("0 (linear)", r.worst().name());
        assertTrue(r.layers().get(1).passed(), "the layer above the activation is unaffected:\n" + r.toText());
        assertEquals("wrong_tanh", r.wrongOp(), r.toText());
    }

    @Test
    void checksASampleOfALargeLayerWhenAsked() {
        Sequential net = TestNets.network(3, new int[] {10, 20, 2}, Activation.relu(), Activation.softmax());
        Loss ce = Loss.byName("cross-entropy");
        NetworkGradCheck.Result r = NetworkGradCheck.of(net, ce).maxElementsPerLayer(50)
                .check(TestNets.features(4, 6, 10), TestNets.targets(5, ce, 6, 2));
        assertTrue(r.passed(), r.toText());
        assertEquals(220, r.layers().get(0).elements());
        assertEquals(50, r.layers().get(0).checked());
        assertEquals(42, r.layers().get(1).checked(), "a layer under the limit is checked whole");
        assertTrue(r.toText().contains("50 of 220 elements"), r.toText());
    }
}
