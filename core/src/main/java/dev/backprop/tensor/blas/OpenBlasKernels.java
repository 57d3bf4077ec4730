package dev.backprop.tensor.blas;

import dev.backprop.tensor.Kernels;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_DOUBLE;
import static java.lang.foreign.ValueLayout.JAVA_FLOAT;
import static java.lang.foreign.ValueLayout.JAVA_INT;

/**
 * The native kernels: OpenBLAS 0.3.31 as bundled by {@code org.bytedeco:openblas:linux-x86_64}, called through the
 * Foreign Function API (no JavaCPP, no JNI) via {@code cblas_sgemm} / {@code cblas_dgemm} in row-major order.
 *
 * <p>The Java arrays are handed to OpenBLAS where they lie on the heap: the downcalls are linked as
 * {@linkplain Linker.Option#critical(boolean) critical with heap access}, so no native buffer is allocated and nothing
 * is copied. The price is that the calling thread holds off garbage collection (a safepoint) until the product
 * returns: microseconds for the products of small nets, but about 170 ms for a 2048² product on one thread, during
 * which other Java threads that need a GC wait too.
 *
 * <p>Threads: OpenBLAS itself runs single-threaded; a large product is cut into parts that the calling thread and
 * helper threads claim as they are free ({@link ProductThreads}), so a core taken by another process slows a step
 * to about the one-thread rate instead of stalling every product on its slowest worker, as OpenBLAS's own threads
 * do. The number of threads is taken at load from the system property {@code backprop.threads}, else the
 * environment variable {@code BACKPROP_THREADS}, else the number of available processors, and can be changed with
 * {@link #setThreads}. Results depend on the thread count (the cut does), never on timing.
 *
 * <pre>{@code
 * OpenBlasKernels blas = OpenBlasKernels.load();   // throws if the library cannot load here
 * blas.sgemm(false, false, m, n, k, 1f, a, 0, k, b, 0, n, 0f, c, 0, n);   // c[m, n] = a[m, k] b[k, n]
 * }</pre>
 */
public final class OpenBlasKernels implements Kernels {
    /** The system property that sets the number of threads a product may use, at load. */
    public static final String THREADS_PROPERTY = "backprop.threads";
    /** The environment variable consulted when {@link #THREADS_PROPERTY} is not set. */
    public static final String THREADS_ENV = "BACKPROP_THREADS";

    private static final int ROW_MAJOR = 101, NO_TRANS = 111, TRANS = 112;

    private volatile ProductThreads pool;
    /** The pool of the loaded kernels (there is one instance), or null before OpenBLAS is loaded. */
    private static volatile ProductThreads loadedPool;

    private OpenBlasKernels(int threads) {
        pool = new ProductThreads(threads);
        loadedPool = pool;
    }

    /**
     * The kernels, loading OpenBLAS on the first call (extracting it to the user's cache directory if needed).
     *
     * @throws RuntimeException with a one-line reason if the library cannot be loaded on this machine; every later
     *                          call throws the same reason again, without retrying
     */
    public static OpenBlasKernels load() {
        if (Native.FAILURE != null) throw new IllegalStateException(Native.FAILURE);
        return Native.INSTANCE;
    }

    @Override
    public String name() {
        return "openblas";
    }

    /** The number of threads one product may use, the caller's included. */
    public int threads() {
        return pool.threads();
    }

    /**
     * The threads behind products, for {@link IdleWork}: null before OpenBLAS is loaded. Products of kernels that
     * wrap these (a timing wrapper, say) run on them too.
     */
    static ProductThreads loadedProductThreads() {
        return loadedPool;
    }

    /** Sets the number of threads one product may use, the caller's included, process-wide. */
    public synchronized void setThreads(int threads) {
        if (threads < 1) throw new IllegalArgumentException("threads must be at least 1, not " + threads);
        if (threads == pool.threads()) return;
        ProductThreads old = pool;
        pool = new ProductThreads(threads);
        loadedPool = pool;
        old.close();
    }

