package dev.backprop.optim;

import dev.backprop.tensor.DType;
import dev.backprop.tensor.Kernels;
import dev.backprop.tensor.Tensor;
import dev.backprop.tensor.blas.OpenBlasKernels;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A step over large float32 parameters is cut into ranges that the product threads update at once
 * ({@link Optimizer#RANGE}); it must give the same bits as updating each element alone, whichever thread runs a
 * range. And {@link Optimizer#stepAndZeroGrad()} must equal {@code step()} then {@code zeroGrad()}.
 */
class OptimizerRangesTest {
    private static final int PIECES = 8, PIECE = 40_000;   // 320,000 elements: cut into 20 ranges

    private static final List<Function<Map<String, Tensor>, Optimizer>> OPTIMIZERS = List.of(
            p -> Adam.builder().lr(1e-2).weightDecay(1e-3).build(p),
            p -> AdamW.builder().lr(1e-2).weightDecay(1e-2).build(p),
            p -> Sgd.builder().lr(0.1).build(p),
            p -> Sgd.builder().lr(0.1).momentum(0.9).nesterov(true).weightDecay(1e-3).build(p),
            p -> RmsProp.builder().lr(1e-2).build(p),
            p -> Adagrad.builder().lr(1e-2).build(p));

    private static float[] values(long seed, int n) {
        SplittableRandom rng = new SplittableRandom(seed);
        float[] v = new float[n];
        for (int i = 0; i < n; i++) v[i] = (float) rng.nextGaussian();
        return v;
    }

    /** Three steps of one optimizer over one large parameter, gradients drawn per step; the parameter after. */
    private static float[] whole(Function<Map<String, Tensor>, Optimizer> make, boolean fused) {
        Tensor w = Tensor.wrap(values(1, PIECES * PIECE), PIECES * PIECE).requiresGrad(true);
        Optimizer opt = make.apply(Map.of("w", w));
        for (int step = 0; step < 3; step++) {
            float[] g = values(100 + step, PIECES * PIECE);
            if (fused && step > 0) {
                assertArrayEquals(new float[g.length], w.grad().floats(), "stepAndZeroGrad left the gradient zero");
                float[] into = w.grad().floats();
                System.arraycopy(g, 0, into, 0, g.length);
            } else {
                w.setGrad(Tensor.wrap(g, g.length));
            }
            if (fused) opt.stepAndZeroGrad();
            else opt.step();
        }
        return w.floats().clone();
    }

    /** The same, as PIECES parameters each under its own optimizer: too small to cut, updated whole. */
    private static float[] inPieces(Function<Map<String, Tensor>, Optimizer> make) {
        float[] start = values(1, PIECES * PIECE), out = new float[start.length];
        List<Tensor> pieces = new ArrayList<>();
        List<Optimizer> opts = new ArrayList<>();
        for (int k = 0; k < PIECES; k++) {
            float[] v = new float[PIECE];
            System.arraycopy(start, k * PIECE, v, 0, PIECE);
            Tensor t = Tensor.wrap(v, PIECE).requiresGrad(true);
            pieces.add(t);
            Map<String, Tensor> one = new LinkedHashMap<>();
            one.put("w", t);
            opts.add(make.apply(one));
        }
        for (int step = 0; step < 3; step++) {
            float[] g = values(100 + step, PIECES * PIECE);
            for (int k = 0; k < PIECES; k++) {
                float[] part = new float[PIECE];
                System.arraycopy(g, k * PIECE, part, 0, PIECE);
                pieces.get(k).setGrad(Tensor.wrap(part, PIECE));
                opts.get(k).step();
            }
        }
        for (int k = 0; k < PIECES; k++) System.arraycopy(pieces.get(k).floats(), 0, out, k * PIECE, PIECE);
        return out;
    }

    @Test
    void aCutStepGivesTheBitsOfAWholeOneOnAnyThreadCount() {
        assertTrue(PIECE < Optimizer.MIN_CUT && PIECES * PIECE > 4 * Optimizer.RANGE, "pieces whole, the whole cut");
        OpenBlasKernels blas = OpenBlasKernels.load();
        int before = blas.threads();
        try {
            for (int threads : new int[] {1, 2, 3}) {
                blas.setThreads(threads);
                float[] a = new float[512 * 512];
                Kernels.gemm(false, false, 512, 512, 512, a, a, new float[512 * 512], false);   // helpers running
                for (int i = 0; i < OPTIMIZERS.size(); i++) {
                    float[] expected = inPieces(OPTIMIZERS.get(i));
                    assertArrayEquals(expected, whole(OPTIMIZERS.get(i), false), "optimizer " + i + ", " + threads + " threads");
                    assertArrayEquals(expected, whole(OPTIMIZERS.get(i), true), "fused, optimizer " + i + ", " + threads + " threads");
                }
            }
        } finally {
            blas.setThreads(before);
        }
    }

    @Test
    void stepAndZeroGradZeroesFloat64AndSmallParametersToo() {
        for (DType type : DType.values()) {
            for (Function<Map<String, Tensor>, Optimizer> make : OPTIMIZERS) {
                Tensor a = Tensor.of(type, new double[] {1, 2, 3}, 3).requiresGrad(true);
                Tensor b = Tensor.of(type, new double[] {1, 2, 3}, 3).requiresGrad(true);
                Optimizer fused = make.apply(Map.of("w", a)), plain = make.apply(Map.of("w", b));
                for (int step = 0; step < 2; step++) {
                    a.setGrad(Tensor.of(type, new double[] {0.5, -1, 2}, 3));
                    b.setGrad(Tensor.of(type, new double[] {0.5, -1, 2}, 3));
                    fused.stepAndZeroGrad();
                    plain.step();
                    plain.zeroGrad();
                    assertArrayEquals(b.toDoubleArray(), a.toDoubleArray(), type + " " + fused.type());
                    assertArrayEquals(new double[3], a.grad().toDoubleArray());
                    assertEquals(plain.steps(), fused.steps());
                }
            }
        }
    }
}
