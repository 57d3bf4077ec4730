package dev.backprop.autograd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.backprop.tensor.Tensor;
import org.junit.jupiter.api.Test;

/** The backward pass itself: accumulation, zeroing, no-grad scopes, detach, long chains and its errors. */
class AutogradTest {

    @Test
    void aValueUsedTwiceGetsBothContributions() {
        Tensor x = Tensor.scalar(3).requiresGrad(true);
        x.mul(x).add(x).backward(); // d(x² + x)/dx = 2x + 1
        assertEquals(7, x.grad().item(), 1e-6);
    }

    @Test
    void gradientsAccumulateAcrossCallsUntilZeroed() {
        Tensor x = Tensor.vector(1, 2).requiresGrad(true);
        x.mul(3).sum().backward();
        x.mul(3).sum().backward();
        assertEquals(6, x.grad().getFlat(1), 1e-6);
        x.zeroGrad();
        assertEquals(0, x.grad().getFlat(0));
        x.mul(2).sum().backward();
        assertEquals(2, x.grad().getFlat(0), 1e-6);
    }

    @Test
    void noGradScopeRecordsNothing() {
        Tensor x = Tensor.vector(1, 2).requiresGrad(true);
        Tensor y;
        try (NoGrad ignored = NoGrad.enter()) {
            y = x.mul(2);
            assertFalse(NoGrad.isRecording());
        }
        assertTrue(NoGrad.isRecording());
        assertFalse(y.requiresGrad());
        assertNull(y.gradFn());
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> y.sum().backward());
        assertTrue(e.getMessage().contains("does not require a gradient"), e.getMessage());
    }

    @Test
    void detachStopsTheGradient() {
        Tensor x = Tensor.scalar(2).requiresGrad(true);
        Tensor y = x.mul(x).detach().mul(x); // d/dx (c · x) with c = x² held constant = 4
        y.backward();
        assertEquals(4, x.grad().item(), 1e-6);
        assertTrue(x.mul(x).detach().isLeaf());
    }

    @Test
    void aTenThousandOpChainDoesNotOverflowTheStack() {
        Tensor x = Tensor.scalar(1).requiresGrad(true);
        Tensor y = x;
        for (int i = 0; i < 10_000; i++) y = y.mul(1.0001);
        y.backward();
        assertEquals(Math.pow(1.0001, 10_000), x.grad().item(), 1e-3);
    }

    @Test
    void nonScalarBackwardNeedsAnUpstreamGradient() {
        Tensor x = Tensor.ones(2, 3).requiresGrad(true);
        Tensor y = x.mul(2);
        IllegalStateException e = assertThrows(IllegalStateException.class, y::backward);
        assertTrue(e.getMessage().contains("[2, 3]") && e.getMessage().contains("upstream"), e.getMessage());
        y.backward(Tensor.full(0.5, 2, 3));
        assertEquals(1, x.grad().getFlat(5), 1e-6);
    }

    @Test
    void upstreamGradientMustMatchTheOutputShape() {
        Tensor y = Tensor.ones(2, 3).requiresGrad(true).mul(2);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> y.backward(Tensor.ones(3, 2)));
        assertTrue(e.getMessage().contains("[3, 2]") && e.getMessage().contains("[2, 3]"), e.getMessage());
    }

    @Test
    void onlyLeavesCanBeMarked() {
        Tensor y = Tensor.ones(2).requiresGrad(true).mul(2);
        assertThrows(IllegalStateException.class, () -> y.requiresGrad(false));
    }

    @Test
    void aFunctionIsAppliedOnce() {
        var relu = new dev.backprop.autograd.ops.Relu();
        relu.apply(Tensor.ones(2));
        assertThrows(IllegalStateException.class, () -> relu.apply(Tensor.ones(2)));
    }

    @Test
    void float32GradientsFlowIntoFloat32Leaves() {
        Tensor w = Tensor.matrix(new double[][] {{1, 2}, {3, 4}}).requiresGrad(true);
        Tensor x = Tensor.matrix(new double[][] {{0.5, -1}});
        x.matmul(w, false, true).sum().backward(); // ∂/∂W of Σ x·Wᵀ: every row of W gets x
        assertEquals(dev.backprop.tensor.DType.FLOAT32, w.grad().dtype());
        assertEquals("[0.5, -1.0, 0.5, -1.0]", java.util.Arrays.toString(w.grad().toFloatArray()));
    }

    @Test
    void retainGradKeepsAnIntermediateGradient() {
        Tensor x = Tensor.scalar(0.5).requiresGrad(true);
        Tensor net = x.mul(2).retainGrad();
        Tensor out = net.sigmoid();
        out.backward();
        double s = 1 / (1 + Math.exp(-1.0));
        assertEquals(s * (1 - s), net.grad().item(), 1e-6);      // δ = ∂out/∂net
        assertEquals(2 * s * (1 - s), x.grad().item(), 1e-6);
        assertNull(out.mul(1).grad());
    }
}
