package dev.backprop.examples;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.backprop.autograd.GradCheck;
import dev.backprop.autograd.NoGrad;
import dev.backprop.data.Dataset;
import dev.backprop.examples.Seed002.Descent;
import dev.backprop.examples.Seed002.Gradients;
import dev.backprop.examples.Seed002.Rule;
import dev.backprop.examples.Seed002.Run;
import dev.backprop.examples.Seed002.Step;
import dev.backprop.examples.Seed002.TeacherStudent;
import dev.backprop.examples.Seed002.VariantTraining;
import dev.backprop.loss.MeanSquaredError;
import dev.backprop.tensor.DType;
import dev.backprop.tensor.Tensor;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Seed 002's worked example: the descent, the teacher and its student, and the backward pass without σ(1 − σ). */
class Seed002Test {

    @Test
    void descentReachesMinusTwoFromBothSidesWithYFallingAtEveryStep() {
        for (double start : new double[] {0, -4}) {
            Descent d = Seed002.descend(start, Seed002.LEARNING_RATE, Seed002.TOLERANCE, Seed002.MAX_ITERATIONS);
            assertTrue(d.converged(), "from " + start);
            assertTrue(Math.abs(d.last().x() + 2) < 1e-3, "from " + start + ": x = " + d.last().x());
            // x + 2 shrinks by 1 − 2α = 0.8 a step: 2·0.8ⁿ < 1e-4 first holds at n = 45.
            assertEquals(45, d.iterations(), "from " + start);
            List<Step> steps = d.steps();
            for (int i = 1; i < steps.size(); i++) {
                assertTrue(steps.get(i).y() < steps.get(i - 1).y(), "y rose at step " + i + " from " + start);
                // From 0 x stays above −2, from −4 below it: each approaches from its own side.
                assertEquals(Math.signum(start + 2), Math.signum(steps.get(i).x() + 2), "side at step " + i);
            }
        }
    }

    @Test
    void slopesAtTheStartAreTheTutorials() {
        assertEquals(4, Seed002.descend(0, 0.1, 1e-4, 10).steps().getFirst().slope(), 1e-12);
        assertEquals(-4, Seed002.descend(-4, 0.1, 1e-4, 10).steps().getFirst().slope(), 1e-12);
        assertEquals(-0.4, Seed002.descend(0, 0.1, 1e-4, 10).steps().get(1).x(), 1e-12);   // 0 − 0.1·4
    }

    @Test
    void overshootingConvergesUntilTheLearningRateReachesOne() {
        Descent overshoot = Seed002.descend(0, 0.9, 1e-4, 1000);
        assertTrue(overshoot.converged());
        assertTrue(overshoot.steps().get(1).x() < -2, "α = 0.9 jumps past −2");
        assertEquals(1, Seed002.descend(0, 0.5, 1e-4, 1000).iterations());
        assertFalse(Seed002.descend(0, 1.0, 1e-4, 1000).converged());
        assertFalse(Seed002.descend(0, 1.1, 1e-4, 1000).converged());
    }

    @Test
    void aStudentOfAnotherShapeLearnsTheTeacher() {
        assertNotEquals(Seed002.TEACHER.length, Seed002.STUDENT.length, "a different number of layers");
        TeacherStudent r = Seed002.teacherStudent();
        assertNotEquals(r.teacherParameters(), r.studentParameters());
        assertTrue(r.heldOut().r2() > 0.99, "held-out R² " + r.heldOut().r2());
        assertTrue(r.linearHeldOut().r2() < 0.9, "the teacher's function should not be nearly linear: "
                + r.linearHeldOut().r2());
        assertTrue(r.targetSd() > 0, "targets must vary");
    }

    @Test
    void leastSquaresRecoversALinearFunction() {
        double[][] rows = {{1, 0, 2}, {0, 1, -1}, {3, 2, 0.5}, {-1, 4, 1}, {2, -2, 3}};
        double[] y = new double[rows.length];
        for (int i = 0; i < rows.length; i++) y[i] = 2 * rows[i][0] - rows[i][1] + 0.5 * rows[i][2] + 3;
        double[] beta = Seed002.leastSquares(Tensor.matrix(rows).to(DType.FLOAT64), Tensor.of(DType.FLOAT64, y, y.length, 1));
        double[] expected = {2, -1, 0.5, 3};
        for (int j = 0; j < expected.length; j++) assertEquals(expected[j], beta[j], 1e-9, "β" + j);
    }

