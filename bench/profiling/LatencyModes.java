import dev.backprop.autograd.NoGrad;
import dev.backprop.nn.*;
import dev.backprop.tensor.*;
import java.lang.reflect.Field;
import java.util.*;

/**
 * One JVM start of infer-latency's measurement, taken apart: the p50 of the whole forward (as the bench measures
 * it), then of each layer's product on its own, with the address modulo 4096 of each weight array (compressed
 * oops, read through sun.misc.Unsafe: a probe, not library code). Run it in many starts to see which part is slow
 * in a slow start (issue #17's bimodal latency). From the repository root:
 *
 * <pre>
 * javac -cp bench/target/backprop-bench.jar -d /tmp/lat bench/profiling/LatencyModes.java
 * for i in $(seq 30); do java --enable-native-access=ALL-UNNAMED -cp bench/target/backprop-bench.jar:/tmp/lat LatencyModes; done
 * </pre>
 */
public class LatencyModes {
    static volatile double sink;

    static double p50(Runnable r, int calls) {
        long[] t = new long[calls];
        for (int i = 0; i < calls; i++) r.run();
        for (int i = 0; i < calls; i++) {
            long s = System.nanoTime();
            r.run();
            t[i] = System.nanoTime() - s;
        }
        Arrays.sort(t);
        return t[calls / 2] / 1e3;
    }

    static long address(Object o) throws Exception {
        Field f = Class.forName("sun.misc.Unsafe").getDeclaredField("theUnsafe");
        f.setAccessible(true);
        sun.misc.Unsafe u = (sun.misc.Unsafe) f.get(null);
        Object[] box = {o};
        long narrow = u.getInt(box, (long) u.arrayBaseOffset(Object[].class)) & 0xFFFFFFFFL;
        return (narrow << 3) + u.arrayBaseOffset(float[].class);
    }

    public static void main(String[] args) throws Exception {
        SplittableRandom rng = new SplittableRandom(42);   // as InferLatency with the default seed
        Sequential net = Networks.mlp(784, List.of(256, 128), 10, Activation.Kind.RELU, rng);
        Tensor x = Tensor.rand(rng, 1, 784);
        StringBuilder line = new StringBuilder();
        try (NoGrad ignored = NoGrad.enter()) {
            line.append(String.format(Locale.ROOT, "forward %.2f", p50(() -> sink += net.forward(x).floats()[0], 15_000)));
            Tensor in = x;
            int layer = 0;
            for (dev.backprop.nn.Module m : net.layers()) {
                if (m instanceof Linear l) {
                    Tensor input = in;
                    line.append(String.format(Locale.ROOT, "  linear%d %.2f (w %% 4096 = %d)", layer,
                            p50(() -> sink += l.forward(input).floats()[0], 15_000), address(l.weight().floats()) % 4096));
                    layer++;
                }
                in = m.forward(in);
            }
        }
        System.out.println(line);
    }
}
