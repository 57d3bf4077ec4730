package dev.backprop.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code backprop export} and {@code backprop import}: a trained model goes to ONNX and comes back evaluating the
 * same; weights alone go out and come back in with a spec; the error paths are one line.
 */
class InteropCommandsTest {
    @TempDir
    Path dir;

    private static final Path SPIRALS = Path.of("../examples/data/spirals.csv");

    @Test
    void aModelGoesToOnnxAndComesBackEvaluatingTheSame() throws Exception {
        Path model = dir.resolve("s.bpm"), onnx = dir.resolve("s.onnx"), back = dir.resolve("back.bpm");
        CommandsTest.Result t = CommandsTest.run("train", "--data", SPIRALS.toString(), "--target", "class", "--layers", "16",
                "--epochs", "5", "--seed", "3", "--out", model.toString());
        assertEquals(0, t.code(), t.err());
        CommandsTest.Result e = CommandsTest.run("export", "--model", model.toString(), "--format", "onnx", "--out", onnx.toString());
        assertEquals(0, e.code(), e.err());
        assertTrue(e.out().contains("input   features [batch, 2]: x, y"), e.out());
        assertTrue(e.out().contains("output  probabilities") && e.out().contains("classes [\"0\",\"1\"]"), e.out());
        CommandsTest.Result i = CommandsTest.run("import", onnx.toString(), "--out", back.toString());
        assertEquals(0, i.code(), i.err());
        assertTrue(i.out().contains("inferred from the final softmax"), i.out());
        String original = CommandsTest.run("evaluate", "--model", model.toString(), "--data", SPIRALS.toString()).out();
        String again = CommandsTest.run("evaluate", "--model", back.toString(), "--data", SPIRALS.toString()).out();
        assertEquals(original.lines().skip(1).toList(), again.lines().skip(1).toList(), "the same loss and metrics");
    }

    @Test
    void weightsAloneGoOutAndComeBackWithASpec() throws Exception {
        Path spec = dir.resolve("net.json");
        Files.writeString(spec, """
                {"inputs": 2, "loss": "cross-entropy", "seed": 5, "layers": [
                  {"units": 8, "activation": "tanh"}, {"units": 2, "activation": "softmax"}]}
                """);
        Path weights = dir.resolve("w.safetensors"), model = dir.resolve("m.bpm");
        CommandsTest.Result e = CommandsTest.run("export", "--model", spec.toString(), "--format", "safetensors", "--weights-only",
                "--out", weights.toString());
        assertEquals(0, e.code(), e.err());
        CommandsTest.Result i = CommandsTest.run("import", weights.toString(), "--spec", spec.toString(), "--out", model.toString(),
                "--inputs", "x,y", "--classes", "0,1");
        assertEquals(0, i.code(), i.err());
        assertTrue(i.out().contains("2 inputs (x, y), loss cross-entropy"), i.out());
        CommandsTest.Result ev = CommandsTest.run("evaluate", "--model", model.toString(), "--data", SPIRALS.toString());
        assertEquals(0, ev.code(), ev.err());
        // Fine-tuning: the imported layers and weights as a spec, trained further on the unscaled inputs they take.
        Path again = dir.resolve("again.json"), tuned = dir.resolve("tuned.bpm");
        CommandsTest.Result s = CommandsTest.run("export", "--model", model.toString(), "--format", "spec", "--out", again.toString());
        assertEquals(0, s.code(), s.err());
        CommandsTest.Result t = CommandsTest.run("train", "--data", SPIRALS.toString(), "--target", "class", "--model", again.toString(),
                "--scaling", "none", "--epochs", "3", "--lr", "0.01", "--quiet", "--out", tuned.toString());
        assertEquals(0, t.code(), t.err());
        assertTrue(Files.exists(tuned));
    }

    @Test
    void errorsAreOneLine() throws Exception {
        Path spec = dir.resolve("net.json");
        Files.writeString(spec, "{\"inputs\": 3, \"layers\": [{\"units\": 2, \"activation\": \"softmax\"}]}");
        Path small = dir.resolve("small.json");
        Files.writeString(small, "{\"inputs\": 2, \"layers\": [{\"units\": 2, \"activation\": \"softmax\"}]}");
        Path weights = dir.resolve("w.safetensors");
        assertEquals(0, CommandsTest.run("export", "--model", small.toString(), "--format", "safetensors", "--weights-only",
                "--out", weights.toString()).code());
        CommandsTest.run("import", weights.toString(), "--spec", spec.toString(), "--out", dir.resolve("x.bpm").toString())
                .assertOneLineError(1, "w.safetensors", "tensor '0.weight' has shape [2, 2]; the network's is [2, 3]");
        CommandsTest.run("import", weights.toString(), "--out", dir.resolve("x.bpm").toString()).assertOneLineError(2, "--spec");
        Path junk = dir.resolve("junk.onnx");
        Files.writeString(junk, "not protobuf at all, surely");
        CommandsTest.run("import", junk.toString(), "--out", dir.resolve("x.bpm").toString()).assertOneLineError(1, "junk.onnx", "not an ONNX model");
        CommandsTest.run("export", "--model", small.toString(), "--format", "safetensors", "--out", weights.toString())
                .assertOneLineError(2, "--weights-only");
        CommandsTest.run("export", "--model", small.toString(), "--format", "tflite", "--out", weights.toString())
                .assertOneLineError(2, "onnx, safetensors or spec");
        assertTrue(Files.notExists(dir.resolve("x.bpm")));
    }
}