    /** What runs, for logs: e.g. {@code "OpenBLAS 0.3.31 DYNAMIC_ARCH NO_AFFINITY Haswell MAX_THREADS=128, 2 threads"}. */
    public String describe() {
        String config = cString(Native.GET_CONFIG).strip(), core = cString(Native.GET_CORENAME).strip();
        if (!config.toLowerCase(java.util.Locale.ROOT).contains(core.toLowerCase(java.util.Locale.ROOT))) {
            config += " " + core;
        }
        int threads = threads();
        return config + ", " + threads + (threads == 1 ? " thread" : " threads");
    }

    @Override
    public void sgemm(boolean transA, boolean transB, int m, int n, int k, float alpha,
                      float[] a, int aOffset, int lda, float[] b, int bOffset, int ldb,
                      float beta, float[] c, int cOffset, int ldc) {
        GemmArgs.check("sgemm", transA, transB, m, n, k, a.length, aOffset, lda, b.length, bOffset, ldb,
                c.length, cOffset, ldc);
        if (m == 0 || n == 0) return;
        ProductThreads threads = pool;
        if (!threads.cuts(transA, transB, m, n, k)) {
            sgemm1(transA, transB, m, n, k, alpha, a, aOffset, lda, b, bOffset, ldb, beta, c, cOffset, ldc);
            return;
        }
        threads.runProduct(transA, transB, m, n, k, aOffset, lda, bOffset, ldb, cOffset, ldc,
                (rows, cols, ao, bo, co) ->
                        sgemmPart(transA, transB, rows, cols, k, alpha, a, ao, lda, b, bo, ldb, beta, c, co, ldc));
    }

