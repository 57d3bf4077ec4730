package dev.backprop.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Renders reports in headless Chromium: the page must load without a script error or console message, and the
 * screenshot must show the charts' and the diagram's colours inside their own boxes. The boxes are measured by the
 * browser itself: a probe script, added to a copy of the page, writes each {@code data-part} element's position
 * into the DOM, which {@code --dump-dom} prints in the same run that takes the screenshot, so layout and pixels agree.
 * The screenshots stay in {@code core/target/report-browser/} for a person to look at.
 *
 * <p>Slow (it starts a browser) and needs {@code /usr/bin/chromium}, which {@code scripts/ensure-chromium.sh}
 * installs ({@code ./test -Pslow} runs it); {@code -Dbackprop.chromium=PATH} points elsewhere.
 */
@Tag("slow")
class HtmlReportBrowserTest {
    private static final Path CHROMIUM = Path.of(System.getProperty("backprop.chromium", "/usr/bin/chromium"));
    private static final Path SHOTS = Path.of("target", "report-browser");
    private static final int WINDOW_WIDTH = 1200;
    private static final int WINDOW_HEIGHT = 2000;

    @TempDir
    Path dir;

    @BeforeAll
    static void chromiumIsThere() throws IOException {
        // Fail, not skip: in the slow profile a missing browser would otherwise pass unnoticed.
        assertTrue(Files.isExecutable(CHROMIUM), CHROMIUM + " is missing: run scripts/ensure-chromium.sh "
                + "(./test -Pslow does), or point -Dbackprop.chromium at a Chromium or Chrome binary");
        Files.createDirectories(SHOTS);
    }

    @Test
    void theFullReportLoadsCleanlyAndDrawsItsChartsAndDiagram() throws Exception {
        Path html = dir.resolve("full.html");
        HtmlReport.write(html, Fixtures.full());
        Rendering r = render(html, "full");
        assertEquals(List.of(), r.errors(), "errors while loading the report");
        assertTrue(r.width() <= WINDOW_WIDTH, "the page is wider than the window: " + r.width() + " px");
        // A 2-pixel line across the plot is about 900 pixels; 12 markers add more.
        assertDrawn(r, "loss", 300, LineChart.TRAINING, LineChart.VALIDATION);
        assertDrawn(r, "metric-accuracy", 300, LineChart.TRAINING, LineChart.VALIDATION);
        assertDrawn(r, "learning-rate", 300, LineChart.OTHER);
        // 11 positive and 9 negative weights, lines 250 pixels long and at least 0.6 wide.
        assertDrawn(r, "network", 300, NetworkDiagram.POSITIVE, NetworkDiagram.NEGATIVE);
        assertDrawn(r, "f1", 300, LineChart.TRAINING);
        // The map's tints and its points, in the first two classes' colours.
        assertDrawn(r, "boundary", 300, LineChart.TRAINING, LineChart.VALIDATION);
    }

    @Test
    void aRegressionReportDrawsItsScatterPlots() throws Exception {
        Path html = dir.resolve("regression.html");
        HtmlReport.write(html, Fixtures.regression());
        Rendering r = render(html, "regression");
        assertEquals(List.of(), r.errors(), "errors while loading the report");
        assertDrawn(r, "predicted-vs-actual", 200, LineChart.VALIDATION);   // 50 points of about 20 pixels each
        assertDrawn(r, "residuals", 200, LineChart.VALIDATION);
    }

    @Test
    void aLargeNetworkIsDrawnAsBlocksWithHistograms() throws Exception {
        Path html = dir.resolve("large.html");
        HtmlReport.write(html, new ReportData("784 → 32 → 10", null, null, Fixtures.history(1, false, false), null, null, null,
                Fixtures.largeNet(), null));
        Rendering r = render(html, "large");
        assertEquals(List.of(), r.errors(), "errors while loading the report");
        assertDrawn(r, "loss", 20, LineChart.TRAINING); // one epoch: a single marker, 8 pixels across
        assertDrawn(r, "network", 300, NetworkDiagram.POSITIVE, NetworkDiagram.NEGATIVE); // the histograms' two halves
    }

