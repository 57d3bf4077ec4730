import dev.backprop.autograd.Graph;
import dev.backprop.loss.HalfSumSquares;
import dev.backprop.nn.*;
import dev.backprop.optim.Sgd;
import dev.backprop.tensor.*;
import dev.backprop.tensor.blas.*;
import java.util.*;

/**
 * Where tiny-sigmoid's step goes: the step, forward, backward, the graph's topological sort, the optimizer, each op,
 * and the 6x5x4 product on OpenBLAS against SmallGemm; nanoseconds per call, best of 7 batches of 50,000. Run from
 * the repository root:
 *
 * <pre>
 * java --enable-native-access=ALL-UNNAMED -cp bench/target/backprop-bench.jar bench/profiling/TinyCosts.java
 * </pre>
 */
public class TinyCosts {
    static volatile double sink;
    static double ns(Runnable r) {
        for (int i = 0; i < 300_000; i++) r.run();
        double best = Double.MAX_VALUE;
        for (int rep = 0; rep < 7; rep++) { long t = System.nanoTime(); for (int i = 0; i < 50_000; i++) r.run(); best = Math.min(best, (System.nanoTime() - t) / 50_000.0); }
        return best;
    }
    static void row(String n, double ns) { System.out.printf(Locale.ROOT, "%-55s %8.0f ns%n", n, ns); }
    public static void main(String[] a) {
        if (Kernels.active() instanceof OpenBlasKernels b) b.setThreads(1);
        SplittableRandom rng = new SplittableRandom(42);
        Sequential net = new Sequential(new Linear(4, 5, rng), Activation.sigmoid(), new Linear(5, 1, rng), Activation.sigmoid());
        HalfSumSquares loss = new HalfSumSquares();
        Sgd sgd = Sgd.builder().lr(0.5).build(net.namedParameters());
        Tensor x = Tensor.rand(rng, 6, 4), y = Tensor.rand(rng, 6, 1);
        Mode mode = Mode.training(rng);
        row("step", ns(() -> { Tensor l = loss.apply(net.forward(x, mode), y); sgd.zeroGrad(); l.backward(); sgd.step(); }));
        row("forward (recording)", ns(() -> sink += net.forward(x, mode).floats()[0]));
        row("forward + loss", ns(() -> sink += loss.apply(net.forward(x, mode), y).floats()[0]));
        row("forward + loss + backward", ns(() -> { Tensor l = loss.apply(net.forward(x, mode), y); sgd.zeroGrad(); l.backward(); }));
        Tensor l0 = loss.apply(net.forward(x, mode), y);
        row("  Graph.topologicalOrder of the step's graph", ns(() -> sink += Graph.topologicalOrder(l0).size()));
        row("sgd.zeroGrad + sgd.step", ns(() -> { sgd.zeroGrad(); sgd.step(); }));
        Tensor w = Tensor.rand(rng, 5, 4).requiresGrad(true), b = Tensor.zeros(5).requiresGrad(true), h = Tensor.rand(rng, 6, 5);
        row("matmul [6,4]x[5,4]^T (recording)", ns(() -> sink += x.matmul(w, false, true).floats()[0]));
        row("add [6,5]+[5] (recording)", ns(() -> sink += h.add(b).floats()[0]));
        row("sigmoid [6,5] (recording)", ns(() -> sink += h.requiresGrad(false).sigmoid().floats()[0]));
        float[] xf = x.floats(), wf = w.floats(), c = new float[30];
        row("  OpenBLAS sgemm NT 6x5x4 (120 multiply-adds)", ns(() -> { OpenBlasKernels.load().sgemm(false, true, 6, 5, 4, 1f, xf, 0, 4, wf, 0, 4, 0f, c, 0, 5); sink += c[0]; }));
        row("  SmallGemm NT 6x5x4", ns(() -> { SmallGemm.sgemm(false, true, 6, 5, 4, xf, 0, 4, wf, 0, 4, false, c, 0, 5); sink += c[0]; }));
    }
}
