package dev.backprop.bench;

import dev.backprop.io.JsonText;
import dev.backprop.tensor.Kernels;
import dev.backprop.tensor.blas.JavaKernels;
import dev.backprop.tensor.blas.OpenBlasKernels;
import dev.backprop.tensor.blas.SmallGemm;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;

/**
 * {@code matmul}: square single-precision products. Three measurements:
 * <ol>
 *   <li>throughput, GFLOP/s = 2n³ / best time, for OpenBLAS on 1 and 2 threads and the pure-Java kernel;</li>
 *   <li>the cost of one 2×2 product through {@link Kernels#gemm} (which keeps it in Java), OpenBLAS and the Java BLAS;</li>
 *   <li>for n = 2..32, SmallGemm against OpenBLAS, to find where the native call starts to pay: the evidence for
 *       {@link Kernels#SMALL_PRODUCT}.</li>
 * </ol>
 */
@Command(name = "matmul", mixinStandardHelpOptions = true,
        description = "Square sgemm throughput, per-call overhead and the small-product crossover.")
final class MatmulCommand implements Callable<Integer> {
    @Option(names = "--json", description = "Print one JSON object instead of tables.")
    private boolean json;

    @Option(names = "--sizes", split = ",", paramLabel = "N", defaultValue = "64,128,256,512,1024,2048",
            description = "Matrix sizes for the throughput table (default: ${DEFAULT-VALUE}).")
    private int[] sizes;

    @Option(names = "--seconds", paramLabel = "S",
            description = "Time budget per throughput measurement, after warm-up (default: ${DEFAULT-VALUE}).")
    private double seconds = 0.5;

    private record Throughput(int n, double openblas1, double openblas2, double java) {}

    private record Small(int n, double smallNs, double openblasNs, double javaNs) {}

    @Override
    public Integer call() {
        for (int n : sizes) {
            if (n < 1 || n > 16384) {
                System.err.println("backprop-bench: --sizes: " + n + " is not between 1 and 16384");
                return 2;
            }
        }
        OpenBlasKernels blas;
        try {
            blas = OpenBlasKernels.load();
        } catch (RuntimeException e) {
            System.err.println("backprop-bench: OpenBLAS unavailable: " + e.getMessage());
            return 1;
        }
        PrintStream out = System.out;
        int configured = blas.threads();
        String openblas = blas.describe().replaceFirst(", \\d+ threads?$", "");
        int cpus = Runtime.getRuntime().availableProcessors();
        if (!json) {
            out.printf("matmul: square sgemm C[n,n] = A[n,n] B[n,n]; GFLOP/s = 2n^3 / best time%n");
            out.printf("openblas: %s; java: %s; %d CPUs%n%n", openblas, JavaKernels.INSTANCE, cpus);
            out.printf("%6s %13s %13s %9s%n", "n", "openblas 1t", "openblas 2t", "java");
        }
        List<Throughput> rows = new ArrayList<>();
        try {
            for (int n : sizes) {
                float[] a = randoms(n * n, 1), b = randoms(n * n, 2), c = new float[n * n];
                double flops = 2.0 * n * n * n;
                blas.setThreads(1);
                double one = flops / square(blas, n, a, b, c) / 1e9;
                blas.setThreads(2);
                double two = flops / square(blas, n, a, b, c) / 1e9;
                blas.setThreads(configured);
                double java = flops / square(JavaKernels.INSTANCE, n, a, b, c) / 1e9;
                rows.add(new Throughput(n, one, two, java));
                if (!json) out.printf(Locale.ROOT, "%6d %13.1f %13.1f %9.2f%n", n, one, two, java);
            }
        } finally {
            blas.setThreads(configured);
        }

        double viaKernels = tiny((d, a, b, c) -> Kernels.gemm(false, false, d, d, d, a, b, c, false));
        double viaOpenBlas = tiny((d, a, b, c) -> blas.sgemm(false, false, d, d, d, 1f, a, 0, d, b, 0, d, 0f, c, 0, d));
        double viaJava = tiny((d, a, b, c) ->
                JavaKernels.INSTANCE.sgemm(false, false, d, d, d, 1f, a, 0, d, b, 0, d, 0f, c, 0, d));
        if (!json) {
            out.printf(Locale.ROOT, "%nper call, 2x2 sgemm:%n");
            out.printf(Locale.ROOT, "  Kernels.gemm (SmallGemm path) %8.1f ns%n", viaKernels);
            out.printf(Locale.ROOT, "  OpenBlasKernels.sgemm         %8.1f ns%n", viaOpenBlas);
            out.printf(Locale.ROOT, "  JavaKernels.sgemm             %8.1f ns%n", viaJava);
            out.printf(Locale.ROOT, "%nsmall square products, ns per call (openblas on %d thread%s):%n",
                    configured, configured == 1 ? "" : "s");
            out.printf("%4s %11s %10s %10s%n", "n", "SmallGemm", "openblas", "java");
        }
        List<Small> small = new ArrayList<>();
        for (int n = 2; n <= 32; n++) {
            float[] a = randoms(n * n, 3), b = randoms(n * n, 4), c = new float[n * n];
            int size = n;
            double s = Timer.nanosPerCall(() -> {
                SmallGemm.sgemm(false, false, size, size, size, a, 0, size, b, 0, size, false, c, 0, size);
                Timer.sink += c[0];
            });
            double o = Timer.nanosPerCall(() -> {
                blas.sgemm(false, false, size, size, size, 1f, a, 0, size, b, 0, size, 0f, c, 0, size);
                Timer.sink += c[0];
            });
            double j = Timer.nanosPerCall(() -> {
                JavaKernels.INSTANCE.sgemm(false, false, size, size, size, 1f, a, 0, size, b, 0, size, 0f, c, 0, size);
                Timer.sink += c[0];
            });
            small.add(new Small(n, s, o, j));
            if (!json) out.printf(Locale.ROOT, "%4d %11.0f %10.0f %10.0f%n", n, s, o, j);
        }
        int crossover = crossover(small);
        long suggested = (long) (crossover - 1) * (crossover - 1) * (crossover - 1);
        if (json) {
            out.println(toJson(openblas, cpus, configured, rows, viaKernels, viaOpenBlas, viaJava, small, crossover,
                    suggested));
        } else {
            out.printf(Locale.ROOT, "%nOpenBLAS is faster than SmallGemm from n = %d on: products up to %d^3 = %d"
                            + " multiply-adds are cheaper in Java (Kernels.SMALL_PRODUCT = %d)%n",
                    crossover, crossover - 1, suggested, Kernels.SMALL_PRODUCT);
        }
        return 0;
    }

