package dev.backprop.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.backprop.tensor.blas.JavaKernels;
import dev.backprop.tensor.blas.OpenBlasKernels;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Products with one row or one column go through gemv instead of gemm. On both kernels, in every transpose
 * combination and with accumulation, they equal a plain double-precision reference.
 */
class GemvPathTest {

    private static double ref(boolean tA, boolean tB, int m, int n, int k, double[] a, double[] b, int i, int j) {
        double s = 0;
        for (int p = 0; p < k; p++) s += (tA ? a[p * m + i] : a[i * k + p]) * (tB ? b[j * k + p] : b[p * n + j]);
        return s;
    }

    @Test
    void oneRowAndOneColumnProductsMatchTheReference() {
        SplittableRandom rng = new SplittableRandom(3);
        int[][] mnk = {{1, 40, 300}, {300, 1, 40}, {1, 1, 500}, {1, 257, 33}};
        for (Kernels kernels : List.of(OpenBlasKernels.load(), JavaKernels.INSTANCE)) {
            try (Kernels.Scope ignored = Kernels.use(kernels)) {
                for (int[] s : mnk) {
                    int m = s[0], n = s[1], k = s[2];
                    for (int t = 0; t < 8; t++) {
                        boolean tA = (t & 1) != 0, tB = (t & 2) != 0, acc = (t & 4) != 0;
                        double[] a = rng.doubles(m * k, -1, 1).toArray(), b = rng.doubles(k * n, -1, 1).toArray();
                        double[] c0 = rng.doubles(m * n, -1, 1).toArray();
                        float[] af = new float[a.length], bf = new float[b.length], cf = new float[c0.length];
                        for (int i = 0; i < a.length; i++) a[i] = af[i] = (float) a[i];
                        for (int i = 0; i < b.length; i++) b[i] = bf[i] = (float) b[i];
                        for (int i = 0; i < c0.length; i++) c0[i] = cf[i] = (float) c0[i];
                        double[] cd = c0.clone();
                        Kernels.gemm(tA, tB, m, n, k, af, bf, cf, acc);
                        Kernels.gemm(tA, tB, m, n, k, a, b, cd, acc);
                        String what = kernels.name() + " " + m + "x" + n + "x" + k + " tA=" + tA + " tB=" + tB + " acc=" + acc;
                        for (int i = 0; i < m; i++) {
                            for (int j = 0; j < n; j++) {
                                double want = ref(tA, tB, m, n, k, a, b, i, j) + (acc ? c0[i * n + j] : 0);
                                assertEquals(want, cd[i * n + j], 1e-12, what + " (double)");
                                assertEquals(want, cf[i * n + j], 1e-4, what + " (float)");
                            }
                        }
                    }
                }
            }
        }
    }

    @Test
    void gemvHonoursOffsetsAndRowStrides() {
        for (Kernels kernels : List.of(OpenBlasKernels.load(), JavaKernels.INSTANCE)) {
            // A is 2 x 3 inside a 2 x 5 array starting at offset 1: rows (1, 2, 3) and (6, 7, 8).
            float[] a = {0, 1, 2, 3, 0, 0, 6, 7, 8, 0, 0};
            float[] x = {9, 1, 1, 1}, y = {5, 0, 0};
            kernels.sgemv(false, 2, 3, 1f, a, 1, 5, x, 1, 0f, y, 1);
            assertEquals(6, y[1], 1e-6, kernels.name());
            assertEquals(21, y[2], 1e-6, kernels.name());
            assertEquals(5, y[0], kernels.name());
            float[] z = {0, 0, 0};
            kernels.sgemv(true, 2, 3, 2f, a, 1, 5, new float[] {1, 1}, 0, 0f, z, 0); // 2·Aᵀ·(1, 1)
            assertEquals(14, z[0], 1e-6);
            assertEquals(22, z[2], 1e-6);
        }
    }
}
