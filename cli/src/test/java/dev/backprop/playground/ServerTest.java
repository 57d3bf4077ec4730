package dev.backprop.playground;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The playground's server through its HTTP API, as the page uses it: training to a threshold, stepping and rewinding
 * to the same bits, a weight's gradient as its factors against the autodiff and finite differences, bad uploads and
 * requests refused with a message while the server keeps running, and requests from other sites refused.
 */
class ServerTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private Server server;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void start() throws Exception {
        server = Server.start(0, Server.defaults());
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private HttpResponse<String> send(String method, String path, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(server.address() + path));
        b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private JsonNode ok(String method, String path, String body) throws Exception {
        HttpResponse<String> r = send(method, path, body);
        assertEquals(200, r.statusCode(), r.body());
        return JSON.readTree(r.body());
    }

    private static float[] weights(JsonNode state) {
        List<Float> all = new java.util.ArrayList<>();
        for (JsonNode l : state.get("layers")) {
            for (JsonNode v : l.get("weights")) all.add(v.floatValue());
            for (JsonNode v : l.get("biases")) all.add(v.floatValue());
        }
        float[] out = new float[all.size()];
        for (int i = 0; i < out.length; i++) out[i] = all.get(i);
        return out;
    }

    @Test
    void thePageAndItsScriptComeFromTheJar() throws Exception {
        HttpResponse<String> page = send("GET", "", null);
        assertEquals(200, page.statusCode());
        assertTrue(page.body().contains("<title>backprop playground</title>") && page.body().contains("app.js"));
        assertTrue(send("GET", "app.js", null).body().contains("function drawNet"));
        assertEquals(404, send("GET", "../pom.xml", null).statusCode());
        assertEquals(404, send("GET", "Server.class", null).statusCode());
    }

    @Test
    void spiralsTrainPastNinetyFivePercent() throws Exception {
        ok("POST", "api/run", "{\"data\":\"builtin:spirals\",\"layers\":[16,16],\"activation\":\"tanh\",\"optimizer\":\"adam\",\"lr\":0.03,"
                + "\"batch\":16,\"seed\":1}");
        JsonNode s = ok("POST", "api/step", "{\"steps\":1500}");
        double accuracy = s.get("metrics").get("accuracy").asDouble();
        assertTrue(accuracy > 0.95, "accuracy " + accuracy);
        assertEquals(40 * 40 * 2, s.get("plane").get("values").size());
        assertEquals(1500, s.get("step").asInt());
    }

    @Test
    void rewindingReplaysToTheSameBits() throws Exception {
        ok("POST", "api/run", "{\"data\":\"builtin:spirals\",\"layers\":[8],\"optimizer\":\"adam\",\"lr\":0.03,\"batch\":8,\"seed\":3}");
        float[] at60 = weights(ok("POST", "api/step", "{\"steps\":60}"));
        float[] at137 = weights(ok("POST", "api/step", "{\"steps\":77}"));
        assertArrayEquals(at60, weights(ok("POST", "api/rewind", "{\"step\":60}")));
        ok("POST", "api/rewind", "{\"step\":23}");
        assertArrayEquals(at137, weights(ok("POST", "api/step", "{\"steps\":114}")));
        assertEquals(137, ok("GET", "api/state", null).get("step").asInt());
    }

    @Test
    void aWeightsGradientIsItsFactorsSummedOverTheBatch() throws Exception {
        ok("POST", "api/run", "{\"data\":\"builtin:spirals\",\"layers\":[4],\"activation\":\"sigmoid\",\"optimizer\":\"sgd\",\"lr\":0.5,"
                + "\"batch\":6,\"seed\":2}");
        ok("POST", "api/step", "{\"steps\":5}");
        JsonNode w = ok("GET", "api/weight?layer=0&to=2&from=1", null);
        assertEquals("w(x2→h3)", w.get("name").asText());
        assertEquals(6, w.get("batch").asInt());
        double sum = 0;
        for (JsonNode t : w.get("terms")) {
            double product = 1;
            for (JsonNode f : t.get("factors")) product *= f.get("value").asDouble();
            assertEquals(t.get("product").asDouble(), product, 1e-9, "a row's gradient is the product of its factors");
            sum += product;
        }
        assertEquals(w.get("gradient").asDouble(), sum / 6, 1e-12);
        assertEquals(w.get("autograd").asDouble(), w.get("gradient").asDouble(), 1e-6);
        assertEquals(w.get("gradient").asDouble(), w.get("finite_difference").asDouble(), 1e-3 * Math.max(1e-3, Math.abs(w.get("gradient").asDouble())) + 1e-5);
        assertEquals(-0.5 * w.get("autograd").asDouble(), w.get("update").asDouble(), 1e-6, "SGD: −α·∂E/∂w");
        JsonNode bias = ok("GET", "api/weight?layer=1&to=1", null);
        assertEquals("b(o2)", bias.get("name").asText());
    }

