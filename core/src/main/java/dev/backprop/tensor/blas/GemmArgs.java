package dev.backprop.tensor.blas;

/**
 * Cheap argument checks shared by the BLAS-backed kernels: O(1) per call, so they cost nothing next to the product.
 * For the native kernel they are what stands between a wrong stride and a JVM crash; for the Java one they give the
 * same row-major wording instead of netlib's column-major messages.
 */
final class GemmArgs {
    private GemmArgs() {}

    /**
     * Throws {@link IllegalArgumentException} unless every element the product reads or writes lies inside its array.
     * Leading dimensions must be at least the stored row length (and at least 1), as BLAS requires.
     */
    static void check(String op, boolean transA, boolean transB, int m, int n, int k,
                      int aLength, int aOff, int lda, int bLength, int bOff, int ldb,
                      int cLength, int cOff, int ldc) {
        if (m < 0 || n < 0 || k < 0) {
            throw new IllegalArgumentException(op + ": negative size m=" + m + " n=" + n + " k=" + k);
        }
        // As stored, A is [m, k] or (transposed) [k, m]; B is [k, n] or [n, k]; C is [m, n].
        matrix(op, "A", transA ? k : m, transA ? m : k, aLength, aOff, lda, m, n, k);
        matrix(op, "B", transB ? n : k, transB ? k : n, bLength, bOff, ldb, m, n, k);
        matrix(op, "C", m, n, cLength, cOff, ldc, m, n, k);
    }

    private static void matrix(String op, String name, int rows, int cols, int length, int off, int ld,
                               int m, int n, int k) {
        if (ld < Math.max(1, cols)) {
            throw new IllegalArgumentException(op + ": ld" + name.toLowerCase(java.util.Locale.ROOT) + "=" + ld
                    + " is less than the " + cols + " columns of " + name + " [" + rows + ", " + cols + "]"
                    + " (m=" + m + " n=" + n + " k=" + k + ")");
        }
        long end = rows == 0 || cols == 0 ? off : off + (long) (rows - 1) * ld + cols;
        if (off < 0 || end > length) {
            throw new IllegalArgumentException(op + ": " + name + " [" + rows + ", " + cols + "] at offset " + off
                    + " with row stride " + ld + " needs " + end + " elements, array has " + length
                    + " (m=" + m + " n=" + n + " k=" + k + ")");
        }
    }

    /** Bounds of a row-major matrix–vector product; a bad bound in native code would crash the JVM. */
    static void checkGemv(String op, boolean transA, int rows, int cols, int aLength, int aOff, int lda,
                          int xLength, int xOff, int yLength, int yOff) {
        if (rows < 0 || cols < 0) throw new IllegalArgumentException(op + ": negative size " + rows + " x " + cols);
        if (lda < Math.max(1, cols)) throw new IllegalArgumentException(op + ": lda " + lda + " < cols " + cols);
        int xn = transA ? rows : cols, yn = transA ? cols : rows;
        if (rows > 0 && cols > 0 && (aOff < 0 || (long) aOff + (long) (rows - 1) * lda + cols > aLength)) {
            throw new IllegalArgumentException(op + ": A [" + rows + ", " + cols + "] at " + aOff + " (lda " + lda
                    + ") exceeds its array of " + aLength);
        }
        if (xOff < 0 || (long) xOff + xn > xLength) throw new IllegalArgumentException(op + ": x of " + xn + " at " + xOff + " exceeds " + xLength);
        if (yOff < 0 || (long) yOff + yn > yLength) throw new IllegalArgumentException(op + ": y of " + yn + " at " + yOff + " exceeds " + yLength);
    }
}
