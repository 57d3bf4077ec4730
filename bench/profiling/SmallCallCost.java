import dev.backprop.tensor.blas.OpenBlasKernels;

/**
 * The cost of a small OpenBLAS call (a 2×2 product, too small to cut into parts) before and after the process has
 * cut large products across threads: nanoseconds per call, one million calls per line. A probe for
 * docs/performance.md. Run from the repository root after building the bench jar:
 *
 * <pre>
 * OPENBLAS_CORETYPE=Haswell java --enable-native-access=ALL-UNNAMED -cp bench/target/backprop-bench.jar bench/profiling/SmallCallCost.java
 * </pre>
 */
public class SmallCallCost {
    static void time(OpenBlasKernels k, String what) {
        float[] a = {1, 2, 3, 4}, b = {5, 6, 7, 8}, c = new float[4];
        for (int w = 0; w < 3; w++) {
            long s = System.nanoTime();
            for (int i = 0; i < 1_000_000; i++) k.sgemm(false, false, 2, 2, 2, 1f, a, 0, 2, b, 0, 2, 0f, c, 0, 2);
            if (w == 2) System.out.printf("%-36s %6.1f ns%n", what, (System.nanoTime() - s) / 1e6);
        }
    }

    public static void main(String[] args) throws Exception {
        OpenBlasKernels k = OpenBlasKernels.load();
        k.setThreads(2);
        time(k, "before any product is cut");
        int n = 512;
        float[] x = new float[n * n], y = new float[n * n], z = new float[n * n];
        for (int i = 0; i < 200; i++) k.sgemm(false, false, n, n, n, 1f, x, 0, n, y, 0, n, 0f, z, 0, n);
        for (int r = 0; r < 4; r++) time(k, "after cut products, round " + (r + 1));
    }
}
