package dev.backprop.playground;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.backprop.data.DataFormatException;
import dev.backprop.data.Table;
import dev.backprop.io.JsonText;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.StringReader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Executors;

/**
 * The playground's local web server (the JDK's own): the page and its script from the jar, and a JSON API over one
 * {@link Session}. Bound to the loopback address; a request whose Host is not this server's loopback name and port,
 * or whose Origin is another site, is refused (DNS rebinding); only the files named below are served.
 */
public final class Server implements AutoCloseable {
    /** Largest CSV upload, and largest JSON request. */
    public static final int MAX_UPLOAD = 5 * 1024 * 1024, MAX_REQUEST = 64 * 1024;
    private static final Map<String, String> FILES = Map.of("/", "index.html", "/index.html", "index.html", "/app.js", "app.js",
            "/app.css", "app.css");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpServer http;
    private final int port;
    private Session session;
    private Table uploaded;
    private String specText, specName;

    private Server(HttpServer http) {
        this.http = http;
        this.port = http.getAddress().getPort();
    }

    /** Starts a server on the loopback address at {@code port} (0: any free port), with a first run of {@code initial}. */
    public static Server start(int port, Session.Config initial) throws IOException {
        return start(port, initial, null, null);
    }

    /**
     * {@link #start(int, Session.Config)} on {@code table} (when the config's data is {@code upload}) with the network
     * of {@code spec} (null: built from the config).
     */
    public static Server start(int port, Session.Config initial, Table table, dev.backprop.io.NetworkSpec spec) throws IOException {
        Session first = Session.start(initial, table, spec);
        // Small responses go out at once: without TCP_NODELAY, Nagle's algorithm and the loopback's delayed ACKs hold
        // a response's last packet back for ~40 ms. (Read when the JDK's server first starts.)
        System.setProperty("sun.net.httpserver.nodelay", "true");
        HttpServer http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
        Server s = new Server(http);
        s.session = first;
        s.uploaded = table;
        http.createContext("/", s::handle);
        http.setExecutor(Executors.newFixedThreadPool(4, r -> {
            Thread t = new Thread(r, "playground-http");
            t.setDaemon(true);
            return t;
        }));
        http.start();
        return s;
    }

    /** The default first run: two spirals, two hidden layers of 8 tanh units, Adam. */
    public static Session.Config defaults() {
        return new Session.Config("builtin:spirals", null, List.of(8, 8), "tanh", null, "adam", 0.03, 16, 1);
    }

    /** The page's address. */
    public String address() {
        return "http://127.0.0.1:" + port + "/";
    }

    /** The port it listens on. */
    public int port() {
        return port;
    }

    @Override
    public void close() {
        http.stop(0);
    }

