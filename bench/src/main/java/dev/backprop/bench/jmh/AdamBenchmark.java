package dev.backprop.bench.jmh;

import dev.backprop.nn.Activation;
import dev.backprop.nn.Module;
import dev.backprop.nn.Networks;
import dev.backprop.optim.Adam;
import dev.backprop.tensor.Tensor;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * One Adam step over the fashion-mlp network (784 → 256 → 128 → 10, ReLU): 235,146 float32 parameters in six
 * tensors, in microseconds per step. Every parameter's gradient is set once to a fixed standard-normal tensor, so
 * each step is the update alone (the optimizer's per-element loop: two running averages, a square root and a
 * division), with no forward or backward pass. The parameters and the averages keep changing from step to step, as
 * in training; the values stay finite.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow"})
@State(Scope.Thread)
public class AdamBenchmark {
    private Adam adam;

    @Setup
    public void setUp() {
        Module net = Networks.mlp(784, List.of(256, 128), 10, Activation.Kind.RELU, new SplittableRandom(1));
        SplittableRandom random = new SplittableRandom(2);
        for (Tensor p : net.parameters()) p.setGrad(Tensor.randn(random, p.shape().dims()));
        adam = Adam.builder().build(net.parameters());
    }

    /** {@code adam.step()}: updates every parameter in place. */
    @Benchmark
    public Adam step() {
        adam.step();
        return adam;
    }
}
