package dev.backprop.tensor.blas;

/**
 * Matrix products too small to repay a native call, as plain Java loops.
 *
 * <p>Row-major, {@code C[m, n] = op(A) op(B)}, or {@code C += op(A) op(B)} with {@code accumulate}. {@code op(A)} is
 * {@code [m, k]}: {@code A} itself, or with {@code transA} the transpose of an {@code A} stored as {@code [k, m]};
 * likewise {@code op(B)} is {@code [k, n]}. {@code lda}, {@code ldb}, {@code ldc} are the row strides as stored.
 * Without {@code accumulate} the previous contents of {@code C} are ignored (a NaN there does not survive), as in
 * BLAS with {@code beta = 0}.
 *
 * <p>Arguments are not validated beyond the JVM's own array bounds checks: a bad bound throws
 * {@link ArrayIndexOutOfBoundsException}, possibly after part of {@code C} was written.
 */
public final class SmallGemm {
    private SmallGemm() {}

    /** Single-precision product; sums are accumulated in float, as BLAS does. */
    public static void sgemm(boolean transA, boolean transB, int m, int n, int k,
                             float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                             boolean accumulate, float[] c, int cOff, int ldc) {
        // op(A)[i, p] = a[aOff + i * ai + p * ap], whichever way A is stored: one loop nest serves both.
        int ai = transA ? 1 : lda, ap = transA ? lda : 1;
        if (transB) {
            // op(B)[p, j] = b[bOff + j * ldb + p]: B runs contiguously along p, so each C entry is a dot product.
            for (int i = 0; i < m; i++) {
                int ci = cOff + i * ldc, ar = aOff + i * ai;
                for (int j = 0; j < n; j++) {
                    int bj = bOff + j * ldb;
                    float sum = 0f;
                    for (int p = 0; p < k; p++) sum += a[ar + p * ap] * b[bj + p];
                    c[ci + j] = accumulate ? c[ci + j] + sum : sum;
                }
            }
            return;
        }
        // i-k-j: the inner loop walks a row of B and a row of C, both contiguous.
        for (int i = 0; i < m; i++) {
            int ci = cOff + i * ldc, ar = aOff + i * ai;
            if (!accumulate) {
                for (int j = 0; j < n; j++) c[ci + j] = 0f;   // a call to Arrays.fill costs more than this at n = 2
            }
            for (int p = 0; p < k; p++) {
                float aip = a[ar + p * ap];
                int bp = bOff + p * ldb;
                for (int j = 0; j < n; j++) c[ci + j] += aip * b[bp + j];
            }
        }
    }

    /** Double-precision product; same layout as {@link #sgemm}. */
    public static void dgemm(boolean transA, boolean transB, int m, int n, int k,
                             double[] a, int aOff, int lda, double[] b, int bOff, int ldb,
                             boolean accumulate, double[] c, int cOff, int ldc) {
        int ai = transA ? 1 : lda, ap = transA ? lda : 1;
        if (transB) {
            for (int i = 0; i < m; i++) {
                int ci = cOff + i * ldc, ar = aOff + i * ai;
                for (int j = 0; j < n; j++) {
                    int bj = bOff + j * ldb;
                    double sum = 0.0;
                    for (int p = 0; p < k; p++) sum += a[ar + p * ap] * b[bj + p];
                    c[ci + j] = accumulate ? c[ci + j] + sum : sum;
                }
            }
            return;
        }
        for (int i = 0; i < m; i++) {
            int ci = cOff + i * ldc, ar = aOff + i * ai;
            if (!accumulate) {
                for (int j = 0; j < n; j++) c[ci + j] = 0.0;
            }
            for (int p = 0; p < k; p++) {
                double aip = a[ar + p * ap];
                int bp = bOff + p * ldb;
                for (int j = 0; j < n; j++) c[ci + j] += aip * b[bp + j];
            }
        }
    }
}
