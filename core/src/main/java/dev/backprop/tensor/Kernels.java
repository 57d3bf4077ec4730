package dev.backprop.tensor;

import dev.backprop.tensor.blas.JavaKernels;
import dev.backprop.tensor.blas.OpenBlasKernels;
import dev.backprop.tensor.blas.SmallGemm;

/**
 * The matrix-product kernels every tensor op ends up in: general matrix multiply in single and double precision.
 *
 * <p>Matrices are row-major. {@code C[m, n] = alpha * op(A) * op(B) + beta * C}, where {@code op(A)} is {@code A}
 * ({@code [m, k]}) or, with {@code transA}, the transpose of an {@code A} stored as {@code [k, m]}; likewise
 * {@code op(B)} is {@code [k, n]}. {@code lda}, {@code ldb}, {@code ldc} are the row strides of the arrays as
 * stored, and the offsets say where each matrix starts, so a row block of a larger array needs no copy.
 *
 * <p>Two implementations agree to float32 tolerance: {@link OpenBlasKernels} (the default: OpenBLAS bundled by
 * {@code org.bytedeco:openblas}, called through the Foreign Function API on the Java arrays themselves, no copy)
 * and {@link JavaKernels} (pure Java). Elementwise maps and reductions are plain Java loops shared by both, because
 * OpenBLAS has nothing faster to offer for them.
 *
 * <p>Which one runs: {@link #active()} is the native kernel unless the system property
 * {@code backprop.kernels=java} asks for the pure-Java one, or the native library cannot load (then a one-line
 * notice goes to stderr, once). {@link #use(Kernels)} overrides the choice for the current thread within a scope.
 * Products too small to repay a native call (the seeds' 2×2 nets) never leave Java: see {@link #gemm}.
 *
 * <pre>{@code
 * try (var scope = Kernels.use(JavaKernels.INSTANCE)) { c = a.matmul(b); }   // force pure Java here
 * }</pre>
 */
public interface Kernels {

    /** A short name for messages and benchmarks, e.g. {@code "openblas"} or {@code "java"}. */
    String name();

    /** Single-precision product; see the class comment for the layout. */
    void sgemm(boolean transA, boolean transB, int m, int n, int k, float alpha,
               float[] a, int aOffset, int lda, float[] b, int bOffset, int ldb,
               float beta, float[] c, int cOffset, int ldc);

    /** Double-precision product (used by gradient checks and by float64 tensors). */
    void dgemm(boolean transA, boolean transB, int m, int n, int k, double alpha,
               double[] a, int aOffset, int lda, double[] b, int bOffset, int ldb,
               double beta, double[] c, int cOffset, int ldc);

    /**
     * Single-precision matrix–vector product {@code y = alpha * op(A) * x + beta * y}: {@code A} is stored row-major as
     * {@code [rows, cols]} with row stride {@code lda}; {@code op(A)} is {@code A} ({@code x} has {@code cols}
     * elements, {@code y} {@code rows}) or, with {@code transA}, its transpose. {@code x} and {@code y} are
     * contiguous. A product with one row or one column goes here: as a matrix product, BLAS would pack the whole
     * matrix for a single row.
     */
    void sgemv(boolean transA, int rows, int cols, float alpha, float[] a, int aOffset, int lda,
               float[] x, int xOffset, float beta, float[] y, int yOffset);

    /** Double-precision {@link #sgemv}. */
    void dgemv(boolean transA, int rows, int cols, double alpha, double[] a, int aOffset, int lda,
               double[] x, int xOffset, double beta, double[] y, int yOffset);

    /**
     * Multiply-adds at or below which {@link #gemm} stays in plain Java loops: a call into OpenBLAS costs about 40–80 ns
     * (the downcall is cheap; OpenBLAS's small-matrix path does the rest), which is more than such a product takes in
     * Java. Measured with the bench module's {@code matmul} command on square products (2-core AMD EPYC VM): Java is
     * faster at 3×3×3 (39 vs 46 ns), OpenBLAS from 4×4×4 on (48 vs 69 ns); 32 lies between.
     */
    long SMALL_PRODUCT = 32;

    /** The kernels in force on this thread. */
    static Kernels active() {
        return KernelChoice.active();
    }

    /** Runs the products of this thread on {@code kernels} until the returned scope is closed. */
    static Scope use(Kernels kernels) {
        return KernelChoice.use(kernels);
    }

    /** A scope opened by {@link #use}; closing it restores the previous choice. */
    interface Scope extends AutoCloseable {
        @Override
        void close();
    }

    /** Row-major float product on contiguous operands, dispatched by size: tiny ones in Java, the rest to {@link #active()}. */
    static void gemm(boolean transA, boolean transB, int m, int n, int k, float[] a, float[] b, float[] c, boolean accumulate) {
        int lda = transA ? m : k, ldb = transB ? k : n;
        float beta = accumulate ? 1f : 0f;
        if ((long) m * n * k <= SMALL_PRODUCT) {
            SmallGemm.sgemm(transA, transB, m, n, k, a, 0, lda, b, 0, ldb, accumulate, c, 0, n);
        } else if (m == 1) {
            // One row: c = op(B)ᵀ·a, and a's k values are contiguous however A is stored.
            if (transB) active().sgemv(false, n, k, 1f, b, 0, k, a, 0, beta, c, 0);
            else active().sgemv(true, k, n, 1f, b, 0, n, a, 0, beta, c, 0);
        } else if (n == 1) {
            // One column: c = op(A)·b, and b's k values are contiguous however B is stored.
            if (transA) active().sgemv(true, k, m, 1f, a, 0, m, b, 0, beta, c, 0);
            else active().sgemv(false, m, k, 1f, a, 0, k, b, 0, beta, c, 0);
        } else {
            active().sgemm(transA, transB, m, n, k, 1f, a, 0, lda, b, 0, ldb, beta, c, 0, n);
        }
    }

    /** Row-major double product on contiguous operands, dispatched by size like {@link #gemm(boolean, boolean, int, int, int, float[], float[], float[], boolean)}. */
    static void gemm(boolean transA, boolean transB, int m, int n, int k, double[] a, double[] b, double[] c, boolean accumulate) {
        int lda = transA ? m : k, ldb = transB ? k : n;
        double beta = accumulate ? 1.0 : 0.0;
        if ((long) m * n * k <= SMALL_PRODUCT) {
            SmallGemm.dgemm(transA, transB, m, n, k, a, 0, lda, b, 0, ldb, accumulate, c, 0, n);
        } else if (m == 1) {
            if (transB) active().dgemv(false, n, k, 1.0, b, 0, k, a, 0, beta, c, 0);
            else active().dgemv(true, k, n, 1.0, b, 0, n, a, 0, beta, c, 0);
        } else if (n == 1) {
            if (transA) active().dgemv(true, k, m, 1.0, a, 0, m, b, 0, beta, c, 0);
            else active().dgemv(false, m, k, 1.0, a, 0, k, b, 0, beta, c, 0);
        } else {
            active().dgemm(transA, transB, m, n, k, 1.0, a, 0, lda, b, 0, ldb, beta, c, 0, n);
        }
    }
}
