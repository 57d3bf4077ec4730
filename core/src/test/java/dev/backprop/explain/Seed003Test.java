package dev.backprop.explain;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/**
 * Seed 003's worked example. Expected values are the chain rule worked by hand in double precision below, not
 * copied from the program; autodiff runs in float32, hence the 1e-6 tolerance.
 */
class Seed003Test {
    private static final double TOL = 1e-6;
    private static final SigmoidNetTrace T = SigmoidNetTrace.seed003();

    private static double sigma(double z) {
        return 1 / (1 + Math.exp(-z));
    }

    @Test
    void forwardPassMatchesTheTutorial() {
        assertEquals(0.505, T.netHidden()[0], TOL);            // 0.25·0.1 + 0.15·0.2 + 0.45
        assertEquals(0.541, T.netHidden()[1], TOL);            // 0.35·0.1 + 0.28·0.2 + 0.45
        assertEquals(0.623634, T.outHidden()[0], 1e-6);        // the tutorial's 0.623633, rounded correctly
        assertEquals(0.632045, T.outHidden()[1], 1e-6);
        // The tutorial prints net(o1) = 0.794609: an addition slip. 0.35·0.623634 + 0.20·0.632045 + 0.5 = 0.844681.
        assertEquals(0.35 * sigma(0.505) + 0.20 * sigma(0.541) + 0.5, T.netOutput()[0], TOL);
        assertEquals(0.844681, T.netOutput()[0], 1e-6);
        assertEquals(1.033453, T.netOutput()[1], 1e-6);        // the tutorial's 1.0334528
    }

    @Test
    void errorIsHalfTheSumOfSquares() {
        double o1 = sigma(T.netOutput()[0]), o2 = sigma(T.netOutput()[1]);
        assertEquals(0.5 * Math.pow(0.05 - o1, 2) + 0.5 * Math.pow(0.95 - o2, 2), T.error(), TOL);
    }

    @Test
    void sigmoidDerivativeIsSigmaTimesOneMinusSigma() {
        for (int k = 0; k < 2; k++) {
            double o = T.outOutput()[k];
            assertEquals(o * (1 - o), T.dOutDNet()[k], TOL);
            double z = T.netOutput()[k], h = 1e-6;
            assertEquals((sigma(z + h) - sigma(z - h)) / (2 * h), T.dOutDNet()[k], 1e-6);
        }
    }

    @Test
    void errorDerivativeIsOutMinusTarget() {
        assertEquals(T.outOutput()[0] - 0.05, T.dErrorDOut()[0], TOL);
        assertEquals(T.outOutput()[1] - 0.95, T.dErrorDOut()[1], TOL);
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
        assertEquals(deltaO[0] * h[0], T.gradW2()[0][0], TOL);
        assertEquals(0.085143, T.gradW2()[0][0], 1e-6);
        for (int k = 0; k < 2; k++) {
            for (int j = 0; j < 2; j++) assertEquals(deltaO[k] * h[j], T.gradW2()[k][j], TOL);
            assertEquals(deltaO[k], T.gradB2()[k], TOL);
        }
        for (int j = 0; j < 2; j++) {
            // ∂E/∂out(h_j) = Σ_k ∂E(o_k)/∂out(h_j) = Σ_k δ(o_k) · w_kj
            double dEdOutH = deltaO[0] * w2[0][j] + deltaO[1] * w2[1][j];
            double deltaH = dEdOutH * h[j] * (1 - h[j]);
            for (int i = 0; i < 2; i++) assertEquals(deltaH * x[i], T.gradW1()[j][i], TOL);
            assertEquals(deltaH, T.gradB1()[j], TOL);
            assertEquals(deltaH, T.deltaHidden()[j], TOL);
        }
    }

    @Test
    void oneStepOfGradientDescentLowersTheError() {
        assertEquals(0.25 - 0.5 * T.gradW1()[0][0], T.w1After()[0][0], TOL);
        assertEquals(0.35 - 0.5 * T.gradW2()[0][0], T.w2After()[0][0], TOL);
        assertEquals(0.45 - 0.5 * T.gradB1()[0], T.b1After()[0], TOL);
        assertEquals(true, T.errorAfter() < T.error());
        assertEquals(true, T.errorAfterWeightsOnly() < T.error());
    }
}
