package dev.backprop.bench.jmh;

import org.junit.jupiter.api.Test;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.runner.options.VerboseMode;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.List;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The JMH wiring: the annotation processor ran, and a benchmark runs in-process (tiny times; checks, not numbers). */
class JmhBenchmarksTest {
    private static final List<Class<?>> BENCHMARKS =
            List.of(SgemmBenchmark.class, DispatchBenchmark.class, ReluBenchmark.class, AdamBenchmark.class);

    @Test
    void benchmarkListNamesEveryBenchmarkClass() throws IOException {
        String list = resource("META-INF/BenchmarkList");
        for (Class<?> c : BENCHMARKS) assertTrue(list.contains(c.getName()), c.getName() + " missing from:\n" + list);
        // An entry names the class and, as a separate field, the method.
        assertTrue(list.contains(" fashionWeightGradOpenBlas "), list);
        assertNotNull(resource("META-INF/CompilerHints"));
    }

    @Test
    void oneBenchmarkRunsInProcessAndScores() throws Exception {
        Options options = new OptionsBuilder()
                .include("^" + Pattern.quote(ReluBenchmark.class.getName() + ".forward") + "$")
                .forks(0)
                .warmupIterations(1).warmupTime(TimeValue.milliseconds(50))
                .measurementIterations(1).measurementTime(TimeValue.milliseconds(50))
                .shouldFailOnError(true)
                .verbosity(VerboseMode.SILENT)
                .build();
        Collection<RunResult> results = new Runner(options).run();
        assertEquals(1, results.size());
        double score = results.iterator().next().getPrimaryResult().getScore();
        assertTrue(score > 0 && Double.isFinite(score), "score " + score);
    }

    private static String resource(String name) throws IOException {
        try (InputStream in = JmhBenchmarksTest.class.getClassLoader().getResourceAsStream(name)) {
            assertNotNull(in, name + " is not on the class path: did the JMH annotation processor run?");
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
