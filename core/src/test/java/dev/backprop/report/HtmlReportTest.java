package dev.backprop.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.backprop.nn.Activation;
import dev.backprop.nn.BatchNorm1d;
import dev.backprop.nn.Dropout;
import dev.backprop.nn.Linear;
import dev.backprop.nn.Mode;
import dev.backprop.nn.Module;
import dev.backprop.nn.Sequential;
import dev.backprop.tensor.Tensor;
import dev.backprop.train.History;
import dev.backprop.train.RegressionMetrics;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.xpath.XPathConstants;
import javax.xml.xpath.XPathFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

class HtmlReportTest {
    @TempDir
    Path dir;

    /** Writes {@code data} and parses the page as XML (it is written to be well-formed), failing if it is not. */
    private Page write(ReportData data) throws Exception {
        Path file = dir.resolve("report.html");
        HtmlReport.write(file, data);
        String html = Files.readString(file, StandardCharsets.UTF_8);
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
        f.setExpandEntityReferences(false);
        Document doc = f.newDocumentBuilder().parse(new ByteArrayInputStream(html.getBytes(StandardCharsets.UTF_8)));
        return new Page(html, doc);
    }

    private record Page(String html, Document doc) {
        NodeList all(String xpath) {
            try {
                return (NodeList) XPathFactory.newInstance().newXPath().evaluate(xpath, doc, XPathConstants.NODESET);
            } catch (Exception e) {
                throw new AssertionError(xpath, e);
            }
        }

        Element part(String name) {
            NodeList l = all("//svg[@data-part='" + name + "']");
            assertEquals(1, l.getLength(), "svg data-part=" + name);
            return (Element) l.item(0);
        }

        List<String> texts(String xpath) {
            List<String> out = new ArrayList<>();
            NodeList l = all(xpath);
            for (int i = 0; i < l.getLength(); i++) out.add(l.item(i).getTextContent());
            return out;
        }
    }

    @Test
    void theFullReportHasEveryPart() throws Exception {
        Page p = write(Fixtures.full());
        p.part("loss");
        p.part("metric-accuracy");
        p.part("learning-rate"); // the fixture halves it half-way
        p.part("network");
        assertEquals(List.of("Spirals <3 & co"), p.texts("/html/head/title"));
        assertEquals(List.of("Spirals <3 & co"), p.texts("//h1"));
        assertEquals(List.of("0.7778", "0.5123"), p.texts("//div[@class='card']/div[@class='v']"));
        assertTrue(p.texts("//table[@class='kv']//td").contains("\"quoted\" & <b>not bold</b>"));
        assertTrue(p.texts("//p[@class='desc']").get(0).startsWith("Three interleaved spirals, 300 points.\nSource:"));
        // The loss chart: a training and a validation line, each a polyline with 12 points.
        NodeList lines = p.all("//svg[@data-part='loss']//polyline");
        assertEquals(2, lines.getLength());
        for (int i = 0; i < 2; i++) assertEquals(12, ((Element) lines.item(i)).getAttribute("points").split(" ").length);
        assertEquals(List.of("training", "validation"), p.texts("//svg[@data-part='loss']/g[@class='legend']/text"));
        // The epoch whose weights were kept (index 8) is marked on every curve, in the words a reader uses.
        assertEquals(List.of("best, epoch 9"), p.texts("//svg[@data-part='loss']/g[@class='best']/text"));
        assertEquals(List.of("best, epoch 9"), p.texts("//svg[@data-part='metric-accuracy']/g[@class='best']/text"));
        assertEquals(List.of("Loss"), p.texts("//svg[@data-part='loss']/text[@class='title']"));
        // Per-class F1 as bars named by class, and the decision map with its points and a legend of the classes.
        assertEquals(3, p.all("//svg[@data-part='f1']//rect[@class='bar']").getLength());
        assertEquals(Fixtures.LABELS, p.texts("//svg[@data-part='f1']/text[@class='tick' and @text-anchor='end']"));
        assertEquals(400, p.all("//svg[@data-part='boundary']/g[@class='regions']/rect").getLength());
        assertEquals(30, p.all("//svg[@data-part='boundary']/g[@class='points']/circle").getLength());
        assertEquals(Fixtures.LABELS, p.texts("//svg[@data-part='boundary']/g[@class='legend']/text"));
        assertTrue(p.texts("//svg[@data-part='boundary']/text[@class='tick']").containsAll(List.of("x <1>", "y")));
        // The diagram names its inputs and its output classes.
        assertEquals(List.of("x <1>", "y", "cat & dog", "<script>", "bird"), p.texts("//svg[@data-part='network']//text[@class='name']"));
    }

