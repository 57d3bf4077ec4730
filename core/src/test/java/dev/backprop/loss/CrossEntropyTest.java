package dev.backprop.loss;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.backprop.tensor.DType;
import dev.backprop.tensor.ShapeException;
import dev.backprop.tensor.Tensor;
import org.junit.jupiter.api.Test;

/** Softmax cross-entropy against −log softmax written out by hand, in both target forms, weighted and not. */
class CrossEntropyTest {
    private static final double[][] Z = {{1.0, 2.0, 0.5}, {0.1, -1.0, 3.0}};
    private static final int[] CLASSES = {1, 2};
    private static final double TOL = 1e-12;

    private static Tensor logits() {
        return Tensor.of(DType.FLOAT64, new double[] {1.0, 2.0, 0.5, 0.1, -1.0, 3.0}, 2, 3).requiresGrad(true);
    }

    /** softmax of one row, the textbook way (the values are small, so no overflow to guard against here). */
    private static double[] softmax(double[] z) {
        double s = 0;
        for (double v : z) s += Math.exp(v);
        double[] p = new double[z.length];
        for (int k = 0; k < z.length; k++) p[k] = Math.exp(z[k]) / s;
        return p;
    }

    private static Tensor oneHot(int[] classes, int c) {
        double[] v = new double[classes.length * c];
        for (int i = 0; i < classes.length; i++) v[i * c + classes[i]] = 1;
        return Tensor.of(DType.FLOAT64, v, classes.length, c);
    }

    @Test
    void indexTargetsGiveTheMeanNegativeLogLikelihood() {
        double e = 0;
        for (int i = 0; i < 2; i++) e += -Math.log(softmax(Z[i])[CLASSES[i]]);
        e /= 2;
        Tensor z = logits();
        Tensor loss = new CrossEntropy().apply(z, CrossEntropy.classIndices(CLASSES));
        assertEquals(e, loss.item(), TOL);
        loss.backward();
        double[] expected = new double[6];
        for (int i = 0; i < 2; i++) {
            double[] p = softmax(Z[i]);
            for (int k = 0; k < 3; k++) expected[i * 3 + k] = (p[k] - (k == CLASSES[i] ? 1 : 0)) / 2; // (softmax − onehot)/N
        }
        assertArrayEquals(expected, z.grad().toDoubleArray(), TOL);
    }

    @Test
    void indicesAsAColumnAreTheSameAsAVector() {
        Tensor column = Tensor.of(DType.FLOAT64, new double[] {1, 2}, 2, 1);
        assertEquals(new CrossEntropy().apply(logits(), CrossEntropy.classIndices(CLASSES)).item(),
                new CrossEntropy().apply(logits(), column).item(), TOL);
    }

    @Test
    void oneHotTargetsEqualIndexTargets() {
        Tensor zi = logits(), zo = logits();
        Tensor byIndex = new CrossEntropy().apply(zi, CrossEntropy.classIndices(CLASSES));
        Tensor byOneHot = new CrossEntropy().apply(zo, oneHot(CLASSES, 3));
        assertEquals(byIndex.item(), byOneHot.item(), TOL);
        byIndex.backward();
        byOneHot.backward();
        assertArrayEquals(zi.grad().toDoubleArray(), zo.grad().toDoubleArray(), TOL);
        // Weights of 1 are no weights at all, in either form.
        CrossEntropy ones = new CrossEntropy(new double[] {1, 1, 1});
        assertEquals(byIndex.item(), ones.apply(logits(), oneHot(CLASSES, 3)).item(), TOL);
        assertEquals(byIndex.item(), ones.apply(logits(), CrossEntropy.classIndices(CLASSES)).item(), TOL);
    }

