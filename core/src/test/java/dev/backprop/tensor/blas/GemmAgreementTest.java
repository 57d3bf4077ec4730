package dev.backprop.tensor.blas;

import dev.backprop.tensor.Kernels;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * SmallGemm, JavaKernels and OpenBlasKernels each agree with a naive double-precision product, in both precisions,
 * for all four transpose combinations, tight and padded layouts (offsets, leading dimensions past the row), and
 * alpha/beta other than 0 and 1. Padding around C must come back untouched.
 */
class GemmAgreementTest {
    /** m, n, k: vectors, a scalar, odd sizes, and ones well above {@link Kernels#SMALL_PRODUCT}. */
    private static final int[][] SHAPES = {
            {1, 1, 1}, {1, 9, 4}, {9, 1, 4}, {6, 7, 1}, {1, 1, 13}, {17, 33, 5}, {5, 17, 33}, {64, 80, 96},
    };

    /** Precision-independent view of the three implementations. */
    private interface Gemm {
        /** False if this implementation takes only alpha = 1 and beta in {0, 1}. */
        boolean general();

        void run(boolean transA, boolean transB, int m, int n, int k, double alpha, Layout l, double beta,
                 float[] a, float[] b, float[] c);

        void run(boolean transA, boolean transB, int m, int n, int k, double alpha, Layout l, double beta,
                 double[] a, double[] b, double[] c);
    }

    private record Layout(int aOff, int lda, int bOff, int ldb, int cOff, int ldc) {}

    private static Gemm blas(Kernels kernels) {
        return new Gemm() {
            public boolean general() {
                return true;
            }

            public void run(boolean tA, boolean tB, int m, int n, int k, double alpha, Layout l, double beta,
                            float[] a, float[] b, float[] c) {
                kernels.sgemm(tA, tB, m, n, k, (float) alpha, a, l.aOff, l.lda, b, l.bOff, l.ldb, (float) beta,
                        c, l.cOff, l.ldc);
            }

            public void run(boolean tA, boolean tB, int m, int n, int k, double alpha, Layout l, double beta,
                            double[] a, double[] b, double[] c) {
                kernels.dgemm(tA, tB, m, n, k, alpha, a, l.aOff, l.lda, b, l.bOff, l.ldb, beta, c, l.cOff, l.ldc);
            }

            public String toString() {
                return kernels.name();
            }
        };
    }

    private static final Gemm SMALL = new Gemm() {
        public boolean general() {
            return false;
        }

        public void run(boolean tA, boolean tB, int m, int n, int k, double alpha, Layout l, double beta,
                        float[] a, float[] b, float[] c) {
            SmallGemm.sgemm(tA, tB, m, n, k, a, l.aOff, l.lda, b, l.bOff, l.ldb, beta == 1, c, l.cOff, l.ldc);
        }

        public void run(boolean tA, boolean tB, int m, int n, int k, double alpha, Layout l, double beta,
                        double[] a, double[] b, double[] c) {
            SmallGemm.dgemm(tA, tB, m, n, k, a, l.aOff, l.lda, b, l.bOff, l.ldb, beta == 1, c, l.cOff, l.ldc);
        }

        public String toString() {
            return "small";
        }
    };

