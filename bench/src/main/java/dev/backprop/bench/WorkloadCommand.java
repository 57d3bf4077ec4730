package dev.backprop.bench;

import dev.backprop.data.FashionMnist;
import dev.backprop.tensor.Kernels;
import dev.backprop.tensor.blas.OpenBlasKernels;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.concurrent.Callable;

/**
 * {@code --workload NAME}: runs one end-to-end workload and prints its result, one JSON object with {@code --json}.
 * These options sit on the top-level command ({@code backprop-bench --workload wide-mlp --threads 1 --json}), mixed
 * into {@link Main}; the workloads themselves are {@link FashionMlp}, {@link TinySigmoid}, {@link WideMlp} and
 * {@link InferLatency}.
 *
 * <p>{@code --threads} sets the threads a matrix product may use through {@link OpenBlasKernels#setThreads}, which is
 * what a user of the library can set; the rest of the library runs on the calling thread.
 */
final class WorkloadCommand implements Callable<Integer> {
    @Option(names = "--workload", paramLabel = "NAME", converter = Workload.Converter.class,
            completionCandidates = Workload.Candidates.class,
            description = "Run one end-to-end workload: ${COMPLETION-CANDIDATES}.")
    Workload workload;

    @Option(names = "--threads", paramLabel = "N", description = "Threads a matrix product may use (default: ${DEFAULT-VALUE}).")
    int threads = 2;

    @Option(names = "--json", description = "Print one JSON object instead of text.")
    boolean json;

    @Option(names = "--epochs", paramLabel = "N", description = "fashion-mlp: epochs (default: ${DEFAULT-VALUE}).")
    int epochs = 3;

    @Option(names = "--batch-size", paramLabel = "N", description = "fashion-mlp: batch size (default: ${DEFAULT-VALUE}).")
    int batchSize = 128;

    @Option(names = "--repeats", paramLabel = "N",
            description = "tiny-sigmoid, wide-mlp, infer-latency: timed blocks after warm-up; the best is kept "
                    + "(default: ${DEFAULT-VALUE}).")
    int repeats = 3;

    @Option(names = "--data", paramLabel = "DIR", description = "Fashion-MNIST directory (default: ${DEFAULT-VALUE}).")
    Path data = FashionMnist.DEBIAN_DIR;

    @Option(names = "--seed", paramLabel = "N", description = "Seed of weights, data and shuffling (default: ${DEFAULT-VALUE}).")
    long seed = 42;

    /** Whether a workload was asked for (else the top-level command prints its usage). */
    boolean requested() {
        return workload != null;
    }

    @Override
    public Integer call() throws Exception {
        if (threads < 1 || epochs < 1 || batchSize < 1 || repeats < 1) {
            System.err.println("backprop-bench: --threads, --epochs, --batch-size and --repeats must be at least 1");
            return 2;
        }
        if (workload == Workload.FASHION_MLP && !FashionMnist.availableIn(data)) {
            System.err.println("backprop-bench: fashion-mlp needs Fashion-MNIST in " + data
                    + " (Debian: apt-get install dataset-fashion-mnist, or --data DIR)");
            return 1;
        }
        String kernels = useThreads(threads);
        Settings settings = new Settings(threads, epochs, batchSize, repeats, data, seed);
        Result result = switch (workload) {
            case FASHION_MLP -> FashionMlp.run(settings);
            case TINY_SIGMOID -> TinySigmoid.run(settings);
            case WIDE_MLP -> WideMlp.run(settings);
            case INFER_LATENCY -> InferLatency.run(settings);
        };
        result.setting("kernels", kernels);
        String coretype = System.getenv("OPENBLAS_CORETYPE");
        result.setting("openblas_coretype", coretype == null ? "unset" : coretype);
        System.out.println(json ? result.toJson() : result.toText());
        return 0;
    }

    /** Sets the OpenBLAS thread count when the native kernels are in use; returns what runs, for the record. */
    private static String useThreads(int threads) {
        Kernels active = Kernels.active();
        if (active instanceof OpenBlasKernels blas) {
            blas.setThreads(threads);
            return blas.describe();
        }
        return active.name();
    }

    /**
     * What every workload may read.
     *
     * @param threads   threads a product may use (already set)
     * @param epochs    fashion-mlp's epochs
     * @param batchSize fashion-mlp's batch size
     * @param repeats   timed blocks; the best is reported
     * @param data      the Fashion-MNIST directory
     * @param seed      of every random draw
     */
    record Settings(int threads, int epochs, int batchSize, int repeats, Path data, long seed) {}
}