    @Test
    void uniformClassWeightsLeaveTheIndexFormUnchangedAndScaleTheProbabilityForm() {
        CrossEntropy uniform = new CrossEntropy(new double[] {2.5, 2.5, 2.5});
        double plain = new CrossEntropy().apply(logits(), CrossEntropy.classIndices(CLASSES)).item();
        Tensor z = logits(), zPlain = logits();
        Tensor weighted = uniform.apply(z, CrossEntropy.classIndices(CLASSES));
        assertEquals(plain, weighted.item(), TOL); // Σ 2.5·ℓ / Σ 2.5
        weighted.backward();
        new CrossEntropy().apply(zPlain, CrossEntropy.classIndices(CLASSES)).backward();
        assertArrayEquals(zPlain.grad().toDoubleArray(), z.grad().toDoubleArray(), TOL);
        // As PyTorch: probability targets divide by N, not by Σ w, so uniform weights c scale the loss by c.
        assertEquals(2.5 * plain, uniform.apply(logits(), oneHot(CLASSES, 3)).item(), TOL);
    }

    @Test
    void classWeightsGiveTheWeightedMeanOverSamples() {
        double[] w = {0.2, 3.0, 0.7};
        int[] classes = {1, 2, 1, 0};
        double[][] z = {{1.0, 2.0, 0.5}, {0.1, -1.0, 3.0}, {-0.4, 0.3, 0.2}, {2.0, 0.0, -2.0}};
        double num = 0, den = 0;
        for (int i = 0; i < 4; i++) {
            num += w[classes[i]] * -Math.log(softmax(z[i])[classes[i]]);
            den += w[classes[i]];
        }
        Tensor logits = Tensor.of(DType.FLOAT64, flatten(z), 4, 3).requiresGrad(true);
        Tensor loss = new CrossEntropy(w).apply(logits, CrossEntropy.classIndices(classes));
        assertEquals(num / den, loss.item(), TOL);
        loss.backward();
        for (int i = 0; i < 4; i++) {
            double[] p = softmax(z[i]);
            for (int k = 0; k < 3; k++) {
                double expected = w[classes[i]] * (p[k] - (k == classes[i] ? 1 : 0)) / den;
                assertEquals(expected, logits.grad().get(i, k), TOL);
            }
        }
    }

    @Test
    void softLabelsWithWeightsAreTheWeightedSumOverClassesMeanedOverSamples() {
        double[] w = {0.5, 1.0, 2.0};
        double[][] t = {{0.2, 0.7, 0.1}, {0.0, 0.4, 0.6}};
        double e = 0;
        for (int i = 0; i < 2; i++) {
            double[] p = softmax(Z[i]);
            for (int c = 0; c < 3; c++) e += w[c] * t[i][c] * -Math.log(p[c]);
        }
        e /= 2;
        Tensor z = logits();
        Tensor loss = new CrossEntropy(w).apply(z, Tensor.of(DType.FLOAT64, flatten(t), 2, 3));
        assertEquals(e, loss.item(), TOL);
        loss.backward();
        for (int i = 0; i < 2; i++) {
            double[] p = softmax(Z[i]);
            double mass = 0;
            for (int c = 0; c < 3; c++) mass += w[c] * t[i][c];
            for (int k = 0; k < 3; k++) assertEquals((p[k] * mass - w[k] * t[i][k]) / 2, z.grad().get(i, k), TOL);
        }
    }

    @Test
    void hugeLogitsGiveAFiniteLossAndGradient() {
        for (DType type : DType.values()) {
            Tensor z = Tensor.of(type, new double[] {1000, -1000, 0, -1000, 1000, 0}, 2, 3).requiresGrad(true);
            // Row 0 wants class 1 (logit −1000 against a maximum of 1000): −log p = 2000. Row 1 likewise.
            Tensor loss = new CrossEntropy().apply(z, CrossEntropy.classIndices(1, 0));
            assertEquals(2000, loss.item(), 1e-3, type.toString());
            loss.backward();
            double[] g = z.grad().toDoubleArray();
            for (double v : g) assertTrue(Double.isFinite(v), type + ": gradient " + java.util.Arrays.toString(g));
            assertArrayEquals(new double[] {0.5, -0.5, 0, -0.5, 0.5, 0}, g, 1e-7, type.toString());

            Tensor right = Tensor.of(type, new double[] {1000, -1000, 0, -1000, 1000, 0}, 2, 3).requiresGrad(true);
            Tensor none = new CrossEntropy().apply(right, oneHot(new int[] {0, 1}, 3).to(type));
            assertEquals(0, none.item(), 1e-7, type.toString());
            none.backward();
            for (double v : right.grad().toDoubleArray()) assertTrue(Double.isFinite(v), type.toString());
        }
    }

