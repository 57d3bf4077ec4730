package dev.backprop.bench.jmh;

import dev.backprop.tensor.Kernels;
import dev.backprop.tensor.blas.JavaKernels;
import dev.backprop.tensor.blas.OpenBlasKernels;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * Single-precision matrix-product throughput, OpenBLAS against the pure-Java kernel. The score is products per
 * second; a product {@code C[m, n] = op(A)[m, k] · op(B)[k, n]} is {@code 2·m·n·k} floating-point operations (a
 * multiply and an add per term), so
 * <pre>
 * GFLOP/s = score × 2·m·n·k / 10⁹        square n: score × 2n³ / 10⁹
 * </pre>
 * e.g. at n = 1024 one product is 2.15 GFLOP, and 10 products/s are 21.5 GFLOP/s.
 *
 * <p>Two families, each on OpenBLAS ({@code threads} = 1 or 2, set process-wide with
 * {@link OpenBlasKernels#setThreads}) and on {@link JavaKernels} (always one thread, so it takes no {@code threads}
 * parameter):
 * <ul>
 *   <li>{@code square*}: {@code C[n, n] = A[n, n] · B[n, n]} for n = 64, 256, 1024;</li>
 *   <li>{@code fashion*}: the first layer of the fashion-mlp workload (784 → 256, batch 128): the forward product
 *       {@code Y[128, 256] = X[128, 784] · W[256, 784]ᵀ} (m, n, k = 128, 256, 784; B transposed, "NT"), 51.4 MFLOP,
 *       and the weight gradient {@code dW[256, 784] = dY[128, 256]ᵀ · X[128, 784]} (m, n, k = 256, 784, 128; A
 *       transposed, "TN"), also 51.4 MFLOP.</li>
 * </ul>
 * The kernels are called directly, not through {@link Kernels#gemm}, so neither the small-product shortcut nor the
 * tensor layer is measured here (see {@link DispatchBenchmark} for those).
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow"})
public class SgemmBenchmark {

    /** The square operands: A, B and the output C, n × n each, filled with uniform values in [-1, 1). */
    @State(Scope.Thread)
    public static class Square {
        /** Matrix size. */
        @Param({"64", "256", "1024"})
        public int n;

        float[] a, b, c;

        @Setup
        public void setUp() {
            a = randoms(n * n, 1);
            b = randoms(n * n, 2);
            c = new float[n * n];
        }
    }

    /** The fashion-mlp layer-1 operands: input X[128, 784], weight W[256, 784], output gradient dY[128, 256]. */
    @State(Scope.Thread)
    public static class FashionLayer {
        static final int BATCH = 128, IN = 784, OUT = 256;

        float[] x, w, dy, y, dw;

        @Setup
        public void setUp() {
            x = randoms(BATCH * IN, 3);
            w = randoms(OUT * IN, 4);
            dy = randoms(BATCH * OUT, 5);
            y = new float[BATCH * OUT];
            dw = new float[OUT * IN];
        }
    }

    /**
     * OpenBLAS with {@code threads} worker threads. The thread count is process-wide, so this state is shared by the
     * whole benchmark and restores the count it found when the trial ends.
     */
    @State(Scope.Benchmark)
    public static class Blas {
        /** Threads for each product (OpenBlasKernels.setThreads). */
        @Param({"1", "2"})
        public int threads;

        OpenBlasKernels kernels;
        private int previous;

        @Setup(Level.Trial)
        public void setUp() {
            kernels = OpenBlasKernels.load();
            previous = kernels.threads();
            kernels.setThreads(threads);
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            kernels.setThreads(previous);
        }
    }

    /** OpenBLAS, {@code C[n, n] = A · B}. */
    @Benchmark
    public float[] squareOpenBlas(Square s, Blas blas) {
        return square(blas.kernels, s);
    }

    /** Pure Java, {@code C[n, n] = A · B}. */
    @Benchmark
    public float[] squareJava(Square s) {
        return square(JavaKernels.INSTANCE, s);
    }

    /** OpenBLAS, layer-1 forward {@code Y = X · Wᵀ} (128 × 256 × 784, NT). */
    @Benchmark
    public float[] fashionForwardOpenBlas(FashionLayer l, Blas blas) {
        return forward(blas.kernels, l);
    }

    /** Pure Java, layer-1 forward {@code Y = X · Wᵀ} (128 × 256 × 784, NT). */
    @Benchmark
    public float[] fashionForwardJava(FashionLayer l) {
        return forward(JavaKernels.INSTANCE, l);
    }

    /** OpenBLAS, layer-1 weight gradient {@code dW = dYᵀ · X} (256 × 784 × 128, TN). */
    @Benchmark
    public float[] fashionWeightGradOpenBlas(FashionLayer l, Blas blas) {
        return weightGrad(blas.kernels, l);
    }

    /** Pure Java, layer-1 weight gradient {@code dW = dYᵀ · X} (256 × 784 × 128, TN). */
    @Benchmark
    public float[] fashionWeightGradJava(FashionLayer l) {
        return weightGrad(JavaKernels.INSTANCE, l);
    }

    private static float[] square(Kernels k, Square s) {
        int n = s.n;
        k.sgemm(false, false, n, n, n, 1f, s.a, 0, n, s.b, 0, n, 0f, s.c, 0, n);
        return s.c;
    }

    private static float[] forward(Kernels k, FashionLayer l) {
        // Y[128, 256] = X[128, 784] · W[256, 784]ᵀ: row strides as stored, 784 for X and W, 256 for Y.
        k.sgemm(false, true, FashionLayer.BATCH, FashionLayer.OUT, FashionLayer.IN, 1f,
                l.x, 0, FashionLayer.IN, l.w, 0, FashionLayer.IN, 0f, l.y, 0, FashionLayer.OUT);
        return l.y;
    }

    private static float[] weightGrad(Kernels k, FashionLayer l) {
        // dW[256, 784] = dY[128, 256]ᵀ · X[128, 784]: dY stored [128, 256] (stride 256), X [128, 784] (stride 784).
        k.sgemm(true, false, FashionLayer.OUT, FashionLayer.IN, FashionLayer.BATCH, 1f,
                l.dy, 0, FashionLayer.OUT, l.x, 0, FashionLayer.IN, 0f, l.dw, 0, FashionLayer.IN);
        return l.dw;
    }

    static float[] randoms(int length, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        float[] x = new float[length];
        for (int i = 0; i < length; i++) x[i] = (float) random.nextDouble(-1, 1);
        return x;
    }
}
