package dev.backprop.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.backprop.tensor.DType;
import dev.backprop.tensor.Tensor;
import java.util.List;
import org.junit.jupiter.api.Test;

class GradientClippingTest {

    private static Tensor withGrad(DType dtype, double... grad) {
        Tensor p = Tensor.zeros(dtype, dev.backprop.tensor.Shape.of(grad.length)).requiresGrad(true);
        p.setGrad(Tensor.of(dtype, grad, grad.length));
        return p;
    }

    @Test
    void globalNormScalesAllGradientsTogether() {
        Tensor a = withGrad(DType.FLOAT64, 3, 4), b = withGrad(DType.FLOAT32, 12), none = Tensor.zeros(2);
        double norm = GradientClipping.clipByGlobalNorm(List.of(a, b, none), 6.5);
        assertEquals(13, norm, 1e-12);                                       // √(9 + 16 + 144)
        double c = 6.5 / (13 + 1e-6);
        assertArrayEquals(new double[] {3 * c, 4 * c}, a.grad().toDoubleArray(), 1e-15);
        assertArrayEquals(new double[] {12 * c}, b.grad().toDoubleArray(), 1e-6);
        double after = Math.sqrt(Math.pow(3 * c, 2) + Math.pow(4 * c, 2) + Math.pow(12 * c, 2));
        assertEquals(6.5, after, 1e-6);
    }

    @Test
    void aNormWithinTheLimitLeavesGradientsAlone() {
        Tensor a = withGrad(DType.FLOAT32, 3, 4);
        assertEquals(5, GradientClipping.clipByGlobalNorm(List.of(a), 5.1), 1e-6);
        assertArrayEquals(new float[] {3, 4}, a.grad().floats());
    }

    @Test
    void aNonFiniteNormIsReportedAndNothingIsScaled() {
        Tensor a = withGrad(DType.FLOAT32, 3, Double.NaN), b = withGrad(DType.FLOAT64, 1);
        assertTrue(Double.isNaN(GradientClipping.clipByGlobalNorm(List.of(a, b), 1)));
        assertArrayEquals(new double[] {1}, b.grad().toDoubleArray());
        Tensor c = withGrad(DType.FLOAT64, Double.POSITIVE_INFINITY, 2);
        assertEquals(Double.POSITIVE_INFINITY, GradientClipping.clipByGlobalNorm(List.of(c), 1));
        assertArrayEquals(new double[] {Double.POSITIVE_INFINITY, 2}, c.grad().toDoubleArray());
    }

    @Test
    void valueClippingClampsEachElement() {
        Tensor a = withGrad(DType.FLOAT32, -3, 0.2, 5, Double.NaN), b = withGrad(DType.FLOAT64, 0.5, -0.7);
        GradientClipping.clipByValue(List.of(a, b, Tensor.zeros(1)), 0.5);
        assertArrayEquals(new float[] {-0.5f, 0.2f, 0.5f, Float.NaN}, a.grad().floats());
        assertArrayEquals(new double[] {0.5, -0.5}, b.grad().doubles());
    }

    @Test
    void invalidLimitsAreRejected() {
        var e = assertThrows(IllegalArgumentException.class, () -> GradientClipping.clipByGlobalNorm(List.of(), -1));
        assertEquals("clipByGlobalNorm: maxNorm must be a finite number >= 0, got -1.0", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> GradientClipping.clipByValue(List.of(), Double.NaN));
        assertEquals("clipByValue: limit must be >= 0, got NaN", e.getMessage());
    }
}
