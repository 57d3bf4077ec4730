package dev.backprop.report;

import dev.backprop.nn.Activation;
import dev.backprop.nn.Linear;
import dev.backprop.nn.Sequential;
import dev.backprop.train.ClassificationMetrics;
import dev.backprop.train.RegressionMetrics;
import dev.backprop.train.EpochRecord;
import dev.backprop.train.Histories;
import dev.backprop.train.History;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/** Reports with known contents, shared by the fast and the browser tests. */
final class Fixtures {
    private Fixtures() {
    }

    /** {@code n} epochs of a falling loss (validation a little above it) and a rising accuracy. */
    static History history(int n, boolean validation, boolean accuracy) {
        List<EpochRecord> epochs = new ArrayList<>();
        for (int e = 0; e < n; e++) {
            double train = 1.2 * Math.exp(-0.25 * e) + 0.05;
            Map<String, Double> metrics = new LinkedHashMap<>();
            if (accuracy) {
                metrics.put("accuracy", 1 - 0.6 * Math.exp(-0.3 * e));
                if (validation) metrics.put("val_accuracy", 1 - 0.65 * Math.exp(-0.28 * e));
            }
            epochs.add(new EpochRecord(e, train, validation ? train * 1.15 + 0.02 : Double.NaN, e < n / 2 ? 0.01 : 0.005,
                    0.25, 4000, metrics));
        }
        return Histories.of("completed", epochs);
    }

    /** A history with the given losses, no metrics. */
    static History losses(double[] train, double[] val) {
        List<EpochRecord> epochs = new ArrayList<>();
        for (int e = 0; e < train.length; e++) epochs.add(new EpochRecord(e, train[e], val[e], 0.1, 1, 100, Map.of()));
        return Histories.of("completed", epochs);
    }

    /** 2 → 4 (tanh) → 3 (softmax), with weights of both signs and a spread of magnitudes. */
    static Sequential smallNet() {
        SplittableRandom rng = new SplittableRandom(7);
        Linear a = new Linear(2, 4, rng), b = new Linear(4, 3, rng);
        double[] wa = {0.9, -0.4, -1.3, 0.2, 0.05, 0.7, -0.6, -0.1};
        double[] wb = {1.1, -0.8, 0.3, -0.05, -0.9, 0.6, 0.15, 0.4, 0.2, -0.3, -1.2, 0.8};
        for (int i = 0; i < wa.length; i++) a.weight().setFlatInPlace(i, wa[i]);
        for (int i = 0; i < wb.length; i++) b.weight().setFlatInPlace(i, wb[i]);
        return new Sequential(a, Activation.tanh(), b, Activation.softmax());
    }

    /** 784 → 32 (relu) → 10: both layers too large for single weights. */
    static Sequential largeNet() {
        SplittableRandom rng = new SplittableRandom(3);
        return new Sequential(new Linear(784, 32, rng), Activation.relu(), new Linear(32, 10, rng));
    }

    /** Three classes, one labelled {@code <script>} to check escaping. */
    static final List<String> LABELS = List.of("cat & dog", "<script>", "bird");

    /** Confusion [[12, 2, 0], [1, 9, 3], [0, 4, 17]]. */
    static ClassificationMetrics classification() {
        long[][] c = {{12, 2, 0}, {1, 9, 3}, {0, 4, 17}};
        List<Integer> actual = new ArrayList<>(), predicted = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 3; j++) {
                for (long k = 0; k < c[i][j]; k++) {
                    actual.add(i);
                    predicted.add(j);
                }
            }
        }
        return ClassificationMetrics.of(predicted.stream().mapToInt(Integer::intValue).toArray(),
                actual.stream().mapToInt(Integer::intValue).toArray(), 3);
    }

    static ReportData full() {
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("optimizer", "adam");
        settings.put("learning rate", "0.01");
        settings.put("note", "\"quoted\" & <b>not bold</b>");
        Map<String, String> summary = new LinkedHashMap<>();
        summary.put("test accuracy", "0.7778");
        summary.put("test loss", "0.5123");
        return new ReportData("Spirals <3 & co", "Three interleaved spirals, 300 points.\nSource: https://example.com/spirals.csv",
                settings, history(12, true, true), classification(), LABELS, null, smallNet(), summary, 8,
                List.of("x <1>", "y"), null, boundary(), null);
    }

    /** A 3-class map over [−1, 1]²: class by angle sector, more confident away from the centre; 30 points. */
    static Boundary boundary() {
        int n = 20;
        int[][] k = new int[n][n];
        double[][] c = new double[n][n];
        for (int r = 0; r < n; r++) {
            for (int col = 0; col < n; col++) {
                double x = -1 + (col + 0.5) * 2 / n, y = -1 + (r + 0.5) * 2 / n;
                k[r][col] = (int) ((Math.atan2(y, x) + Math.PI) / (2 * Math.PI / 3)) % 3;
                c[r][col] = 0.4 + 0.6 * Math.min(1, Math.hypot(x, y));
            }
        }
        double[] px = new double[30], py = new double[30];
        int[] pc = new int[30];
        for (int i = 0; i < 30; i++) {
            double a = i * 2 * Math.PI / 30;
            px[i] = 0.8 * Math.cos(a);
            py[i] = 0.8 * Math.sin(a);
            pc[i] = (int) ((Math.atan2(py[i], px[i]) + Math.PI) / (2 * Math.PI / 3)) % 3;
        }
        return new Boundary("x <1>", "y", -1, 1, -1, 1, k, c, px, py, pc);
    }

    /** A regression report: 50 prices predicted with an error that grows with the price. */
    static ReportData regression() {
        double[] actual = new double[50], predicted = new double[50];
        for (int i = 0; i < 50; i++) {
            actual[i] = 100_000 + 8_000 * i;
            predicted[i] = actual[i] + (i % 2 == 0 ? 1 : -1) * 300 * i;
        }
        RegressionMetrics m = new RegressionMetrics(9000, 7000, 0.97, new RegressionMetrics.Pairs(actual, predicted));
        return ReportData.builder().title("houses").history(history(12, true, false)).regression(m).targetName("price")
                .bestEpoch(5).build();
    }

    /**
     * Whether {@code rgb} is {@code colour} drawn with some opacity (at least 0.3) on white: the pixel's distance
     * from white must be a multiple α of the colour's, channel by channel, within anti-aliasing's error.
     */
    static boolean like(int rgb, int colour) {
        double[] p = {255 - (rgb >> 16 & 255), 255 - (rgb >> 8 & 255), 255 - (rgb & 255)};
        double[] c = {255 - (colour >> 16 & 255), 255 - (colour >> 8 & 255), 255 - (colour & 255)};
        double alpha = (p[0] * c[0] + p[1] * c[1] + p[2] * c[2]) / (c[0] * c[0] + c[1] * c[1] + c[2] * c[2]);
        if (alpha < 0.3 || alpha > 1.1) return false;
        for (int i = 0; i < 3; i++) if (Math.abs(p[i] - alpha * c[i]) > 10) return false;
        return true;
    }
}