    static Stream<Arguments> cases() {
        List<Arguments> cases = new ArrayList<>();
        for (Gemm gemm : List.of(SMALL, blas(JavaKernels.INSTANCE), blas(OpenBlasKernels.load()))) {
            for (boolean doubles : new boolean[]{false, true}) {
                for (boolean tA : new boolean[]{false, true}) {
                    for (boolean tB : new boolean[]{false, true}) {
                        cases.add(Arguments.of(gemm, doubles ? "double" : "float", tA, tB));
                    }
                }
            }
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0} {1} transA={2} transB={3}")
    @MethodSource("cases")
    void agreesWithNaiveDoubleProduct(Gemm gemm, String precision, boolean tA, boolean tB) {
        boolean doubles = precision.equals("double");
        double[][] alphaBetas = gemm.general()
                ? new double[][]{{1, 0}, {1, 1}, {1.5, -0.75}, {-2, 0}}
                : new double[][]{{1, 0}, {1, 1}};
        SplittableRandom random = new SplittableRandom(42);
        for (int[] shape : SHAPES) {
            int m = shape[0], n = shape[1], k = shape[2];
            int aRows = tA ? k : m, aCols = tA ? m : k, bRows = tB ? n : k, bCols = tB ? k : n;
            for (boolean padded : new boolean[]{false, true}) {
                Layout l = padded
                        ? new Layout(3, aCols + 2, 5, bCols + 1, 7, n + 3)
                        : new Layout(0, aCols, 0, bCols, 0, n);
                for (double[] ab : alphaBetas) {
                    double[] a = randoms(random, l.aOff + aRows * l.lda + 1);
                    double[] b = randoms(random, l.bOff + bRows * l.ldb + 2);
                    double[] c0 = randoms(random, l.cOff + m * l.ldc + 3);
                    if (ab[1] == 0) c0[l.cOff] = Double.NaN;   // beta = 0 must ignore C, not multiply it
                    double[] c;
                    if (doubles) {
                        c = c0.clone();
                        gemm.run(tA, tB, m, n, k, ab[0], l, ab[1], a, b, c);
                    } else {
                        float[] cf = floats(c0);
                        gemm.run(tA, tB, m, n, k, ab[0], l, ab[1], floats(a), floats(b), cf);
                        c = doubles(cf);
                    }
                    String what = gemm + " " + precision + " " + (tA ? "T" : "N") + (tB ? "T" : "N") + " m=" + m
                            + " n=" + n + " k=" + k + " alpha=" + ab[0] + " beta=" + ab[1] + " " + l;
                    check(what, doubles ? 1e-12 : 1e-5, tA, tB, m, n, k, ab[0], ab[1], l, a, b, c0, c);
                }
            }
        }
    }

    /** Entry-wise: |c - ref| within tol of |alpha| Σ|a||b| + |beta c0|, the scale a rounding error is relative to. */
    private static void check(String what, double tol, boolean tA, boolean tB, int m, int n, int k,
                              double alpha, double beta, Layout l, double[] a, double[] b, double[] c0, double[] c) {
        boolean[] inside = new boolean[c.length];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double sum = 0, scale = 0;
                for (int p = 0; p < k; p++) {
                    double x = tA ? a[l.aOff + p * l.lda + i] : a[l.aOff + i * l.lda + p];
                    double y = tB ? b[l.bOff + j * l.ldb + p] : b[l.bOff + p * l.ldb + j];
                    sum += x * y;
                    scale += Math.abs(x * y);
                }
                int at = l.cOff + i * l.ldc + j;
                inside[at] = true;
                double expected = alpha * sum + (beta == 0 ? 0 : beta * c0[at]);
                double bound = tol * (Math.abs(alpha) * scale + (beta == 0 ? 0 : Math.abs(beta * c0[at]))) + 1e-300;
                if (!(Math.abs(c[at] - expected) <= bound)) {
                    fail(what + ": C[" + i + ", " + j + "] = " + c[at] + ", expected " + expected + " ± " + bound);
                }
            }
        }
        for (int at = 0; at < c.length; at++) {
            if (!inside[at] && Double.doubleToLongBits(c[at]) != Double.doubleToLongBits(c0[at])) {
                fail(what + ": C padding at index " + at + " changed from " + c0[at] + " to " + c[at]);
            }
        }
    }

    private static double[] randoms(SplittableRandom random, int length) {
        double[] x = new double[length];
        // Values exactly representable in float, so both precisions start from the same numbers and the padding of C
        // survives the round trip bit for bit.
        for (int i = 0; i < length; i++) x[i] = (float) random.nextDouble(-1, 1);
        return x;
    }

    private static float[] floats(double[] x) {
        float[] f = new float[x.length];
        for (int i = 0; i < x.length; i++) f[i] = (float) x[i];
        return f;
    }

    private static double[] doubles(float[] x) {
        double[] d = new double[x.length];
        for (int i = 0; i < x.length; i++) d[i] = x[i];
        return d;
    }

    @ParameterizedTest(name = "transA={0} transB={1}")
    @MethodSource("transposes")
    void kernelsGemmAgreesOnBothSidesOfTheSmallProductThreshold(boolean tA, boolean tB) {
        SplittableRandom random = new SplittableRandom(3);
        for (int[] shape : new int[][]{{2, 2, 2}, {4, 2, 2}, {17, 33, 5}}) {
            int m = shape[0], n = shape[1], k = shape[2];
            Layout l = new Layout(0, tA ? m : k, 0, tB ? k : n, 0, n);
            for (boolean accumulate : new boolean[]{false, true}) {
                double[] a = randoms(random, m * k), b = randoms(random, k * n), c0 = randoms(random, m * n);
                double[] c = c0.clone();
                Kernels.gemm(tA, tB, m, n, k, a, b, c, accumulate);
                float[] cf = floats(c0);
                Kernels.gemm(tA, tB, m, n, k, floats(a), floats(b), cf, accumulate);
                String what = "Kernels.gemm " + (tA ? "T" : "N") + (tB ? "T" : "N") + " m=" + m + " n=" + n
                        + " k=" + k + " accumulate=" + accumulate;
                double beta = accumulate ? 1 : 0;
                check(what + " double", 1e-12, tA, tB, m, n, k, 1, beta, l, a, b, c0, c);
                check(what + " float", 1e-5, tA, tB, m, n, k, 1, beta, l, a, b, c0, doubles(cf));
            }
        }
    }

    static Stream<Arguments> transposes() {
        return Stream.of(Arguments.of(false, false), Arguments.of(false, true), Arguments.of(true, false),
                Arguments.of(true, true));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("kernels")
    void emptyProductsTouchOnlyWhatBetaSays(Kernels kernels) {
        float[] c = {1, 2, 3, 4, 5};
        kernels.sgemm(false, false, 2, 2, 0, 1f, new float[0], 0, 1, new float[0], 0, 2, 2f, c, 0, 2);
        assertEquals("[2.0, 4.0, 6.0, 8.0, 5.0]", java.util.Arrays.toString(c), "k = 0 scales C by beta");
        double[] d = {Double.NaN, 2, 3};
        kernels.dgemm(true, true, 1, 2, 0, 1.0, new double[0], 0, 1, new double[0], 0, 1, 0.0, d, 0, 2);
        assertEquals("[0.0, 0.0, 3.0]", java.util.Arrays.toString(d), "k = 0, beta = 0 clears C");
        kernels.sgemm(false, false, 0, 3, 4, 1f, new float[0], 0, 4, new float[12], 0, 3, 0f, c, 0, 3);
        kernels.sgemm(false, false, 3, 0, 4, 1f, new float[12], 0, 4, new float[0], 0, 1, 0f, c, 0, 1);
        assertEquals("[2.0, 4.0, 6.0, 8.0, 5.0]", java.util.Arrays.toString(c), "m = 0 or n = 0 is a no-op");
    }

    static Stream<Kernels> kernels() {
        return Stream.of(JavaKernels.INSTANCE, OpenBlasKernels.load());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("kernels")
    void badBoundsAreRejectedBeforeTouchingMemory(Kernels kernels) {
        float[] a = new float[6], b = new float[6], c = new float[4];
        expectBadArgument(() -> kernels.sgemm(false, false, 2, 2, 3, 1f, a, 0, 3, b, 0, 2, 0f, c, 1, 2), "C");
        expectBadArgument(() -> kernels.sgemm(false, false, 2, 2, 3, 1f, a, 0, 2, b, 0, 2, 0f, c, 0, 2), "lda=2");
        expectBadArgument(() -> kernels.sgemm(true, false, 2, 2, 3, 1f, a, 1, 2, b, 0, 2, 0f, c, 0, 2), "A");
        expectBadArgument(() -> kernels.sgemm(false, true, 2, 2, 3, 1f, a, 0, 3, b, -1, 3, 0f, c, 0, 2), "B");
        expectBadArgument(() -> kernels.sgemm(false, false, -1, 2, 3, 1f, a, 0, 3, b, 0, 2, 0f, c, 0, 2), "negative");
        double[] ad = new double[6], bd = new double[6], cd = new double[4];
        expectBadArgument(() -> kernels.dgemm(false, false, 2, 2, 3, 1.0, ad, 0, 3, bd, 0, 2, 0.0, cd, 0, 3), "C");
    }

    private static void expectBadArgument(Runnable call, String mention) {
        try {
            call.run();
            fail("expected IllegalArgumentException mentioning " + mention);
        } catch (IllegalArgumentException e) {
            assertTrue(e.getMessage().contains(mention) && e.getMessage().contains("gemm"), e.getMessage());
        }
    }
}
