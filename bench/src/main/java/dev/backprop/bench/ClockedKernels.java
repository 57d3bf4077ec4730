package dev.backprop.bench;

import dev.backprop.tensor.Kernels;

/**
 * Kernels that time what they pass on: the nanoseconds spent in single-precision products ({@code sgemm},
 * {@code sgemv}) are added up, so a probe can split a step into products and the rest. For the probes in
 * {@code bench/profiling} (FashionEpochs, StepPhases, WarmupTimeline), used on the thread that trains:
 *
 * <pre>{@code
 * ClockedKernels clocked = new ClockedKernels(Kernels.active());
 * try (Kernels.Scope s = Kernels.use(clocked)) { ... clocked.nanos() ... }
 * }</pre>
 */
public final class ClockedKernels implements Kernels {
    private final Kernels kernels;
    private long nanos;

    /** Times the products of {@code kernels}. */
    public ClockedKernels(Kernels kernels) {
        this.kernels = kernels;
    }

    /** Nanoseconds spent in float32 products so far. */
    public long nanos() {
        return nanos;
    }

    @Override
    public String name() {
        return kernels.name();
    }

    @Override
    public void sgemm(boolean transA, boolean transB, int m, int n, int k, float alpha, float[] a, int aOffset,
                      int lda, float[] b, int bOffset, int ldb, float beta, float[] c, int cOffset, int ldc) {
        long t = System.nanoTime();
        kernels.sgemm(transA, transB, m, n, k, alpha, a, aOffset, lda, b, bOffset, ldb, beta, c, cOffset, ldc);
        nanos += System.nanoTime() - t;
    }

    @Override
    public void dgemm(boolean transA, boolean transB, int m, int n, int k, double alpha, double[] a, int aOffset,
                      int lda, double[] b, int bOffset, int ldb, double beta, double[] c, int cOffset, int ldc) {
        kernels.dgemm(transA, transB, m, n, k, alpha, a, aOffset, lda, b, bOffset, ldb, beta, c, cOffset, ldc);
    }

    @Override
    public void sgemv(boolean transA, int rows, int cols, float alpha, float[] a, int aOffset, int lda, float[] x,
                      int xOffset, float beta, float[] y, int yOffset) {
        long t = System.nanoTime();
        kernels.sgemv(transA, rows, cols, alpha, a, aOffset, lda, x, xOffset, beta, y, yOffset);
        nanos += System.nanoTime() - t;
    }

    @Override
    public void dgemv(boolean transA, int rows, int cols, double alpha, double[] a, int aOffset, int lda, double[] x,
                      int xOffset, double beta, double[] y, int yOffset) {
        kernels.dgemv(transA, rows, cols, alpha, a, aOffset, lda, x, xOffset, beta, y, yOffset);
    }
}
