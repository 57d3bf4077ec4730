package dev.backprop.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.backprop.tensor.DType;
import dev.backprop.tensor.Tensor;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Each optimizer's first steps on one weight, against the update rule worked by hand in double precision. Every
 * test runs on a float64 parameter (agreement to rounding) and a float32 one (agreement to float precision).
 * The weight starts at 1 and receives the gradients 0.5, then 0.1, then −0.2.
 */
class OptimizerUpdateTest {
    private static final double G1 = 0.5, G2 = 0.1, G3 = -0.2;

    private static double tol(DType dtype) {
        return dtype == DType.FLOAT64 ? 1e-12 : 1e-6;
    }

    private static Tensor weight(DType dtype, double... values) {
        return Tensor.of(dtype, values, values.length).requiresGrad(true);
    }

    /** Sets the gradient and steps; returns the weight's first element afterwards. */
    private static double step(Optimizer opt, Tensor w, double... grad) {
        w.setGrad(Tensor.of(w.dtype(), grad, grad.length));
        opt.step();
        return w.getFlat(0);
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void sgdIsTheSeedsRule(DType dtype) {
        Tensor w = weight(dtype, 1);
        Sgd sgd = Sgd.builder().lr(0.1).build(List.of(w));
        assertEquals(1 - 0.1 * 0.5, step(sgd, w, G1), tol(dtype));          // W ← W − α·∂E/∂W = 0.95
        assertEquals(0.95 - 0.1 * 0.1, step(sgd, w, G2), tol(dtype));       // 0.94
        assertEquals(0.94, w.getFlat(0), 1e-7);
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void sgdWithMomentumStartsTheBufferAtTheGradient(DType dtype) {
        Tensor w = weight(dtype, 1);
        Sgd sgd = Sgd.builder().lr(0.1).momentum(0.9).build(List.of(w));
        assertEquals(0.95, step(sgd, w, G1), tol(dtype));                   // b = g = 0.5; w = 1 − 0.05
        assertEquals(0.895, step(sgd, w, G2), tol(dtype));                  // b = 0.9·0.5 + 0.1 = 0.55
        assertEquals(0.8655, step(sgd, w, G3), tol(dtype));                 // b = 0.9·0.55 − 0.2 = 0.295
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void sgdWithDampening(DType dtype) {
        Tensor w = weight(dtype, 1);
        Sgd sgd = Sgd.builder().lr(0.1).momentum(0.9).dampening(0.5).build(List.of(w));
        assertEquals(0.95, step(sgd, w, G1), tol(dtype));                   // the first buffer is g, undamped
        assertEquals(0.95 - 0.1 * (0.9 * 0.5 + 0.5 * 0.1), step(sgd, w, G2), tol(dtype));
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void nesterovLooksAhead(DType dtype) {
        Tensor w = weight(dtype, 1);
        Sgd sgd = Sgd.builder().lr(0.1).momentum(0.9).nesterov(true).build(List.of(w));
        assertEquals(0.905, step(sgd, w, G1), tol(dtype));                  // b = 0.5; g + μ·b = 0.95
        assertEquals(0.8455, step(sgd, w, G2), tol(dtype));                 // b = 0.55; 0.1 + 0.495 = 0.595
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void sgdWeightDecayAddsLambdaW(DType dtype) {
        Tensor w = weight(dtype, 1);
        Sgd sgd = Sgd.builder().lr(0.1).weightDecay(0.01).build(List.of(w));
        assertEquals(0.949, step(sgd, w, G1), tol(dtype));                  // g = 0.5 + 0.01·1 = 0.51
        assertEquals(0.938051, step(sgd, w, G2), tol(dtype));               // g = 0.1 + 0.01·0.949 = 0.10949
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void adamCorrectsTheBiasOfStepsOneAndTwo(DType dtype) {
        Tensor w = weight(dtype, 1);
        Adam adam = Adam.builder().lr(0.1).betas(0.9, 0.999).eps(1e-8).build(List.of(w));
        // Step 1: m = 0.1·0.5 = 0.05, v = 0.001·0.25 = 0.00025; m̂ = 0.05/0.1 = 0.5, v̂ = 0.00025/0.001 = 0.25.
        double w1 = 1 - 0.1 * 0.5 / (Math.sqrt(0.25) + 1e-8);
        assertEquals(w1, step(adam, w, G1), tol(dtype));
        assertEquals(0.9, w1, 1e-7);                                        // the first step moves by lr
        // Step 2: m = 0.9·0.05 + 0.1·0.1 = 0.055, v = 0.999·0.00025 + 0.001·0.01 = 0.00025975.
        double m = 0.055, v = 0.00025975;
        double mHat = m / (1 - 0.9 * 0.9), vHat = v / (1 - 0.999 * 0.999);
        double w2 = w1 - 0.1 * mHat / (Math.sqrt(vHat) + 1e-8);
        assertEquals(w2, step(adam, w, G2), tol(dtype));
        assertEquals(0.8196959, w2, 1e-7);
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void adamWeightDecayJoinsTheGradient(DType dtype) {
        Tensor w = weight(dtype, 1);
        Adam adam = Adam.builder().lr(0.1).weightDecay(0.1).build(List.of(w));
        double g1 = 0.5 + 0.1 * 1;                                          // 0.6
        double m = 0.1 * g1, v = 0.001 * g1 * g1;
        double w1 = 1 - 0.1 * (m / 0.1) / (Math.sqrt(v / 0.001) + 1e-8);
        assertEquals(w1, step(adam, w, G1), tol(dtype));
        double g2 = 0.1 + 0.1 * w1;
        m = 0.9 * m + 0.1 * g2;
        v = 0.999 * v + 0.001 * g2 * g2;
        double w2 = w1 - 0.1 * (m / (1 - 0.81)) / (Math.sqrt(v / (1 - 0.998001)) + 1e-8);
        assertEquals(w2, step(adam, w, G2), tol(dtype));
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void adamWDecaysTheWeightBeforeTheAdamStep(DType dtype) {
        Tensor w = weight(dtype, 1);
        AdamW adamW = AdamW.builder().lr(0.1).weightDecay(0.1).build(List.of(w));
        // w ← w − α·λ·w = 0.99, then the plain Adam step of the raw gradient (−0.1 on the first step).
        double w1 = 1 * (1 - 0.1 * 0.1) - 0.1 * 0.5 / (Math.sqrt(0.25) + 1e-8);
        assertEquals(w1, step(adamW, w, G1), tol(dtype));
        assertEquals(0.89, w1, 1e-7);
        double m = 0.055, v = 0.00025975;                                   // as Adam: the decay stays out of m, v
        double w2 = w1 * (1 - 0.1 * 0.1) - 0.1 * (m / 0.19) / (Math.sqrt(v / 0.001999) + 1e-8);
        assertEquals(w2, step(adamW, w, G2), tol(dtype));
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void rmsPropDividesByTheRootMeanSquare(DType dtype) {
        Tensor w = weight(dtype, 1);
        RmsProp rms = RmsProp.builder().lr(0.01).build(List.of(w));         // alpha 0.99, eps 1e-8
        double v = 0.01 * 0.25;                                             // 0.0025, √ = 0.05
        double w1 = 1 - 0.01 * 0.5 / (Math.sqrt(v) + 1e-8);                // ≈ 0.9
        assertEquals(w1, step(rms, w, G1), tol(dtype));
        v = 0.99 * v + 0.01 * 0.01;                                         // 0.002575
        double w2 = w1 - 0.01 * 0.1 / (Math.sqrt(v) + 1e-8);
        assertEquals(w2, step(rms, w, G2), tol(dtype));
        assertEquals(0.8802934, w2, 1e-7);
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void rmsPropCenteredWithMomentum(DType dtype) {
        Tensor w = weight(dtype, 1);
        RmsProp rms = RmsProp.builder().lr(0.01).alpha(0.9).momentum(0.5).centered(true).build(List.of(w));
        double v = 0.1 * 0.25, avg = 0.1 * 0.5;                             // v = 0.025, ḡ = 0.05
        double b = 0.5 / (Math.sqrt(v - avg * avg) + 1e-8);                 // b starts at 0
        double w1 = 1 - 0.01 * b;
        assertEquals(w1, step(rms, w, G1), tol(dtype));
        v = 0.9 * v + 0.1 * 0.01;
        avg = 0.9 * avg + 0.1 * 0.1;
        b = 0.5 * b + 0.1 / (Math.sqrt(v - avg * avg) + 1e-8);
        double w2 = w1 - 0.01 * b;
        assertEquals(w2, step(rms, w, G2), tol(dtype));
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void rmsPropWeightDecay(DType dtype) {
        Tensor w = weight(dtype, 1);
        RmsProp rms = RmsProp.builder().lr(0.01).weightDecay(0.1).build(List.of(w));
        double g = 0.5 + 0.1;
        assertEquals(1 - 0.01 * g / (Math.sqrt(0.01 * g * g) + 1e-8), step(rms, w, G1), tol(dtype));
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void adagradDividesByTheRootOfTheSum(DType dtype) {
        Tensor w = weight(dtype, 1);
        Adagrad adagrad = Adagrad.builder().lr(0.1).build(List.of(w));      // eps 1e-10, sum starts at 0
        double w1 = 1 - 0.1 * 0.5 / (Math.sqrt(0.25) + 1e-10);              // ≈ 0.9
        assertEquals(w1, step(adagrad, w, G1), tol(dtype));
        double w2 = w1 - 0.1 * 0.1 / (Math.sqrt(0.25 + 0.01) + 1e-10);
        assertEquals(w2, step(adagrad, w, G2), tol(dtype));
        assertEquals(0.8803884, w2, 1e-7);
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void adagradLearningRateDecayAndInitialAccumulator(DType dtype) {
        Tensor w = weight(dtype, 1);
        Adagrad adagrad = Adagrad.builder().lr(0.1).lrDecay(0.5).initialAccumulatorValue(1).weightDecay(0.1)
                .build(List.of(w));
        double g1 = 0.5 + 0.1 * 1, s = 1 + g1 * g1;
        double w1 = 1 - 0.1 * g1 / (Math.sqrt(s) + 1e-10);                  // α₁ = α
        assertEquals(w1, step(adagrad, w, G1), tol(dtype));
        double g2 = 0.1 + 0.1 * w1;
        s += g2 * g2;
        double w2 = w1 - 0.1 / (1 + 0.5) * g2 / (Math.sqrt(s) + 1e-10);     // α₂ = α / (1 + η)
        assertEquals(w2, step(adagrad, w, G2), tol(dtype));
    }

    static java.util.stream.Stream<OptimizerType> builtIn() {
        return OptimizerTypes.names().stream().map(OptimizerTypes::get);
    }

    /** Every optimizer treats elements independently: a vector moves as its elements would one by one. */
    @ParameterizedTest
    @MethodSource("builtIn")
    void elementsAreUpdatedIndependently(OptimizerType type) {
        Function<Tensor, Optimizer> make = w -> Optimizer.create(type, java.util.Map.of("lr", 0.05),
                java.util.Map.of("w", w));
        Tensor both = weight(DType.FLOAT64, 1, -2);
        Tensor first = weight(DType.FLOAT64, 1), second = weight(DType.FLOAT64, -2);
        Optimizer ob = make.apply(both), o1 = make.apply(first), o2 = make.apply(second);
        double[][] grads = {{0.5, -1}, {0.1, 0.3}, {-0.2, 0.6}};
        for (double[] g : grads) {
            step(ob, both, g);
            step(o1, first, g[0]);
            step(o2, second, g[1]);
        }
        assertArrayEquals(new double[] {first.getFlat(0), second.getFlat(0)}, both.toDoubleArray(), 0);
    }
}
