package dev.backprop.bench;

import java.io.IOException;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What the process costs besides time: peak resident memory from {@code /proc/self/status} (VmHWM, what the kernel
 * saw, heap and native alike) and garbage-collection time from the JVM's collector beans.
 */
final class ProcessStats {
    private ProcessStats() {}

    /** A reading of the collectors' cumulative counters and of this thread's allocation. */
    record Snapshot(long gcMillis, long gcCount, long allocatedBytes) {
        static Snapshot now() {
            long ms = 0, count = 0;
            for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
                ms += Math.max(0, gc.getCollectionTime());
                count += Math.max(0, gc.getCollectionCount());
            }
            return new Snapshot(ms, count, threadAllocatedBytes());
        }

        /**
         * Puts GC time, GC count and this thread's allocation since {@code this} into {@code result}; with
         * {@code steps > 0}, also the allocation per step.
         */
        void since(Result result, long steps) {
            Snapshot end = now();
            result.put(Metric.GC_MS, end.gcMillis - gcMillis);
            result.put(Metric.GC_COUNT, end.gcCount - gcCount);
            if (allocatedBytes >= 0 && end.allocatedBytes >= 0) {
                long bytes = end.allocatedBytes - allocatedBytes;
                result.put(Metric.ALLOCATED_MB, bytes / (1024.0 * 1024));
                if (steps > 0) result.put(Metric.ALLOCATED_KB_PER_STEP, bytes / 1024.0 / steps);
            }
        }
    }

    /** Peak resident set size in MiB (VmHWM), or NaN where /proc is not there. */
    static double peakRssMib() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmHWM:")) {
                    String[] parts = line.substring(6).trim().split("\\s+");
                    return Long.parseLong(parts[0]) / 1024.0; // kB
                }
            }
        } catch (IOException | RuntimeException e) {
            return Double.NaN;
        }
        return Double.NaN;
    }

    /** Peak RSS and the maximum heap, the two memory numbers every result carries. */
    static void putMemory(Result result) {
        result.put(Metric.PEAK_RSS_MB, peakRssMib());
        result.put(Metric.MAX_HEAP_MB, Runtime.getRuntime().maxMemory() / (1024.0 * 1024));
    }

    /** Bytes allocated by the current thread so far (HotSpot's com.sun.management extension), or -1. */
    private static long threadAllocatedBytes() {
        if (ManagementFactory.getThreadMXBean() instanceof com.sun.management.ThreadMXBean t) {
            return t.getCurrentThreadAllocatedBytes();
        }
        return -1;
    }
}
