package dev.backprop.bench;

/**
 * What a workload reports: each metric's JSON key is shared with {@code bench/pytorch/workloads.py}, so that
 * {@code bench/compare.sh} can pair the two programs' numbers key by key.
 */
enum Metric {
    SAMPLES_PER_S("samples_per_s", "samples/s"),
    EPOCH_SAMPLES_PER_S("epoch_samples_per_s", "samples/s, each epoch"),
    STEPS_PER_S("steps_per_s", "steps/s"),
    GFLOPS("gflops", "GFLOP/s (6 x parameters x samples/s)"),
    SGEMM_GFLOPS("sgemm_gflops", "GFLOP/s of one 1024^3 sgemm in this process"),
    P50_US("p50_us", "median microseconds per call"),
    P90_US("p90_us", "90th percentile microseconds per call"),
    TEST_ACCURACY("test_accuracy", "test accuracy"),
    FINAL_LOSS("final_loss", "loss at the last step (a sanity check, not a target)"),
    PEAK_RSS_MB("peak_rss_mb", "peak resident memory, MiB (VmHWM)"),
    GC_MS("gc_ms", "garbage-collection time while measuring, ms"),
    GC_COUNT("gc_count", "garbage collections while measuring"),
    ALLOCATED_MB("allocated_mb", "heap allocated by the measuring thread while measuring, MiB"),
    ALLOCATED_KB_PER_STEP("allocated_kb_per_step", "heap allocated per step (or call), KiB"),
    MAX_HEAP_MB("max_heap_mb", "the JVM's maximum heap, MiB");

    private final String key;
    private final String description;

    Metric(String key, String description) {
        this.key = key;
        this.description = description;
    }

    String key() {
        return key;
    }

    String description() {
        return description;
    }
}