    /** The check must be able to fail: a page that throws is caught by it. */
    @Test
    void theErrorCheckCatchesAPageThatThrows() throws Exception {
        Path html = dir.resolve("throws.html");
        Files.writeString(html, "<!DOCTYPE html><html><head><title>t</title></head><body><p>x</p>"
                + "<script>undefinedFunction();</script></body></html>");
        Rendering r = render(html, "throws");
        assertFalse(r.errors().isEmpty(), "a page calling an undefined function passed the error check");
        assertTrue(r.errors().stream().anyMatch(e -> e.contains("undefinedFunction")), r.errors().toString());
    }

    /** What the browser reported: errors (page and console), the page's size, the parts' boxes and the screenshot. */
    private record Rendering(List<String> errors, int width, int height, Map<String, Part> parts, BufferedImage shot) {
    }

    /** Boxes as x, y, width, height in page pixels (the screenshot's, at a device pixel ratio of 1). */
    private record Part(int[] box, int[] legend) {
        /** Inside the legend's box, widened by the 3 pixels of stroke and anti-aliasing that a bounding box leaves out. */
        boolean inLegend(int x, int y) {
            return legend[2] > 0 && x >= legend[0] - 3 && x < legend[0] + legend[2] + 3 && y >= legend[1] - 3 && y < legend[1] + legend[3] + 3;
        }
    }

    private static int[] ints(JsonNode a) {
        return new int[] {a.get(0).asInt(), a.get(1).asInt(), a.get(2).asInt(), a.get(3).asInt()};
    }

    /** Records uncaught errors from the very start of the page. */
    private static final String PROBE_HEAD = "<script>window.__probeErrors=[];"
            + "addEventListener('error',function(e){__probeErrors.push(String(e.message));});"
            + "addEventListener('unhandledrejection',function(e){__probeErrors.push('unhandled rejection: '+e.reason);});</script>";
    /**
     * Writes the errors so far, the document's size, and each part's box and its legend's box (page coordinates) into
     * a hidden element.
     */
    private static final String PROBE_TAIL = "<script>(function(){var o={errors:__probeErrors,"
            + "width:document.documentElement.scrollWidth,height:document.documentElement.scrollHeight,parts:{}};"
            + "function box(e){var b=e.getBoundingClientRect();return [Math.floor(b.left+scrollX),Math.floor(b.top+scrollY),"
            + "Math.ceil(b.width),Math.ceil(b.height)];}"
            + "document.querySelectorAll('[data-part]').forEach(function(e){var l=e.querySelector('.legend');"
            + "o.parts[e.getAttribute('data-part')]={box:box(e),legend:l?box(l):[0,0,0,0]};});"
            + "var p=document.createElement('pre');p.id='backprop-probe';p.hidden=true;p.textContent=JSON.stringify(o);"
            + "document.body.appendChild(p);})();</script>";
    private static final Pattern PROBE_OUT = Pattern.compile("<pre id=\"backprop-probe\"[^>]*>(.*?)</pre>", Pattern.DOTALL);

    private Rendering render(Path html, String name) throws Exception {
        String page = Files.readString(html, StandardCharsets.UTF_8);
        int head = page.indexOf("<head>"), end = page.lastIndexOf("</body>");
        assertTrue(head >= 0 && end > head, "no <head> or </body> to put the probe in");
        Path probed = dir.resolve(name + ".probed.html");
        Files.writeString(probed, page.substring(0, head + 6) + PROBE_HEAD + page.substring(head + 6, end) + PROBE_TAIL
                + page.substring(end), StandardCharsets.UTF_8);
        Rendering r = run(probed, name, WINDOW_HEIGHT);
        // A screenshot shows the window only: when the page is taller, run again with a window that holds it all.
        if (r.height() > WINDOW_HEIGHT) r = run(probed, name, Math.min(r.height() + 20, 12000));
        return r;
    }