    /** Best seconds for one n×n product; the first calls also warm up the JIT for the Java kernel. */
    private double square(Kernels kernels, int n, float[] a, float[] b, float[] c) {
        return Timer.bestSeconds(() -> {
            kernels.sgemm(false, false, n, n, n, 1f, a, 0, n, b, 0, n, 0f, c, 0, n);
            Timer.sink += c[0];
        }, 0.25, seconds, 3);
    }

    private interface Product {
        void run(int n, float[] a, float[] b, float[] c);
    }

    /**
     * The size of the "2×2" product, read from a non-final field: were it a literal, the JIT would unroll the Java
     * loops completely, a luxury real callers (whose sizes come from tensor shapes) do not get.
     */
    private static int tinySize = 2;

    private static double tiny(Product product) {
        float[] a = {1, 2, 3, 4}, b = {5, 6, 7, 8}, c = new float[4];
        return Timer.nanosPerCall(() -> {
            product.run(tinySize, a, b, c);
            Timer.sink += c[0];
        });
    }

    /** The smallest n from which OpenBLAS wins at every larger size measured (33 if it never does). */
    private static int crossover(List<Small> small) {
        int from = 33;
        for (int i = small.size() - 1; i >= 0 && small.get(i).openblasNs() < small.get(i).smallNs(); i--) {
            from = small.get(i).n();
        }
        return from;
    }

    private static float[] randoms(int length, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        float[] x = new float[length];
        for (int i = 0; i < length; i++) x[i] = (float) random.nextDouble(-1, 1);
        return x;
    }

    private static String toJson(String openblas, int cpus, int threads, List<Throughput> rows, double viaKernels,
                                 double viaOpenBlas, double viaJava, List<Small> small, int crossover, long suggested) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("openblas", openblas);
        m.put("java", JavaKernels.INSTANCE.toString());
        m.put("cpus", cpus);
        m.put("openblas_threads", threads);
        m.put("throughput_gflops", rows.stream().map(r -> ordered("n", r.n(), "openblas_1t", round(r.openblas1(), 2),
                "openblas_2t", round(r.openblas2(), 2), "java", round(r.java(), 3))).toList());
        m.put("call_ns_2x2", ordered("kernels_gemm", round(viaKernels, 1), "openblas", round(viaOpenBlas, 1), "java", round(viaJava, 1)));
        m.put("small_ns", small.stream().map(r -> ordered("n", r.n(), "small", round(r.smallNs(), 1), "openblas", round(r.openblasNs(), 1),
                "java", round(r.javaNs(), 1))).toList());
        m.put("native_faster_from_n", crossover);
        m.put("suggested_small_product", suggested);
        m.put("small_product", Kernels.SMALL_PRODUCT);
        return JsonText.compact(m);
    }

    /** {@code v} with {@code decimals} digits after the point, exactly as JSON will show it; null when not finite. */
    private static java.math.BigDecimal round(double v, int decimals) {
        return Double.isFinite(v) ? java.math.BigDecimal.valueOf(v).setScale(decimals, java.math.RoundingMode.HALF_EVEN) : null;
    }

    /** A map of the given keys and values, in that order. */
    private static Map<String, Object> ordered(Object... keysAndValues) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) m.put((String) keysAndValues[i], keysAndValues[i + 1]);
        return m;
    }
}
