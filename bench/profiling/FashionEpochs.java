import dev.backprop.data.FashionMnist;
import dev.backprop.loss.CrossEntropy;
import dev.backprop.nn.*;
import dev.backprop.optim.Adam;
import dev.backprop.tensor.Kernels;
import dev.backprop.tensor.blas.OpenBlasKernels;
import dev.backprop.train.*;
import java.nio.file.Path;
import java.util.*;

/**
 * fashion-mlp's training (Trainer, batch 128, Adam) for a few epochs at a given thread count, printing microseconds
 * per step for each epoch and, of those, the microseconds spent in matrix products (clocked by a Kernels wrapper);
 * optionally beside a busy process that this probe starts itself (a shell loop holding one core). A probe for
 * docs/performance.md. Run from the repository root after building the bench jar:
 *
 * <pre>
 * OPENBLAS_CORETYPE=Haswell java --enable-native-access=ALL-UNNAMED -cp bench/target/backprop-bench.jar \
 *     bench/profiling/FashionEpochs.java 2 busy
 * </pre>
 * Arguments: threads (default 2); "busy" to start the busy process, anything else not to; epochs (default 6). To
 * compare with OpenBLAS's own threads, run it against the bench jar of the commit before ProductThreads (3d6a6ea).
 */
public class FashionEpochs {
    static long inProducts;

    /** The active kernels, with the time spent in products added up. */
    record Clocked(Kernels k) implements Kernels {
        public String name() { return k.name(); }
        public void sgemm(boolean ta, boolean tb, int m, int n, int kk, float al, float[] a, int ao, int lda,
                          float[] b, int bo, int ldb, float be, float[] c, int co, int ldc) {
            long t = System.nanoTime();
            k.sgemm(ta, tb, m, n, kk, al, a, ao, lda, b, bo, ldb, be, c, co, ldc);
            inProducts += System.nanoTime() - t;
        }
        public void dgemm(boolean ta, boolean tb, int m, int n, int kk, double al, double[] a, int ao, int lda,
                          double[] b, int bo, int ldb, double be, double[] c, int co, int ldc) {
            k.dgemm(ta, tb, m, n, kk, al, a, ao, lda, b, bo, ldb, be, c, co, ldc);
        }
        public void sgemv(boolean ta, int r, int cc, float al, float[] a, int ao, int lda, float[] x, int xo,
                          float be, float[] y, int yo) {
            long t = System.nanoTime();
            k.sgemv(ta, r, cc, al, a, ao, lda, x, xo, be, y, yo);
            inProducts += System.nanoTime() - t;
        }
        public void dgemv(boolean ta, int r, int cc, double al, double[] a, int ao, int lda, double[] x, int xo,
                          double be, double[] y, int yo) {
            k.dgemv(ta, r, cc, al, a, ao, lda, x, xo, be, y, yo);
        }
    }

    public static void main(String[] args) throws Exception {
        int threads = args.length > 0 ? Integer.parseInt(args[0]) : 2;
        boolean busy = args.length > 1 && args[1].equals("busy");
        int epochs = args.length > 2 ? Integer.parseInt(args[2]) : 6;
        ((OpenBlasKernels) Kernels.active()).setThreads(threads);
        var data = FashionMnist.load(Path.of("/usr/share/datasets/fashion-mnist"));
        Sequential net = Networks.mlp(784, List.of(256, 128), 10, Activation.Kind.RELU, new SplittableRandom(42));
        Adam adam = Adam.builder().lr(1e-3).build(net.namedParameters());
        int steps = (data.train().size() + 127) / 128;
        List<String> perEpoch = new ArrayList<>(), products = new ArrayList<>();
        Trainer trainer = Trainer.builder(net, new CrossEntropy(), adam).epochs(epochs).batchSize(128).seed(42)
                .callback(new Callback() {
                    long mark;

                    @Override
                    public void onTrainBegin(TrainingContext c) {
                        mark = System.nanoTime();
                        inProducts = 0;
                    }

                    @Override
                    public void onEpochEnd(TrainingContext c, EpochRecord r) {
                        long now = System.nanoTime();
                        perEpoch.add(String.format(Locale.ROOT, "%.0f", (now - mark) / 1e3 / steps));
                        products.add(String.format(Locale.ROOT, "%.0f", inProducts / 1e3 / steps));
                        mark = now;
                        inProducts = 0;
                    }
                }).build();
        Process spinner = busy ? new ProcessBuilder("sh", "-c", "while :; do :; done").start() : null;
        try (Kernels.Scope clocked = Kernels.use(new Clocked(Kernels.active()))) {
            trainer.fit(data.train());
        } finally {
            if (spinner != null) spinner.destroy();
        }
        System.out.println("threads " + threads + (busy ? ", beside a busy process" : "")
                + ": us/step by epoch " + String.join(" ", perEpoch) + "; of which in products "
                + String.join(" ", products));
    }
}
