import dev.backprop.autograd.NoGrad;
import dev.backprop.nn.*;
import dev.backprop.tensor.*;
import dev.backprop.tensor.blas.OpenBlasKernels;
import java.lang.foreign.*;
import java.lang.invoke.MethodHandle;
import java.nio.file.*;
import java.util.*;
import static java.lang.foreign.ValueLayout.*;

/**
 * Where infer-latency's time goes: one {@code [1, 784]} sample through the 784-256-128-10 net, layer by layer, and each
 * layer's product as the library runs it (sgemm with m = 1) against OpenBLAS's cblas_sgemv (called here directly
 * through FFM on the library the bench extracted to ~/.cache/backprop/native) and a plain Java dot-product loop.
 * Median microseconds of 2,001 calls after 20,000 warm-up calls. Run from the repository root:
 *
 * <pre>
 * java --enable-native-access=ALL-UNNAMED -cp bench/target/backprop-bench.jar bench/profiling/Latency.java 1
 * </pre>
 * Argument: threads (OpenBlasKernels.setThreads).
 */
public class Latency {
    static volatile double sink;

    static double us(Runnable r) {
        for (int i = 0; i < 20000; i++) r.run();
        double[] t = new double[2001];
        for (int i = 0; i < t.length; i++) { long s = System.nanoTime(); r.run(); t[i] = (System.nanoTime() - s) / 1e3; }
        Arrays.sort(t);
        return t[t.length / 2];
    }

    public static void main(String[] args) throws Throwable {
        int threads = Integer.parseInt(args[0]);
        if (Kernels.active() instanceof OpenBlasKernels b) b.setThreads(threads);
        System.out.println(Kernels.active() + " threads " + threads);
        SplittableRandom rng = new SplittableRandom(1);
        Sequential net = Networks.mlp(784, List.of(256, 128), 10, Activation.Kind.RELU, rng);
        Tensor x = Tensor.rand(rng, 1, 784);
        try (NoGrad g = NoGrad.enter()) {
            System.out.printf("net.forward (NoGrad)                 %8.2f us%n", us(() -> sink += net.forward(x).floats()[0]));
            Linear l1 = (Linear) net.layers().get(0);
            System.out.printf("  Linear 784->256 forward            %8.2f us%n", us(() -> sink += l1.forward(x).floats()[0]));
            Tensor h = Tensor.rand(rng, 1, 256);
            System.out.printf("  relu [1,256]                       %8.2f us%n", us(() -> sink += h.relu().floats()[0]));
            System.out.printf("  add bias [1,256]+[256]             %8.2f us%n", us(() -> sink += h.add(l1.bias()).floats()[0]));
        }
        int[][] dims = {{256, 784}, {128, 256}, {10, 128}};
        Path lib = Files.list(Path.of(System.getProperty("user.home"), ".cache/backprop/native")).filter(p -> p.toString().contains("openblas")).findFirst().get().resolve("libopenblas.so.0");
        SymbolLookup look = SymbolLookup.libraryLookup(lib, Arena.global());
        MethodHandle sgemv = Linker.nativeLinker().downcallHandle(look.find("cblas_sgemv").get(),
                FunctionDescriptor.ofVoid(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_FLOAT, ADDRESS, JAVA_INT, ADDRESS, JAVA_INT, JAVA_FLOAT, ADDRESS, JAVA_INT),
                Linker.Option.critical(true));
        MethodHandle setThreads = Linker.nativeLinker().downcallHandle(look.find("openblas_set_num_threads").get(), FunctionDescriptor.ofVoid(JAVA_INT));
        setThreads.invokeExact(threads);
        for (int[] d : dims) {
            int n = d[0], k = d[1];
            float[] w = new float[n * k], v = new float[k], y = new float[n];
            for (int i = 0; i < w.length; i++) w[i] = (float) rng.nextDouble();
            for (int i = 0; i < k; i++) v[i] = (float) rng.nextDouble();
            double gemm = us(() -> { Kernels.active().sgemm(false, true, 1, n, k, 1f, v, 0, k, w, 0, k, 0f, y, 0, n); sink += y[0]; });
            double gemv = us(() -> {
                try { sgemv.invokeExact(101, 111, n, k, 1f, MemorySegment.ofArray(w), k, MemorySegment.ofArray(v), 1, 0f, MemorySegment.ofArray(y), 1); }
                catch (Throwable t) { throw new RuntimeException(t); }
                sink += y[0]; });
            double java = us(() -> {
                for (int j = 0; j < n; j++) { float s = 0; int o = j * k; for (int i = 0; i < k; i++) s += w[o + i] * v[i]; y[j] = s; }
                sink += y[0]; });
            System.out.printf("[1,%d]x[%d,%d]^T: sgemm m=1 %8.2f us, cblas_sgemv %7.2f us, Java dot loop %7.2f us%n", k, n, k, gemm, gemv, java);
        }
    }
}
