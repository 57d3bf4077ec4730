package dev.backprop.bench.jmh;

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

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * An elementwise op through the {@code Tensor} API: ReLU on a float32 [128, 256] tensor (32,768 elements, the
 * fashion-mlp first hidden layer's activations for a batch of 128), in microseconds per call. Elementwise ops are
 * memory-bound Java loops shared by both kernels (OpenBLAS has nothing for them), so this measures how well the JIT
 * vectorises them plus the per-op overhead. The input is standard normal, so half the elements are negative, as for
 * real pre-activations.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow"})
@State(Scope.Thread)
public class ReluBenchmark {
    private Tensor input, leaf, upstream;

    @Setup
    public void setUp() {
        input = Tensor.randn(new SplittableRandom(1), 128, 256);
        leaf = input.copy().requiresGrad(true);
        upstream = Tensor.randn(new SplittableRandom(2), 128, 256);
    }

    /** {@code x.relu()} on a tensor that requires no gradient: one pass, a new output tensor, nothing recorded. */
    @Benchmark
    public Tensor forward() {
        return input.relu();
    }

    /**
     * {@code y = x.relu(); y.backward(g)} with {@code x} a leaf that requires a gradient: the forward pass recorded for
     * autograd, then the backward pass (the mask {@code g · [x > 0]}) added into {@code x.grad()}. After the first
     * call the gradient buffer exists and is accumulated into, as a parameter's would be within a step.
     */
    @Benchmark
    public Tensor forwardBackward() {
        Tensor y = leaf.relu();
        y.backward(upstream);
        return leaf.grad();
    }
}
