package dev.backprop.bench;

import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

import java.util.Arrays;
import java.util.Iterator;
import java.util.stream.Collectors;

/**
 * The end-to-end workloads of issue #6, each run through the library's public API as a user would write it. The
 * same workloads in PyTorch are in {@code bench/pytorch/workloads.py}, which prints the same JSON keys.
 */
enum Workload {
    /** Fashion-MNIST, 784-256-128-10 ReLU, cross-entropy, Adam 1e-3, batch 128, 3 shuffled epochs, via Trainer. */
    FASHION_MLP("fashion-mlp", "Fashion-MNIST 784-256-128-10 ReLU, Adam, batch 128: training samples/s, test accuracy"),
    /** Seed 000's [4, 5, 1] sigmoid net on 6 fixed observations, half sum of squares, SGD 0.5: steps/s. */
    TINY_SIGMOID("tiny-sigmoid", "seed 000's [4, 5, 1] sigmoid net, one batch of 6, SGD: steps/s (framework overhead)"),
    /** Random [256, 1024] input, 1024-2048-2048-10 ReLU, cross-entropy, SGD 0.01: samples/s and GFLOP/s. */
    WIDE_MLP("wide-mlp", "1024-2048-2048-10 ReLU on a [256, 1024] batch, SGD: samples/s, GFLOP/s, sgemm GFLOP/s"),
    /** One sample through fashion-mlp's network without recording: median latency. */
    INFER_LATENCY("infer-latency", "one sample through the 784-256-128-10 net, no gradients: median microseconds");

    private final String id;
    private final String description;

    Workload(String id, String description) {
        this.id = id;
        this.description = description;
    }

    /** The name on the command line and in the JSON, e.g. {@code "fashion-mlp"}. */
    String id() {
        return id;
    }

    String description() {
        return description;
    }

    static String ids() {
        return Arrays.stream(values()).map(Workload::id).collect(Collectors.joining(", "));
    }

    /** Reads {@link #id()} for picocli, naming the choices when it is none of them. */
    static final class Converter implements ITypeConverter<Workload> {
        @Override
        public Workload convert(String value) {
            for (Workload w : values()) if (w.id.equals(value)) return w;
            throw new TypeConversionException("unknown workload '" + value + "'; expected one of " + ids());
        }
    }

    /** The ids, for picocli's help ("Candidates: ..."). */
    static final class Candidates implements Iterable<String> {
        @Override
        public Iterator<String> iterator() {
            return Arrays.stream(values()).map(Workload::id).iterator();
        }
    }
}
