package dev.backprop.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.backprop.nn.Activation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class Seed001Test {
    /** Both sides are float64 from the same float32 parameters: only float64 rounding separates them. */
    private static final double TOLERANCE = 1e-12;

    @ParameterizedTest
    @EnumSource(value = Activation.Kind.class, names = {"SIGMOID", "RELU", "TANH"})
    void theBackwardRecursionGivesAutodiffsDeltasAndGradients(Activation.Kind kind) {
        Seed001.LocalGradients g = Seed001.localGradients(kind);
        assertEquals(3, g.deltas().length);
        for (int l = 0; l < 3; l++) assertEquals(g.autoDeltas()[l].length, g.deltas()[l].length);
        assertTrue(g.maxDeltaDifference() < TOLERANCE, "δ difference " + g.maxDeltaDifference());
        assertTrue(g.maxParameterDifference() < TOLERANCE, "gradient difference " + g.maxParameterDifference());
        // δ at the linear output is ∂C/∂s = 2(s − y) for C = (y − s)².
        assertEquals(2 * (g.z()[2][0] - g.y()), g.autoDeltas()[2][0], TOLERANCE);
    }

    @Test
    void theTutorialsFormulaForW22IsAutodiffsGradient() {
        Seed001.LocalGradients g = Seed001.localGradients(Activation.Kind.SIGMOID);
        assertEquals(g.dCdW22Autodiff(), g.dCdW22TutorialFormula(), TOLERANCE);
        assertEquals(g.autoDCdA3()[1], g.dCdA32(), TOLERANCE);
        assertTrue(Math.abs(g.dCdW22Autodiff()) > 1e-3, "a zero gradient would make the check empty");
    }

    @ParameterizedTest
    @EnumSource(value = Activation.Kind.class, names = {"SIGMOID", "RELU", "TANH"})
    void everyActivationLearnsTheTaskInTheWideNetwork(Activation.Kind kind) {
        Seed001.Run r = Seed001.train(Seed001.WIDE_LAYERS, kind);
        assertTrue(r.finalLoss() < Seed001.THRESHOLD, kind + ": " + r.finalLoss());
        assertTrue(r.epochsToThreshold() > 0, kind + " never went below the threshold");
    }

    @Test
    void theTutorialsNarrowNetworkLearnsWithSigmoidAndTanhAndStallsWithRelu() {
        double baseline = Seed001.baseline(Seed001.data());
        for (Activation.Kind kind : new Activation.Kind[] {Activation.Kind.SIGMOID, Activation.Kind.TANH}) {
            Seed001.Run r = Seed001.train(Seed001.LAYERS, kind);
            assertTrue(r.finalLoss() < Seed001.THRESHOLD, kind + ": " + r.finalLoss());
        }
        // What the guide explains: two ReLU units per layer drop too much of the input to learn the task.
        Seed001.Run relu = Seed001.train(Seed001.LAYERS, Activation.Kind.RELU);
        assertTrue(relu.finalLoss() > 0.25 * baseline, "relu: " + relu.finalLoss());
    }
}
