package dev.backprop.bench;

/**
 * Best-of-repetitions timing. The best run, not the mean, is the estimate of what the code costs: every disturbance
 * (another process, a GC, a page fault) only ever adds time.
 */
final class Timer {
    /** Results are folded into this so the JIT cannot drop the work being timed. */
    static volatile double sink;

    private Timer() {}

    /**
     * Seconds for one call of {@code op}: the best of at least {@code minReps} calls (only 2 if a call takes seconds)
     * and as many more as fit in {@code budgetSeconds}, after calling it for {@code warmupSeconds} (at least once).
     */
    static double bestSeconds(Runnable op, double warmupSeconds, double budgetSeconds, int minReps) {
        long warmEnd = System.nanoTime() + (long) (warmupSeconds * 1e9);
        long single = Long.MAX_VALUE;
        do {
            long t = System.nanoTime();
            op.run();
            single = Math.min(single, System.nanoTime() - t);
        } while (System.nanoTime() < warmEnd);
        int reps = single > 2_000_000_000L ? 2 : minReps;
        long best = Long.MAX_VALUE, spent = 0;
        for (int i = 0; i < reps || (spent < budgetSeconds * 1e9 && i < 1000); i++) {
            long t = System.nanoTime();
            op.run();
            long dt = System.nanoTime() - t;
            best = Math.min(best, dt);
            spent += dt;
        }
        return best / 1e9;
    }

    /** Nanoseconds per call of a cheap {@code op}, timed in batches long enough for the clock to resolve. */
    static double nanosPerCall(Runnable op) {
        int batch = 1;
        while (true) {
            long t = System.nanoTime();
            for (int i = 0; i < batch; i++) op.run();
            if (System.nanoTime() - t > 2_000_000L) break;
            batch *= 2;
        }
        int calls = batch;
        double best = bestSeconds(() -> {
            for (int i = 0; i < calls; i++) op.run();
        }, 0.01, 0.03, 5);
        return best * 1e9 / calls;
    }
}
