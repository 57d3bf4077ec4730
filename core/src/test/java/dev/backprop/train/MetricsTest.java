package dev.backprop.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.backprop.tensor.Tensor;
import org.junit.jupiter.api.Test;

class MetricsTest {

    @Test
    void classificationMetricsByHand() {
        int[] actual = {0, 0, 0, 1, 1, 2};
        int[] predicted = {0, 1, 0, 1, 2, 2};
        ClassificationMetrics m = ClassificationMetrics.of(predicted, actual, 3);
        assertEquals(4.0 / 6, m.accuracy(), 1e-12);
        assertArrayEquals(new long[] {2, 1, 0}, m.confusion()[0]);
        assertArrayEquals(new long[] {0, 1, 1}, m.confusion()[1]);
        assertArrayEquals(new long[] {0, 0, 1}, m.confusion()[2]);
        // class 0: predicted twice, both right; 3 actual -> precision 1, recall 2/3
        assertEquals(1.0, m.precision()[0], 1e-12);
        assertEquals(2.0 / 3, m.recall()[0], 1e-12);
        assertEquals(2 * (2.0 / 3) / (1 + 2.0 / 3), m.f1()[0], 1e-12);
        // class 1: predicted twice (one right), 2 actual -> 0.5, 0.5
        assertEquals(0.5, m.precision()[1], 1e-12);
        assertEquals(0.5, m.recall()[1], 1e-12);
        assertEquals((m.f1()[0] + m.f1()[1] + m.f1()[2]) / 3, m.macroF1(), 1e-12);
        assertTrue(m.report(new String[] {"a", "b", "c"}).contains("confusion"));
        assertThrows(IllegalArgumentException.class, () -> ClassificationMetrics.of(new int[] {3}, new int[] {0}, 3));
    }

    @Test
    void confusionMatricesOfPartsAddUpToTheWholesMetrics() {
        int[] actual = {0, 0, 0, 1, 1, 2, 2, 1}, predicted = {0, 1, 0, 1, 2, 2, 0, 1};
        ClassificationMetrics whole = ClassificationMetrics.of(predicted, actual, 3);
        long[][] a = ClassificationMetrics.of(java.util.Arrays.copyOf(predicted, 3), java.util.Arrays.copyOf(actual, 3), 3).confusion();
        long[][] b = ClassificationMetrics.of(java.util.Arrays.copyOfRange(predicted, 3, 8), java.util.Arrays.copyOfRange(actual, 3, 8), 3)
                .confusion();
        long[][] sum = new long[3][3];
        for (int i = 0; i < 3; i++) for (int j = 0; j < 3; j++) sum[i][j] = a[i][j] + b[i][j];
        ClassificationMetrics parts = ClassificationMetrics.of(sum);
        assertEquals(whole.accuracy(), parts.accuracy(), 0);
        assertArrayEquals(whole.f1(), parts.f1(), 0);
        assertArrayEquals(whole.confusion()[2], parts.confusion()[2]);
        assertThrows(IllegalArgumentException.class, () -> ClassificationMetrics.of(new long[][] {{1, 2}, {3}}));
    }

    @Test
    void aClassNeverPredictedHasZeroPrecisionNotNaN() {
        ClassificationMetrics m = ClassificationMetrics.of(new int[] {0, 0}, new int[] {0, 1}, 2);
        assertEquals(0, m.precision()[1]);
        assertEquals(0, m.f1()[1]);
    }

    @Test
    void regressionMetricsByHand() {
        Tensor y = Tensor.of(new double[] {1, 2, 3, 4}, 4, 1);
        Tensor o = Tensor.of(new double[] {1.5, 2, 2, 4}, 4, 1);
        RegressionMetrics m = RegressionMetrics.of(o, y);
        assertEquals(Math.sqrt((0.25 + 0 + 1 + 0) / 4), m.rmse(), 1e-6);
        assertEquals((0.5 + 0 + 1 + 0) / 4, m.mae(), 1e-6);
        assertEquals(1 - 1.25 / 5.0, m.r2(), 1e-6); // Σ(y − ȳ)² = 2.25 + 0.25 + 0.25 + 2.25
        assertEquals(1, RegressionMetrics.of(y, y).r2(), 1e-12);
    }

    @Test
    void classifyReadsLogitsIndicesAndOneHot() {
        Tensor logits = Tensor.of(new double[] {2, 1, -1, 3}, 2, 2);
        assertEquals(1.0, Evaluation.classify(logits, Tensor.vector(0, 1)).accuracy());
        assertEquals(1.0, Evaluation.classify(logits, Tensor.of(new double[] {1, 0, 0, 1}, 2, 2)).accuracy());
        Tensor single = Tensor.of(new double[] {2, -3}, 2, 1);
        assertEquals(0.5, Evaluation.classify(single, Tensor.of(new double[] {1, 1}, 2, 1)).accuracy());
    }
}
