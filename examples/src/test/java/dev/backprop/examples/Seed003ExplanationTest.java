package dev.backprop.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.backprop.explain.Explanation;
import dev.backprop.loss.Loss;
import org.junit.jupiter.api.Test;

/**
 * Seed 003's worked example. Expected values are the chain rule worked by hand in double precision below, not
 * copied from the program; the network's parameters are float32 (as its JSON spec stores them), hence the 1e-6
 * tolerance.
 */
class Seed003ExplanationTest {
    private static final double TOL = 1e-6;
    private static final Explanation T = Seed003.explanation();
    private static final Explanation.Layer HIDDEN = T.layer(0), OUTPUT = T.layer(1);

    private static double sigma(double z) {
        return 1 / (1 + Math.exp(-z));
    }

    @Test
    void forwardPassMatchesTheTutorial() {
        assertEquals(0.505, HIDDEN.unit(0).net(), TOL);            // 0.25·0.1 + 0.15·0.2 + 0.45
        assertEquals(0.541, HIDDEN.unit(1).net(), TOL);            // 0.35·0.1 + 0.28·0.2 + 0.45
        assertEquals(0.623634, HIDDEN.unit(0).out(), 1e-6);        // the tutorial's 0.623633, rounded correctly
        assertEquals(0.632045, HIDDEN.unit(1).out(), 1e-6);
        // The tutorial prints net(o1) = 0.794609: an addition slip. 0.35·0.623634 + 0.20·0.632045 + 0.5 = 0.844681.
        assertEquals(0.35 * sigma(0.505) + 0.20 * sigma(0.541) + 0.5, OUTPUT.unit(0).net(), TOL);
        assertEquals(0.844681, OUTPUT.unit(0).net(), 1e-6);
        assertEquals(1.033453, OUTPUT.unit(1).net(), 1e-6);        // the tutorial's 1.0334528
    }

    @Test
    void errorIsHalfTheSumOfSquares() {
        double o1 = sigma(OUTPUT.unit(0).net()), o2 = sigma(OUTPUT.unit(1).net());
        assertEquals(0.5 * Math.pow(0.05 - o1, 2) + 0.5 * Math.pow(0.95 - o2, 2), T.loss(), TOL);
        assertEquals(0.233453, T.loss(), 1e-6);
    }

    @Test
    void sigmoidDerivativeIsSigmaTimesOneMinusSigma() {
        for (int k = 0; k < 2; k++) {
            double o = OUTPUT.unit(k).out();
            assertEquals(o * (1 - o), OUTPUT.unit(k).dOutDNet(), TOL);
            double z = OUTPUT.unit(k).net(), h = 1e-6;
            assertEquals((sigma(z + h) - sigma(z - h)) / (2 * h), OUTPUT.unit(k).dOutDNet(), 1e-6);
        }
    }

    @Test
    void errorDerivativeIsOutMinusTarget() {
        assertEquals(OUTPUT.unit(0).out() - 0.05, OUTPUT.unit(0).dErrorDOut(), TOL);
        assertEquals(OUTPUT.unit(1).out() - 0.95, OUTPUT.unit(1).dErrorDOut(), TOL);
    }

    @Test
    void autodiffGradientsEqualTheChainRuleByHand() {
        double[] x = {0.1, 0.2}, y = {0.05, 0.95};
        double[][] w2 = {{0.35, 0.20}, {0.45, 0.40}};
        double[] h = {sigma(0.505), sigma(0.541)};
        double[] o = new double[2], deltaO = new double[2];
        for (int k = 0; k < 2; k++) {
            o[k] = sigma(w2[k][0] * h[0] + w2[k][1] * h[1] + 0.5);
            deltaO[k] = (o[k] - y[k]) * o[k] * (1 - o[k]);      // ∂E/∂out · ∂out/∂net
        }
        // ∂E/∂w5 (h1 → o1) = ∂E/∂out(o1) · ∂out(o1)/∂net(o1) · ∂net(o1)/∂w5 = δ(o1) · out(h1)
        assertEquals(deltaO[0] * h[0], OUTPUT.weight(0, 0).gradient(), TOL);
        assertEquals(0.085143, OUTPUT.weight(0, 0).gradient(), 1e-6);
        for (int k = 0; k < 2; k++) {
            for (int j = 0; j < 2; j++) assertEquals(deltaO[k] * h[j], OUTPUT.weight(k, j).gradient(), TOL);
            assertEquals(deltaO[k], OUTPUT.bias(k).gradient(), TOL);
            assertEquals(deltaO[k], OUTPUT.unit(k).delta(), TOL);
        }
        for (int j = 0; j < 2; j++) {
            // ∂E/∂out(h_j) = Σ_k ∂E(o_k)/∂out(h_j) = Σ_k δ(o_k) · w_kj
            double dEdOutH = deltaO[0] * w2[0][j] + deltaO[1] * w2[1][j];
            double deltaH = dEdOutH * h[j] * (1 - h[j]);
            assertEquals(dEdOutH, HIDDEN.unit(j).dErrorDOut(), TOL);
            for (int i = 0; i < 2; i++) assertEquals(deltaH * x[i], HIDDEN.weight(j, i).gradient(), TOL);
            assertEquals(deltaH, HIDDEN.bias(j).gradient(), TOL);
            assertEquals(deltaH, HIDDEN.unit(j).delta(), TOL);
        }
    }

    @Test
    void oneStepOfGradientDescentLowersTheError() {
        assertEquals(0.25 - 0.5 * HIDDEN.weight(0, 0).gradient(), HIDDEN.weight(0, 0).updated(), TOL);
        assertEquals(0.35 - 0.5 * OUTPUT.weight(0, 0).gradient(), OUTPUT.weight(0, 0).updated(), TOL);
        assertEquals(0.45 - 0.5 * HIDDEN.bias(0).gradient(), HIDDEN.bias(0).updated(), TOL);
        assertTrue(T.lossAfter() < T.loss());
        assertTrue(T.lossAfterWeightsOnly() < T.loss());
    }

    @Test
    void theTextNotesTheTutorialsAdditionSlip() {
        String text = T.toText();
        assertEquals(3, T.notes().size(), "the tutorial's slip is noted");
        assertTrue(text.contains("net(h1) = w(x1→h1)·x1 + w(x2→h1)·x2 + b(h1) = 0.25·0.1 + 0.15·0.2 + 0.45 = 0.505000"), text);
        assertTrue(text.contains("= 0.844681   (the tutorial prints 0.794609: an addition slip"), text);
        assertTrue(text.contains("it prints net(o1) = 0.794609, an addition slip: 0.35·0.623634 + 0.2·0.632045 + 0.5 = 0.844681."), text);
        assertTrue(text.contains("So its out(o1) = 0.6888201 and E = 0.22661423"), text);
        assertEquals(3, T.notes().size());
    }

    @Test
    void noSlipNoteForAnyOtherNetworkOrSample() {
        // Same network, another sample: the tutorial's numbers do not apply.
        Explanation other = Explanation.builder(Seed003.network(), Loss.byName("half-sse"))
                .input(0.1, 0.3).target(0.05, 0.95).remarks(Seed003.TUTORIAL_SLIP).build();
        assertFalse(other.toText().contains("tutorial"), other.toText());
        assertTrue(other.notes().isEmpty());
        // Same sample, another loss.
        Explanation mse = Explanation.builder(Seed003.network(), Loss.byName("mse"))
                .input(0.1, 0.2).target(0.05, 0.95).remarks(Seed003.TUTORIAL_SLIP).build();
        assertFalse(mse.toText().contains("tutorial"));
    }
}
