package dev.backprop.playground;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.backprop.cli.Main;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The playground in a real headless Chromium, driven as a person would drive it (through the DevTools protocol):
 * training spirals past 95%, pausing, clicking a weight and reading its factors (equal to what {@code backprop
 * explain} prints for the same step), stepping and rewinding to the same weights, and a malformed upload shown as
 * a message while the server keeps running. Screenshots and a timing probe stay in {@code target/playground-browser/}.
 *
 * <p>Slow (it starts a browser); needs {@code /usr/bin/chromium}, which {@code scripts/ensure-chromium.sh} installs.
 */
@Tag("slow")
class PlaygroundBrowserTest {
    private static final Path CHROMIUM = Path.of(System.getProperty("backprop.chromium", "/usr/bin/chromium"));
    static final Path OUT = Path.of("target", "playground-browser");
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;
    private Server server;
    private Chromium page;
    private Path profile;

    @BeforeAll
    static void chromiumIsThere() throws Exception {
        assertTrue(Files.isExecutable(CHROMIUM), CHROMIUM + " is missing: run scripts/ensure-chromium.sh (./test -Pslow does)");
        Files.createDirectories(OUT);
    }

    @BeforeEach
    void open() throws Exception {
        server = Server.start(0, Server.defaults());
        profile = Files.createTempDirectory("playground-chromium");
        page = Chromium.start(CHROMIUM, profile.resolve("profile"), 1400, 1000);
        page.open(server.address(), "document.getElementById('numbers').dataset.step === '0'");
    }

