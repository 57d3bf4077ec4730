package dev.backprop.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** Every command, its output and its error paths: exit codes and one-line messages that name the place. */
class CommandsTest {
    @TempDir
    Path dir;

    record Result(int code, String out, String err) {
        void assertOneLineError(int expectedCode, String... fragments) {
            assertEquals(expectedCode, code, "exit code; stderr: " + err + "; stdout: " + out);
            assertEquals(1, err.strip().lines().count(), "one line: " + err);
            for (String f : fragments) assertTrue(err.contains(f), "'" + f + "' in: " + err);
        }
    }

    static Result run(String... args) {
        CommandLine cl = Main.newCommandLine();
        StringWriter out = new StringWriter(), err = new StringWriter();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int code = cl.execute(args);
        return new Result(code, out.toString(), err.toString());
    }

    private Path file(String name, String content) throws Exception {
        Path p = dir.resolve(name);
        Files.writeString(p, content);
        return p;
    }

    private static final String SEED003 = """
            {"inputs": 2, "loss": "half-sse", "layers": [
              {"units": 2, "activation": "sigmoid", "weights": [[0.25, 0.15], [0.35, 0.28]], "biases": [0.45, 0.45]},
              {"units": 2, "activation": "sigmoid", "weights": [[0.35, 0.20], [0.45, 0.40]], "biases": [0.5, 0.5]}]}
            """;

