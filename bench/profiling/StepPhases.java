import dev.backprop.data.*;
import dev.backprop.loss.CrossEntropy;
import dev.backprop.nn.*;
import dev.backprop.optim.Adam;
import dev.backprop.bench.ClockedKernels;
import dev.backprop.tensor.*;
import dev.backprop.tensor.blas.OpenBlasKernels;
import java.nio.file.Path;
import java.util.*;

/**
 * fashion-mlp's step (784-256-128-10 ReLU, cross-entropy, Adam, batch 128) written out as Trainer runs it, with each
 * phase timed apart: fetching the batch, forward, loss, zeroing gradients (once an epoch), backward, the optimizer's
 * step with the zeroing of the gradients it used; and, of
 * the forward and backward, the time in matrix products (ClockedKernels). Prints microseconds per step for each
 * epoch after the first two (warm). A probe for docs/performance.md (issue #17). From the repository root:
 *
 * <pre>
 * OPENBLAS_CORETYPE=Haswell java --enable-native-access=ALL-UNNAMED -cp bench/target/backprop-bench.jar \
 *     bench/profiling/StepPhases.java 2 5
 * </pre>
 * Arguments: threads (default 2), epochs (default 5).
 */
public class StepPhases {
    public static void main(String[] args) throws Exception {
        int threads = args.length > 0 ? Integer.parseInt(args[0]) : 2;
        int epochs = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        ((OpenBlasKernels) Kernels.active()).setThreads(threads);
        ClockedKernels clock = new ClockedKernels(Kernels.active());
        Dataset train = FashionMnist.load(Path.of("/usr/share/datasets/fashion-mnist")).train();
        Sequential net = Networks.mlp(784, List.of(256, 128), 10, Activation.Kind.RELU, new SplittableRandom(42));
        CrossEntropy loss = new CrossEntropy();
        Adam adam = Adam.builder().lr(1e-3).build(net.namedParameters());
        Workspace ws = Workspace.create();
        String[] names = {"batch", "forward", "  of which products", "loss", "zero grad", "backward",
                "  of which products", "optimizer (and zeroing)", "step"};
        try (Kernels.Scope clocked = Kernels.use(clock)) {
            for (int epoch = 0; epoch < epochs; epoch++) {
                long[] t = new long[names.length];
                int steps;
                try (BatchPrefetcher batches = BatchPrefetcher.of(train, 128, 42, epoch)) {
                    steps = batches.size();
                    for (int step = 0; step < steps; step++) {
                        try (Workspace.Scope s = ws.enter()) {
                            long a = System.nanoTime();
                            Batch b = batches.next();
                            long p0 = clock.nanos(), bb = System.nanoTime();
                            Tensor out = net.forward(b.x(), Mode.training(BatchOrder.stepGenerator(42, epoch, step)));
                            long p1 = clock.nanos(), c = System.nanoTime();
                            Tensor l = loss.apply(out, b.y());
                            double v = l.item();
                            long d = System.nanoTime();
                            if (step == 0) adam.zeroGrad();   // as Trainer: then each step zeroes what it used
                            long e = System.nanoTime(), p2 = clock.nanos();
                            l.backward();
                            long f = System.nanoTime(), p3 = clock.nanos();
                            adam.stepAndZeroGrad();
                            long g = System.nanoTime();
                            t[0] += bb - a; t[1] += c - bb; t[2] += p1 - p0; t[3] += d - c; t[4] += e - d;
                            t[5] += f - e; t[6] += p3 - p2; t[7] += g - f; t[8] += g - a;
                        }
                    }
                }
                if (epoch < 2) continue;
                StringBuilder line = new StringBuilder("epoch " + (epoch + 1) + " µs/step:");
                for (int i = 0; i < names.length; i++) {
                    line.append(String.format(Locale.ROOT, "  %s %.0f", names[i].strip(), t[i] / 1e3 / steps));
                }
                System.out.println(line);
            }
        }
    }
}
