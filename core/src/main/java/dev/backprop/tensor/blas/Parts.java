package dev.backprop.tensor.blas;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * Parts {@code 0 .. count - 1} of some work, claimed from a counter by whichever thread is free: a product's parts
 * ({@link ProductThreads}) and idle work's ({@link IdleWork}). Counts the finished parts and keeps a failure to
 * rethrow in {@link #await}.
 */
final class Parts {
    private final int count;
    private final IdleWork.Part part;
    private final AtomicInteger next = new AtomicInteger(), done = new AtomicInteger();
    private volatile Throwable failure;

    Parts(int count, IdleWork.Part part) {
        this.count = count;
        this.part = part;
    }

    /** Takes and runs one part; false when none was left to take. */
    boolean runOne() {
        int i = next.getAndIncrement();
        if (i >= count) return false;
        try {
            part.run(i);
        } catch (Throwable e) {
            failure = e;
        } finally {
            done.incrementAndGet();
        }
        return true;
    }

    /** Takes and runs parts until none is left to take. */
    void runAll() {
        while (runOne()) {
            // the next one
        }
    }

    /** Whether every part has been taken (not necessarily finished). */
    boolean taken() {
        return next.get() >= count;
    }

    /**
     * Waits until every part is done, then rethrows a part's failure (an unchecked one as it was). Spins, then
     * yields: a thread descheduled in the middle of a part may share this core.
     */
    void await() {
        long spins = 0;
        while (done.get() < count) {
            if (++spins < 10_000) Thread.onSpinWait();
            else Thread.yield();
        }
        Throwable e = failure;
        if (e instanceof RuntimeException r) throw r;
        if (e instanceof Error err) throw err;
        if (e != null) throw new IllegalStateException(e);
    }
}