    @AfterEach
    void close() throws Exception {
        if (page != null) page.close();
        if (server != null) server.close();
        if (profile != null) {          // best effort: a browser's last writes may outlive it by a moment
            try (var files = Files.walk(profile)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
    }

    private void set(String id, String value) throws Exception {
        page.eval("document.getElementById('" + id + "').value = " + JSON.writeValueAsString(value));
    }

    private void click(String id) throws Exception {
        page.eval("document.getElementById('" + id + "').click()");
    }

    private JsonNode api(String path) throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(server.address() + "api/" + path)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
        return JSON.readTree(r.body());
    }

    private static List<Float> weights(JsonNode state) {
        List<Float> all = new ArrayList<>();
        for (JsonNode l : state.get("layers")) for (JsonNode v : l.get("weights")) all.add(v.floatValue());
        return all;
    }

    private void newRun(String data, String layers, String optimizer, String lr, String batch) throws Exception {
        set("data", data);
        set("layers", layers);
        set("activation", "tanh");
        set("optimizer", optimizer);
        set("lr", lr);
        set("batch", batch);
        set("seed", "1");
        page.eval("window.__runs = (window.__runs || 0) + 1; document.getElementById('numbers').dataset.step = 'x'");
        click("reset");
        page.waitFor("document.getElementById('numbers').dataset.step === '0'", 30);
    }

    @Test
    void spiralsTrainPastNinetyFivePercentAndAWeightShowsTheFactorsExplainPrints() throws Exception {
        newRun("builtin:spirals", "16,16", "adam", "0.01", "16");
        click("run");
        page.waitFor("Number(document.getElementById('numbers').dataset.accuracy) > 0.95", 240);
        click("run");                                                              // pause
        page.waitFor("document.getElementById('run').textContent === 'Run'", 10);
        Thread.sleep(500);                                                         // the last steps in flight land
        // Accuracy moves a little from step to step: a few single steps, as a person would click, until it is back over.
        for (int i = 0; i < 50 && !page.eval("Number(document.getElementById('numbers').dataset.accuracy) > 0.95").asBoolean(); i++) {
            String at = page.eval("document.getElementById('numbers').dataset.step").asText();
            click("step");
            page.waitFor("document.getElementById('numbers').dataset.step !== '" + at + "'", 10);
        }
        String shown = page.eval("document.getElementById('numbers').textContent").asText();
        assertTrue(shown.matches(".*accuracy (9[5-9]|100)\\.\\d%.*"), shown);
        page.eval("document.querySelector('line[data-layer=\"1\"][data-to=\"3\"][data-from=\"5\"]').dispatchEvent(new MouseEvent('click', {bubbles: true}))");
        page.waitFor("document.getElementById('gradient') !== null", 30);
        page.screenshot(OUT.resolve("playground-spirals.png"));
        assertEquals(List.of(), page.console().stream().filter(m -> m.startsWith("exception") || m.startsWith("error")).toList());
    }

    @Test
    void withSgdAndOneSampleTheFactorsAreExplainsNumbers() throws Exception {
        newRun("builtin:spirals", "4", "sgd", "0.5", "1");
        for (int i = 0; i < 3; i++) click("step");
        page.waitFor("document.getElementById('numbers').dataset.step === '3'", 30);
        page.eval("document.querySelector('line[data-layer=\"0\"][data-to=\"2\"][data-from=\"1\"]').dispatchEvent(new MouseEvent('click', {bubbles: true}))");
        page.waitFor("document.getElementById('gradient') !== null", 30);
        JsonNode shown = page.eval("lastExplained");
        JsonNode term = shown.get("terms").get(0);
        assertEquals(1, shown.get("batch").asInt());
        // The same step from the command line: the model file as it stands, the same row, the same learning rate.
        Path model = dir.resolve("now.bpm");
        HttpResponse<byte[]> file = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(server.address() + "api/model")).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        Files.write(model, file.body());
        String input = String.join(",", List.of(term.get("x").get(0).asText(), term.get("x").get(1).asText()));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream before = System.out;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        int code;
        try {
            code = Main.run("explain", "--model", model.toString(), "--input", input, "--target", Integer.toString(term.get("y").get(0).asInt()),
                    "--lr", "0.5", "--format", "json", "--full");
        } finally {
            System.setOut(before);
        }
        assertEquals(0, code, out.toString(StandardCharsets.UTF_8));
        JsonNode explained = JSON.readTree(out.toString(StandardCharsets.UTF_8));
        JsonNode weight = null;
        for (JsonNode w : explained.get("layers").get(0).get("weights")) {
            if (w.get("from").asText().equals("x2") && w.get("to").asText().equals("h3")) weight = w;
        }
        assertEquals("w(x2→h3)", shown.get("name").asText());
        assertEquals(weight.get("gradient").asDouble(), shown.get("gradient").asDouble(), 1e-12);
        assertEquals(weight.get("value").asDouble(), shown.get("value").asDouble(), 1e-12);
        List<Double> factors = new ArrayList<>();
        for (JsonNode f : term.get("factors")) factors.add(f.get("value").asDouble());
        List<Double> theirs = new ArrayList<>();
        weight.get("factors").forEach(v -> theirs.add(v.asDouble()));
        assertEquals(theirs.size(), factors.size());
        for (int i = 0; i < factors.size(); i++) assertEquals(theirs.get(i), factors.get(i), 1e-12, "factor " + i);
        assertEquals(weight.get("updated").asDouble() - weight.get("value").asDouble(), shown.get("update").asDouble(), 1e-6);
    }

    @Test
    void stepsAndARewindComeBackToTheSameWeights() throws Exception {
        newRun("builtin:spirals", "8", "adam", "0.03", "8");
        for (int i = 0; i < 5; i++) click("step");
        page.waitFor("document.getElementById('numbers').dataset.step === '5'", 30);
        List<Float> atFive = weights(api("state"));
        click("epoch");
        page.waitFor("Number(document.getElementById('numbers').dataset.step) === 50", 30);
        set("to", "3");
        click("rewind");
        page.waitFor("document.getElementById('numbers').dataset.step === '3'", 30);
        click("step");
        click("step");
        page.waitFor("document.getElementById('numbers').dataset.step === '5'", 30);
        assertEquals(atFive, weights(api("state")));
    }