    /**
     * One part of a cut product: like {@link #sgemm1}, but its operands always sliced. A method of its own so that
     * the JIT's profile of {@link #heap} stays that of whole arrays (offset 0), whose views it can then keep off the
     * heap; measured by {@code bench/profiling/SmallCallCost.java}.
     */
    private static void sgemmPart(boolean transA, boolean transB, int m, int n, int k, float alpha,
                                  float[] a, int aOffset, int lda, float[] b, int bOffset, int ldb,
                                  float beta, float[] c, int cOffset, int ldc) {
        try {
            Native.SGEMM.invokeExact(ROW_MAJOR, transA ? TRANS : NO_TRANS, transB ? TRANS : NO_TRANS, m, n, k,
                    alpha, slice(a, aOffset), lda, slice(b, bOffset), ldb, beta, slice(c, cOffset), ldc);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** One single-threaded OpenBLAS call. */
    private static void sgemm1(boolean transA, boolean transB, int m, int n, int k, float alpha,
                               float[] a, int aOffset, int lda, float[] b, int bOffset, int ldb,
                               float beta, float[] c, int cOffset, int ldc) {
        try {
            Native.SGEMM.invokeExact(ROW_MAJOR, transA ? TRANS : NO_TRANS, transB ? TRANS : NO_TRANS, m, n, k,
                    alpha, heap(a, aOffset), lda, heap(b, bOffset), ldb, beta, heap(c, cOffset), ldc);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    public void dgemm(boolean transA, boolean transB, int m, int n, int k, double alpha,
                      double[] a, int aOffset, int lda, double[] b, int bOffset, int ldb,
                      double beta, double[] c, int cOffset, int ldc) {
        GemmArgs.check("dgemm", transA, transB, m, n, k, a.length, aOffset, lda, b.length, bOffset, ldb,
                c.length, cOffset, ldc);
        if (m == 0 || n == 0) return;
        ProductThreads threads = pool;
        if (!threads.cuts(transA, transB, m, n, k)) {
            dgemm1(transA, transB, m, n, k, alpha, a, aOffset, lda, b, bOffset, ldb, beta, c, cOffset, ldc);
            return;
        }
        threads.runProduct(transA, transB, m, n, k, aOffset, lda, bOffset, ldb, cOffset, ldc,
                (rows, cols, ao, bo, co) ->
                        dgemmPart(transA, transB, rows, cols, k, alpha, a, ao, lda, b, bo, ldb, beta, c, co, ldc));
    }

    /**
     * One part of a cut product: like {@link #dgemm1}, but its operands always sliced. A method of its own so that
     * the JIT's profile of {@link #heap} stays that of whole arrays (offset 0), whose views it can then keep off the
     * heap; measured by {@code bench/profiling/SmallCallCost.java}.
     */
    private static void dgemmPart(boolean transA, boolean transB, int m, int n, int k, double alpha,
                                  double[] a, int aOffset, int lda, double[] b, int bOffset, int ldb,
                                  double beta, double[] c, int cOffset, int ldc) {
        try {
            Native.DGEMM.invokeExact(ROW_MAJOR, transA ? TRANS : NO_TRANS, transB ? TRANS : NO_TRANS, m, n, k,
                    alpha, slice(a, aOffset), lda, slice(b, bOffset), ldb, beta, slice(c, cOffset), ldc);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    private static void dgemm1(boolean transA, boolean transB, int m, int n, int k, double alpha,
                               double[] a, int aOffset, int lda, double[] b, int bOffset, int ldb,
                               double beta, double[] c, int cOffset, int ldc) {
        try {
            Native.DGEMM.invokeExact(ROW_MAJOR, transA ? TRANS : NO_TRANS, transB ? TRANS : NO_TRANS, m, n, k,
                    alpha, heap(a, aOffset), lda, heap(b, bOffset), ldb, beta, heap(c, cOffset), ldc);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    public void sgemv(boolean transA, int rows, int cols, float alpha, float[] a, int aOffset, int lda,
                      float[] x, int xOffset, float beta, float[] y, int yOffset) {
        GemmArgs.checkGemv("sgemv", transA, rows, cols, a.length, aOffset, lda, x.length, xOffset, y.length, yOffset);
        if (rows == 0 || cols == 0) {
            JavaKernels.INSTANCE.sgemv(transA, rows, cols, alpha, a, aOffset, lda, x, xOffset, beta, y, yOffset);
            return;
        }
        try {
            Native.SGEMV.invokeExact(ROW_MAJOR, transA ? TRANS : NO_TRANS, rows, cols, alpha, heap(a, aOffset), lda,
                    heap(x, xOffset), 1, beta, heap(y, yOffset), 1);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    public void dgemv(boolean transA, int rows, int cols, double alpha, double[] a, int aOffset, int lda,
                      double[] x, int xOffset, double beta, double[] y, int yOffset) {
        GemmArgs.checkGemv("dgemv", transA, rows, cols, a.length, aOffset, lda, x.length, xOffset, y.length, yOffset);
        if (rows == 0 || cols == 0) {
            JavaKernels.INSTANCE.dgemv(transA, rows, cols, alpha, a, aOffset, lda, x, xOffset, beta, y, yOffset);
            return;
        }
        try {
            Native.DGEMV.invokeExact(ROW_MAJOR, transA ? TRANS : NO_TRANS, rows, cols, alpha, heap(a, aOffset), lda,
                    heap(x, xOffset), 1, beta, heap(y, yOffset), 1);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    public String toString() {
        return "openblas";
    }

    /** A view of the array itself from {@code offset} on; package-private so tests can see it is not a copy. */
    static MemorySegment heap(float[] array, int offset) {
        MemorySegment whole = MemorySegment.ofArray(array);
        return offset == 0 ? whole : whole.asSlice((long) offset * Float.BYTES);
    }

    static MemorySegment heap(double[] array, int offset) {
        MemorySegment whole = MemorySegment.ofArray(array);
        return offset == 0 ? whole : whole.asSlice((long) offset * Double.BYTES);
    }

    private static MemorySegment slice(float[] array, int offset) {
        return MemorySegment.ofArray(array).asSlice((long) offset * Float.BYTES);
    }

    private static MemorySegment slice(double[] array, int offset) {
        return MemorySegment.ofArray(array).asSlice((long) offset * Double.BYTES);
    }

    @SuppressWarnings("restricted")   // the C strings OpenBLAS returns are static and NUL-terminated
    private static String cString(MethodHandle function) {
        try {
            MemorySegment s = (MemorySegment) function.invokeExact();
            return s.equals(MemorySegment.NULL) ? "" : s.reinterpret(Integer.MAX_VALUE).getString(0);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** The downcalls declare Throwable; the C functions throw nothing, so anything here is a JVM-level error. */
    private static RuntimeException rethrow(Throwable t) {
        if (t instanceof RuntimeException r) throw r;
        if (t instanceof Error e) throw e;
        throw new IllegalStateException(t);
    }

    /**
     * The library and its entry points, bound when first touched. Static finals so that the JIT treats the handles as
     * constants and inlines the downcall stubs; a failure is kept as a message rather than thrown from the initializer,
     * which would turn every later attempt into a bare NoClassDefFoundError.
     */
    @SuppressWarnings("restricted")
    private static final class Native {
        static final String FAILURE;
        static final MethodHandle SGEMM, DGEMM, GET_CONFIG, GET_CORENAME, SGEMV, DGEMV;
        static final OpenBlasKernels INSTANCE;

        static {
            MethodHandle[] h = new MethodHandle[8];
            String failure = null;
            int threads = 1;
            try {
                threads = configuredThreads();
                SymbolLookup lib = NativeLibrary.openBlas();
                Linker linker = Linker.nativeLinker();
                // critical(true): OpenBLAS neither blocks nor calls back into Java, so it may read and write the heap
                // arrays in place for the duration of the call.
                Linker.Option heapAccess = Linker.Option.critical(true);
                h[0] = linker.downcallHandle(symbol(lib, "cblas_sgemm"), FunctionDescriptor.ofVoid(JAVA_INT, JAVA_INT,
                        JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_FLOAT, ADDRESS, JAVA_INT, ADDRESS, JAVA_INT,
                        JAVA_FLOAT, ADDRESS, JAVA_INT), heapAccess);
                h[1] = linker.downcallHandle(symbol(lib, "cblas_dgemm"), FunctionDescriptor.ofVoid(JAVA_INT, JAVA_INT,
                        JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_DOUBLE, ADDRESS, JAVA_INT, ADDRESS, JAVA_INT,
                        JAVA_DOUBLE, ADDRESS, JAVA_INT), heapAccess);
                h[2] = linker.downcallHandle(symbol(lib, "openblas_set_num_threads"),
                        FunctionDescriptor.ofVoid(JAVA_INT));
                h[4] = linker.downcallHandle(symbol(lib, "openblas_get_config"), FunctionDescriptor.of(ADDRESS));
                h[5] = linker.downcallHandle(symbol(lib, "openblas_get_corename"), FunctionDescriptor.of(ADDRESS));
                h[6] = linker.downcallHandle(symbol(lib, "cblas_sgemv"), FunctionDescriptor.ofVoid(JAVA_INT, JAVA_INT,
                        JAVA_INT, JAVA_INT, JAVA_FLOAT, ADDRESS, JAVA_INT, ADDRESS, JAVA_INT, JAVA_FLOAT, ADDRESS, JAVA_INT),
                        heapAccess);
                h[7] = linker.downcallHandle(symbol(lib, "cblas_dgemv"), FunctionDescriptor.ofVoid(JAVA_INT, JAVA_INT,
                        JAVA_INT, JAVA_INT, JAVA_DOUBLE, ADDRESS, JAVA_INT, ADDRESS, JAVA_INT, JAVA_DOUBLE, ADDRESS, JAVA_INT),
                        heapAccess);
                h[2].invokeExact(1);   // OpenBLAS single-threaded: ProductThreads spreads products over threads
            } catch (Throwable t) {
                failure = t.getMessage() != null && !t.getMessage().isBlank()
                        ? t.getMessage().lines().findFirst().orElse("") : t.toString();
            }
            FAILURE = failure;
            SGEMM = h[0];
            DGEMM = h[1];
            GET_CONFIG = h[4];
            GET_CORENAME = h[5];
            SGEMV = h[6];
            DGEMV = h[7];
            INSTANCE = failure == null ? new OpenBlasKernels(threads) : null;
        }

        private static MemorySegment symbol(SymbolLookup lib, String name) {
            return lib.find(name).orElseThrow(() -> new IllegalStateException("libopenblas has no symbol " + name));
        }

        private static int configuredThreads() {
            String source = "-D" + THREADS_PROPERTY;
            String value = System.getProperty(THREADS_PROPERTY);
            if (value == null || value.isBlank()) {
                source = THREADS_ENV;
                value = System.getenv(THREADS_ENV);
            }
            if (value == null || value.isBlank()) return Runtime.getRuntime().availableProcessors();
            try {
                int threads = Integer.parseInt(value.strip());
                if (threads >= 1) return threads;
            } catch (NumberFormatException e) {
                // reported below
            }
            throw new IllegalArgumentException(source + "=" + value + " is not a positive number of threads");
        }
    }
}