    @Test
    void theTrueGradientMatchesFiniteDifferencesAndTheVariantsDoNot() {
        GradCheck.Result exact = Seed002.gradCheck(Rule.TRUE_GRADIENT);
        assertTrue(exact.passed(), exact.toString());
        GradCheck.Result none = Seed002.gradCheck(Rule.NO_SIGMOID_DERIVATIVE);
        assertFalse(none.passed());
        assertEquals(SigmoidWithoutDerivative.NAME, none.op(), none.toString());
        GradCheck.Result book = Seed002.gradCheck(Rule.ERROR_SPLIT_BY_WEIGHTS);
        assertFalse(book.passed());
        assertEquals(ErrorSplitSigmoidLayer.NAME, book.op(), book.toString());
    }

    @Test
    void theTablesTrueGradientIsTheFiniteDifferenceGradient() {
        // The float32 gradients the guide tabulates, against central differences of the same loss in float64.
        Gradients g = Seed002.gradientsAtStart();
        Dataset rows = Seed002.comparisonRows(Seed002.teacherData());
        Tensor x = rows.features().to(DType.FLOAT64), y = rows.targets().to(DType.FLOAT64);
        List<Tensor> p = Seed002.startParameters(DType.FLOAT64);
        double eps = 1e-6;
        for (int param = 0; param < p.size(); param++) {
            for (int i = 0; i < Math.min(3, p.get(param).size()); i++) {
                double v = p.get(param).getFlat(i);
                p.get(param).setFlatInPlace(i, v + eps);
                double plus = loss(x, y, p);
                p.get(param).setFlatInPlace(i, v - eps);
                double minus = loss(x, y, p);
                p.get(param).setFlatInPlace(i, v);
                double numeric = (plus - minus) / (2 * eps);
                double analytic = g.byRule().get(Rule.TRUE_GRADIENT).get(param).getFlat(i);
                assertEquals(numeric, analytic, 1e-5 + 1e-3 * Math.abs(numeric), g.names().get(param) + " element " + i);
            }
        }
    }

    private static double loss(Tensor x, Tensor y, List<Tensor> p) {
        try (NoGrad _ = NoGrad.enter()) {
            return new MeanSquaredError().apply(Rule.TRUE_GRADIENT.forward(x, p), y).item();
        }
    }

    @Test
    void leavingSigmaPrimeOutTurnsTheDirectionButKeepsItDownhill() {
        Gradients g = Seed002.gradientsAtStart();
        for (Rule rule : List.of(Rule.NO_SIGMOID_DERIVATIVE, Rule.ERROR_SPLIT_BY_WEIGHTS)) {
            double cos = g.cosine(rule, Rule.TRUE_GRADIENT);
            assertTrue(cos < 0.99, rule + ": cos " + cos);
            assertTrue(cos > 0, rule + " should still point downhill: cos " + cos);
        }
        assertEquals(1, g.cosine(Rule.TRUE_GRADIENT, Rule.TRUE_GRADIENT), 1e-12);
        int out = g.names().size() - 2;
        assertAll(
                // The book's layer keeps the true gradient for its own weights; only what it passes down differs.
                () -> assertEquals(1, g.norm(Rule.ERROR_SPLIT_BY_WEIGHTS, out) / g.norm(Rule.TRUE_GRADIENT, out), 1e-6),
                () -> assertTrue(g.norm(Rule.ERROR_SPLIT_BY_WEIGHTS, 0) > 2 * g.norm(Rule.TRUE_GRADIENT, 0)),
                // Without the output's σ′, the squared error's gradient is twice binary cross-entropy's there.
                () -> assertEquals(1, g.cosineWithCrossEntropy(Rule.NO_SIGMOID_DERIVATIVE, out), 1e-6),
                () -> assertEquals(2, g.lengthOverCrossEntropy(Rule.NO_SIGMOID_DERIVATIVE, out), 1e-4),
                () -> assertTrue(g.cosineWithCrossEntropy(Rule.NO_SIGMOID_DERIVATIVE, 0) < 0.999, "not below the output"));
        for (int i = 0; i < g.names().size(); i++) {
            // Per parameter, nearly a rescaling by a factor above 1; the hidden layer's factor well above the output's.
            assertTrue(g.cosine(Rule.NO_SIGMOID_DERIVATIVE, Rule.TRUE_GRADIENT, i) > 0.98, g.names().get(i));
            assertTrue(g.norm(Rule.NO_SIGMOID_DERIVATIVE, i) > g.norm(Rule.TRUE_GRADIENT, i), g.names().get(i));
        }
        assertTrue(g.norm(Rule.NO_SIGMOID_DERIVATIVE, 0) / g.norm(Rule.TRUE_GRADIENT, 0)
                > 2 * g.norm(Rule.NO_SIGMOID_DERIVATIVE, out) / g.norm(Rule.TRUE_GRADIENT, out));
        for (Seed002.Range r : g.sigmoidSlopes()) assertTrue(r.min() > 0 && r.max() <= 0.25 && r.min() < r.max(), r.toString());
    }