    private boolean trusted(HttpExchange ex) {
        String host = ex.getRequestHeaders().getFirst("Host");
        List<String> ok = List.of("127.0.0.1:" + port, "localhost:" + port, "[::1]:" + port);
        if (host == null || !ok.contains(host.toLowerCase(Locale.ROOT))) return false;
        String origin = ex.getRequestHeaders().getFirst("Origin");
        return origin == null || ok.stream().anyMatch(h -> origin.equalsIgnoreCase("http://" + h));
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            if (!trusted(ex)) {
                send(ex, 403, "text/plain", "forbidden: the playground answers only http://127.0.0.1:" + port + "/");
                return;
            }
            String path = ex.getRequestURI().getPath();
            if (path.startsWith("/api/")) {
                api(ex, path.substring(5));
                return;
            }
            String file = FILES.get(path);
            if (file == null || !ex.getRequestMethod().equals("GET")) {
                send(ex, 404, "text/plain", "not found");
                return;
            }
            try (InputStream in = Server.class.getResourceAsStream(file)) {
                if (in == null) throw new IOException("missing resource " + file);
                String type = file.endsWith(".html") ? "text/html; charset=utf-8" : file.endsWith(".js") ? "text/javascript; charset=utf-8"
                        : "text/css; charset=utf-8";
                send(ex, 200, type, in.readAllBytes());
            }
        } catch (RuntimeException | IOException e) {
            // The server keeps running whatever one request does.
            try {
                error(ex, 500, e.getMessage() == null ? e.toString() : e.getMessage());
            } catch (IOException ignored) {
                // the connection is gone
            }
        }
    }

    private void api(HttpExchange ex, String call) throws IOException {
        String method = ex.getRequestMethod();
        try {
            switch (method + " " + call) {
                case "GET state" -> json(ex, session.state(true));
                case "GET datasets" -> json(ex, Map.of("builtin", List.of("builtin:spirals", "builtin:xor", "builtin:iris", "builtin:seed003")));
                case "POST run" -> {
                    JsonNode b = body(ex, MAX_REQUEST);
                    boolean own = "upload".equals(b.path("network").asText(""));
                    if (own && specText == null) throw new IllegalArgumentException("no network spec uploaded yet");
                    Session next = Session.start(config(b), uploaded, own ? parse(specText, specName) : null);   // fresh weights each run
                    session = next;
                    json(ex, session.state());
                }
                case "POST step" -> {
                    JsonNode b = body(ex, MAX_REQUEST);
                    int steps = b.path("steps").asInt(1);
                    if (steps < 1 || steps > 100_000) throw new IllegalArgumentException("steps must be 1 to 100000, got " + steps);
                    session.step(steps);
                    json(ex, session.state(false));
                }
                case "POST epoch" -> {
                    Session s = session;
                    long per = s.stepsPerEpoch();
                    s.step((int) (per - s.step % per));
                    json(ex, s.state(false));
                }
                case "POST rewind" -> {
                    JsonNode b = body(ex, MAX_REQUEST);
                    long to = b.path("step").asLong(-1);
                    if (to < 0 || to > 10_000_000) throw new IllegalArgumentException("no step " + b.path("step").asText());
                    session.rewind(to);
                    json(ex, session.state(false));
                }
                case "GET weight" -> {
                    Map<String, String> q = query(ex.getRequestURI());
                    json(ex, session.weight(integer(q, "layer"), integer(q, "to"), q.containsKey("from") ? integer(q, "from") : -1));
                }
                case "GET unit" -> {
                    Map<String, String> q = query(ex.getRequestURI());
                    json(ex, session.unit(integer(q, "layer"), integer(q, "unit")));
                }
                case "POST network" -> {
                    byte[] bytes = read(ex, MAX_REQUEST * 16);
                    String name = ex.getRequestHeaders().getFirst("X-File-Name");
                    if (name == null || name.isBlank()) name = "network.json";
                    name = name.replaceAll("[^A-Za-z0-9._ -]", "_");
                    String text = new String(bytes, StandardCharsets.UTF_8);
                    if (!text.stripLeading().startsWith("{")) text = specOfModelFile(bytes, name);   // a .bpm: its network as a spec
                    dev.backprop.io.NetworkSpec parsed = parse(text, name);
                    specText = text;
                    specName = name;
                    StringBuilder shape = new StringBuilder().append(parsed.inputs());
                    for (var m : parsed.module().layers()) if (m instanceof dev.backprop.nn.Linear l) shape.append(" → ").append(l.outputs());
                    json(ex, Map.of("name", name, "layers", shape.toString()));
                }
                case "POST upload" -> {
                    byte[] bytes = read(ex, MAX_UPLOAD);
                    String name = ex.getRequestHeaders().getFirst("X-File-Name");
                    if (name == null || name.isBlank()) name = "upload.csv";
                    String text = new String(bytes, StandardCharsets.UTF_8);
                    if (text.indexOf('\0') >= 0) throw new DataFormatException(name + ": not a CSV file (it holds binary data)");
                    Table t = Table.readCsv(new StringReader(text), name.replaceAll("[^A-Za-z0-9._ -]", "_"));
                    uploaded = t;
                    json(ex, Map.of("columns", t.columns(), "rows", t.size(), "name", t.source()));
                }
                case "GET model" -> {
                    Path tmp = Files.createTempFile("playground", ".bpm");
                    try {
                        session.save(tmp);
                        ex.getResponseHeaders().add("Content-Disposition", "attachment; filename=\"playground.bpm\"");
                        send(ex, 200, "application/octet-stream", Files.readAllBytes(tmp));
                    } finally {
                        Files.deleteIfExists(tmp);
                    }
                }
                case "GET command" -> json(ex, Map.of("command", session.command()));
                default -> error(ex, 404, "no API call " + method + " /api/" + call);
            }
        } catch (DataFormatException | IllegalArgumentException e) {
            error(ex, 400, e.getMessage());
        } catch (TooLarge e) {
            error(ex, 413, e.getMessage());
        }
    }

    /** The network of a model file, read by the safe loader, written as a JSON spec (its weights included). */
    private static String specOfModelFile(byte[] bytes, String name) throws IOException {
        Path tmp = Files.createTempFile("playground", ".bpm");
        try {
            Files.write(tmp, bytes);
            dev.backprop.io.SavedModel m;
            try {
                m = dev.backprop.io.ModelFile.load(tmp);
            } catch (dev.backprop.io.ModelFileException e) {
                throw new IllegalArgumentException(name + ": neither a JSON spec nor a model file (" + e.getMessage().replace(tmp.toString(), name) + ")");
            }
            String loss = m.loss() == null ? null : String.valueOf(m.loss().get("name"));
            if (loss != null && !dev.backprop.io.NetworkSpec.LOSSES.contains(loss)) loss = null;
            try {
                return dev.backprop.io.NetworkSpec.toJson(dev.backprop.io.NetworkSpec.asPairs(m.module()), loss);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(name + ": " + e.getMessage().replaceFirst("^toJson: ", ""));
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    private static dev.backprop.io.NetworkSpec parse(String text, String name) {
        try {
            return dev.backprop.io.NetworkSpec.parse(text, name);
        } catch (dev.backprop.io.ModelFileException e) {
            throw new IllegalArgumentException(e.getMessage());
        }
    }

    private static Session.Config config(JsonNode b) {
        List<Integer> layers = new ArrayList<>();
        JsonNode l = b.path("layers");
        if (l.isArray()) for (JsonNode u : l) layers.add(u.asInt());
        String loss = b.path("loss").asText("");
        return new Session.Config(b.path("data").asText("builtin:spirals"), b.hasNonNull("target") && !b.path("target").asText().isBlank()
                ? b.path("target").asText() : null, layers, b.path("activation").asText("tanh"), loss.isBlank() || loss.equals("auto") ? null : loss,
                b.path("optimizer").asText("adam"), b.path("lr").asDouble(0.03), b.path("batch").asInt(16), b.path("seed").asLong(1));
    }

    private static int integer(Map<String, String> q, String key) {
        try {
            return Integer.parseInt(q.getOrDefault(key, ""));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + " must be a whole number, got '" + q.get(key) + "'");
        }
    }

    private static Map<String, String> query(URI uri) {
        Map<String, String> q = new LinkedHashMap<>();
        String raw = uri.getRawQuery();
        if (raw == null) return q;
        for (String part : raw.split("&")) {
            int eq = part.indexOf('=');
            if (eq > 0) q.put(part.substring(0, eq), java.net.URLDecoder.decode(part.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return q;
    }

    private static final class TooLarge extends IOException {
        TooLarge(String m) {
            super(m);
        }
    }

    private static byte[] read(HttpExchange ex, int max) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[8192];
        try (InputStream in = ex.getRequestBody()) {
            int r;
            long seen = 0;
            while ((r = in.read(buf)) > 0) {
                seen += r;
                if (seen <= max) {
                    out.write(buf, 0, r);
                } else if (seen > 16L * max) {
                    break;                   // the answer goes out now; the client sees the connection close
                }
            }
            if (seen > max) throw new TooLarge("the upload is over " + max / (1024 * 1024) + " MB, more than the playground takes");
        }
        return out.toByteArray();
    }

    private static JsonNode body(HttpExchange ex, int max) throws IOException {
        byte[] b = read(ex, max);
        if (b.length == 0) return JSON.createObjectNode();
        try {
            return JSON.readTree(b);
        } catch (IOException e) {
            throw new IllegalArgumentException("the request is not JSON");
        }
    }

    private static void json(HttpExchange ex, Object value) throws IOException {
        send(ex, 200, "application/json", JsonText.compact(value));
    }

    private static void error(HttpExchange ex, int code, String message) throws IOException {
        send(ex, code, "application/json", JsonText.compact(Map.of("error", message == null ? "error" : message)));
    }

    private static void send(HttpExchange ex, int code, String type, String text) throws IOException {
        send(ex, code, type, text.getBytes(StandardCharsets.UTF_8));
    }

    private static void send(HttpExchange ex, int code, String type, byte[] bytes) throws IOException {
        ex.getResponseHeaders().set("Content-Type", type);
        ex.getResponseHeaders().set("Cache-Control", "no-store");
        ex.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
        ex.sendResponseHeaders(code, bytes.length == 0 ? -1 : bytes.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(bytes);
        }
    }
}
