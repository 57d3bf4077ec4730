package dev.backprop.loss;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.backprop.tensor.DType;
import dev.backprop.tensor.Tensor;
import org.junit.jupiter.api.Test;

/**
 * half-sse, mse, mae and huber on a 2×2 example, against the formulas written out in plain double arithmetic here,
 * and their gradients against the derivatives written out the same way.
 */
class RegressionLossTest {
    private static final double[] O = {0.2, 0.9, 0.5, -0.3};
    private static final double[] Y = {0.0, 1.0, 1.5, 0.2};
    private static final double TOL = 1e-12;

    private static Tensor output() {
        return Tensor.of(DType.FLOAT64, O, 2, 2).requiresGrad(true);
    }

    private static Tensor target() {
        return Tensor.of(DType.FLOAT64, Y, 2, 2);
    }

    @Test
    void halfSumSquaresIsHalfTheSumOverBatchAndOutputs() {
        double e = 0;
        for (int i = 0; i < 4; i++) e += 0.5 * (Y[i] - O[i]) * (Y[i] - O[i]);
        assertEquals(0.65, e, TOL); // ½(0.04 + 0.01 + 1 + 0.25): no division by the batch
        Tensor out = output();
        Tensor loss = new HalfSumSquares().apply(out, target());
        assertEquals(e, loss.item(), TOL);
        loss.backward();
        double[] expected = new double[4];
        for (int i = 0; i < 4; i++) expected[i] = O[i] - Y[i]; // the seeds' ∂E/∂O = O − Y
        assertArrayEquals(expected, out.grad().toDoubleArray(), TOL);
    }

    @Test
    void meanSquaredErrorIsTheMeanOverEveryElement() {
        double e = 0;
        for (int i = 0; i < 4; i++) e += (Y[i] - O[i]) * (Y[i] - O[i]);
        e /= 4;
        Tensor out = output();
        Tensor loss = new MeanSquaredError().apply(out, target());
        assertEquals(0.325, loss.item(), TOL);
        assertEquals(e, loss.item(), TOL);
        loss.backward();
        double[] expected = new double[4];
        for (int i = 0; i < 4; i++) expected[i] = 2 * (O[i] - Y[i]) / 4;
        assertArrayEquals(expected, out.grad().toDoubleArray(), TOL);
    }

    @Test
    void meanAbsoluteErrorIsTheMeanOverEveryElement() {
        double e = 0;
        for (int i = 0; i < 4; i++) e += Math.abs(Y[i] - O[i]);
        e /= 4;
        Tensor out = output();
        Tensor loss = new MeanAbsoluteError().apply(out, target());
        assertEquals(0.45, loss.item(), TOL);
        assertEquals(e, loss.item(), TOL);
        loss.backward();
        double[] expected = new double[4];
        for (int i = 0; i < 4; i++) expected[i] = Math.signum(O[i] - Y[i]) / 4;
        assertArrayEquals(expected, out.grad().toDoubleArray(), TOL);
    }

    private static double huber(double d, double delta) {
        return Math.abs(d) <= delta ? 0.5 * d * d : delta * (Math.abs(d) - 0.5 * delta);
    }

    @Test
    void huberWithTheDefaultDeltaIsHalfSquaresHere() {
        // Every |d| ≤ 1, so with δ = 1 each element is ½d², and the mean is over the 4 elements.
        Tensor loss = new Huber().apply(output(), target());
        assertEquals(0.65 / 4, loss.item(), TOL);
    }

    @Test
    void huberMixesBothPiecesAndAveragesOverEveryElement() {
        double delta = 0.3, e = 0;
        for (int i = 0; i < 4; i++) e += huber(O[i] - Y[i], delta);
        e /= 4;
        assertEquals((0.02 + 0.005 + 0.255 + 0.105) / 4, e, TOL); // d = 0.2, −0.1 quadratic; −1.0, −0.5 linear
        Tensor out = output();
        Tensor loss = new Huber(delta).apply(out, target());
        assertEquals(e, loss.item(), TOL);
        loss.backward();
        double[] expected = new double[4];
        for (int i = 0; i < 4; i++) expected[i] = Math.max(-delta, Math.min(delta, O[i] - Y[i])) / 4;
        assertArrayEquals(expected, out.grad().toDoubleArray(), TOL);
    }

    @Test
    void huberAtExactlyDeltaTakesTheSharedValueAndSlope() {
        double delta = 0.5;
        // d = +δ and −δ exactly (0.75 − 0.25 and 0.25 − 0.75 are exact in binary).
        Tensor out = Tensor.of(DType.FLOAT64, new double[] {0.75, 0.25}, 1, 2).requiresGrad(true);
        Tensor y = Tensor.of(DType.FLOAT64, new double[] {0.25, 0.75}, 1, 2);
        Tensor loss = new Huber(delta).apply(out, y);
        assertEquals(0.5 * delta * delta, loss.item(), TOL);                   // ½δ² = δ(δ − ½δ): both pieces agree
        loss.backward();
        assertArrayEquals(new double[] {delta / 2, -delta / 2}, out.grad().toDoubleArray(), TOL);
        // Just beyond δ the linear piece continues with the same value and slope.
        double eps = 1e-9;
        Tensor beyond = Tensor.of(DType.FLOAT64, new double[] {0.75 + eps}, 1, 1);
        Tensor yb = Tensor.of(DType.FLOAT64, new double[] {0.25}, 1, 1);
        assertEquals(delta * (delta + eps - 0.5 * delta), new Huber(delta).apply(beyond, yb).item(), 1e-15);
    }

    @Test
    void float32GivesTheFloat64ValuesToFloatPrecision() {
        Tensor o32 = Tensor.of(O, 2, 2).requiresGrad(true), y32 = Tensor.of(Y, 2, 2);
        for (Loss loss : new Loss[] {new HalfSumSquares(), new MeanSquaredError(), new MeanAbsoluteError(), new Huber(0.3)}) {
            Tensor l32 = loss.apply(o32, y32);
            assertEquals(DType.FLOAT32, l32.dtype(), loss.name());
            assertEquals(loss.apply(output(), target()).item(), l32.item(), 1e-6, loss.name());
            o32.setGrad(null);
            l32.backward();
            assertEquals(DType.FLOAT32, o32.grad().dtype(), loss.name());
        }
    }

    @Test
    void aFloat64TargetPromotesAFloat32Output() {
        Tensor l = new MeanSquaredError().apply(Tensor.of(O, 2, 2), target());
        assertEquals(DType.FLOAT64, l.dtype());
        assertEquals(0.325, l.item(), 1e-7);
    }
}