    @Test
    void misclassifiedImagesAreAGridWithTheirClasses() throws Exception {
        float[] x = new float[16];
        for (int i = 0; i < 16; i++) x[i] = i / 15f;          // 16 grey levels, white to black
        List<Misclassified> wrong = List.of(new Misclassified(x, 4, 4, "Shirt", "T-shirt/top"), new Misclassified(x, 4, 4, "Coat", "Pullover"));
        Page p = write(ReportData.builder().classification(Fixtures.classification(), Fixtures.LABELS).misclassified(wrong).build());
        assertEquals(2, p.all("//svg[@data-part='misclassified']/g[@class='image']").getLength());
        assertEquals(List.of("Shirt", "→ T-shirt/top", "Coat", "→ Pullover"), p.texts("//svg[@data-part='misclassified']/g/text"));
        // Levels 0..15, four to a row: the first row's white pixel draws nothing (3 rectangles), the other rows 4
        // each, and the frame: 16.
        assertEquals(16, p.all("//svg[@data-part='misclassified']/g[1]/rect").getLength());
    }

    @Test
    void aRegressionShowsPredictedAgainstActualAndItsResiduals() throws Exception {
        Page p = write(Fixtures.regression());
        assertEquals(50, p.all("//svg[@data-part='predicted-vs-actual']/g[@class='points']/circle").getLength());
        assertEquals(50, p.all("//svg[@data-part='residuals']/g[@class='points']/circle").getLength());
        assertTrue(p.texts("//svg[@data-part='predicted-vs-actual']/text").containsAll(List.of("actual price", "predicted price")));
        assertTrue(p.texts("//svg[@data-part='residuals']/text").containsAll(List.of("predicted price", "residual")));
        assertEquals(1, p.all("//svg[@data-part='predicted-vs-actual']/line[@class='reference']").getLength());
        assertEquals(List.of("best, epoch 6"), p.texts("//svg[@data-part='loss']/g[@class='best']/text"));
    }

    @Test
    void confusionMatrixAndPerClassScores() throws Exception {
        Page p = write(Fixtures.full());
        assertEquals(List.of("cat & dog", "<script>", "bird"), p.texts("//table[@class='cm']/thead//th[@class='col']"));
        assertEquals(List.of("cat & dog", "<script>", "bird"), p.texts("//table[@class='cm']/tbody/tr/th"));
        assertEquals(List.of("12", "2", "0", "1", "9", "3", "0", "4", "17"), p.texts("//table[@class='cm']/tbody//td"));
        // Diagonal cells are blue, errors red, empty cells uncoloured.
        Element diag = (Element) p.all("//table[@class='cm']/tbody/tr[1]/td[1]").item(0);
        Element wrong = (Element) p.all("//table[@class='cm']/tbody/tr[3]/td[2]").item(0);
        Element empty = (Element) p.all("//table[@class='cm']/tbody/tr[1]/td[3]").item(0);
        assertTrue(diag.getAttribute("style").contains("29,78,216"), diag.getAttribute("style"));
        assertTrue(wrong.getAttribute("style").contains("220,38,38"), wrong.getAttribute("style"));
        assertEquals("zero", empty.getAttribute("class"));
        // Class 1 ("<script>"): predicted 2 + 9 + 4 = 15 times, 9 right; 13 samples.
        List<String> row = p.texts("//table[@class='scores']/tbody/tr[2]/*");
        assertEquals(List.of("<script>", fmt(9 / 15.0), fmt(9 / 13.0), fmt(2 * (9 / 15.0) * (9 / 13.0) / (9 / 15.0 + 9 / 13.0)), "13"), row);
    }

    private static String fmt(double v) {
        return String.format(Locale.ROOT, "%.4f", v);
    }

    @Test
    void textIsEscapedNotInterpreted() throws Exception {
        Page p = write(Fixtures.full());
        assertTrue(p.html().contains("&lt;script&gt;"));
        assertFalse(p.html().toLowerCase(Locale.ROOT).contains("<script"), "the page has no script element at all");
        assertFalse(p.html().contains("<b>not bold</b>"));
        assertTrue(p.html().contains("Spirals &lt;3 &amp; co"));
    }

    /** Attributes through which a page loads or links to something. */
    private static final Pattern REFERENCE = Pattern.compile(
            "\\s(src|href|xlink:href|srcset|action|poster|data|background|formaction|ping)\\s*=\\s*([\"'])(.*?)\\2", Pattern.CASE_INSENSITIVE);