    @Test
    void sigmoidSlopePeaksAtAQuarterNotAHalf() {
        Seed002.SlopeMaximum peak = Seed002.sigmoidSlopeMaximum();
        assertEquals(0.25, peak.value(), 1e-12);
        assertEquals(0, peak.at(), 1e-12);
    }

    @Test
    void theGuidesClaimsAboutTrainingHold() {
        VariantTraining v = Seed002.variantTraining();
        double[] rates = Seed002.VARIANT_RATES;
        Run t0 = v.run(Rule.TRUE_GRADIENT, rates[0]), n0 = v.run(Rule.NO_SIGMOID_DERIVATIVE, rates[0]);
        Run t1 = v.run(Rule.TRUE_GRADIENT, rates[1]), n1 = v.run(Rule.NO_SIGMOID_DERIVATIVE, rates[1]);
        Run t2 = v.run(Rule.TRUE_GRADIENT, rates[2]), n2 = v.run(Rule.NO_SIGMOID_DERIVATIVE, rates[2]);
        Run b2 = v.run(Rule.ERROR_SPLIT_BY_WEIGHTS, rates[2]);
        assertAll(
                () -> assertTrue(n0.loss(1) < t0.loss(1), "the variant leads after one epoch at the small α"),
                () -> assertTrue(n1.finalLoss() < t1.finalLoss(), "the variant ends lower at the middle α"),
                () -> assertTrue(t2.finalLoss() < t2.loss(0) / 10, "the true gradient trains at the large α"),
                () -> assertTrue(n2.loss(1) > n2.loss(0) && n2.loss(2) > n2.loss(1), "the variant's loss jumps"),
                () -> assertTrue(n2.finalLoss() > 100 * t2.finalLoss(), "the variant fails at the large α"),
                () -> assertEquals(v.bestGradientDescent(), b2.finalLoss(), "the book's rule is best at the large α"),
                () -> assertTrue(v.adam().finalLoss() < v.bestGradientDescent(), "Adam beats them all"),
                () -> assertTrue(v.stepRatio() > 1, "leaving σ′ out lengthens the step"));
        for (Run r : v.runs()) assertEquals(Seed002.VARIANT_EPOCHS, r.epochs());
        for (double lr : rates) {
            Run book = v.run(Rule.ERROR_SPLIT_BY_WEIGHTS, lr);
            assertTrue(book.finalLoss() < book.loss(0) / 10, "the book's rule trains at α = " + lr);
        }
    }

    @Test
    void guideSectionIsTheSameOnEveryRun() {
        String first = new Seed002().guideSection(), second = new Seed002().guideSection();
        assertEquals(first, second);
        assertFalse(first.contains("NaN") || first.contains("Infinity"), first);
        assertTrue(first.contains("| 45 |"), "the iteration count is in the table");
    }

    @Test
    void identifiesItself() {
        Seed002 e = new Seed002();
        assertEquals("002", e.id());
        assertTrue(e.title().startsWith("002: "));
        assertTrue(Seeds.byId("002") instanceof Seed002, "Seeds lists it");
    }
}
