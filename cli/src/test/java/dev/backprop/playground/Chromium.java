package dev.backprop.playground;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A headless Chromium driven through the DevTools protocol over the JDK's WebSocket client (no Selenium): one page,
 * navigated, its script evaluated, screenshots taken. For the playground's browser test.
 */
final class Chromium implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final Process process;
    private final WebSocket socket;
    private final Map<Integer, CompletableFuture<JsonNode>> waiting = new ConcurrentHashMap<>();
    private final AtomicInteger ids = new AtomicInteger();
    private final List<String> console = new java.util.concurrent.CopyOnWriteArrayList<>();
    private String session;

    private Chromium(Process process, WebSocket socket) {
        this.process = process;
        this.socket = socket;
    }

    /** Starts {@code binary} headless with a window of {@code width} × {@code height}, and opens one blank page. */
    static Chromium start(Path binary, Path profile, int width, int height) throws Exception {
        Process p = new ProcessBuilder(binary.toString(), "--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run",
                "--remote-debugging-port=0", "--user-data-dir=" + profile, "--window-size=" + width + "," + height, "about:blank")
                .redirectErrorStream(true).redirectOutput(profile.resolveSibling("chromium.log").toFile()).start();
        Path active = profile.resolve("DevToolsActivePort");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!Files.exists(active) || Files.readAllLines(active).size() < 2) {
            if (System.nanoTime() > deadline || !p.isAlive()) {
                p.destroyForcibly();
                throw new IOException("Chromium did not start (see " + profile.resolveSibling("chromium.log") + ")");
            }
            Thread.sleep(100);
        }
        List<String> lines = Files.readAllLines(active);
        String url = "ws://127.0.0.1:" + lines.get(0).strip() + lines.get(1).strip();
        Chromium[] self = new Chromium[1];
        WebSocket ws = HttpClient.newHttpClient().newWebSocketBuilder().buildAsync(URI.create(url), new WebSocket.Listener() {
            private final StringBuilder text = new StringBuilder();

            @Override
            public CompletionStage<?> onText(WebSocket w, CharSequence data, boolean last) {
                text.append(data);
                if (last) {
                    self[0].receive(text.toString());
                    text.setLength(0);
                }
                w.request(1);
                return null;
            }
        }).get(30, TimeUnit.SECONDS);
        Chromium c = new Chromium(p, ws);
        self[0] = c;
        String target = c.send(null, "Target.createTarget", Map.of("url", "about:blank")).get("targetId").asText();
        c.session = c.send(null, "Target.attachToTarget", Map.of("targetId", target, "flatten", true)).get("sessionId").asText();
        c.send("Runtime.enable", Map.of());
        c.send("Page.enable", Map.of());
        return c;
    }

    private void receive(String message) {
        try {
            JsonNode m = JSON.readTree(message);
            if (m.has("id")) {
                CompletableFuture<JsonNode> f = waiting.remove(m.get("id").asInt());
                if (f != null) f.complete(m);
            } else if ("Runtime.exceptionThrown".equals(m.path("method").asText())) {
                console.add("exception: " + m.path("params").path("exceptionDetails").toString());
            } else if ("Runtime.consoleAPICalled".equals(m.path("method").asText())) {
                console.add(m.path("params").path("type").asText() + ": " + m.path("params").path("args").toString());
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Sends a command to the page and returns its result. */
    JsonNode send(String method, Map<String, ?> params) throws Exception {
        return send(session, method, params);
    }

    private JsonNode send(String sessionId, String method, Map<String, ?> params) throws Exception {
        int id = ids.incrementAndGet();
        ObjectNode m = JSON.createObjectNode().put("id", id).put("method", method);
        m.set("params", JSON.valueToTree(params));
        if (sessionId != null) m.put("sessionId", sessionId);
        CompletableFuture<JsonNode> f = new CompletableFuture<>();
        waiting.put(id, f);
        socket.sendText(m.toString(), true).get(10, TimeUnit.SECONDS);
        JsonNode reply = f.get(60, TimeUnit.SECONDS);
        if (reply.has("error")) throw new IOException(method + ": " + reply.get("error"));
        return reply.get("result");
    }

    /** Evaluates {@code expression} in the page (awaiting a promise) and returns its value as JSON. */
    JsonNode eval(String expression) throws Exception {
        JsonNode r = send("Runtime.evaluate", Map.of("expression", expression, "awaitPromise", true, "returnByValue", true));
        if (r.has("exceptionDetails")) throw new IOException("in the page: " + r.get("exceptionDetails"));
        return r.path("result").path("value");
    }

    /** Opens {@code url} and waits until {@code ready} (an expression) is true. */
    void open(String url, String ready) throws Exception {
        send("Page.navigate", Map.of("url", url));
        waitFor(ready, 30);
    }

    /** Waits until {@code condition} is true in the page. */
    void waitFor(String condition, int seconds) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (true) {
            JsonNode v;
            try {
                v = eval("!!(" + condition + ")");
            } catch (IOException e) {
                v = null;      // the page is still loading
            }
            if (v != null && v.asBoolean()) return;
            if (System.nanoTime() > deadline) throw new IOException("timed out waiting for " + condition + "; console: " + console);
            Thread.sleep(50);
        }
    }

    /** Sets the file of an {@code <input type=file>} found by {@code selector}, as a user choosing it would. */
    void chooseFile(String selector, Path file) throws Exception {
        JsonNode doc = send("DOM.getDocument", Map.of());
        int node = send("DOM.querySelector", Map.of("nodeId", doc.path("root").path("nodeId").asInt(), "selector", selector)).get("nodeId").asInt();
        send("DOM.setFileInputFiles", Map.of("nodeId", node, "files", List.of(file.toAbsolutePath().toString())));
    }

    /** A PNG of the page as it is. */
    void screenshot(Path file) throws Exception {
        JsonNode r = send("Page.captureScreenshot", Map.of("format", "png", "captureBeyondViewport", true));
        Files.write(file, java.util.Base64.getDecoder().decode(r.get("data").asText()));
    }

    /** Errors and console messages the page has produced. */
    List<String> console() {
        return List.copyOf(console);
    }

    /** Stops the browser and every process it started, and waits for them to end. */
    @Override
    public void close() {
        socket.abort();
        List<ProcessHandle> all = new java.util.ArrayList<>(process.descendants().toList());
        all.add(process.toHandle());
        all.forEach(ProcessHandle::destroy);
        for (ProcessHandle h : all) {
            try {
                h.onExit().get(5, TimeUnit.SECONDS);
            } catch (Exception e) {
                h.destroyForcibly();
            }
        }
    }
}