    @Test
    void float32LogitsGiveTheFloat64LossToFloatPrecision() {
        Tensor z32 = logits().detach().to(DType.FLOAT32).requiresGrad(true);
        Tensor loss = new CrossEntropy().apply(z32, CrossEntropy.classIndices(CLASSES));
        assertEquals(DType.FLOAT32, loss.dtype());
        assertEquals(new CrossEntropy().apply(logits(), CrossEntropy.classIndices(CLASSES)).item(), loss.item(), 1e-6);
        loss.backward();
        assertEquals(DType.FLOAT32, z32.grad().dtype());
    }

    @Test
    void aClassIndexOutOfRangeOrNotAnIntegerIsRefusedNamingRowValueAndC() {
        CrossEntropy ce = new CrossEntropy();
        String tooBig = assertThrows(IllegalArgumentException.class,
                () -> ce.apply(logits(), CrossEntropy.classIndices(1, 3))).getMessage();
        assertEquals("cross-entropy: target row 1 is 3, not a class index in 0..2 (C = 3)", tooBig);
        String negative = assertThrows(IllegalArgumentException.class,
                () -> ce.apply(logits(), CrossEntropy.classIndices(-1, 0))).getMessage();
        assertTrue(negative.contains("row 0 is -1") && negative.contains("C = 3"), negative);
        String fraction = assertThrows(IllegalArgumentException.class,
                () -> ce.apply(logits(), Tensor.vector(0, 1.5))).getMessage();
        assertTrue(fraction.contains("row 1 is 1.5") && fraction.contains("C = 3"), fraction);
        String nan = assertThrows(IllegalArgumentException.class,
                () -> ce.apply(logits(), Tensor.vector(Double.NaN, 1))).getMessage();
        assertTrue(nan.contains("row 0 is NaN"), nan);
    }

    @Test
    void targetsOfNoAcceptedShapeAreRefusedNamingBothShapes() {
        CrossEntropy ce = new CrossEntropy();
        Tensor z = Tensor.zeros(4, 3);
        String m = assertThrows(ShapeException.class, () -> ce.apply(z, Tensor.zeros(4, 2))).getMessage();
        assertTrue(m.startsWith("cross-entropy: [4, 3] x [4, 2]"), m);
        m = assertThrows(ShapeException.class, () -> ce.apply(z, Tensor.zeros(3))).getMessage();
        assertTrue(m.startsWith("cross-entropy: [4, 3] x [3]"), m);
        m = assertThrows(ShapeException.class, () -> ce.apply(Tensor.zeros(3), Tensor.zeros(3))).getMessage();
        assertTrue(m.startsWith("cross-entropy: [3] x [3]") && m.contains("[batch, classes]"), m);
        m = assertThrows(ShapeException.class,
                () -> new CrossEntropy(new double[] {1, 2}).apply(z, CrossEntropy.classIndices(0, 1, 1, 0))).getMessage();
        assertTrue(m.contains("2 class weights") && m.contains("3 classes"), m);
    }

    @Test
    void weightsMustBeUsable() {
        assertThrows(IllegalArgumentException.class, () -> new CrossEntropy(new double[0]));
        assertThrows(IllegalArgumentException.class, () -> new CrossEntropy(new double[] {1, -1}));
        assertThrows(IllegalArgumentException.class, () -> new CrossEntropy(new double[] {1, Double.NaN}));
        assertThrows(IllegalArgumentException.class, () -> new CrossEntropy(new double[] {0, 0}));
        // A batch whose classes all weigh 0 has a weighted mean of 0/0: refused rather than NaN.
        String m = assertThrows(IllegalArgumentException.class,
                () -> new CrossEntropy(new double[] {0, 1, 1}).apply(logits(), CrossEntropy.classIndices(0, 0))).getMessage();
        assertTrue(m.contains("weight 0"), m);
    }

    private static double[] flatten(double[][] rows) {
        double[] out = new double[rows.length * rows[0].length];
        for (int i = 0; i < rows.length; i++) System.arraycopy(rows[i], 0, out, i * rows[0].length, rows[0].length);
        return out;
    }
}
