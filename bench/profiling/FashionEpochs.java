import dev.backprop.data.FashionMnist;
import dev.backprop.loss.CrossEntropy;
import dev.backprop.nn.*;
import dev.backprop.optim.Adam;
import dev.backprop.bench.ClockedKernels;
import dev.backprop.tensor.Kernels;
import dev.backprop.tensor.blas.OpenBlasKernels;
import dev.backprop.train.*;
import java.nio.file.Path;
import java.util.*;

/**
 * fashion-mlp's training (Trainer, batch 128, Adam) for a few epochs at a given thread count, printing microseconds
 * per step for each epoch and, of those, the microseconds spent in matrix products (clocked by ClockedKernels);
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
    public static void main(String[] args) throws Exception {
        int threads = args.length > 0 ? Integer.parseInt(args[0]) : 2;
        boolean busy = args.length > 1 && args[1].equals("busy");
        int epochs = args.length > 2 ? Integer.parseInt(args[2]) : 6;
        ((OpenBlasKernels) Kernels.active()).setThreads(threads);
        ClockedKernels clock = new ClockedKernels(Kernels.active());
        var data = FashionMnist.load(Path.of("/usr/share/datasets/fashion-mnist"));
        Sequential net = Networks.mlp(784, List.of(256, 128), 10, Activation.Kind.RELU, new SplittableRandom(42));
        Adam adam = Adam.builder().lr(1e-3).build(net.namedParameters());
        int steps = (data.train().size() + 127) / 128;
        List<String> perEpoch = new ArrayList<>(), products = new ArrayList<>();
        Trainer trainer = Trainer.builder(net, new CrossEntropy(), adam).epochs(epochs).batchSize(128).seed(42)
                .callback(new Callback() {
                    long mark, productsMark;

                    @Override
                    public void onTrainBegin(TrainingContext c) {
                        mark = System.nanoTime();
                        productsMark = clock.nanos();
                    }

                    @Override
                    public void onEpochEnd(TrainingContext c, EpochRecord r) {
                        long now = System.nanoTime();
                        perEpoch.add(String.format(Locale.ROOT, "%.0f", (now - mark) / 1e3 / steps));
                        products.add(String.format(Locale.ROOT, "%.0f", (clock.nanos() - productsMark) / 1e3 / steps));
                        mark = now;
                        productsMark = clock.nanos();
                    }
                }).build();
        Process spinner = busy ? new ProcessBuilder("sh", "-c", "while :; do :; done").start() : null;
        try (Kernels.Scope clocked = Kernels.use(clock)) {
            trainer.fit(data.train());
        } finally {
            if (spinner != null) spinner.destroy();
        }
        System.out.println("threads " + threads + (busy ? ", beside a busy process" : "")
                + ": us/step by epoch " + String.join(" ", perEpoch) + "; of which in products "
                + String.join(" ", products));
    }
}