    @Test
    void aMalformedUploadIsAMessageInThePageAndTheServerKeepsRunning() throws Exception {
        Path bad = dir.resolve("photo.csv");
        Files.write(bad, new byte[] {(byte) 0x89, 'P', 'N', 'G', 0, 0, 0, 13, 'I', 'H', 'D', 'R'});
        page.chooseFile("#file", bad);
        page.waitFor("!document.getElementById('error').hidden", 30);
        String message = page.eval("document.getElementById('error').textContent").asText();
        assertTrue(message.contains("photo.csv") && message.contains("not a CSV file"), message);
        Path good = dir.resolve("points.csv");
        StringBuilder sb = new StringBuilder("a,b,label\n");
        for (int i = 0; i < 40; i++) sb.append(String.format(Locale.ROOT, "%d,%d,%s%n", i % 7, i % 5, i % 7 > 3 ? "yes" : "no"));
        Files.writeString(good, sb);
        page.chooseFile("#file", good);
        page.waitFor("document.getElementById('status').textContent.startsWith('uploaded points.csv')", 30);
        newRun("upload", "4", "adam", "0.03", "8");
        assertEquals(40, api("state").get("rows").asInt());
        set("layers", "600");
        click("reset");
        page.waitFor("!document.getElementById('error').hidden", 30);
        assertTrue(page.eval("document.getElementById('error').textContent").asText().contains("1 to 512 units"));
    }

    /**
     * Not a check: how long a step of a 2-64-64-2 network and its redraw take in the page, written to
     * target/playground-browser/timing.txt for docs/playground.md.
     */
    @Test
    void probeTheTimeOfAStepAndItsRedraw() throws Exception {
        newRun("builtin:spirals", "64,64", "adam", "0.01", "16");
        page.eval("(async () => { for (let i = 0; i < 200; i++) draw(await call('POST', 'step', {steps: 1})); })()");   // warm-up, not timed
        JsonNode t = page.eval("(async () => { const all = [], fetches = [], draws = [];"
                + " for (let i = 0; i < 100; i++) { const t0 = performance.now(); const s = await call('POST', 'step', {steps: 1});"
                + " const t1 = performance.now(); draw(s); await new Promise(r => requestAnimationFrame(r)); const t2 = performance.now();"
                + " all.push(t2 - t0); fetches.push(t1 - t0); draws.push(t2 - t1); }"
                + " const med = a => a.slice().sort((x, y) => x - y)[50], p90 = a => a.slice().sort((x, y) => x - y)[90];"
                + " return {median: med(all), p90: p90(all), fetch: med(fetches), draw: med(draws)}; })()");
        JsonNode tiny = page.eval("(async () => { const times = []; for (let i = 0; i < 50; i++) { const t0 = performance.now();"
                + " await call('GET', 'command'); times.push(performance.now() - t0); } times.sort((a, b) => a - b); return times[25]; })()");
        String line = String.format(Locale.ROOT, "2-64-64-2, one step and its redraw (100 steps after 200 to warm up): median %.1f ms (request and step %.1f ms, "
                + "drawing to the next frame %.1f ms), 90th percentile %.1f ms; a request of a few bytes: %.1f ms%n", t.get("median").asDouble(),
                t.get("fetch").asDouble(), t.get("draw").asDouble(), t.get("p90").asDouble(), tiny.asDouble());
        Files.writeString(OUT.resolve("timing.txt"), line);
        System.out.print(line);
        page.screenshot(OUT.resolve("playground-wide.png"));
    }

    @Test
    void irisShowsItsConfusionMatrix() throws Exception {
        newRun("builtin:iris", "8", "adam", "0.03", "16");
        click("epoch");
        page.waitFor("Number(document.getElementById('numbers').dataset.step) > 0", 30);
        assertTrue(page.eval("!document.getElementById('otherBox').hidden && document.getElementById('planeBox').hidden").asBoolean());
        assertEquals("Confusion matrix (rows: actual, columns: predicted)", page.eval("document.getElementById('otherCaption').textContent").asText());
        page.eval("document.querySelector('circle[data-unit-layer=\"0\"][data-unit=\"2\"]').dispatchEvent(new MouseEvent('click', {bubbles: true}))");
        page.waitFor("document.getElementById('gradient') !== null", 30);
        assertTrue(page.eval("document.getElementById('factorBody').textContent").asText().contains("δ(h3)"));
        page.screenshot(OUT.resolve("playground-iris.png"));
    }
}
