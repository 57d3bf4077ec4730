import dev.backprop.loss.CrossEntropy;
import dev.backprop.nn.*;
import dev.backprop.optim.Sgd;
import dev.backprop.tensor.*;
import dev.backprop.tensor.blas.OpenBlasKernels;
import java.util.*;

/**
 * Where wide-mlp's step goes: the whole step and its parts, every product the step runs as a raw sgemm (no
 * allocation) with its GFLOP/s, and the elementwise ops at [256, 2048]; best of a few runs, milliseconds. Run from
 * the repository root:
 *
 * <pre>
 * java --enable-native-access=ALL-UNNAMED -cp bench/target/backprop-bench.jar bench/profiling/WideCosts.java 1
 * </pre>
 * Argument: threads (OpenBlasKernels.setThreads).
 */
public class WideCosts {
    static volatile double sink;
    static double ms(Runnable r, int reps) {
        r.run(); r.run();
        double best = Double.MAX_VALUE;
        for (int i = 0; i < reps; i++) { long t = System.nanoTime(); r.run(); best = Math.min(best, (System.nanoTime() - t) / 1e6); }
        return best;
    }
    static void row(String name, double ms, double flop) {
        System.out.printf(Locale.ROOT, "%-50s %8.2f ms %s%n", name, ms, flop > 0 ? String.format(Locale.ROOT, "%6.1f GFLOP/s", flop / ms / 1e6) : "");
    }
    public static void main(String[] args) {
        int threads = Integer.parseInt(args[0]);
        if (Kernels.active() instanceof OpenBlasKernels b) b.setThreads(threads);
        SplittableRandom rng = new SplittableRandom(1);
        Tensor x = Tensor.randn(rng, 256, 1024);
        int[] cls = new int[256]; for (int i = 0; i < 256; i++) cls[i] = rng.nextInt(10);
        Tensor y = CrossEntropy.classIndices(cls);
        Sequential net = Networks.mlp(1024, List.of(2048, 2048), 10, Activation.Kind.RELU, rng);
        CrossEntropy ce = new CrossEntropy();
        Sgd sgd = Sgd.builder().lr(0.01).build(net.namedParameters());
        Mode mode = Mode.training(rng);
        long P = net.parameterCount();
        double stepFlop = 6.0 * P * 256;
        row("full step", ms(() -> { Tensor l = ce.apply(net.forward(x, mode), y); sgd.zeroGrad(); l.backward(); sgd.step(); }, 8), stepFlop);
        row("forward+loss", ms(() -> sink += ce.apply(net.forward(x, mode), y).item(), 8), 2.0 * P * 256);
        row("forward+loss+backward", ms(() -> { Tensor l = ce.apply(net.forward(x, mode), y); sgd.zeroGrad(); l.backward(); }, 8), stepFlop);
        row("zeroGrad", ms(sgd::zeroGrad, 8), 0);
        row("SGD step (6.3M params)", ms(sgd::step, 8), 0);
        // products actually run in a step, raw (no allocation)
        double total = 0, totalFlop = 0;
        int[][] g = { // transA, transB, m, n, k
            {0, 1, 256, 2048, 1024}, {0, 1, 256, 2048, 2048}, {0, 1, 256, 10, 2048},   // forward
            {0, 0, 256, 2048, 10}, {1, 0, 10, 2048, 256},                               // layer 3 backward: dX, dW
            {0, 0, 256, 2048, 2048}, {1, 0, 2048, 2048, 256},                           // layer 2 backward
            {1, 0, 2048, 1024, 256}};                                                  // layer 1 backward: dW only
        for (int[] d : g) {
            boolean ta = d[0] == 1, tb = d[1] == 1; int m = d[2], n = d[3], k = d[4];
            float[] a = new float[m * k], b = new float[k * n], c = new float[m * n];
            Arrays.fill(a, 0.5f); Arrays.fill(b, 0.25f);
            double t = ms(() -> { Kernels.active().sgemm(ta, tb, m, n, k, 1f, a, 0, ta ? m : k, b, 0, tb ? k : n, 0f, c, 0, n); sink += c[0]; }, 5);
            total += t; totalFlop += 2.0 * m * n * k;
            row(String.format("  sgemm %s%s m=%d n=%d k=%d", ta ? "T" : "N", tb ? "T" : "N", m, n, k), t, 2.0 * m * n * k);
        }
        row("  all products of a step, raw sgemm", total, totalFlop);
        Tensor h = Tensor.randn(rng, 256, 2048).requiresGrad(true), bias = Tensor.zeros(2048).requiresGrad(true), gr = Tensor.randn(rng, 256, 2048);
        row("add bias [256,2048] fwd", ms(() -> sink += h.add(bias).floats()[0], 8), 0);
        row("add bias [256,2048] fwd+bwd", ms(() -> { h.add(bias).backward(gr); h.setGrad(null); bias.setGrad(null); }, 8), 0);
        row("relu [256,2048] fwd", ms(() -> sink += h.relu().floats()[0], 8), 0);
        row("relu [256,2048] fwd+bwd", ms(() -> { h.relu().backward(gr); h.setGrad(null); }, 8), 0);
        Tensor big = Tensor.zeros(2048, 2048), other = Tensor.zeros(2048, 2048);
        row("addInPlace [2048,2048] (grad accumulate)", ms(() -> big.addInPlace(other, 1), 8), 0);
        row("Tensor.zeros(2048,2048) (allocate 16 MB)", ms(() -> sink += Tensor.zeros(2048, 2048).floats()[0], 8), 0);
        row("copy [2048,2048]", ms(() -> sink += other.copy().floats()[0], 8), 0);
    }
}
