package dev.backprop.bench.jmh;

import dev.backprop.tensor.Kernels;
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

import java.util.concurrent.TimeUnit;

/**
 * What one matrix product costs by the way a user calls it, {@link Tensor#matmul}, at the two ends of the size range
 * the workloads use; nanoseconds per call.
 * <ul>
 *   <li>{@code tiny*}: a [2, 2] · [2, 2] product (8 multiply-adds, the tiny-sigmoid workload's size). The work is
 *       nothing, so the time is the dispatch: a {@code MatMul} op object, shape checks, the output tensor, and
 *       {@link Kernels#gemm}'s size test, which keeps products this small in Java.</li>
 *   <li>{@code matvec*}: a [1, 784] · [784, 256] product, the first layer of single-sample inference (the
 *       infer-latency workload), 200,704 multiply-adds, which {@link Kernels#gemm} sends to the active kernels'
 *       {@code sgemv}.</li>
 * </ul>
 * Each size is measured twice: through the {@code Tensor} API, and straight into {@link Kernels#gemm} with the same
 * arrays, so the difference is what the tensor layer adds. No operand requires a gradient, so nothing is recorded for
 * backward. The products run on {@link Kernels#active()}: OpenBLAS unless {@code -Dbackprop.kernels=java}, with the
 * thread count of {@code BACKPROP_THREADS} or {@code -Dbackprop.threads} (default: one per CPU); pass JVM options
 * to the fork with JMH's {@code -jvmArgsAppend}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow"})
@State(Scope.Thread)
public class DispatchBenchmark {
    private Tensor tinyA, tinyB, row, weight;
    private float[] tinyOut, rowOut;
    /**
     * The product sizes for the direct {@link Kernels#gemm} calls, read from fields: as literals the JIT would unroll
     * the 2×2 loops completely, a luxury real callers (whose sizes come from tensor shapes) do not get.
     */
    private int tiny, inputs, outputs;

    @Setup
    public void setUp() {
        tinyA = Tensor.wrap(new float[] {1, 2, 3, 4}, 2, 2);
        tinyB = Tensor.wrap(new float[] {5, 6, 7, 8}, 2, 2);
        row = Tensor.wrap(SgemmBenchmark.randoms(784, 1), 1, 784);
        weight = Tensor.wrap(SgemmBenchmark.randoms(784 * 256, 2), 784, 256);
        tinyOut = new float[4];
        rowOut = new float[256];
        tiny = 2;
        inputs = 784;
        outputs = 256;
        // Load the kernels (OpenBLAS: extract and link the library, about 0.1 s) here, not in the first measured call.
        row.matmul(weight);
    }

    /** [2, 2] · [2, 2] through {@link Tensor#matmul}: allocates the result tensor, as a caller's code would. */
    @Benchmark
    public Tensor tinyTensor() {
        return tinyA.matmul(tinyB);
    }

    /** The same product straight into {@link Kernels#gemm}, into a preallocated output. */
    @Benchmark
    public float[] tinyKernels() {
        Kernels.gemm(false, false, tiny, tiny, tiny, tinyA.floats(), tinyB.floats(), tinyOut, false);
        return tinyOut;
    }

    /** [1, 784] · [784, 256] through {@link Tensor#matmul}. */
    @Benchmark
    public Tensor matvecTensor() {
        return row.matmul(weight);
    }

    /** The same product straight into {@link Kernels#gemm} (which calls {@code sgemv}), into a preallocated output. */
    @Benchmark
    public float[] matvecKernels() {
        Kernels.gemm(false, false, 1, outputs, inputs, row.floats(), weight.floats(), rowOut, false);
        return rowOut;
    }
}
