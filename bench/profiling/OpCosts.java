import dev.backprop.autograd.NoGrad;
import dev.backprop.loss.CrossEntropy;
import dev.backprop.nn.*;
import dev.backprop.optim.Adam;
import dev.backprop.optim.Sgd;
import dev.backprop.tensor.*;
import dev.backprop.tensor.blas.OpenBlasKernels;
import java.util.*;

/**
 * Per-op costs at fashion-mlp's shapes: a whole step, its parts, and each op's forward and forward+backward, in
 * microseconds per call (best of 7 timed batches after 0.4 s of warm-up), beside plain-loop references. A profiling
 * probe for docs/performance.md, not a benchmark with targets. Run from the repository root after building the
 * bench jar ({@code ./backprop bench --help}):
 *
 * <pre>
 * java --enable-native-access=ALL-UNNAMED -cp bench/target/backprop-bench.jar bench/profiling/OpCosts.java 128 1
 * </pre>
 * Arguments: batch size (default 128), threads (default 1). Note that each op sees the same input on every
 * call, which lets the branch predictor learn data-dependent branches (ReLU) better than real training does.
 */
public class OpCosts {
    static volatile double sink;

    static double us(Runnable r) {
        long end = System.nanoTime() + 400_000_000L;
        int calls = 0;
        while (System.nanoTime() < end) { r.run(); calls++; }       // warm-up ~0.4 s
        int batch = Math.max(1, calls / 8);
        double best = Double.MAX_VALUE;
        for (int rep = 0; rep < 7; rep++) {
            long t = System.nanoTime();
            for (int i = 0; i < batch; i++) r.run();
            best = Math.min(best, (System.nanoTime() - t) / 1e3 / batch);
        }
        return best;
    }

    static void row(String name, double us, String note) {
        System.out.printf(Locale.ROOT, "%-52s %10.2f us  %s%n", name, us, note);
    }

    public static void main(String[] args) {
        int B = args.length > 0 ? Integer.parseInt(args[0]) : 128;
        if (Kernels.active() instanceof OpenBlasKernels b) b.setThreads(args.length > 1 ? Integer.parseInt(args[1]) : 1);
        System.out.println("batch " + B + ", " + Kernels.active());
        SplittableRandom rng = new SplittableRandom(1);
        Tensor x = Tensor.rand(rng, B, 784);
        int[] cls = new int[B]; for (int i = 0; i < B; i++) cls[i] = rng.nextInt(10);
        Tensor y = CrossEntropy.classIndices(cls);
        Sequential net = Networks.mlp(784, List.of(256, 128), 10, Activation.Kind.RELU, rng);
        CrossEntropy ce = new CrossEntropy();
        Adam adam = Adam.builder().lr(1e-3).build(net.namedParameters());
        Mode mode = Mode.training(rng);

        row("full step (fwd, loss, zeroGrad, backward, Adam)", us(() -> {
            Tensor l = ce.apply(net.forward(x, mode), y); adam.zeroGrad(); l.backward(); adam.step(); sink += l.item(); }), "");
        row("forward + loss (recording)", us(() -> sink += ce.apply(net.forward(x, mode), y).item()), "");
        row("forward + loss + backward", us(() -> { Tensor l = ce.apply(net.forward(x, mode), y); adam.zeroGrad(); l.backward(); }), "");
        row("zeroGrad", us(adam::zeroGrad), "");
        row("Adam step (235,146 params)", us(adam::step), "");
        try (NoGrad g = NoGrad.enter()) {
            row("forward, no grad", us(() -> sink += net.forward(x).floats()[0]), "");
        }

        // each op at its shapes: forward (recording) and forward+backward via backward(upstream)
        Tensor w1 = Tensor.randn(rng, 256, 784).requiresGrad(true), b1 = Tensor.zeros(256).requiresGrad(true);
        Tensor h1 = Tensor.randn(rng, B, 256);
        Tensor g1 = Tensor.randn(rng, B, 256);
        row("matmul [B,784]x[256,784]^T fwd", us(() -> sink += x.matmul(w1, false, true).floats()[0]), flops(2.0 * B * 784 * 256));
        row("matmul [B,784]x[256,784]^T fwd+bwd(dW only)", us(() -> { x.matmul(w1, false, true).backward(g1); w1.setGrad(null); }), flops(4.0 * B * 784 * 256));
        Tensor hreq = Tensor.randn(rng, B, 256).requiresGrad(true);
        Tensor w2 = Tensor.randn(rng, 128, 256).requiresGrad(true);
        Tensor g2 = Tensor.randn(rng, B, 128);
        row("matmul [B,256]x[128,256]^T fwd+bwd(dX,dW)", us(() -> { hreq.matmul(w2, false, true).backward(g2); w2.setGrad(null); hreq.setGrad(null); }), flops(6.0 * B * 256 * 128));
        float[] a = x.floats(), wf = w1.floats(), c = new float[B * 256];
        row("  raw sgemm [B,784]x[256,784]^T (no alloc)", us(() -> { Kernels.active().sgemm(false, true, B, 256, 784, 1f, a, 0, 784, wf, 0, 784, 0f, c, 0, 256); sink += c[0]; }), flops(2.0 * B * 784 * 256));
        row("  Tensor.zeros(B,256) (the op's output)", us(() -> sink += Tensor.zeros(B, 256).floats()[0]), "");
        row("add bias [B,256]+[256] fwd", us(() -> sink += h1.add(b1).floats()[0]), "");
        row("add bias [B,256]+[256] fwd+bwd", us(() -> { hreq.add(b1).backward(g1); b1.setGrad(null); hreq.setGrad(null); }), "");
        row("relu [B,256] fwd", us(() -> sink += hreq.relu().floats()[0]), "");
        row("relu [B,256] fwd+bwd", us(() -> { hreq.relu().backward(g1); hreq.setGrad(null); }), "");
        // Training never sees the same activations twice: with 8 inputs in turn the branch predictor cannot learn them.
        Tensor[] fresh = new Tensor[8];
        for (int i = 0; i < fresh.length; i++) fresh[i] = Tensor.randn(rng, B, 256);
        int[] turn = {0};
        row("relu [B,256] fwd, 8 different inputs in turn", us(() -> sink += fresh[turn[0]++ & 7].relu().floats()[0]), "");
        Tensor z = Tensor.randn(rng, B, 10).requiresGrad(true);
        row("cross-entropy [B,10] fwd", us(() -> sink += ce.apply(z, y).item()), "");
        row("cross-entropy [B,10] fwd+bwd", us(() -> { ce.apply(z, y).backward(); z.setGrad(null); }), "");
        Tensor big = Tensor.rand(rng, 60000, 784);
        int[] idx = new int[B]; for (int i = 0; i < B; i++) idx[i] = rng.nextInt(60000);
        row("gatherRows B of [60000,784]", us(() -> sink += big.gatherRows(idx).floats()[0]), "");
        // elementwise reference: the same relu as a plain loop, to show the dispatch cost
        float[] hv = h1.floats(), out = new float[hv.length];
        row("  plain-loop relu [B,256] (reference)", us(() -> { for (int i = 0; i < hv.length; i++) out[i] = Math.max(hv[i], 0f); sink += out[0]; }), "");
        float[] bv = b1.floats();
        row("  plain-loop bias add [B,256] (reference)", us(() -> { for (int r = 0, k = 0; r < B; r++) for (int j = 0; j < 256; j++, k++) out[k] = hv[k] + bv[j]; sink += out[0]; }), "");
    }

    static String flops(double f) { return String.format(Locale.ROOT, "(%.1f MFLOP)", f / 1e6); }
}
