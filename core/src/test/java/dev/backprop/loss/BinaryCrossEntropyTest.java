package dev.backprop.loss;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.backprop.tensor.DType;
import dev.backprop.tensor.ShapeException;
import dev.backprop.tensor.Tensor;
import org.junit.jupiter.api.Test;

/** Binary cross-entropy from logits against −[pw·y·log σ + (1 − y)·log(1 − σ)] and PyTorch's pos_weight formula. */
class BinaryCrossEntropyTest {
    private static final double[] Z = {0.3, -1.2, 2.0, -0.1, 0.0, 4.0};
    private static final double[] Y = {1.0, 0.0, 1.0, 1.0, 0.0, 0.25};
    private static final double TOL = 1e-12;

    private static double sigma(double z) {
        return 1 / (1 + Math.exp(-z));
    }

    private static Tensor logits() {
        return Tensor.of(DType.FLOAT64, Z, 3, 2).requiresGrad(true);
    }

    private static Tensor targets() {
        return Tensor.of(DType.FLOAT64, Y, 3, 2);
    }

    @Test
    void unweightedIsTheMeanOfTheTextbookFormula() {
        double e = 0;
        for (int i = 0; i < 6; i++) e += -(Y[i] * Math.log(sigma(Z[i])) + (1 - Y[i]) * Math.log(1 - sigma(Z[i])));
        e /= 6;
        Tensor z = logits();
        Tensor loss = new BinaryCrossEntropy().apply(z, targets());
        assertEquals(e, loss.item(), 1e-12);
        loss.backward();
        double[] expected = new double[6];
        for (int i = 0; i < 6; i++) expected[i] = (sigma(Z[i]) - Y[i]) / 6;
        assertArrayEquals(expected, z.grad().toDoubleArray(), TOL);
    }

    @Test
    void posWeightFollowsPyTorchsFormula() {
        double pw = 3.0, e = 0, textbook = 0;
        for (int i = 0; i < 6; i++) {
            double z = Z[i], y = Y[i];
            e += (1 - y) * z + (1 + (pw - 1) * y) * (Math.log(1 + Math.exp(-Math.abs(z))) + Math.max(-z, 0));
            textbook += -(pw * y * Math.log(sigma(z)) + (1 - y) * Math.log(1 - sigma(z)));
        }
        assertEquals(e, textbook, 1e-12); // the two forms of the weighted loss are one function
        Tensor z = logits();
        Tensor loss = new BinaryCrossEntropy(pw).apply(z, targets());
        assertEquals(e / 6, loss.item(), TOL);
        loss.backward();
        double[] expected = new double[6];
        for (int i = 0; i < 6; i++) {
            double s = sigma(Z[i]);
            expected[i] = (-pw * Y[i] * (1 - s) + (1 - Y[i]) * s) / 6; // d/dz of the textbook form
        }
        assertArrayEquals(expected, z.grad().toDoubleArray(), TOL);
    }

    @Test
    void aZeroPosWeightIgnoresPositives() {
        Tensor loss = new BinaryCrossEntropy(0).apply(Tensor.of(DType.FLOAT64, new double[] {-3, 5}, 1, 2),
                Tensor.of(DType.FLOAT64, new double[] {1, 1}, 1, 2));
        assertEquals(0, loss.item(), 1e-15);
    }

    @Test
    void hugeLogitsGiveAFiniteLossAndGradient() {
        for (DType type : DType.values()) {
            Tensor z = Tensor.of(type, new double[] {1000, -1000, 1000, -1000}, 2, 2).requiresGrad(true);
            Tensor y = Tensor.of(type, new double[] {0, 1, 1, 0}, 2, 2);
            Tensor loss = new BinaryCrossEntropy(2.0).apply(z, y);
            // Wrong with certainty: 1000 each, the positive one weighted by 2; right with certainty: 0.
            assertEquals((1000 + 2 * 1000) / 4.0, loss.item(), 1e-3, type.toString());
            loss.backward();
            assertArrayEquals(new double[] {0.25, -0.5, 0, 0}, z.grad().toDoubleArray(), 1e-7, type.toString());
        }
    }

    @Test
    void float32GivesTheFloat64ValueToFloatPrecision() {
        Tensor z32 = Tensor.of(Z, 3, 2).requiresGrad(true);
        Tensor loss = new BinaryCrossEntropy(1.5).apply(z32, Tensor.of(Y, 3, 2));
        assertEquals(DType.FLOAT32, loss.dtype());
        assertEquals(new BinaryCrossEntropy(1.5).apply(logits(), targets()).item(), loss.item(), 1e-6);
        loss.backward();
        assertEquals(DType.FLOAT32, z32.grad().dtype());
    }

    @Test
    void errors() {
        String m = assertThrows(ShapeException.class,
                () -> new BinaryCrossEntropy().apply(Tensor.zeros(4, 2), Tensor.zeros(4, 1))).getMessage();
        assertEquals("bce: [4, 2] x [4, 1]", m);
        assertThrows(IllegalArgumentException.class, () -> new BinaryCrossEntropy(-1));
        assertThrows(IllegalArgumentException.class, () -> new BinaryCrossEntropy(Double.NaN));
        assertThrows(IllegalArgumentException.class, () -> new BinaryCrossEntropy(Double.POSITIVE_INFINITY));
        assertTrue(new BinaryCrossEntropy().posWeight() == 1.0);
    }
}