    @Test
    void explainSeed003PrintsTheRightNumbersAndNamesTheSlip() throws Exception {
        Path spec = file("seed003.json", SEED003);
        Result r = run("explain", "--model", spec.toString(), "--input", "0.1,0.2", "--target", "0.05,0.95", "--lr", "0.5");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("0.505000"), r.out());
        assertTrue(r.out().contains("0.623634"), r.out());
        assertTrue(r.out().contains("0.844681"), r.out());
        assertTrue(r.out().contains("0.794609"), "the docs name the tutorial's slip");
        assertTrue(r.out().contains("0.085143"), r.out());
        Result json = run("explain", "--model", spec.toString(), "--input", "0.1,0.2", "--target", "0.05,0.95", "--format", "json");
        assertEquals(0, json.code(), json.err());
        JsonNode root = new ObjectMapper().readTree(json.out());
        assertEquals(0.233453, root.get("loss").asDouble(), 1e-6);
        run("explain", "--model", spec.toString(), "--input", "0.1", "--target", "0.05,0.95")
                .assertOneLineError(1, "input");
        run("explain", "--model", spec.toString(), "--input", "0.1,0.2", "--target", "0.05,0.95", "--format", "xml")
                .assertOneLineError(2, "--format");
    }

    @Test
    void gradientsPrintsTheLossAndEveryGradientInTheSpecLayout() throws Exception {
        Path spec = file("seed003.json", SEED003);
        Path data = file("one.csv", "x1,x2,y1,y2\n0.1,0.2,0.05,0.95\n");
        Result r = run("gradients", "--model", spec.toString(), "--data", data.toString(), "--target", "y1,y2");
        assertEquals(0, r.code(), r.err());
        JsonNode root = new ObjectMapper().readTree(r.out());
        assertEquals(0.233453, root.get("loss").asDouble(), 1e-6);
        assertEquals(0.085143, root.get("layers").get(1).get("weights").get(0).get(0).asDouble(), 1e-6);
        assertEquals(0.000687, root.get("layers").get(0).get("weights").get(0).get(0).asDouble(), 1e-6);
        assertEquals(2, root.get("layers").get(0).get("biases").size());
    }

    /** A 3-3-4 network: a sigmoid hidden layer, then 4 outputs for cross-entropy (the softmax fused into the loss). */
    static final String FOUR_CLASSES = """
            {"inputs": 3, "loss": "cross-entropy", "layers": [
              {"units": 3, "activation": "sigmoid", "weights": [[0.2, -0.4, 0.1], [0.5, 0.3, -0.2], [-0.3, 0.8, 0.6]],
               "biases": [0.1, -0.1, 0.05]},
              {"units": 4, "activation": "softmax", "weights": [[0.3, -0.2, 0.4], [-0.5, 0.1, 0.2], [0.7, 0.6, -0.3], [0.2, -0.8, 0.5]],
               "biases": [0.0, 0.1, -0.2, 0.3]}]}
            """;

    @Test
    void crossEntropyWithOnlyLabelThreeMatchesPyTorch() throws Exception {
        Path spec = file("four.json", FOUR_CLASSES);
        Path data = file("threes.csv", "x1,x2,x3,y\n0.5,-1.0,2.0,3\n1.5,0.25,-0.5,3\n-0.75,0.5,1.0,3\n");
        Result r = run("gradients", "--model", spec.toString(), "--data", data.toString(), "--target", "y");
        assertEquals(0, r.code(), r.err());
        JsonNode root = new ObjectMapper().readTree(r.out());
        // PyTorch 1.13, float64: F.cross_entropy(sigmoid(x @ W1.T + b1) @ W2.T + b2, [3, 3, 3]) and its gradients
        // (src/test/resources/dev/backprop/cli/cross_entropy_one_class.py prints them).
        assertRelative(1.3139316686001439, root.get("loss").asDouble());
        double[][] w1 = {{0.008597963929545602, -0.00191070691539799, 0.002572711875448353},
            {0.07379246266697163, -0.013891301773373232, 0.12825897531740607},
            {-0.042542210361025734, 0.009298481376424205, -0.04798641799927795}};
        double[] b1 = {0.006612976589663963, 0.15999158423440635, -0.06614082933772406};
        double[][] w2 = {{0.1515819442981517, 0.1247236038061657, 0.15533974724243008},
            {0.10805934106307162, 0.09212840441606916, 0.11067284943922841},
            {0.15683738904777328, 0.13698019863635819, 0.1484295094744421},
            {-0.4164786744089965, -0.35383220685859296, -0.41444210615610055}};
        double[] b2 = {0.2653452650128103, 0.1910829192145923, 0.27156930367717325, -0.7279974879045756};
        assertLayer(root.get("layers").get(0), w1, b1);
        assertLayer(root.get("layers").get(1), w2, b2);

        Result check = run("gradcheck", "--model", spec.toString(), "--data", data.toString(), "--target", "y");
        assertEquals(0, check.code(), check.err() + check.out());
        Result explain = run("explain", "--model", spec.toString(), "--input", "0.5,-1.0,2.0", "--target", "3", "--format", "json");
        assertEquals(0, explain.code(), explain.err());
    }

    private static void assertRelative(double expected, double actual) {
        assertEquals(expected, actual, 1e-6 * Math.abs(expected), "PyTorch " + expected + ", backprop " + actual);
    }

    private static void assertLayer(JsonNode layer, double[][] weights, double[] biases) {
        for (int j = 0; j < weights.length; j++) {
            for (int i = 0; i < weights[j].length; i++) assertRelative(weights[j][i], layer.get("weights").get(j).get(i).asDouble());
            assertRelative(biases[j], layer.get("biases").get(j).asDouble());
        }
    }

    @Test
    void aLabelOutsideTheNetworksOutputsIsRefusedWithItsPlace() throws Exception {
        Path spec = file("four.json", FOUR_CLASSES);
        Path data = file("bad.csv", "x1,x2,x3,y\n0.5,-1.0,2.0,3\n1.5,0.25,-0.5,4\n");
        run("gradients", "--model", spec.toString(), "--data", data.toString(), "--target", "y")
                .assertOneLineError(1, "bad.csv:3:4 (column 'y'): class '4' is not one of the 4 classes 0..3");
        run("gradcheck", "--model", spec.toString(), "--data", data.toString(), "--target", "y")
                .assertOneLineError(1, "bad.csv:3:4");
        Path gap = file("gap.csv", "x1,x2,x3,y\n0.5,,2.0,3\n");
        run("gradients", "--model", spec.toString(), "--data", gap.toString(), "--target", "y")
                .assertOneLineError(1, "gap.csv:2:2 (column 'x2'): missing value");
    }

    @Test
    void trainSaysTheTaskFirstAndPredictWritesTheUsersOwnLabels() throws Exception {
        StringBuilder csv = new StringBuilder("weight;colour;kind\n");
        java.util.SplittableRandom rng = new java.util.SplittableRandom(4);
        String[] colours = {"red", "green", "yellow"};
        for (int i = 0; i < 240; i++) {
            int c = rng.nextInt(3);
            double w = rng.nextDouble(50, 250);
            int kind = c == 2 ? 5 : w > 150 ? 2 : 1;
            String weight = i % 13 == 0 ? "NA" : String.format(java.util.Locale.ROOT, "%.1f", w);
            csv.append(weight).append(';').append(colours[c]).append(';').append(i % 31 == 0 ? "" : Integer.toString(kind)).append('\n');
        }
        Path data = file("fruit.csv", csv.toString());
        Path model = dir.resolve("fruit.bpm");
        Result t = run("train", "--data", data.toString(), "--target", "kind", "--out", model.toString(), "--quiet");
        assertEquals(0, t.code(), t.err());
        List<String> out = t.out().lines().toList();
        assertEquals("classification: target 'kind' holds 3 distinct whole numbers in 232 rows (few values, each on many rows: "
                + "classes); to override: --task regress", out.getFirst());
        assertTrue(out.contains("8 rows left out: their target 'kind' is missing"), t.out());
        assertTrue(t.out().contains("column 'weight': ") && t.out().contains("filled with their mean"), t.out());
        assertTrue(t.out().contains("whose weights were restored"), t.out());

        Path only5 = file("fives.csv", "kind,colour,weight\n5,yellow,100\n5,yellow,\n");
        Result e = run("evaluate", "--model", model.toString(), "--data", only5.toString());
        assertEquals(0, e.code(), e.err());
        assertTrue(e.out().contains("(2 samples)"), e.out());
        assertTrue(e.err().contains("column 'weight': 1 missing cell imputed"), e.err());

        Path predictions = dir.resolve("p.csv");
        Result p = run("predict", "--model", model.toString(), "--data", data.toString(), "--out", predictions.toString());
        assertEquals(0, p.code(), p.err());
        List<String> lines = Files.readAllLines(predictions);
        assertEquals("kind,p(1),p(2),p(5)", lines.getFirst());
        assertEquals(241, lines.size(), "every row, those without a target too");
        assertTrue(lines.stream().skip(1).allMatch(l -> l.matches("[125],.*")), lines.subList(0, 5).toString());

        Result regress = run("train", "--data", data.toString(), "--target", "kind", "--task", "regress", "--epochs", "2", "--quiet");
        assertEquals(0, regress.code(), regress.err());
        assertTrue(regress.out().startsWith("regression of target 'kind' (--task regress)"), regress.out());
        assertTrue(regress.out().contains("R²"), regress.out());

        run("train", "--data", data.toString(), "--target", "kind", "--missing", "refuse", "--quiet")
                .assertOneLineError(1, "fruit.csv:2:3 (column 'kind'): missing value");
        run("train", "--data", data.toString(), "--target", "kind", "--task", "sort", "--quiet").assertOneLineError(2, "--task");
    }

    @Test
    void gradcheckPassesOnASpecAndNamesLayers() throws Exception {
        Path spec = file("seed003.json", SEED003);
        Path data = file("one.csv", "x1,x2,y1,y2\n0.1,0.2,0.05,0.95\n0.3,-0.1,0.5,0.2\n");
        Result r = run("gradcheck", "--model", spec.toString(), "--data", data.toString(), "--target", "y1,y2");
        assertEquals(0, r.code(), r.err() + r.out());
        assertTrue(r.out().toLowerCase().contains("layer"), r.out());
    }

    @Test
    void trainEvaluatePredictAndInspectOnACsvFile() throws Exception {
        StringBuilder csv = new StringBuilder("size,colour,label\n");
        java.util.SplittableRandom rng = new java.util.SplittableRandom(1);
        for (int i = 0; i < 200; i++) {
            double size = rng.nextDouble(0, 10);
            String colour = rng.nextBoolean() ? "red" : "blue";
            String label = size + (colour.equals("red") ? 3 : 0) > 8 ? "big" : "small";
            csv.append(String.format(java.util.Locale.ROOT, "%.3f,%s,%s%n", size, colour, label));
        }
        Path data = file("things.csv", csv.toString());
        Path model = dir.resolve("m.bpm"), report = dir.resolve("r.html"), plot = dir.resolve("c.png");
        Result t = run("train", "--data", data.toString(), "--target", "label", "--layers", "16", "--epochs", "40",
                "--lr", "0.02", "--out", model.toString(), "--report", report.toString(), "--plot", plot.toString(), "--quiet");
        assertEquals(0, t.code(), t.err());
        assertTrue(t.out().contains("accuracy"), t.out());
        assertTrue(Files.size(model) > 0 && Files.size(report) > 0 && Files.size(plot) > 0);

        Result e = run("evaluate", "--model", model.toString(), "--data", data.toString());
        assertEquals(0, e.code(), e.err());
        double accuracy = Double.parseDouble(e.out().replaceAll("(?s).*accuracy ([0-9.]+).*", "$1"));
        assertTrue(accuracy > 0.9, e.out());

        Path predictions = dir.resolve("p.csv");
        Result p = run("predict", "--model", model.toString(), "--data", data.toString(), "--out", predictions.toString());
        assertEquals(0, p.code(), p.err());
        List<String> lines = Files.readAllLines(predictions);
        assertEquals("label,p(big),p(small)", lines.get(0));
        assertEquals(201, lines.size());
        List<String> actual = Files.readAllLines(data);
        int right = 0;
        for (int i = 1; i < lines.size(); i++) {
            if (lines.get(i).split(",")[0].equals(actual.get(i).split(",")[2])) right++;
        }
        assertEquals(accuracy, right / 200.0, 1e-9, "predict reproduces evaluate's accuracy");

        Result i = run("inspect", model.toString());
        assertEquals(0, i.code(), i.err());
        assertTrue(i.out().contains("0.weight") && i.out().contains("written by    backprop ") && i.out().contains("colour"), i.out());
        Result json = run("inspect", "--format", "json", model.toString());
        assertEquals(0, json.code(), json.err());
        assertTrue(json.out().strip().startsWith("{") && json.out().contains("\"tensors\"") && json.out().contains("\"provenance\""), json.out());
    }

    @Test
    void trainOnABuiltinWithEarlyStoppingCheckpointsAndResume() throws Exception {
        Path ck = dir.resolve("ck");
        Result t = run("train", "--data", "builtin:iris", "--epochs", "5", "--early-stop", "3", "--checkpoint-dir", ck.toString(), "--quiet");
        assertEquals(0, t.code(), t.err());
        assertTrue(Files.exists(ck.resolve("last.bpm")));
        Result resumed = run("train", "--data", "builtin:iris", "--epochs", "8", "--resume", ck.resolve("last.bpm").toString(), "--quiet");
        assertEquals(0, resumed.code(), resumed.err());
        assertTrue(resumed.out().contains("trained 8 epochs"), resumed.out());
    }

    @Test
    void datasetsListsTheBuiltins() {
        Result r = run("datasets");
        assertEquals(0, r.code());
        for (String name : List.of("xor", "spirals", "iris", "seed003", "fashion-mnist")) {
            assertTrue(r.out().contains("builtin:" + name), r.out());
        }
    }

    @Test
    void badDataGivesExitCode1AndAOneLineMessageNamingThePlace() throws Exception {
        run("train", "--data", file("empty.csv", "").toString(), "--quiet").assertOneLineError(1, "empty.csv");
        run("train", "--data", file("ragged.csv", "a,b,c\n1,2,3\n4,5\n").toString(), "--quiet")
                .assertOneLineError(1, "ragged.csv", "3");
        run("train", "--data", file("text.csv", "a,b,c\n1,2,3\n4,x,6\n7,8,9\n").toString(), "--target", "c", "--quiet")
                .assertOneLineError(1, "text.csv:3:2", "'x'");
        run("train", "--data", file("ok.csv", "a,b,c\n1,2,3\n4,5,6\n").toString(), "--target", "nope", "--quiet")
                .assertOneLineError(1, "nope");
        run("train", "--data", "builtin:nothing", "--quiet").assertOneLineError(1, "nothing");
        run("evaluate", "--model", file("not-a-model.bpm", "hello, world").toString(), "--data", "builtin:iris")
                .assertOneLineError(1, "not-a-model.bpm");
        Path wrong = file("wrong.json", SEED003.replace("[[0.25, 0.15], [0.35, 0.28]]", "[[0.25, 0.15, 0.1], [0.35, 0.28, 0.1]]"));
        run("explain", "--model", wrong.toString(), "--input", "0.1,0.2", "--target", "0.05,0.95")
                .assertOneLineError(1, "wrong.json", "layers[0].weights");
    }

    @Test
    void usageErrorsGiveExitCode2() {
        run("train").assertOneLineError(2, "--data");
        run("train", "--data", "builtin:iris", "--epochs", "many").assertOneLineError(2, "many");
        run("no-such-command").assertOneLineError(2, "no-such-command");
        run("train", "--data", "builtin:iris", "--epochs", "0", "--quiet").assertOneLineError(2, "--epochs");
        run("train", "--data", "builtin:iris", "--val", "2", "--quiet").assertOneLineError(2, "--val");
        run("train", "--data", "builtin:iris", "--delimiter", "ab", "--quiet").assertOneLineError(2, "--delimiter");
    }

    @Test
    void verboseAddsTheStackTrace() throws Exception {
        Result r = run("--verbose", "evaluate", "--model", dir.resolve("missing.bpm").toString(), "--data", "builtin:iris");
        assertEquals(1, r.code());
        assertTrue(r.err().lines().count() > 1 && r.err().contains("at dev.backprop"), r.err());
    }

    @Test
    void everyCommandHasHelp() {
        for (String c : List.of("demo", "train", "evaluate", "predict", "gradients", "explain", "gradcheck", "inspect", "datasets")) {
            Result r = run(c, "--help");
            assertEquals(0, r.code(), c);
            assertTrue(r.out().contains("Usage: backprop " + c), r.out());
        }
    }
}
