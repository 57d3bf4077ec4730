package dev.backprop.examples;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.backprop.tensor.Tensor;
import org.junit.jupiter.api.Test;

class Seed000Test {
    /** float32 products of a few terms of size ≤ 1: far above their rounding, far below any real disagreement. */
    private static final double TOLERANCE = 1e-6;

    @Test
    void matrixFormulasGiveTheTutorialsShapesAndAutodiffsValues() {
        Seed000.Comparison c = Seed000.compare(Seed000.initialParameters());
        Seed000.MatrixGradients m = c.matrix();
        assertArrayEquals(new int[] {5, 1}, m.dWho().shape().dims());
        assertArrayEquals(new int[] {1, 1}, m.dbHo().shape().dims());
        assertArrayEquals(new int[] {4, 5}, m.dWih().shape().dims());
        assertArrayEquals(new int[] {5, 1}, m.dbIh().shape().dims());
        assertClose(m.dWho(), c.dWho());
        assertClose(m.dbHo(), c.dbHo());
        assertClose(m.dWih(), c.dWih());
        assertClose(m.dbIh(), c.dbIh());
        assertTrue(c.maxAbsDifference() < TOLERANCE, "max difference " + c.maxAbsDifference());
        // The check means something only if the gradients are not all (nearly) zero.
        assertTrue(Math.abs(m.dbHo().item()) > 1e-3, "dE/db_ho " + m.dbHo().item());
    }

    @Test
    void theMatrixProductsSumTheTutorialsPerObservationFormulas() {
        Seed000.Parameters p = Seed000.initialParameters();
        Tensor x = Seed000.inputs(), y = Seed000.targets();
        Seed000.Forward f = Seed000.forward(p, x, y);
        Seed000.MatrixGradients m = Seed000.matrixGradients(p, x, y);
        int n = Seed000.OBSERVATIONS;
        for (int j = 0; j < Seed000.HIDDEN; j++) {
            double dWho = 0, dbIh = 0;
            for (int i = 0; i < n; i++) {
                double o = f.o().get(0, i), h = f.h1().get(j, i);
                double outer = (o - y.get(0, i)) * o * (1 - o);             // (O − Y) ∗ O(1 − O)
                dWho += outer * h;                                            // … ∗ h₁
                dbIh += outer * p.wHo().get(j, 0) * h * (1 - h);              // … ∗ W_ho ∗ h₁(1 − h₁)
            }
            assertEquals(dWho, m.dWho().get(j, 0), TOLERANCE);
            assertEquals(dbIh, m.dbIh().get(j, 0), TOLERANCE);
        }
    }

    @Test
    void trainingTakesTheErrorFarDown() {
        Seed000.Training t = Seed000.train(Seed000.initialParameters(), Seed000.LEARNING_RATE, Seed000.EPOCHS);
        assertTrue(t.errors()[0] > 0.1, "initial error " + t.errors()[0]);
        assertTrue(t.finalError() < 0.002, "final error " + t.finalError());
        double[] y = Seed000.targets().toDoubleArray();
        for (int i = 0; i < y.length; i++) assertEquals(y[i], t.predictions()[i], 0.05, "house " + (i + 1));
    }

    @Test
    void theSectionIsDeterministic() {
        Seed000 s = new Seed000();
        String a = s.guideSection();
        assertEquals(a, s.guideSection());
        assertTrue(a.contains("made up"), "the section must say the data set is invented");
    }

    private static void assertClose(Tensor expected, Tensor actual) {
        assertArrayEquals(expected.shape().dims(), actual.shape().dims());
        assertTrue(Seed000.maxAbsDiff(expected, actual) < TOLERANCE,
                "matrix " + expected + " vs autodiff " + actual);
    }
}
