package dev.backprop.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.backprop.init.Init;
import dev.backprop.nn.Activation;
import dev.backprop.nn.BatchNorm1d;
import dev.backprop.nn.Linear;
import dev.backprop.nn.Module;
import dev.backprop.nn.Sequential;
import dev.backprop.tensor.Tensor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NetworkSpecTest {
    /** Seed 003's network, as the task's example writes it. */
    static final String SEED_003 = """
            {"inputs": 2, "loss": "half-sse", "seed": 7, "init": "uniform",
             "layers": [{"units": 2, "activation": "sigmoid", "weights": [[0.25, 0.15], [0.35, 0.28]], "biases": [0.45, 0.45]},
                        {"units": 2, "activation": "sigmoid", "weights": [[0.35, 0.20], [0.45, 0.40]], "biases": [0.5, 0.5]}]}
            """;

    @TempDir
    Path dir;

    private static Linear linear(NetworkSpec s, int specLayer) {
        return (Linear) s.module().layers().get(2 * specLayer);
    }

    private static String problem(String json) {
        ModelFileException e = assertThrows(ModelFileException.class, () -> NetworkSpec.parse(json, "net.json"));
        assertTrue(e.getMessage().startsWith("net.json: "), e.getMessage());
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
        return e.problem();
    }

    @Test
    void seed003ParsesToItsWeightsAndComputesItsOutputs() throws ModelFileException {
        NetworkSpec s = NetworkSpec.parse(SEED_003, "seed003.json");
        assertEquals(2, s.inputs());
        assertEquals("half-sse", s.loss());
        assertEquals(7, s.seed());
        assertEquals(4, s.module().layers().size(), "each spec layer is a Linear and an Activation");
        assertArrayEquals(new float[] {0.25f, 0.15f, 0.35f, 0.28f}, linear(s, 0).weight().floats());
        assertArrayEquals(new float[] {0.45f, 0.45f}, linear(s, 0).bias().floats());
        assertArrayEquals(new float[] {0.35f, 0.20f, 0.45f, 0.40f}, linear(s, 1).weight().floats());
        assertArrayEquals(new float[] {0.5f, 0.5f}, linear(s, 1).bias().floats());
        assertEquals(Activation.Kind.SIGMOID, ((Activation) s.module().layers().get(3)).kind());
        Tensor out = s.module().forward(Tensor.matrix(new double[][] {{0.1, 0.2}}));
        double[] expected = {0.6994501240245582, 0.7375848107071216};   // σ(net(o1)), σ(net(o2)) in double precision
        assertArrayEquals(expected, out.toDoubleArray(), 1e-6);
    }

    @Test
    void omittedWeightsAreSeeded() throws ModelFileException {
        String spec = """
                {"inputs": 2, "seed": 11, "layers": [{"units": 3, "activation": "relu"}, {"units": 2, "activation": "tanh"}]}""";
        NetworkSpec a = NetworkSpec.parse(spec, "a.json"), b = NetworkSpec.parse(spec, "b.json");
        assertArrayEquals(linear(a, 0).weight().floats(), linear(b, 0).weight().floats());
        assertArrayEquals(linear(a, 1).weight().floats(), linear(b, 1).weight().floats());
        assertArrayEquals(new float[3], linear(a, 0).bias().floats());

        // Each layer draws from its own generator split off the seed, with the activation's default initialiser.
        SplittableRandom master = new SplittableRandom(11);
        Linear first = new Linear(2, 3, true, Init.heNormal(), Init.constant(0), master.split());
        Linear second = new Linear(3, 2, true, Init.xavierUniform(), Init.constant(0), master.split());
        assertArrayEquals(first.weight().floats(), linear(a, 0).weight().floats());
        assertArrayEquals(second.weight().floats(), linear(a, 1).weight().floats());

        NetworkSpec other = NetworkSpec.parse(spec.replace("11", "12"), "c.json");
        assertFalse(java.util.Arrays.equals(linear(a, 0).weight().floats(), linear(other, 0).weight().floats()));

        // Giving one layer's weights leaves the other's draws as they were.
        NetworkSpec given = NetworkSpec.parse(spec.replace("\"relu\"}", "\"relu\", \"weights\": [[1, 2], [3, 4], [5, 6]]}"), "d.json");
        assertArrayEquals(new float[] {1, 2, 3, 4, 5, 6}, linear(given, 0).weight().floats());
        assertArrayEquals(linear(a, 1).weight().floats(), linear(given, 1).weight().floats());

        NetworkSpec uniform = NetworkSpec.parse(spec.replace("\"seed\"", "\"init\": \"uniform\", \"seed\""), "e.json");
        for (float w : linear(uniform, 0).weight().floats()) assertTrue(w >= 0 && w < 1, "uniform(0, 1): " + w);
        assertEquals("uniform", uniform.init());
        assertNull(uniform.loss());
    }

    @Test
    void syntaxErrorsGiveLineAndColumn() {
        SafetensorsTest.startsWith("invalid JSON at line 3, column 17: Unexpected character ('\"' (code 34)): was expecting comma",
                problem("{\"inputs\": 2,\n  \"layers\": [\n    {\"units\": 2 \"activation\": \"sigmoid\"}]}"));
        SafetensorsTest.startsWith("invalid JSON at line 1, column 13: Unexpected end-of-input", problem("{\"inputs\": 2"));
        SafetensorsTest.startsWith("invalid JSON at line 2, column 1: Unexpected character ('}'", problem("{\"inputs\": 2,\n}"));
        SafetensorsTest.startsWith("invalid JSON at line 1, column 23: Duplicate field 'inputs'", problem("{\"inputs\": 2, \"inputs\": 3}"));
        assertEquals("empty, expected JSON", problem("  "));
    }

    @Test
    void contentErrorsGiveTheJsonPath() {
        String layer0 = "{\"units\": 2, \"activation\": \"sigmoid\"}";
        assertEquals("layers[1].weights: expected 2 rows of 2 numbers (units x inputs), got a row of 3 at layers[1].weights[0]",
                problem("{\"inputs\": 2, \"layers\": [" + layer0 + ", {\"units\": 2, \"activation\": \"sigmoid\", "
                        + "\"weights\": [[1, 2, 3], [4, 5]]}]}"));
        assertEquals("layers[0].weights: expected 2 rows of 2 numbers (units x inputs), got 3 rows",
                problem("{\"inputs\": 2, \"layers\": [{\"units\": 2, \"activation\": \"relu\", \"weights\": [[1, 2], [3, 4], [5, 6]]}]}"));
        assertEquals("layers[0].weights: expected 1 row of 2 numbers (units x inputs), got the number 5 at layers[0].weights[0]",
                problem("{\"inputs\": 2, \"layers\": [{\"units\": 1, \"activation\": \"relu\", \"weights\": [5]}]}"));
        assertEquals("layers[0].weights[1][0]: expected a number, got the string \"a\"",
                problem("{\"inputs\": 2, \"layers\": [{\"units\": 2, \"activation\": \"relu\", \"weights\": [[1, 2], [\"a\", 4]]}]}"));
        assertEquals("layers[0].weights[0][1]: 1.0E39 is outside the float32 range",
                problem("{\"inputs\": 2, \"layers\": [{\"units\": 1, \"activation\": \"relu\", \"weights\": [[1, 1e39]]}]}"));
        assertEquals("layers[0].biases: expected 2 numbers (one per unit), got 3",
                problem("{\"inputs\": 2, \"layers\": [{\"units\": 2, \"activation\": \"relu\", \"biases\": [1, 2, 3]}]}"));
        assertEquals("layers[0].biases[1]: expected a number, got null",
                problem("{\"inputs\": 2, \"layers\": [{\"units\": 2, \"activation\": \"relu\", \"biases\": [1, null]}]}"));
        assertEquals("layers[0].activation: unknown activation 'sigmoidd'; expected one of sigmoid, tanh, relu, leaky_relu, "
                + "elu, gelu, softmax, linear (identity)",
                problem("{\"inputs\": 2, \"layers\": [{\"units\": 2, \"activation\": \"sigmoidd\"}]}"));
        assertEquals("layers[0].activation: missing (sigmoid, tanh, relu, leaky_relu, linear, softmax, ...)",
                problem("{\"inputs\": 2, \"layers\": [{\"units\": 2}]}"));
        assertEquals("inputs: missing (the number of input features, a whole number >= 1)", problem("{\"layers\": [" + layer0 + "]}"));
        assertEquals("inputs: expected a whole number from 1 to 16777216, got the string \"2\"",
                problem("{\"inputs\": \"2\", \"layers\": [" + layer0 + "]}"));
        assertEquals("layers[0].units: expected a whole number from 1 to 16777216, got the number 0",
                problem("{\"inputs\": 2, \"layers\": [{\"units\": 0, \"activation\": \"relu\"}]}"));
        assertEquals("layers[0].units: expected a whole number from 1 to 16777216, got the number 2.5",
                problem("{\"inputs\": 2, \"layers\": [{\"units\": 2.5, \"activation\": \"relu\"}]}"));
        assertEquals("layers[0].unit: unknown key (expected activation, alpha, biases, slope, units, weights)",
                problem("{\"inputs\": 2, \"layers\": [{\"unit\": 2, \"activation\": \"relu\"}]}"));
        assertEquals("lyers: unknown key (expected init, inputs, layers, loss, seed)", problem("{\"inputs\": 2, \"lyers\": []}"));
        assertEquals("layers: missing (a list of {\"units\", \"activation\"} objects)", problem("{\"inputs\": 2}"));
        assertEquals("layers: expected a non-empty array of layers, got an array of 0", problem("{\"inputs\": 2, \"layers\": []}"));
        assertEquals("layers[0]: expected an object with \"units\" and \"activation\", got the number 3",
                problem("{\"inputs\": 2, \"layers\": [3]}"));
        assertEquals("expected a JSON object with \"inputs\" and \"layers\", got an array of 1", problem("[1]"));
        assertEquals("layers[0].slope: only leaky_relu takes a slope, this layer is sigmoid",
                problem("{\"inputs\": 2, \"layers\": [{\"units\": 2, \"activation\": \"sigmoid\", \"slope\": 0.1}]}"));
        assertEquals("seed: expected a whole number, got the number 1.5", problem("{\"inputs\": 2, \"seed\": 1.5, \"layers\": [" + layer0 + "]}"));
        assertEquals("init: unknown initialiser 'glorot'; expected one of uniform, xavier, he, xavier_uniform, xavier_normal, "
                + "he_uniform, he_normal", problem("{\"inputs\": 2, \"init\": \"glorot\", \"layers\": [" + layer0 + "]}"));
        assertEquals("loss: unknown loss 'l2'; expected one of half-sse, mse, mae, huber, cross-entropy, bce",
                problem("{\"inputs\": 2, \"loss\": \"l2\", \"layers\": [" + layer0 + "]}"));
        assertEquals("loss: cross-entropy needs a softmax last layer (its targets are class indices), but "
                + "layers[0].activation is sigmoid", problem("{\"inputs\": 2, \"loss\": \"cross-entropy\", \"layers\": [" + layer0 + "]}"));
        assertEquals("loss: bce needs a sigmoid last layer (its targets are 0 or 1), but layers[1].activation is softmax",
                problem("{\"inputs\": 2, \"loss\": \"bce\", \"layers\": [" + layer0 + ", {\"units\": 2, \"activation\": \"softmax\"}]}"));
        assertEquals("layers[0]: 16777216 x 16777216 weights are more than a Java array holds",
                problem("{\"inputs\": 16777216, \"layers\": [{\"units\": 16777216, \"activation\": \"relu\"}]}"));
    }

    @Test
    void aFileIsNamedInItsErrors() throws IOException {
        Path p = dir.resolve("net.json");
        Files.writeString(p, "{\"inputs\": 2, \"layers\": [{\"units\": 2, \"activation\": \"swish\"}]}");
        ModelFileException e = assertThrows(ModelFileException.class, () -> NetworkSpec.parse(p));
        assertTrue(e.getMessage().startsWith(p + ": layers[0].activation: unknown activation 'swish'"), e.getMessage());
        Files.write(p, new byte[] {'{', (byte) 0xff, '}'});
        assertEquals(p + ": not valid UTF-8 (byte 1)", assertThrows(ModelFileException.class, () -> NetworkSpec.parse(p)).getMessage());
        Files.writeString(p, "\uFEFF" + SEED_003);
        assertEquals(2, NetworkSpec.parse(p).inputs(), "a byte-order mark is skipped");
    }

    @Test
    void toJsonThenParseGivesTheSameNetworkBitForBit() throws ModelFileException {
        NetworkSpec s = NetworkSpec.parse("""
                {"inputs": 200, "seed": 3, "loss": "cross-entropy", "layers": [
                  {"units": 500, "activation": "leaky_relu", "slope": 0.2},
                  {"units": 4, "activation": "linear"},
                  {"units": 3, "activation": "elu", "alpha": 0.5},
                  {"units": 3, "activation": "softmax"}]}""", "big.json");
        // Awkward values: random bit patterns (every exponent), and floats whose shortest decimal is delicate.
        SplittableRandom rng = new SplittableRandom(8);
        float[] w = linear(s, 0).weight().floats();
        for (int i = 0; i < w.length; i++) {
            float f;
            do f = Float.intBitsToFloat(rng.nextInt()); while (!Float.isFinite(f));
            w[i] = f;
        }
        float[] special = {0.1f, -0.0f, Float.MIN_VALUE, Float.MIN_NORMAL, Float.MAX_VALUE, 1.0E-5f, 3.4e-39f, 16777217f, 0.3f};
        System.arraycopy(special, 0, linear(s, 1).weight().floats(), 0, special.length);

        String json = NetworkSpec.toJson(s.module(), s.loss());
        NetworkSpec back = NetworkSpec.parse(json, "back.json");
        assertEquals(s.module().config(), back.module().config());
        assertEquals("cross-entropy", back.loss());
        assertEquals(200, back.inputs());
        for (var e : s.module().stateDict().entrySet()) {
            float[] a = e.getValue().floats(), b = back.module().stateDict().get(e.getKey()).floats();
            for (int i = 0; i < a.length; i++) {
                assertEquals(Float.floatToRawIntBits(a[i]), Float.floatToRawIntBits(b[i]), e.getKey() + "[" + i + "] = " + a[i]);
            }
        }
    }

    @Test
    void toJsonWritesReadableNumbers() throws ModelFileException {
        String json = NetworkSpec.toJson(NetworkSpec.parse(SEED_003, "s.json").module(), "half-sse");
        assertTrue(json.contains("\"loss\": \"half-sse\""), json);
        assertTrue(json.contains("        [0.25, 0.15],\n        [0.35, 0.28]\n"), json);
        assertTrue(json.contains("\"biases\": [0.45, 0.45]"), json);
        assertEquals(json, NetworkSpec.toJson(NetworkSpec.parse(json, "again.json").module(), "half-sse"));
    }

    @Test
    void toJsonRefusesWhatASpecCannotHold() {
        SplittableRandom rng = new SplittableRandom(1);
        assertThrows(IllegalArgumentException.class, () -> NetworkSpec.toJson(new Linear(2, 2, rng), null));
        assertThrows(IllegalArgumentException.class, () -> NetworkSpec.toJson(
                new Sequential(new Linear(2, 2, rng), Activation.relu(), new BatchNorm1d(2), Activation.relu()), null));
        assertThrows(IllegalArgumentException.class, () -> NetworkSpec.toJson(
                new Sequential(new Linear(2, 2, false, Init.xavierUniform(), Init.constant(0), rng), Activation.relu()), null));
        Linear nan = new Linear(2, 2, rng);
        nan.weight().floats()[1] = Float.NaN;
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> NetworkSpec.toJson(new Sequential(nan, Activation.relu()), null));
        assertEquals("toJson: layers[0].weights holds NaN; a spec holds finite numbers", e.getMessage());
        Module ok = new Sequential(new Linear(2, 2, rng), Activation.sigmoid());
        assertThrows(IllegalArgumentException.class, () -> NetworkSpec.toJson(ok, "cross-entropy"));
        assertThrows(IllegalArgumentException.class, () -> NetworkSpec.toJson(ok, "nope"));
        assertNotEquals("", NetworkSpec.toJson(ok, "bce"));
    }
}