    @Test
    void refersToNothingOutsideItself() throws Exception {
        Page p = write(Fixtures.full());
        String html = p.html();
        // The data description names a URL: as text it is fine, but nothing may load or link to it.
        assertTrue(html.contains("https://example.com/spirals.csv"));
        Matcher m = REFERENCE.matcher(html);
        int links = 0;
        while (m.find()) {
            assertTrue(m.group(3).startsWith("#"), "external reference: " + m.group());
            links++;
        }
        assertTrue(links > 0, "the in-page navigation links were found, so the pattern works");
        String lower = html.toLowerCase(Locale.ROOT);
        for (String element : List.of("<script", "<link", "<img", "<iframe", "<object", "<embed", "<image", "<use", "<base")) {
            assertFalse(lower.contains(element), element);
        }
        String css = p.texts("//style").get(0);
        assertFalse(css.contains("url("), "no url() in the style sheet");
        assertFalse(css.contains("@import") || css.contains("@font-face"));
        // Without the description, no address of any kind appears anywhere (not even an SVG namespace).
        Page bare = write(new ReportData("t", "", null, Fixtures.history(3, true, true), Fixtures.classification(), Fixtures.LABELS,
                null, Fixtures.smallNet(), Map.of("a", "1")));
        assertFalse(bare.html().contains("http:") || bare.html().contains("https:") || bare.html().contains("//"), "an address in the page");
    }

    @Test
    void writesAtomicallyAndLeavesNoTemporaryFile() throws Exception {
        Path file = dir.resolve("r.html");
        Files.writeString(file, "old");
        HtmlReport.write(file, Fixtures.full());
        HtmlReport.write(file, Fixtures.full());
        try (Stream<Path> s = Files.list(dir)) {
            assertEquals(List.of(file), s.toList());
        }
        assertTrue(Files.readString(file).startsWith("<!DOCTYPE html>"));
        // A failed write leaves no temporary file either, and says why.
        Path sub = Files.createDirectory(dir.resolve("sub"));
        assertThrows(IOException.class, () -> HtmlReport.write(sub, Fixtures.full()));
        assertThrows(IOException.class, () -> HtmlReport.write(dir.resolve("missing/r.html"), Fixtures.full()));
        try (Stream<Path> s = Files.list(dir)) {
            assertEquals(List.of("r.html", "sub"), s.map(x -> x.getFileName().toString()).sorted().toList());
        }
        try (Stream<Path> s = Files.list(sub)) {
            assertEquals(0, s.count());
        }
    }

    @Test
    void oneEpochWithoutValidation() throws Exception {
        History one = Fixtures.history(1, false, false);
        ReportData data = ReportData.builder().title("one").history(one).build();
        assertEquals(new ReportData("one", null, null, one, null, null, null, null, null), data, "the builder leaves out what is not given");
        Page p = write(data);
        Element loss = p.part("loss");
        // One value: no line, but a marker, and the caption says the validation series is absent.
        assertEquals(0, loss.getElementsByTagName("polyline").getLength());
        assertEquals(1, loss.getElementsByTagName("circle").getLength());
        assertTrue(p.texts("//figcaption").get(0).contains("validation: no values"));
        assertEquals(List.of("training"), p.texts("//svg[@data-part='loss']/g[@class='legend']/text"));
        assertTrue(p.texts("//table[@class='kv']//td").contains("none"), "validation: none");
        assertEquals(0, p.all("//section[@id='network' or @id='classification' or @id='summary' or @id='data']").getLength());
        assertNumbersFinite(p.html());
    }

