package dev.backprop.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Values (not gradients) of the tensor operations, their broadcasting, and their error messages. */
class TensorTest {
    private static final Tensor A = Tensor.of(new double[] {1, 2, 3, 4, 5, 6}, 2, 3);

    private static void assertValues(Tensor t, double... expected) {
        assertArrayEquals(expected, t.toDoubleArray(), 1e-6, t.toString());
    }

    @Test
    void creation() {
        assertEquals(Shape.of(2, 3), A.shape());
        assertEquals(DType.FLOAT32, A.dtype());
        assertEquals(6, A.get(1, 2));
        assertEquals(Shape.scalar(), Tensor.scalar(2).shape());
        assertValues(Tensor.full(1.5, 2), 1.5, 1.5);
        assertValues(Tensor.zeros(3), 0, 0, 0);
        ShapeException e = assertThrows(ShapeException.class, () -> Tensor.of(new double[] {1, 2, 3}, 2, 2));
        assertTrue(e.getMessage().contains("[2, 2]"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Tensor.matrix(new double[][] {{1, 2}, {3}}));
    }

    @Test
    void seededRandomTensorsRepeat() {
        Tensor a = Tensor.rand(new SplittableRandom(7), 3, 4), b = Tensor.rand(new SplittableRandom(7), 3, 4);
        assertArrayEquals(a.toFloatArray(), b.toFloatArray());
        for (float v : a.toFloatArray()) assertTrue(v >= 0 && v < 1);
        Tensor u = Tensor.uniform(new SplittableRandom(1), -2, -1, 100);
        for (float v : u.toFloatArray()) assertTrue(v >= -2 && v <= -1);
        Tensor n = Tensor.randn(new SplittableRandom(3), 10_000);
        assertEquals(0, n.mean().item(), 0.05);
        assertEquals(1, n.pow(2).mean().item(), 0.05);
        assertFalse(java.util.Arrays.equals(a.toFloatArray(), Tensor.rand(new SplittableRandom(8), 3, 4).toFloatArray()));
    }

    @Test
    void elementwise() {
        assertValues(A.add(A), 2, 4, 6, 8, 10, 12);
        assertValues(A.sub(1), 0, 1, 2, 3, 4, 5);
        assertValues(A.mul(A), 1, 4, 9, 16, 25, 36);
        assertValues(A.div(2), 0.5, 1, 1.5, 2, 2.5, 3);
        assertValues(A.neg(), -1, -2, -3, -4, -5, -6);
        assertValues(A.pow(2), 1, 4, 9, 16, 25, 36);
        assertValues(A.pow(Tensor.scalar(0.5)), 1, Math.sqrt(2), Math.sqrt(3), 2, Math.sqrt(5), Math.sqrt(6));
        assertValues(A.sqrt(), 1, Math.sqrt(2), Math.sqrt(3), 2, Math.sqrt(5), Math.sqrt(6));
        assertValues(A.log().exp(), 1, 2, 3, 4, 5, 6);
        assertValues(A.neg().abs(), 1, 2, 3, 4, 5, 6);
        assertValues(A.clamp(2, 4.5), 2, 2, 3, 4, 4.5, 4.5);
    }

    @Test
    void broadcasting() {
        assertValues(A.add(Tensor.vector(10, 20, 30)), 11, 22, 33, 14, 25, 36);            // row vector over rows
        assertValues(A.mul(Tensor.of(new double[] {1, -1}, 2, 1)), 1, 2, 3, -4, -5, -6);   // column over columns
        assertValues(Tensor.scalar(1).sub(A), 0, -1, -2, -3, -4, -5);                       // scalar over anything
        assertEquals(Shape.of(2, 3), Tensor.of(new double[] {1, 2}, 2, 1).add(Tensor.vector(1, 2, 3)).shape());
        ShapeException e = assertThrows(ShapeException.class, () -> A.add(Tensor.vector(1, 2)));
        assertEquals("add: [2, 3] x [2]", e.getMessage());
        // Both operands stretched: [2, 1, 3] + [4, 1] -> [2, 4, 3], and the gradient sums back to each shape.
        Tensor p = Tensor.of(new double[] {1, 2, 3, 4, 5, 6}, 2, 1, 3).requiresGrad(true);
        Tensor q = Tensor.of(new double[] {10, 20, 30, 40}, 4, 1).requiresGrad(true);
        Tensor r = p.add(q);
        assertEquals(Shape.of(2, 4, 3), r.shape());
        assertEquals(4 + 30, r.get(1, 2, 0), 1e-6);
        r.sum().backward();
        assertValues(p.grad(), 4, 4, 4, 4, 4, 4);
        assertValues(q.grad(), 6, 6, 6, 6);
    }

    @Test
    void matmulWithTransposes() {
        Tensor b = Tensor.of(new double[] {1, 0, 0, 1, 1, 1}, 3, 2);
        assertValues(A.matmul(b), 4, 5, 10, 11);
        assertValues(A.transpose().matmul(b, true, false), 4, 5, 10, 11);
        assertValues(A.matmul(b.transpose(), false, true), 4, 5, 10, 11);
        assertValues(A.transpose().matmul(b.transpose(), true, true), 4, 5, 10, 11);
        ShapeException e = assertThrows(ShapeException.class,
                () -> Tensor.zeros(128, 784).matmul(Tensor.zeros(256, 10)));
        assertEquals("matmul: [128, 784] x [256, 10]", e.getMessage());
        assertThrows(ShapeException.class, () -> Tensor.zeros(3).matmul(Tensor.zeros(3, 1)));
    }

    @Test
    void reductions() {
        assertEquals(21, A.sum().item(), 1e-6);
        assertEquals(3.5, A.mean().item(), 1e-6);
        assertEquals(6, A.max().item());
        assertEquals(5, A.argmax());
        assertValues(A.sum(0, false), 5, 7, 9);
        assertValues(A.sum(1, false), 6, 15);
        assertEquals(Shape.of(2, 1), A.sum(1, true).shape());
        assertValues(A.mean(-1, false), 2, 5);
        assertValues(A.max(0, false), 4, 5, 6);
        assertArrayEquals(new int[] {2, 2}, A.argmax(1));
        assertArrayEquals(new int[] {1, 1, 1}, A.argmax(0));
        assertEquals(Shape.scalar(), A.sum().shape());
        assertThrows(IllegalArgumentException.class, () -> A.sum(2, false));
    }

    @Test
    void shapeOperations() {
        assertEquals(Shape.of(3, 2), A.reshape(3, -1).shape());
        assertValues(A.reshape(6), 1, 2, 3, 4, 5, 6);
        assertValues(A.transpose(), 1, 4, 2, 5, 3, 6);
        assertValues(A.sliceRows(1, 2), 4, 5, 6);
        assertValues(A.gatherRows(1, 0, 1), 4, 5, 6, 1, 2, 3, 4, 5, 6);
        Tensor t3 = Tensor.of(new double[] {0, 1, 2, 3, 4, 5, 6, 7}, 2, 2, 2);
        assertValues(t3.transpose(0, 2), 0, 4, 2, 6, 1, 5, 3, 7);
        ShapeException e = assertThrows(ShapeException.class, () -> A.reshape(4, 2));
        assertTrue(e.getMessage().startsWith("reshape: [2, 3]"), e.getMessage());
        assertThrows(IndexOutOfBoundsException.class, () -> A.sliceRows(1, 3));
        assertThrows(IndexOutOfBoundsException.class, () -> A.gatherRows(2));
    }

    @Test
    void activations() {
        Tensor z = Tensor.vector(-2, 0, 3);
        assertValues(z.sigmoid(), 1 / (1 + Math.exp(2)), 0.5, 1 / (1 + Math.exp(-3)));
        assertValues(z.tanh(), Math.tanh(-2), 0, Math.tanh(3));
        assertValues(z.relu(), 0, 0, 3);
        assertValues(z.leakyRelu(0.01), -0.02, 0, 3);
        Tensor p = A.softmax(-1);
        assertValues(p.sum(1, false), 1, 1);
        double e = Math.exp(1) + Math.exp(2) + Math.exp(3);
        assertEquals(Math.exp(3) / e, p.get(0, 2), 1e-6);
        assertValues(A.logSoftmax(1).exp(), p.toDoubleArray());
    }

    @Test
    void largeInputsDoNotProduceNaN() {
        Tensor big = Tensor.vector(1000, 0, -1000);
        assertValues(big.softmax(0), 1, 0, 0);
        assertValues(big.logSoftmax(0), 0, -1000, -2000);
        assertValues(Tensor.vector(-1000, 1000).sigmoid(), 0, 1);
        assertValues(Tensor.vector(-100, 100).tanh(), -1, 1);
        Tensor huge = Tensor.vector(3e38, -3e38);
        for (double v : huge.logSoftmax(0).toDoubleArray()) assertFalse(Double.isNaN(v));
        assertEquals(Double.NEGATIVE_INFINITY, Tensor.scalar(0).log().item());
        // Gradients through them stay finite too.
        Tensor x = Tensor.vector(1000, 0, -1000).requiresGrad(true);
        x.logSoftmax(0).mul(Tensor.vector(1, 2, 3)).sum().backward();
        for (double v : x.grad().toDoubleArray()) assertTrue(Double.isFinite(v));
    }

    @Test
    void float64TensorsComputeInDoublePrecision() {
        Tensor d = Tensor.of(DType.FLOAT64, new double[] {1e-10, 1}, 2);
        assertEquals(DType.FLOAT64, d.add(1).dtype());
        assertEquals(1 + 1e-10, d.add(1).getFlat(0), 1e-16);
        assertEquals(DType.FLOAT64, d.add(Tensor.vector(1, 1)).dtype()); // float32 mixed in is promoted
        assertEquals(DType.FLOAT32, d.to(DType.FLOAT32).dtype());
    }

    @Test
    void printing() {
        assertEquals("tensor([2, 3] float32, [[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]])", A.toString());
        assertTrue(Tensor.zeros(100, 100).toString().contains("..."));
    }
}
