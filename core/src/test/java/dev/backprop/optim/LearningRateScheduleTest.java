package dev.backprop.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

class LearningRateScheduleTest {
    private static final double TOL = 1e-15;

    @Test
    void stepDecay() {
        StepDecay s = new StepDecay(0.1, 3, 0.5);
        assertEquals(0.1, s.learningRate(0), TOL);
        assertEquals(0.1, s.learningRate(2), TOL);
        assertEquals(0.05, s.learningRate(3), TOL);
        assertEquals(0.025, s.learningRate(7), TOL);
    }

    @Test
    void exponentialDecay() {
        ExponentialDecay s = new ExponentialDecay(0.1, 0.9);
        assertEquals(0.1, s.learningRate(0), TOL);
        assertEquals(0.09, s.learningRate(1), TOL);
        assertEquals(0.1 * 0.9 * 0.9 * 0.9, s.learningRate(3), TOL);
    }

    @Test
    void cosineAnnealingFallsToTheMinimumAndStays() {
        CosineAnnealing s = new CosineAnnealing(0.1, 10, 0.01);
        assertEquals(0.1, s.learningRate(0), TOL);
        assertEquals(0.055, s.learningRate(5), TOL);                         // halfway: the mean of 0.1 and 0.01
        assertEquals(0.01 + 0.09 * (1 + Math.cos(Math.PI * 0.2)) / 2, s.learningRate(2), TOL);
        assertEquals(0.01, s.learningRate(10), TOL);
        assertEquals(0.01, s.learningRate(25), TOL);
    }

    @Test
    void linearWarmupScalesTheScheduleAfterIt() {
        LinearWarmup s = new LinearWarmup(4, new StepDecay(0.2, 5, 0.5));
        assertEquals(0.05, s.learningRate(0), TOL);                          // 0.2 · 1/4
        assertEquals(0.1, s.learningRate(1), TOL);
        assertEquals(0.2, s.learningRate(3), TOL);                           // the last warm-up epoch is full
        assertEquals(0.2, s.learningRate(4), TOL);
        assertEquals(0.1, s.learningRate(5), TOL);                           // the decay counts from epoch 0
        assertEquals(0.3, new LinearWarmup(0, epoch -> 0.3).learningRate(0), TOL);
    }

    private static void assertRejected(String expected, Executable make) {
        assertEquals(expected, assertThrows(IllegalArgumentException.class, make).getMessage());
    }

    @Test
    void invalidSettingsAndEpochsAreRejected() {
        assertRejected("StepDecay: stepSize must be >= 1, got 0", () -> new StepDecay(0.1, 0, 0.5));
        assertRejected("StepDecay: gamma must be in (0, 1], got 1.5", () -> new StepDecay(0.1, 2, 1.5));
        assertRejected("StepDecay: base must be a finite number >= 0, got -0.1", () -> new StepDecay(-0.1, 2, 0.5));
        assertRejected("ExponentialDecay: gamma must be in (0, 1], got 0.0", () -> new ExponentialDecay(0.1, 0));
        assertRejected("CosineAnnealing: totalEpochs must be >= 1, got 0", () -> new CosineAnnealing(0.1, 0, 0));
        assertRejected("CosineAnnealing: minLr 0.2 is above base 0.1", () -> new CosineAnnealing(0.1, 10, 0.2));
        assertRejected("LinearWarmup: warmupEpochs must be >= 0, got -1", () -> new LinearWarmup(-1, e -> 0.1));
        assertRejected("ExponentialDecay: epoch must be >= 0 (counted from 0), got -1",
                () -> new ExponentialDecay(0.1, 0.5).learningRate(-1));
    }
}
