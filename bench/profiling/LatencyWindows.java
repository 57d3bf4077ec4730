import dev.backprop.autograd.NoGrad;
import dev.backprop.nn.*;
import dev.backprop.tensor.*;
import java.util.*;

/**
 * infer-latency's measurement (one [1, 784] sample through the 784-256-128-10 net, no gradients, as InferLatency
 * runs it) in 12 consecutive windows of 5,000 calls after a warm-up, printing each window's median in µs: the slow
 * mode of issue #17 shows as windows at 24-34 µs among ones at 11-13. Each call allocates its outputs (~4 KB), so
 * the calls march through the young generation; where its pages are touched for the first time (a fresh start, or
 * after G1 grows it), nearly every call takes a page fault. Compare, from the repository root:
 *
 * <pre>
 * javac -cp bench/target/backprop-bench.jar -d /tmp/lw bench/profiling/LatencyWindows.java
 * java --enable-native-access=ALL-UNNAMED -cp bench/target/backprop-bench.jar:/tmp/lw LatencyWindows
 * java --enable-native-access=ALL-UNNAMED -XX:+UseTransparentHugePages -cp bench/target/backprop-bench.jar:/tmp/lw LatencyWindows
 * java --enable-native-access=ALL-UNNAMED -XX:+AlwaysPreTouch -cp bench/target/backprop-bench.jar:/tmp/lw LatencyWindows
 * </pre>
 * Argument: warm-up calls (default 5,000, as the bench).
 */
public class LatencyWindows {
    static double sink;

    public static void main(String[] args) {
        int warm = args.length > 0 ? Integer.parseInt(args[0]) : 5_000;
        SplittableRandom rng = new SplittableRandom(42);
        Sequential net = Networks.mlp(784, List.of(256, 128), 10, Activation.Kind.RELU, rng);
        Tensor x = Tensor.rand(rng, 1, 784);
        long[] nanos = new long[5_000];
        StringBuilder line = new StringBuilder("window medians (us):");
        try (NoGrad ignored = NoGrad.enter()) {
            for (int i = 0; i < warm; i++) sink += net.forward(x).floats()[0];
            for (int w = 0; w < 12; w++) {
                for (int i = 0; i < nanos.length; i++) {
                    long t = System.nanoTime();
                    Tensor out = net.forward(x);
                    nanos[i] = System.nanoTime() - t;
                    sink += out.floats()[0];
                }
                Arrays.sort(nanos);
                line.append(String.format(Locale.ROOT, " %.1f", nanos[nanos.length / 2] / 1e3));
            }
        }
        System.out.println(line);
    }
}
