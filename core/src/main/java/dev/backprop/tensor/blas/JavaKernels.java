package dev.backprop.tensor.blas;

import dev.backprop.tensor.Kernels;
import dev.ludovic.netlib.blas.BLAS;
import dev.ludovic.netlib.blas.JavaBLAS;

import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The pure-Java kernels: netlib's Java BLAS ({@code dev.ludovic.netlib:blas}, the one Apache Spark uses), single
 * threaded. The fallback when OpenBLAS cannot load, and the reference the native kernel is tested against. Its
 * Vector API implementation runs when the JVM has {@code --add-modules jdk.incubator.vector} (an opt-in: the JDK then
 * prints an incubator warning at start); its plain-Java one otherwise.
 *
 * <p>That BLAS is column-major: a row-major {@code C[m, n] = op(A) op(B)} is, read column-major, {@code Cᵀ = op(B)ᵀ
 * op(A)ᵀ}, so each call swaps the operands and passes {@code m} and {@code n} the other way round; the arrays and
 * strides are used as they are.
 */
public final class JavaKernels implements Kernels {
    /** The one instance; it has no state. */
    public static final JavaKernels INSTANCE = new JavaKernels();

    private static final BLAS NETLIB = quietJavaBlas();

    private JavaKernels() {}

    @Override
    public String name() {
        return "java";
    }

    @Override
    public void sgemm(boolean transA, boolean transB, int m, int n, int k, float alpha,
                      float[] a, int aOffset, int lda, float[] b, int bOffset, int ldb,
                      float beta, float[] c, int cOffset, int ldc) {
        GemmArgs.check("sgemm", transA, transB, m, n, k, a.length, aOffset, lda, b.length, bOffset, ldb,
                c.length, cOffset, ldc);
        if (m == 0 || n == 0) return;
        if (k == 0) {
            // netlib indexes A and B even when they are empty, and throws; the product is just beta * C.
            for (int i = 0; i < m; i++) {
                int row = cOffset + i * ldc;
                if (beta == 0f) Arrays.fill(c, row, row + n, 0f);
                else for (int j = row; j < row + n; j++) c[j] *= beta;
            }
            return;
        }
        NETLIB.sgemm(transB ? "T" : "N", transA ? "T" : "N", n, m, k, alpha, b, bOffset, ldb, a, aOffset, lda,
                beta, c, cOffset, ldc);
    }

    @Override
    public void dgemm(boolean transA, boolean transB, int m, int n, int k, double alpha,
                      double[] a, int aOffset, int lda, double[] b, int bOffset, int ldb,
                      double beta, double[] c, int cOffset, int ldc) {
        GemmArgs.check("dgemm", transA, transB, m, n, k, a.length, aOffset, lda, b.length, bOffset, ldb,
                c.length, cOffset, ldc);
        if (m == 0 || n == 0) return;
        if (k == 0) {
            for (int i = 0; i < m; i++) {
                int row = cOffset + i * ldc;
                if (beta == 0.0) Arrays.fill(c, row, row + n, 0.0);
                else for (int j = row; j < row + n; j++) c[j] *= beta;
            }
            return;
        }
        NETLIB.dgemm(transB ? "T" : "N", transA ? "T" : "N", n, m, k, alpha, b, bOffset, ldb, a, aOffset, lda,
                beta, c, cOffset, ldc);
    }

    @Override
    public void sgemv(boolean transA, int rows, int cols, float alpha, float[] a, int aOffset, int lda,
                      float[] x, int xOffset, float beta, float[] y, int yOffset) {
        GemmArgs.checkGemv("sgemv", transA, rows, cols, a.length, aOffset, lda, x.length, xOffset, y.length, yOffset);
        if (rows == 0 || cols == 0) {
            int yn = transA ? cols : rows;
            for (int i = 0; i < yn; i++) y[yOffset + i] = beta == 0f ? 0f : beta * y[yOffset + i];
            return;
        }
        // Row-major [rows, cols] is column-major [cols, rows]: the transpose flag flips.
        NETLIB.sgemv(transA ? "N" : "T", cols, rows, alpha, a, aOffset, lda, x, xOffset, 1, beta, y, yOffset, 1);
    }

    @Override
    public void dgemv(boolean transA, int rows, int cols, double alpha, double[] a, int aOffset, int lda,
                      double[] x, int xOffset, double beta, double[] y, int yOffset) {
        GemmArgs.checkGemv("dgemv", transA, rows, cols, a.length, aOffset, lda, x.length, xOffset, y.length, yOffset);
        if (rows == 0 || cols == 0) {
            int yn = transA ? cols : rows;
            for (int i = 0; i < yn; i++) y[yOffset + i] = beta == 0.0 ? 0.0 : beta * y[yOffset + i];
            return;
        }
        NETLIB.dgemv(transA ? "N" : "T", cols, rows, alpha, a, aOffset, lda, x, xOffset, 1, beta, y, yOffset, 1);
    }

    @Override
    public String toString() {
        return "java (" + NETLIB.getClass().getSimpleName() + ")";
    }

    /**
     * Whether the JVM was started with {@code --add-modules jdk.incubator.vector}: the opt-in to netlib's Vector API
     * kernel. It is not the default because the JDK prints an incubator warning at every start of a JVM with that
     * module; a user who adds it has chosen that warning.
     */
    static boolean vectorApiEnabled() {
        return ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();
    }

    /**
     * {@link JavaBLAS#getInstance()} first tries netlib's JNI wrapper (copying a .so to the temp directory and calling
     * {@code System.load}) and then the incubator Vector API, and logs a java.util.logging WARNING for each that fails:
     * four lines on stderr on a stock JDK 25. So we pick the implementation ourselves: {@code VectorBLAS} when the
     * Vector API module is there, {@code Java11BLAS} otherwise. Both are package-private, so we reach them reflectively
     * (the jar is an unnamed or automatic module, whose packages are open). Should that ever be refused, we call
     * {@code getInstance()} with its logger silenced instead.
     */
    private static BLAS quietJavaBlas() {
        if (vectorApiEnabled()) {
            try {
                return instance("dev.ludovic.netlib.blas.VectorBLAS");
            } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
                // fall back to the plain-Java kernel below
            }
        }
        try {
            return instance("dev.ludovic.netlib.blas.Java11BLAS");
        } catch (ReflectiveOperationException | RuntimeException e) {
            Logger log = Logger.getLogger("dev.ludovic.netlib.blas.InstanceBuilder");   // strong ref while muted
            Level previous = log.getLevel();
            log.setLevel(Level.OFF);
            try {
                return JavaBLAS.getInstance();
            } finally {
                log.setLevel(previous);
            }
        }
    }

    private static BLAS instance(String className) throws ReflectiveOperationException {
        Method getInstance = Class.forName(className, true, JavaBLAS.class.getClassLoader()).getMethod("getInstance");
        getInstance.setAccessible(true);
        return (BLAS) getInstance.invoke(null);
    }
}
