package dev.backprop.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.backprop.autograd.GradCheck;
import dev.backprop.init.Init;
import dev.backprop.io.ModelFileException;
import dev.backprop.tensor.DType;
import dev.backprop.tensor.Shape;
import dev.backprop.tensor.ShapeException;
import dev.backprop.tensor.Tensor;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ModuleTest {
    private static final SplittableRandom RNG = new SplittableRandom(1);

    private static Tensor random(int... shape) {
        return Tensor.uniform(new SplittableRandom(shape.length * 7L + shape[0]), -1, 1, shape).to(DType.FLOAT64);
    }

    /** Gradient check of {@code module} with respect to its input and every parameter, in float64. */
    private static void assertGradients(Module module, Tensor x, Mode mode) {
        List<String> names = List.copyOf(module.namedParameters().keySet());
        Tensor[] inputs = new Tensor[names.size() + 1];
        inputs[0] = x;
        for (int i = 0; i < names.size(); i++) inputs[i + 1] = module.namedParameters().get(names.get(i));
        Tensor weights = random(module.forward(x.to(DType.FLOAT32)).shape().dims());
        GradCheck.Result r = GradCheck.check(in -> {
            Map<String, Tensor> params = new java.util.LinkedHashMap<>();
            for (int i = 0; i < names.size(); i++) params.put(names.get(i), in[i + 1]);
            module.setParameters(params);
            return module.forward(in[0], mode).mul(weights).sum();
        }, inputs);
        assertTrue(r.passed(), module.config() + ": " + r);
    }

    @Test
    void linearComputesXWTransposePlusB() {
        Linear l = new Linear(2, 2, Init.constant(0), RNG);
        l.weight().copyFromInPlace(Tensor.of(new double[] {0.25, 0.15, 0.35, 0.28}, 2, 2));
        l.bias().fillInPlace(0.45);
        Tensor z = l.forward(Tensor.of(new double[] {0.1, 0.2}, 1, 2));
        assertArrayEquals(new double[] {0.505, 0.541}, z.toDoubleArray(), 1e-6);
        assertEquals(Shape.of(2, 2), l.weight().shape());
        ShapeException e = assertThrows(ShapeException.class, () -> l.forward(Tensor.zeros(3, 5)));
        assertEquals("linear(2 → 2): input [3, 5], expected [batch, 2]", e.getMessage());
    }

    @Test
    void linearGradients() {
        assertGradients(new Linear(4, 3, Init.xavierNormal(), RNG), random(5, 4), Mode.EVAL);
        assertGradients(new Linear(1, 1, Init.uniform(0, 1), RNG), random(1, 1), Mode.EVAL);
        assertGradients(new Linear(3, 2, false, Init.heUniform(), Init.constant(0), RNG), random(4, 3), Mode.EVAL);
    }

    @Test
    void activationGradients() {
        for (Activation.Kind k : Activation.Kind.values()) {
            assertGradients(new Sequential(new Linear(3, 4, RNG), new Activation(k)), random(2, 3), Mode.EVAL);
        }
    }

    @Test
    void batchNormGradientsInTrainingAndEvaluation() {
        assertGradients(new BatchNorm1d(3), random(6, 3), Mode.training(new SplittableRandom(2)));
        assertGradients(new BatchNorm1d(3), random(6, 3), Mode.EVAL);
    }

    @Test
    void rescaleMapsEachFeatureAndBackAndHasItsGradient() throws Exception {
        Rescale r = Rescale.standardising(new double[] {180_000, -3}, new double[] {40_000, 0});
        Tensor z = Tensor.of(new double[] {1, 2, -0.5, 0}, 2, 2);
        assertArrayEquals(new double[] {220_000, -1, 160_000, -3}, r.forward(z).toDoubleArray(), 1e-9, "a std of 0 is taken as 1");
        assertArrayEquals(z.toDoubleArray(), r.inverse(r.forward(z)).toDoubleArray(), 1e-9);
        assertGradients(new Sequential(new Linear(3, 2, RNG), Rescale.standardising(new double[] {5, -1}, new double[] {3, 0.25})),
                random(4, 3), Mode.EVAL);
        assertTrue(r.namedParameters().isEmpty(), "scale and shift are buffers, never trained");
        Module copy = ModuleTypes.fromConfig(new Sequential(new Linear(3, 2, RNG), r).config());
        assertEquals(Map.of("0.weight", Shape.of(2, 3), "0.bias", Shape.of(2), "1.scale", Shape.of(2), "1.shift", Shape.of(2)),
                ModuleTypes.stateShapes(copy.config()));
        assertThrows(ShapeException.class, () -> r.forward(Tensor.zeros(2, 3)));
        assertEquals(null, Rescale.ending(new Linear(2, 2, RNG)));
    }

    @Test
    void batchNormNormalisesAndTracksRunningStatistics() {
        BatchNorm1d bn = new BatchNorm1d(2, 1e-5, 0.5);
        Tensor x = Tensor.of(new double[] {1, 10, 3, 20, 5, 30}, 3, 2);
        Tensor y = bn.forward(x, Mode.training(new SplittableRandom(0)));
        assertArrayEquals(new double[] {0, 0}, y.mean(0, false).toDoubleArray(), 1e-5);
        assertArrayEquals(new double[] {1, 1}, y.mul(y).mean(0, false).toDoubleArray(), 1e-3);
        // running = 0.5·0 + 0.5·mean; running var = 0.5·1 + 0.5·unbiased var (4 and 100)
        assertArrayEquals(new double[] {1.5, 10}, bn.namedBuffers().get("running_mean").toDoubleArray(), 1e-5);
        assertArrayEquals(new double[] {2.5, 50.5}, bn.namedBuffers().get("running_var").toDoubleArray(), 1e-4);
        Tensor eval = bn.forward(x);
        assertEquals((1 - 1.5) / Math.sqrt(2.5 + 1e-5), eval.get(0, 0), 1e-5);
        assertThrows(IllegalArgumentException.class, () -> bn.forward(Tensor.zeros(1, 2), Mode.training(RNG)));
    }

    @Test
    void dropoutDropsInTrainingOnlyAndKeepsTheMean() {
        Dropout d = new Dropout(0.5);
        Tensor x = Tensor.ones(100, 100);
        assertEquals(x, d.forward(x));
        Tensor y = d.forward(x, Mode.training(new SplittableRandom(3)));
        long zeros = java.util.stream.IntStream.range(0, y.size()).filter(i -> y.getFlat(i) == 0).count();
        assertEquals(5000, zeros, 300);
        assertEquals(1, y.mean().item(), 0.05);
        Tensor again = d.forward(x, Mode.training(new SplittableRandom(3)));
        assertArrayEquals(y.toFloatArray(), again.toFloatArray());
        assertThrows(IllegalArgumentException.class, () -> new Dropout(1));
    }

    @Test
    void dropoutGradientFollowsTheMask() {
        Tensor x = Tensor.ones(4, 5).requiresGrad(true);
        Tensor y = new Dropout(0.3).forward(x, Mode.training(new SplittableRandom(9)));
        y.sum().backward();
        assertArrayEquals(y.toFloatArray(), x.grad().toFloatArray());
    }

    @Test
    void namesFreezeAndStateDict() throws Exception {
        Sequential net = new Sequential(new Linear(3, 4, RNG), Activation.relu(), new BatchNorm1d(4), new Linear(4, 2, RNG));
        assertEquals(List.of("0.weight", "0.bias", "2.weight", "2.bias", "3.weight", "3.bias"),
                List.copyOf(net.namedParameters().keySet()));
        assertEquals(List.of("2.running_mean", "2.running_var"), List.copyOf(net.namedBuffers().keySet()));
        assertEquals(12 + 4 + 4 + 4 + 8 + 2, net.parameterCount());
        net.layers().get(0).freeze();
        net.forward(Tensor.ones(2, 3), Mode.training(RNG)).sum().backward();
        assertNull(net.namedParameters().get("0.weight").grad());
        assertTrue(net.namedParameters().get("3.weight").grad() != null);
        net.layers().get(0).unfreeze();
        assertTrue(net.namedParameters().get("0.weight").requiresGrad());

        Module copy = ModuleTypes.fromConfig(net.config());
        assertEquals(net.config(), copy.config());
        assertEquals(ModuleTypes.stateShapes(net.config()).keySet(), copy.stateDict().keySet());
        for (var e : ModuleTypes.stateShapes(net.config()).entrySet()) {
            assertEquals(e.getValue(), copy.stateDict().get(e.getKey()).shape());
        }
        assertNotEquals(net.forward(Tensor.ones(2, 3)).get(0, 0), copy.forward(Tensor.ones(2, 3)).get(0, 0));
        copy.loadStateDict(net.stateDict());
        assertArrayEquals(net.forward(Tensor.ones(2, 3)).toFloatArray(), copy.forward(Tensor.ones(2, 3)).toFloatArray());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> copy.loadStateDict(Map.of("0.weight", Tensor.zeros(4, 3))));
        assertTrue(e.getMessage().contains("missing"), e.getMessage());
    }

    @Test
    void configRejectsNonsense() throws Exception {
        ModelFileException unknown = assertThrows(ModelFileException.class, () -> ModuleTypes.fromConfig(Map.of("type", "conv9d")));
        assertTrue(unknown.getMessage().startsWith("architecture: unknown module type \"conv9d\" (known: "), unknown.getMessage());
        ModelFileException half = assertThrows(ModelFileException.class,
                () -> ModuleTypes.fromConfig(Map.of("type", "sequential", "layers", List.of(Map.of("type", "linear", "in", 2.5, "out", 3)))));
        assertEquals("architecture: layers[0].in must be a whole number, got 2.5", half.getMessage());
        assertThrows(ModelFileException.class, () -> ModuleTypes.stateShapes(Map.of("type", "linear", "in", 1 << 24, "out", 1 << 24)));
        ModelFileException p = assertThrows(ModelFileException.class, () -> ModuleTypes.fromConfig(Map.of("type", "dropout", "p", 1.5)));
        assertEquals("architecture: dropout: p must be in [0, 1), got 1.5", p.getMessage());
        assertFalse(Activation.Kind.parse("linear") != Activation.Kind.IDENTITY);
    }

    @Test
    void initialisersDrawFromTheirDistributions() {
        Tensor t = Tensor.zeros(200, 100);
        Init.heNormal().fill(t, 100, 200, new SplittableRandom(4));
        assertEquals(Math.sqrt(2.0 / 100), Math.sqrt(t.pow(2).mean().item()), 0.005);
        Init.xavierUniform().fill(t, 100, 200, new SplittableRandom(4));
        double a = Math.sqrt(6.0 / 300);
        assertTrue(t.max().item() <= a && t.neg().max().item() <= a);
        assertEquals(a / Math.sqrt(3), Math.sqrt(t.pow(2).mean().item()), 0.003);
        Init.uniform(0, 1).fill(t, 1, 1, new SplittableRandom(4));
        assertEquals(0.5, t.mean().item(), 0.01);
        for (Init i : List.of(Init.uniform(0, 1), Init.normal(0, 2), Init.xavierNormal(), Init.heUniform(), Init.constant(3))) {
            assertEquals(i, Init.fromConfig(i.config()));
        }
    }
}
