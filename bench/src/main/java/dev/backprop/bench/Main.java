package dev.backprop.bench;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * Benchmarks for backprop, one subcommand each. Run with native access enabled (the shaded jar's manifest does it):
 *
 * <pre>{@code
 * java --enable-native-access=ALL-UNNAMED -jar bench/target/backprop-bench.jar matmul [--json]
 * }</pre>
 */
@Command(name = "backprop-bench", mixinStandardHelpOptions = true, version = "backprop-bench 0.1.0",
        description = "Measures backprop's kernels.", subcommands = MatmulCommand.class)
public final class Main implements Runnable {
    @Spec
    private CommandSpec spec;

    /** Runs the command line and exits with its status. */
    public static void main(String[] args) {
        System.exit(new CommandLine(new Main()).execute(args));
    }

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }
}
