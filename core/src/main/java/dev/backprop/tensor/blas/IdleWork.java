package dev.backprop.tensor.blas;

/**
 * Work cut into parts that the product threads' helpers take while they would otherwise wait between two products
 * (they spin there for a while, see {@link ProductThreads}); the parts no helper took run in {@link #finish}. The
 * trainer offers the next batch's gather this way, so that it runs beside this step's Java work instead of after
 * it, and the optimizer its update, cut into ranges, so that two threads share it.
 *
 * <pre>{@code
 * IdleWork next = IdleWork.offer(16, part -> copyRows(part));   // may start at once on an idle helper
 * ...                                                          // this step: products, elementwise work
 * next.finish();                                               // the parts no one took run here; then all are done
 * }</pre>
 *
 * <p>Which thread runs a part must not change what it computes: the parts are independent and each writes its own
 * place, so the result is the same bits whoever ran them, and whether or not they ran early. With one thread, or
 * kernels without helpers, nothing runs early and {@link #finish} runs every part on the calling thread. One piece
 * of idle work is offered at a time per set of product threads: a second offer displaces the first until the second
 * is finished, and then the first is offered again if it has parts left; {@link #finish} completes either way.
 */
public final class IdleWork {
    /** One part of the work (of a product's parts too, inside this package). */
    @FunctionalInterface
    public interface Part {
        /** Runs part {@code index} (from 0). */
        void run(int index);
    }

    private final Parts parts;
    private final ProductThreads offeredTo;
    /** The work this offer displaced, offered again when this one is finished (set and read by ProductThreads). */
    volatile IdleWork displaced;

    private IdleWork(int parts, Part part, ProductThreads offeredTo) {
        this.parts = new Parts(parts, part);
        this.offeredTo = offeredTo;
    }

    /**
     * Offers {@code parts} parts to the idle product threads, if products are being cut across threads (OpenBLAS
     * loaded, more than one thread, and a product large enough to cut has run); otherwise nothing runs until
     * {@link #finish}, and no thread is started for it.
     */
    public static IdleWork offer(int parts, Part part) {
        if (parts < 0) throw new IllegalArgumentException("parts must be at least 0, not " + parts);
        ProductThreads threads = OpenBlasKernels.loadedProductThreads();
        if (threads != null && !threads.helping()) threads = null;
        IdleWork work = new IdleWork(parts, part, threads);
        if (threads != null) threads.offer(work);
        return work;
    }

    /**
     * Runs the parts that no thread has taken on the calling thread, waits for those another thread is running,
     * and returns when every part is done. A part's exception is rethrown here (an unchecked one as it was).
     */
    public void finish() {
        parts.runAll();
        try {
            parts.await();
        } finally {
            if (offeredTo != null) offeredTo.withdraw(this);
        }
    }

    /** Whether every part has been taken (not necessarily finished). */
    boolean taken() {
        return parts.taken();
    }

    /** Takes and runs one part; false when none was left to take. */
    boolean runOne() {
        return parts.runOne();
    }
}
