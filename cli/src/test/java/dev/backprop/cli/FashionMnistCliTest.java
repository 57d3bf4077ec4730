package dev.backprop.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.backprop.data.FashionMnist;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fashion-MNIST from the command line: train reaches at least 87% test accuracy, and predict, from the saved model,
 * reproduces evaluate's accuracy. Slow; needs Debian's dataset-fashion-mnist (./test -Pslow installs it).
 */
@Tag("slow")
class FashionMnistCliTest {

    @Test
    void trainThenEvaluateThenPredict(@TempDir Path dir) throws Exception {
        Path model = dir.resolve("fashion.bpm");
        CommandsTest.Result t = CommandsTest.run("train", "--data", "builtin:fashion-mnist", "--layers", "256,128",
                "--epochs", "5", "--batch", "128", "--lr", "0.001", "--val", "0", "--seed", "42", "--quiet",
                "--out", model.toString(), "--report", dir.resolve("fashion.html").toString());
        assertEquals(0, t.code(), t.err());
        assertTrue(t.out().contains("test set (10000 samples)"), t.out());
        // The report shows images it got wrong, each with its actual and predicted class names.
        String html = Files.readString(dir.resolve("fashion.html"));
        assertTrue(html.contains("data-part=\"misclassified\""), "no grid of misclassified images");
        assertEquals(24, html.split("<g class=\"image\">", -1).length - 1, "24 misclassified images");
        assertTrue(html.contains("→ Shirt") || html.contains("→ Coat") || html.contains("→ Pullover"), "class names under the images");

        CommandsTest.Result e = CommandsTest.run("evaluate", "--model", model.toString(), "--data", "builtin:fashion-mnist");
        assertEquals(0, e.code(), e.err());
        double accuracy = Double.parseDouble(e.out().replaceAll("(?s).*accuracy ([0-9.]+).*", "$1"));
        assertTrue(accuracy >= 0.87, "test accuracy " + accuracy);

        Path predictions = dir.resolve("p.csv");
        CommandsTest.Result p = CommandsTest.run("predict", "--model", model.toString(), "--data", "builtin:fashion-mnist",
                "--out", predictions.toString());
        assertEquals(0, p.code(), p.err());
        List<String> lines = Files.readAllLines(predictions);
        assertEquals(10_001, lines.size());
        float[] labels = FashionMnist.load(FashionMnist.DEBIAN_DIR).test().targets().toFloatArray();
        int right = 0;
        for (int i = 0; i < labels.length; i++) {
            if (lines.get(i + 1).split(",")[0].equals(FashionMnist.CLASSES[(int) labels[i]])) right++;
        }
        assertEquals(accuracy, right / (double) labels.length, 1e-4, "predict reproduces evaluate's accuracy");
    }
}