    @Test
    void hugeTinyAndMissingValuesStayOnTheChart() throws Exception {
        double nan = Double.NaN;
        // Thirty decades: a logarithmic axis.
        Page p = write(new ReportData("log", null, null,
                Fixtures.losses(new double[] {1e30, 1e10, nan, 1e-5, 1e-30}, new double[] {nan, nan, nan, nan, nan}), null, null, null, null, null));
        assertTrue(p.texts("//svg[@data-part='loss']/text[@class='note']").contains("log scale"));
        assertTrue(p.texts("//figcaption").get(0).contains("training: 1 missing or non-finite value not drawn"));
        assertEquals(2, p.all("//svg[@data-part='loss']//polyline").getLength(), "the gap splits the line in two");
        assertNumbersFinite(p.html());
        // The extremes of double, of both signs, and infinities: a linear axis that does not overflow.
        p = write(new ReportData("extreme", null, null, Fixtures.losses(new double[] {-1.7e308, 1.7e308, Double.POSITIVE_INFINITY},
                new double[] {0, 1e-300, Double.NEGATIVE_INFINITY}), null, null, null, null, null));
        assertNumbersFinite(p.html());
        assertPointsInsidePlot(p.part("loss"));
        // Constant, tiny values: a band around them, ticks that tell them apart.
        p = write(new ReportData("flat", null, null, Fixtures.losses(new double[] {3e-9, 3e-9}, new double[] {3e-9, 3e-9}), null, null, null, null, null));
        assertNumbersFinite(p.html());
        assertPointsInsidePlot(p.part("loss"));
        List<String> ticks = p.texts("//svg[@data-part='loss']/text[@class='tick' and @text-anchor='end']");
        assertEquals(ticks.size(), ticks.stream().distinct().count(), ticks.toString());
        // Nothing at all.
        p = write(new ReportData("nan", null, null, Fixtures.losses(new double[] {nan, nan}, new double[] {nan, nan}), null, null, null, null, null));
        assertTrue(p.texts("//svg[@data-part='loss']/text").contains("no values to plot"));
        assertNumbersFinite(p.html());
    }

    /** Every coordinate of every line and marker lies inside the chart. */
    private static void assertPointsInsidePlot(Element svg) {
        List<Double> xs = new ArrayList<>(), ys = new ArrayList<>();
        NodeList polys = svg.getElementsByTagName("polyline");
        for (int i = 0; i < polys.getLength(); i++) {
            for (String pt : ((Element) polys.item(i)).getAttribute("points").split(" ")) {
                String[] xy = pt.split(",");
                xs.add(Double.parseDouble(xy[0]));
                ys.add(Double.parseDouble(xy[1]));
            }
        }
        NodeList circles = svg.getElementsByTagName("circle");
        for (int i = 0; i < circles.getLength(); i++) {
            xs.add(Double.parseDouble(((Element) circles.item(i)).getAttribute("cx")));
            ys.add(Double.parseDouble(((Element) circles.item(i)).getAttribute("cy")));
        }
        assertFalse(xs.isEmpty());
        for (double x : xs) assertTrue(x >= 0 && x <= LineChart.WIDTH, "x " + x);
        for (double y : ys) assertTrue(y >= 0 && y <= LineChart.HEIGHT, "y " + y);
    }

    private static void assertNumbersFinite(String html) {
        assertFalse(html.contains("NaN") || html.contains("Infinity"), "a non-finite number was written into the page");
    }

    @Test
    void noHistoryAndNoMetricsStillMakeAPage() throws Exception {
        Page p = write(new ReportData(null, null, null, null, null, null, new RegressionMetrics(0.5, 0.25, 0.9), null, null));
        assertEquals(List.of("backprop report"), p.texts("//h1"));
        assertTrue(p.texts("//section[@id='training']/p").get(0).contains("No epochs"));
        assertEquals(List.of("0.5", "0.25", "0.9"), p.texts("//section[@id='regression']//td"));
    }

    @Test
    void smallNetworkHasOneLinePerWeightColouredBySign() throws Exception {
        Element net = write(Fixtures.full()).part("network");
        List<Element> edges = new ArrayList<>();
        NodeList lines = net.getElementsByTagName("line");
        for (int i = 0; i < lines.getLength(); i++) {
            Element l = (Element) lines.item(i);
            if (((Element) l.getParentNode()).getAttribute("class").equals("edges")) edges.add(l);
        }
        assertEquals(2 * 4 + 4 * 3, edges.size());
        long positive = edges.stream().filter(e -> e.getAttribute("stroke").equals(NetworkDiagram.POSITIVE)).count();
        long negative = edges.stream().filter(e -> e.getAttribute("stroke").equals(NetworkDiagram.NEGATIVE)).count();
        assertEquals(11, positive);
        assertEquals(9, negative);
        // The widest line of each layer is its largest |w|: −1.3 and −1.2.
        Element widest = edges.stream().max((a, b) -> Double.compare(Double.parseDouble(a.getAttribute("stroke-width")),
                Double.parseDouble(b.getAttribute("stroke-width")))).orElseThrow();
        assertTrue(widest.getTextContent().endsWith("w = -1.3") || widest.getTextContent().endsWith("w = -1.2"), widest.getTextContent());
        assertEquals(2 + 4 + 3, net.getElementsByTagName("circle").getLength());
        List<String> acts = texts(net, "act");
        assertEquals(List.of("tanh", "softmax"), acts);
    }