    @Test
    void badInputGetsAMessageAndTheServerKeepsRunning() throws Exception {
        HttpResponse<String> binary = send("POST", "api/upload", "a,b\n1,\u0000\n");
        assertEquals(400, binary.statusCode());
        assertTrue(binary.body().contains("not a CSV file"), binary.body());
        HttpResponse<String> big = send("POST", "api/upload", "x,y\n" + "1,2\n".repeat(1_400_000));
        assertEquals(413, big.statusCode(), big.body());
        HttpResponse<String> ragged = send("POST", "api/upload", "a,b,c\n1,2,3\n4,5\n");
        assertEquals(400, ragged.statusCode(), ragged.body());
        HttpResponse<String> wide = send("POST", "api/run", "{\"data\":\"builtin:spirals\",\"layers\":[600]}");
        assertEquals(400, wide.statusCode());
        assertTrue(wide.body().contains("1 to 512 units"), wide.body());
        assertEquals(400, send("POST", "api/step", "not json").statusCode());
        assertEquals(400, send("POST", "api/run", "{\"data\":\"upload\"}").statusCode(), "nothing uploaded yet");
        ok("POST", "api/upload", "a,b,label\n1,2,x\n2,1,y\n3,3,x\n0,1,y\n");
        assertEquals(4, ok("POST", "api/run", "{\"data\":\"upload\",\"layers\":[3]}").get("rows").asInt());
        assertEquals(0, ok("GET", "api/state", null).get("step").asInt());
    }

    @Test
    void anUploadedSpecIsTheNextRunsNetworkWithItsOwnWeightsEachTime() throws Exception {
        String spec = "{\"inputs\": 2, \"loss\": \"cross-entropy\", \"layers\": [{\"units\": 3, \"activation\": \"tanh\","
                + " \"weights\": [[0.1, 0.2], [0.3, -0.4], [0.5, 0.6]]}, {\"units\": 2, \"activation\": \"softmax\"}]}";
        HttpResponse<String> bad = send("POST", "api/network", "{\"inputs\": 2, \"layers\": [{\"units\": 0, \"activation\": \"tanh\"}]}");
        assertEquals(400, bad.statusCode());
        assertTrue(bad.body().contains("network.json") && bad.body().contains("layers[0]"), bad.body());
        assertEquals("2 → 3 → 2", ok("POST", "api/network", spec).get("layers").asText());
        JsonNode first = ok("POST", "api/run", "{\"data\":\"builtin:spirals\",\"network\":\"upload\",\"optimizer\":\"adam\",\"lr\":0.1}");
        assertEquals(0.1f, first.get("layers").get(0).get("weights").get(0).floatValue());
        ok("POST", "api/step", "{\"steps\":20}");
        JsonNode again = ok("POST", "api/run", "{\"data\":\"builtin:spirals\",\"network\":\"upload\"}");
        assertEquals(0.1f, again.get("layers").get(0).get("weights").get(0).floatValue(), "the spec's weights, not the last run's");
        HttpResponse<String> notModel = send("POST", "api/network", "PK\u0003\u0004 a zip, not a network");
        assertEquals(400, notModel.statusCode());
        assertTrue(notModel.body().contains("neither a JSON spec nor a model file"), notModel.body());
        HttpResponse<String> iris = send("POST", "api/run", "{\"data\":\"builtin:iris\",\"network\":\"upload\"}");
        assertEquals(400, iris.statusCode());
        assertTrue(iris.body().contains("takes 2 inputs"), iris.body());
    }

    @Test
    void anUploadedModelFileGivesItsNetwork(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        java.nio.file.Path model = dir.resolve("m.bpm");
        HttpResponse<byte[]> file = http.send(HttpRequest.newBuilder(URI.create(server.address() + "api/model")).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        java.nio.file.Files.write(model, file.body());
        HttpResponse<String> up = http.send(HttpRequest.newBuilder(URI.create(server.address() + "api/network"))
                .POST(HttpRequest.BodyPublishers.ofFile(model)).header("X-File-Name", "m.bpm").build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, up.statusCode(), up.body());
        assertEquals("2 → 8 → 8 → 2", JSON.readTree(up.body()).get("layers").asText());
        JsonNode run = ok("POST", "api/run", "{\"data\":\"builtin:spirals\",\"network\":\"upload\"}");
        assertArrayEquals(weights(ok("GET", "api/state", null)), weights(run));
    }

    private String raw(String request) throws Exception {
        try (Socket s = new Socket("127.0.0.1", server.port())) {
            OutputStream out = s.getOutputStream();
            out.write(request.getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = s.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().findFirst().orElse("");
        }
    }

    @Test
    void requestsForAnotherHostOrFromAnotherSiteAreRefused() throws Exception {
        assertTrue(raw("GET /api/state HTTP/1.1\r\nHost: 127.0.0.1:" + server.port() + "\r\nConnection: close\r\n\r\n").contains(" 200"));
        assertTrue(raw("GET /api/state HTTP/1.1\r\nHost: evil.example:" + server.port() + "\r\nConnection: close\r\n\r\n").contains(" 403"));
        assertTrue(raw("POST /api/step HTTP/1.1\r\nHost: localhost:" + server.port() + "\r\nOrigin: http://evil.example\r\n"
                + "Content-Length: 2\r\nConnection: close\r\n\r\n{}").contains(" 403"));
    }
}
