package dev.backprop.train;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** The launcher's start-up cache is made by this run (see ./backprop): it must run through and learn something. */
class AotTrainingTest {
    @Test
    void runsThrough() {
        double sink = AotTraining.run();
        assertTrue(Double.isFinite(sink), "a finite result, not " + sink);
    }
}