    private Rendering run(Path page, String name, int windowHeight) throws Exception {
        Path shot = SHOTS.resolve(name + ".png").toAbsolutePath(), dom = dir.resolve(name + ".dom.html"), log = dir.resolve(name + ".log");
        Files.deleteIfExists(shot);
        Path profile = Files.createTempDirectory(dir, "chromium-profile");
        List<String> cmd = List.of(CHROMIUM.toString(), "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", "--hide-scrollbars", "--user-data-dir=" + profile, "--enable-logging=stderr", "--v=0",
                "--window-size=" + WINDOW_WIDTH + "," + windowHeight, "--screenshot=" + shot, "--dump-dom", page.toUri().toString());
        Process p = new ProcessBuilder(cmd).redirectOutput(dom.toFile()).redirectError(log.toFile()).start();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail("chromium did not finish in 120 s; its log: " + log);
        }
        String stderr = Files.readString(log, StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), "chromium failed:\n" + stderr);
        List<String> errors = new ArrayList<>();
        // Chromium logs every console message and uncaught exception as "...:CONSOLE(line)] "message", source: ...".
        // The report has no script, so any console line at all is an error.
        for (String line : stderr.split("\n")) if (line.contains(":CONSOLE") || line.contains("Uncaught")) errors.add(line.strip());

        Matcher m = PROBE_OUT.matcher(Files.readString(dom, StandardCharsets.UTF_8));
        if (!m.find()) {
            errors.add("the probe wrote nothing: the page's scripts did not run to its end");
            return new Rendering(errors, 0, 0, Map.of(), null);
        }
        String json = m.group(1).replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&amp;", "&");
        JsonNode probe = new ObjectMapper().readTree(json);
        for (JsonNode e : probe.get("errors")) errors.add("page error: " + e.asText());
        Map<String, Part> parts = new LinkedHashMap<>();
        probe.get("parts").properties().forEach(e -> parts.put(e.getKey(), new Part(ints(e.getValue().get("box")), ints(e.getValue().get("legend")))));
        BufferedImage image = ImageIO.read(shot.toFile());
        assertNotNull(image, "no screenshot at " + shot);
        return new Rendering(errors, probe.get("width").asInt(), probe.get("height").asInt(), parts, image);
    }

    /**
     * The part is on screen and shows at least {@code min} pixels of each colour (solid, or blended with the white)
     * outside its legend, whose key lines have those colours too and so would pass for a chart with nothing drawn.
     */
    private static void assertDrawn(Rendering r, String part, int min, String... colours) {
        Part p = r.parts().get(part);
        assertNotNull(p, "no element with data-part=" + part + " on the page; found " + r.parts().keySet());
        int[] box = p.box();
        assertTrue(box[2] > 50 && box[3] > 50, part + " is " + box[2] + " × " + box[3] + " px");
        assertTrue(box[0] >= 0 && box[1] >= 0 && box[0] + box[2] <= r.shot().getWidth() && box[1] + box[3] <= r.shot().getHeight(),
                part + " at " + List.of(box[0], box[1], box[2], box[3]) + " is outside the " + r.shot().getWidth() + " × "
                        + r.shot().getHeight() + " screenshot");
        for (String c : colours) {
            int n = count(r, p, c);
            assertTrue(n >= min, part + ": only " + n + " pixels of " + c + " outside the legend, expected " + min);
        }
    }

    private static int count(Rendering r, Part p, String colour) {
        int c = Integer.parseInt(colour.substring(1), 16);
        int[] box = p.box();
        int n = 0;
        for (int y = box[1]; y < box[1] + box[3]; y++) {
            for (int x = box[0]; x < box[0] + box[2]; x++) if (!p.inLegend(x, y) && Fixtures.like(r.shot().getRGB(x, y), c)) n++;
        }
        return n;
    }
}