    private static List<String> texts(Element root, String cls) {
        List<String> out = new ArrayList<>();
        NodeList l = root.getElementsByTagName("text");
        for (int i = 0; i < l.getLength(); i++) if (((Element) l.item(i)).getAttribute("class").equals(cls)) out.add(l.item(i).getTextContent());
        return out;
    }

    @Test
    void largeLayersAreBlocksWithWeightHistograms() throws Exception {
        Element net = write(new ReportData("big", null, null, null, null, null, null, Fixtures.largeNet(), null)).part("network");
        assertEquals(List.of("784", "32"), texts(net, "size"), "784 inputs and 32 units are blocks");
        NodeList groups = net.getElementsByTagName("g");
        int histograms = 0, neurons = 0;
        for (int i = 0; i < groups.getLength(); i++) {
            String cls = ((Element) groups.item(i)).getAttribute("class");
            if (cls.equals("histogram")) histograms++;
            if (cls.equals("neuron")) neurons++;
            assertFalse(cls.equals("edges"), "no single weights drawn");
        }
        assertEquals(10, neurons, "the 10 outputs are few enough for neurons");
        assertEquals(2, histograms, "one per layer: in the 32-unit block, and on the band into the 10 outputs");
    }

    @Test
    void otherModulesAreBoxesFromTheirConfig() throws Exception {
        Module custom = new Module() {
            @Override
            public Tensor forward(Tensor x, Mode mode) {
                return x;
            }

            @Override
            public Map<String, Object> config() {
                return Map.of("type", "<custom>", "width", 3);
            }
        };
        Element net = write(new ReportData("boxes", null, null, null, null, null, null, custom, null)).part("network");
        assertEquals(List.of("<custom>"), texts(net, "head"));
        // A dropout before the first linear layer hides the input width: boxes, one per layer.
        Sequential seq = new Sequential(new Dropout(0.2), new Linear(3, 2, new SplittableRandom(1)), Activation.sigmoid());
        net = write(new ReportData("boxes", null, null, null, null, null, null, seq, null)).part("network");
        assertEquals(List.of("0 · dropout", "1 · linear", "2 · sigmoid"), texts(net, "head"));
        assertEquals(2, net.getElementsByTagName("path").getLength(), "arrows between the boxes");
        // Batch normalisation between linear layers keeps the width: still neurons, with a label.
        seq = new Sequential(new Linear(3, 4, new SplittableRandom(1)), new BatchNorm1d(4), Activation.relu(),
                new Linear(4, 2, new SplittableRandom(2)));
        net = write(new ReportData("bn", null, null, null, null, null, null, seq, null)).part("network");
        assertEquals(3 + 4 + 2, net.getElementsByTagName("circle").getLength());
        assertTrue(texts(net, "act").contains("relu"));
        assertTrue(texts(net, "act").stream().anyMatch(s -> s.startsWith("batch_norm")), texts(net, "act").toString());
    }

    @Test
    void axisTicksAndLabels() {
        LineChart.Axis a = LineChart.Axis.of(0.1, 0.3);
        assertFalse(a.log);
        assertEquals("0.10", a.labels[0]);
        assertEquals("0.30", a.labels[a.labels.length - 1]);
        a = LineChart.Axis.of(1e-3, 10);
        assertTrue(a.log);
        assertEquals(List.of("0.001", "0.01", "0.1", "1", "10"), List.of(a.labels));
        a = LineChart.Axis.of(-1.7e308, 1.7e308);
        for (double t : a.ticks) assertTrue(Double.isFinite(t));
        for (double t : a.ticks) assertTrue(a.frac(t) >= -1e-9 && a.frac(t) <= 1 + 1e-9, "tick " + t);
        a = LineChart.Axis.of(2_000_000, 5_000_000);
        assertEquals("2e6", a.labels[0]);
        a = LineChart.Axis.epochs(1, 1);
        assertEquals(List.of("1"), List.of(a.labels));
        assertEquals(0.5, a.frac(1), 1e-12);
        a = LineChart.Axis.epochs(1, 50);
        assertEquals(List.of("1", "10", "20", "30", "40", "50"), List.of(a.labels));
        assertEquals("1.234e-7", Html.num(1.2341e-7));
        assertEquals("12346", Html.num(12345.6));
        assertEquals("0.5", Html.num(0.5));
        assertEquals("a&amp;b&lt;c&gt;&quot;&#39;\ufffd", Html.escape("a&b<c>\"'\u0001"));
    }
}
