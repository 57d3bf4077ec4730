package dev.backprop.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.backprop.optim.ReduceOnPlateau.Mode;
import dev.backprop.optim.ReduceOnPlateau.ThresholdMode;
import org.junit.jupiter.api.Test;

class ReduceOnPlateauTest {

    private static double[] observeAll(ReduceOnPlateau p, double... metrics) {
        double[] lrs = new double[metrics.length];
        for (int i = 0; i < metrics.length; i++) lrs[i] = p.observe(metrics[i]);
        return lrs;
    }

    @Test
    void defaultsArePyTorchs() {
        ReduceOnPlateau p = ReduceOnPlateau.builder().build(1);
        assertEquals(Mode.MIN, p.mode());
        assertEquals(0.1, p.factor());
        assertEquals(10, p.patience());
        assertEquals(1e-4, p.threshold());
        assertEquals(ThresholdMode.RELATIVE, p.thresholdMode());
        assertEquals(0, p.cooldown());
        assertEquals(0, p.minLr());
    }

    @Test
    void reducesAfterMoreThanPatienceBadEpochs() {
        ReduceOnPlateau p = ReduceOnPlateau.builder().factor(0.5).patience(2).build(1);
        // 1.0 sets the best; three observations without improvement exceed patience 2.
        assertArrayEquals(new double[] {1, 1, 1, 0.5, 0.5, 0.5, 0.25}, observeAll(p, 1, 1, 1, 1, 2, 2, 2));
        assertEquals(1, p.best());
    }

    @Test
    void anImprovementResetsTheCount() {
        ReduceOnPlateau p = ReduceOnPlateau.builder().factor(0.5).patience(1).build(1);
        assertArrayEquals(new double[] {1, 1, 1, 1, 0.5}, observeAll(p, 5, 6, 4, 6, 6));
    }

    @Test
    void aRelativeImprovementBelowTheThresholdDoesNotCount() {
        ReduceOnPlateau p = ReduceOnPlateau.builder().factor(0.5).patience(0).threshold(0.1, ThresholdMode.RELATIVE)
                .build(1);
        // Improving on 10 by 10% means going below 9: neither 9.5 nor 9.1 does.
        assertArrayEquals(new double[] {1, 0.5, 0.25}, observeAll(p, 10, 9.5, 9.1));
        ReduceOnPlateau abs = ReduceOnPlateau.builder().factor(0.5).patience(0).threshold(0.3, ThresholdMode.ABSOLUTE)
                .build(1);
        assertArrayEquals(new double[] {1, 1, 1}, observeAll(abs, 10, 9.5, 9.1));          // each beats the best by 0.4
    }

    @Test
    void cooldownIgnoresBadEpochsAfterAReduction() {
        ReduceOnPlateau p = ReduceOnPlateau.builder().factor(0.5).patience(1).cooldown(2).build(1);
        // best 1; bad 1; bad 2 > 1: reduce, cooldown 2; two cooldown epochs; then bad 1, bad 2: reduce.
        assertArrayEquals(new double[] {1, 1, 0.5, 0.5, 0.5, 0.5, 0.25}, observeAll(p, 1, 2, 2, 2, 2, 2, 2));
    }

    @Test
    void neverBelowMinLr() {
        ReduceOnPlateau p = ReduceOnPlateau.builder().factor(0.1).patience(0).minLr(0.02).build(1);
        assertArrayEquals(new double[] {1, 0.1, 0.02, 0.02}, observeAll(p, 1, 1, 1, 1));
    }

    @Test
    void maxModeWantsHigherMetrics() {
        ReduceOnPlateau p = ReduceOnPlateau.builder().mode(Mode.MAX).factor(0.5).patience(0).build(1);
        assertArrayEquals(new double[] {1, 1, 0.5, 0.25}, observeAll(p, 0.5, 0.7, 0.6, Double.NaN));
    }

    @Test
    void stateRoundTripContinuesTheSameWay() {
        ReduceOnPlateau a = ReduceOnPlateau.builder().factor(0.5).patience(1).cooldown(1).build(1);
        observeAll(a, 3, 2, 2, 2);
        ReduceOnPlateau.State saved = a.state();
        ReduceOnPlateau b = ReduceOnPlateau.builder().factor(0.5).patience(1).cooldown(1).build(1);
        b.loadState(saved);
        assertEquals(saved, b.state());
        double[] rest = {2, 2, 1.5, 2, 2, 2};
        assertArrayEquals(observeAll(a, rest), observeAll(b, rest));
    }

    @Test
    void invalidSettingsAreRejected() {
        var e = assertThrows(IllegalArgumentException.class, () -> ReduceOnPlateau.builder().factor(1).build(1));
        assertEquals("ReduceOnPlateau: factor must be in [0, 1), got 1.0", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> ReduceOnPlateau.builder().patience(-1).build(1));
        assertEquals("ReduceOnPlateau: patience must be >= 0, got -1", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> ReduceOnPlateau.builder().minLr(-1).build(1));
        assertEquals("ReduceOnPlateau: minLr must be a finite number >= 0, got -1.0", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new ReduceOnPlateau.State(1, -1, 0, 0.1));
        assertEquals("ReduceOnPlateau.State: badEpochs must be >= 0, got -1", e.getMessage());
    }
}
