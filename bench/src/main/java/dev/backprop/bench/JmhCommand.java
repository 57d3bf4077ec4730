package dev.backprop.bench;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Unmatched;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code jmh}: the JMH micro-benchmarks of {@code dev.backprop.bench.jmh}, run by JMH's own command line. Every
 * argument after {@code jmh} is handed to {@code org.openjdk.jmh.Main} as it is (picocli collects them all as
 * unmatched), so JMH's options work unchanged: {@code -l} lists, {@code -p name=v} sets a parameter, {@code -f},
 * {@code -wi}, {@code -i}, {@code -w}, {@code -r} size the run, {@code -rf json} writes results, {@code -h} shows
 * JMH's help. Only {@code --help} is this command's own.
 */
@Command(name = "jmh",
        description = {"Runs the JMH kernel micro-benchmarks (dev.backprop.bench.jmh: SgemmBenchmark, "
                + "DispatchBenchmark, ReluBenchmark, AdamBenchmark) through JMH's command line.",
            "Every argument after 'jmh' goes to org.openjdk.jmh.Main unchanged: a regular expression selects "
                + "benchmarks, -l lists them, -p NAME=V sets a parameter; 'jmh -h' shows all of JMH's options.",
            "Each benchmark forks a JVM: 3 x 1 s warm-up and 5 x 1 s measurement unless -wi/-w/-i/-r say otherwise."},
        customSynopsis = "backprop-bench jmh [--help] [JMH-ARGUMENTS...]",
        footer = {"%nExamples:",
            "  ./backprop bench jmh -l",
            "      list the benchmarks",
            "  ./backprop bench jmh Sgemm -p n=1024 -p threads=1",
            "      the sgemm benchmarks at n = 1024, OpenBLAS on one thread",
            "  ./backprop bench jmh Relu -f 1 -wi 1 -i 1 -w 100ms -r 100ms",
            "      a quick check that ReLU's benchmarks run (too short to measure)"})
final class JmhCommand implements Callable<Integer> {
    @Option(names = "--help", usageHelp = true, description = "Show this help and exit ('-h' is JMH's help).")
    private boolean help;

    @Unmatched
    private List<String> jmhArguments = new ArrayList<>();

    /** The arguments that go to JMH, in order. */
    List<String> jmhArguments() {
        return jmhArguments;
    }

    @Override
    public Integer call() throws Exception {
        // JMH prints its own errors and exits with status 1 on bad options or no matching benchmark; it returns
        // normally when the run (or -l, -h, -lp) is done.
        org.openjdk.jmh.Main.main(jmhArguments.toArray(String[]::new));
        return 0;
    }
}
