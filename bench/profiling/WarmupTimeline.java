import dev.backprop.data.FashionMnist;
import dev.backprop.loss.CrossEntropy;
import dev.backprop.nn.*;
import dev.backprop.optim.Adam;
import dev.backprop.bench.ClockedKernels;
import dev.backprop.tensor.Kernels;
import dev.backprop.tensor.blas.OpenBlasKernels;
import dev.backprop.train.*;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.*;

/**
 * fashion-mlp's training (Trainer, batch 128, Adam), printing for every block of 50 steps the microseconds per step,
 * the part of it in matrix products, and the CPU milliseconds the JIT's C1 and C2 threads used in that block: where the first epoch's
 * time goes. A probe for docs/performance.md (issue #17). Run from the repository root after building the bench jar:
 *
 * <pre>
 * OPENBLAS_CORETYPE=Haswell java --enable-native-access=ALL-UNNAMED -cp bench/target/backprop-bench.jar \
 *     bench/profiling/WarmupTimeline.java 2 2
 * </pre>
 * Arguments: threads (default 2), epochs (default 2), block (steps, default 50).
 */
public class WarmupTimeline {
    /** CPU milliseconds so far of this process's threads whose name starts with the prefix (from /proc, Linux). */
    static long cpuMillis(String prefix) {
        long ticks = 0;
        try (var tasks = java.nio.file.Files.list(Path.of("/proc/self/task"))) {
            for (Path t : (Iterable<Path>) tasks::iterator) {
                try {
                    if (!java.nio.file.Files.readString(t.resolve("comm")).startsWith(prefix)) continue;
                    String stat = java.nio.file.Files.readString(t.resolve("stat"));
                    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                    ticks += Long.parseLong(f[11]) + Long.parseLong(f[12]);
                } catch (java.io.IOException gone) {
                    // the thread ended
                }
            }
        } catch (java.io.IOException e) {
            return -1;
        }
        return ticks * 10;   // 100 ticks a second
    }

    public static void main(String[] args) throws Exception {
        int threads = args.length > 0 ? Integer.parseInt(args[0]) : 2;
        int epochs = args.length > 1 ? Integer.parseInt(args[1]) : 2;
        int block = args.length > 2 ? Integer.parseInt(args[2]) : 50;
        ((OpenBlasKernels) Kernels.active()).setThreads(threads);
        ClockedKernels clock = new ClockedKernels(Kernels.active());
        long jvmStart = ManagementFactory.getRuntimeMXBean().getStartTime();
        var data = FashionMnist.load(Path.of("/usr/share/datasets/fashion-mnist"));
        Sequential net = Networks.mlp(784, List.of(256, 128), 10, Activation.Kind.RELU, new SplittableRandom(42));
        Adam adam = Adam.builder().lr(1e-3).build(net.namedParameters());
        StringBuilder out = new StringBuilder("block  ms-since-start  us/step  products  java  c1-cpu-ms  c2-cpu-ms\n");
        Progress timeline = new Progress() {
            long mark = System.nanoTime(), products, c1 = cpuMillis("C1 "), c2 = cpuMillis("C2 ");
            int n;

            @Override
            public void onStep(int epoch, int e, int step, int steps, double l, double sps, double el) {
                if (++n % block != 0) return;
                long now = System.nanoTime(), c1Now = cpuMillis("C1 "), c2Now = cpuMillis("C2 ");
                double us = (now - mark) / 1e3 / block, p = (clock.nanos() - products) / 1e3 / block;
                out.append(String.format(Locale.ROOT, "%5d  %14d  %7.0f  %8.0f  %4.0f  %9d  %9d%n", n / block,
                        System.currentTimeMillis() - jvmStart, us, p, us - p, c1Now - c1, c2Now - c2));
                mark = now;
                products = clock.nanos();
                c1 = c1Now;
                c2 = c2Now;
            }
        };
        Trainer trainer = Trainer.builder(net, new CrossEntropy(), adam).epochs(epochs).batchSize(128).seed(42)
                .progress(timeline).build();
        try (Kernels.Scope clocked = Kernels.use(clock)) {
            trainer.fit(data.train());
        }
        System.out.print(out);
    }
}
