package dev.backprop.bench;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class WorkloadCommandTest {
    @Test
    void workloadNamesAreTheIssuesIds() {
        Workload.Converter c = new Workload.Converter();
        assertEquals(Workload.FASHION_MLP, c.convert("fashion-mlp"));
        assertEquals(Workload.INFER_LATENCY, c.convert("infer-latency"));
        var e = assertThrows(CommandLine.TypeConversionException.class, () -> c.convert("FASHION_MLP"));
        assertTrue(e.getMessage().contains("fashion-mlp, tiny-sigmoid, wide-mlp, infer-latency"), e.getMessage());
    }

    @Test
    void resultIsOneJsonObjectWithTheSharedKeys() {
        Result r = new Result(Workload.WIDE_MLP, 2).setting("batch_size", 256).setting("kernels", "a \"b\"")
                .put(Metric.SAMPLES_PER_S, 3398.4).put(Metric.GFLOPS, 128.84).put(Metric.TEST_ACCURACY, 0.86831)
                .put(Metric.EPOCH_SAMPLES_PER_S, List.of(1.5, 2.0)).put(Metric.GC_MS, Double.NaN);
        assertEquals("{\"workload\":\"wide-mlp\",\"threads\":2,\"batch_size\":256,\"kernels\":\"a \\\"b\\\"\","
                + "\"samples_per_s\":3398,\"epoch_samples_per_s\":[1.5,2],\"gflops\":128.8,"
                + "\"test_accuracy\":0.8683,\"gc_ms\":null}", r.toJson());
    }

    @Test
    void tinySigmoidTrainsAndReportsSteps() {
        Result r = TinySigmoid.run(new WorkloadCommand.Settings(1, 1, 6, 1, Path.of("."), 42));
        assertTrue(r.get(Metric.STEPS_PER_S) > 0);
        assertTrue(r.get(Metric.FINAL_LOSS) < 1e-3, "loss after 40,000 steps: " + r.get(Metric.FINAL_LOSS));
    }

    @Test
    void unknownWorkloadIsAUsageError() {
        StringWriter err = new StringWriter();
        CommandLine cli = new CommandLine(new Main()).setErr(new PrintWriter(err));
        assertEquals(2, cli.execute("--workload", "nope"));
        assertTrue(err.toString().contains("unknown workload 'nope'"), err.toString());
    }
}
