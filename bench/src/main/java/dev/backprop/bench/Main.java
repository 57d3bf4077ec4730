package dev.backprop.bench;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.util.concurrent.Callable;

/**
 * Benchmarks for backprop: the kernel measurements as subcommands ({@code matmul}; JMH micro-benchmarks under
 * {@code jmh}), the end-to-end workloads of issue #6 with {@code --workload}. Run with native access enabled (the
 * shaded jar's manifest does it; {@code ./backprop bench} builds and runs the jar):
 *
 * <pre>{@code
 * ./backprop bench matmul [--json]
 * ./backprop bench jmh Sgemm -p n=1024          # JMH micro-benchmarks; arguments go to JMH
 * ./backprop bench --workload fashion-mlp --threads 2 --json
 * }</pre>
 */
@Command(name = "backprop-bench", mixinStandardHelpOptions = true, version = "backprop-bench 0.1.0",
        description = {"Measures backprop's kernels (subcommands) and end-to-end workloads (--workload).",
            "The same workloads in PyTorch: bench/pytorch/workloads.py; both side by side: bench/compare.sh."},
        subcommands = {MatmulCommand.class, JmhCommand.class})
public final class Main implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Mixin
    private WorkloadCommand workloads;

    /** Runs the command line and exits with its status. */
    public static void main(String[] args) {
        System.exit(new CommandLine(new Main()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        if (!workloads.requested()) {
            spec.commandLine().usage(System.out);
            return 0;
        }
        return workloads.call();
    }
}
