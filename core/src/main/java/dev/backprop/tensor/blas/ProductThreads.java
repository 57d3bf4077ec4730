package dev.backprop.tensor.blas;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

/**
 * The threads behind a multi-threaded product: the calling thread and {@code threads - 1} helpers. A product is cut
 * into parts by its shape and the thread count alone ({@link #parts}), and each part is one single-threaded OpenBLAS
 * call; the threads claim parts from a counter, so whichever thread is free takes the next part.
 *
 * <p>Why not OpenBLAS's own threads: OpenBLAS hands each of its threads a fixed share and waits for the slowest,
 * so when another process (or the JIT compiling our code) holds one core, a 2-thread product runs two to three
 * times slower than on one thread. Here the caller takes over whatever a descheduled helper has not claimed, and a
 * step slows at worst to about the single-thread rate. Helpers spin for {@link #SPIN_NANOS} after a product (the
 * next one of a training step usually follows within microseconds), then park. Measured in
 * {@code docs/performance.md}.
 *
 * <p>While they wait between products, the helpers run parts of the offered {@link IdleWork}, such as the next
 * batch's gather. The caller does not, while it waits for a helper's part: a few microseconds of idle work there
 * delays the product's end.
 *
 * <p>Results are deterministic: which thread computes a part never changes its bits, and the cut depends only on
 * the shape and the thread count. A product whose caller finds the helpers busy with another thread's product runs
 * its parts one after another on the calling thread, with the same cut and so the same bits.
 */
final class ProductThreads {
    /** How long a helper spins waiting for the next product before it parks. */
    static final long SPIN_NANOS = 200_000;
    /** Products of fewer multiply-adds run whole on the calling thread: a hand-off would cost more than it saves. */
    static final long MIN_SPLIT_MACS = 1 << 19;
    /** The smallest part, in rows or columns of the result. */
    static final int MIN_PART = 16;

    private final int threads;
    private final Helper[] helpers;
    private final AtomicBoolean busy = new AtomicBoolean();   // not reentrant: a part never starts a product here
    private volatile Parts task;   // the product in progress
    private final AtomicReference<IdleWork> idle = new AtomicReference<>();
    private volatile boolean closed, started;

    ProductThreads(int threads) {
        if (threads < 1) throw new IllegalArgumentException("threads must be at least 1, not " + threads);
        this.threads = threads;
        this.helpers = new Helper[threads - 1];
    }

    int threads() {
        return threads;
    }

    /**
     * Into how many parts a product with an {@code m}-by-{@code n} result and inner size {@code k} is cut: 1 for a
     * small product or a single thread, else up to the thread count, each at least {@link #MIN_PART} wide.
     */
    static int parts(int threads, long m, long n, long k, boolean byRows) {
        if (threads == 1 || m * n * k < MIN_SPLIT_MACS) return 1;
        long width = byRows ? m : n;
        return (int) Math.max(1, Math.min(threads, width / MIN_PART));
    }

    /**
     * Whether to cut the result by rows (parts of A) rather than columns (parts of B). Rows, except for A·Bᵀ with
     * more columns than rows, where each part then reads a contiguous block of B's rows. Measured on fashion-mlp's
     * and wide-mlp's products (two parts, µs): 128×256×784 A·Bᵀ by columns 357 against 369 by rows; 256×784×128 Aᵀ·B by
     * rows 313 against 368 by columns; 128×256×128 A·B by rows 66 against 81.
     */
    static boolean byRows(boolean transA, boolean transB, int m, int n) {
        return !(transB && !transA && n > m);
    }

    /** The first row (or column) of part {@code index} of {@code parts} over {@code width}. */
    static int start(int index, int parts, int width) {
        return (int) ((long) width * index / parts);
    }

    /** One part of a cut product: a {@code rows}-by-{@code cols} block of the result, with its operands' offsets. */
    interface ProductPart {
        void run(int rows, int cols, int aOffset, int bOffset, int cOffset);
    }

    /** Whether a product is cut at all here: with one thread, or below {@link #MIN_SPLIT_MACS}, it is not. */
    boolean cuts(boolean transA, boolean transB, int m, int n, int k) {
        return parts(threads, m, n, k, byRows(transA, transB, m, n)) > 1;
    }

    /**
     * Runs a row-major product {@code C[m, n] = op(A)·op(B)} as parts: by rows, each part takes rows of op(A) and of
     * C; by columns, columns of op(B) and of C. Returns when every part is done.
     */
    void runProduct(boolean transA, boolean transB, int m, int n, int k, int aOffset, int lda, int bOffset, int ldb,
                    int cOffset, int ldc, ProductPart part) {
        boolean rows = byRows(transA, transB, m, n);
        int width = rows ? m : n, parts = parts(threads, m, n, k, rows);
        run(parts, i -> {
            int from = start(i, parts, width), to = start(i + 1, parts, width);
            if (rows) {
                part.run(to - from, n, aOffset + (transA ? from : from * lda), bOffset, cOffset + from * ldc);
            } else {
                part.run(m, to - from, aOffset, bOffset + (transB ? from * ldb : from), cOffset + from);
            }
        });
    }

    /** Runs parts {@code 0 .. parts - 1}, on the helpers as well when they are free; returns when all are done. */
    void run(int parts, IdleWork.Part part) {
        if (parts == 1 || helpers.length == 0 || !busy.compareAndSet(false, true)) {
            for (int i = 0; i < parts; i++) part.run(i);
            return;
        }
        try {
            startHelpers();
            Parts t = new Parts(parts, part);
            task = t;
            for (Helper h : helpers) if (h.parked) LockSupport.unpark(h.thread);
            t.runAll();
            t.await();
        } finally {
            task = null;   // drop the finished product's arrays
            busy.set(false);
        }
    }

    /** Offers work to the helpers while they wait for a product; it displaces any work offered before. */
    void offer(IdleWork work) {
        work.displaced = idle.getAndSet(work);
        if (!started) return;
        for (Helper h : helpers) if (h.parked) LockSupport.unpark(h.thread);
    }

    /** Whether helper threads run: there are some, and a product has been cut. */
    boolean helping() {
        return started;
    }

    /**
     * Stops offering {@code work} (once it is finished), and offers again the work it displaced if that has parts
     * left: the next batch's gather, offered before the optimizer's step, goes on after it.
     */
    void withdraw(IdleWork work) {
        idle.compareAndSet(work, after(work));
        work.displaced = null;   // no chain of finished work kept alive
    }

    /** What to offer once every part of {@code work} is taken: the work it displaced, if that has parts left. */
    private static IdleWork after(IdleWork work) {
        IdleWork before = work.displaced;
        return before != null && !before.taken() ? before : null;
    }

    /** Runs one part of the offered idle work, if it has one left; false when there was none. */
    private boolean runIdlePart() {
        IdleWork w = idle.get();
        if (w == null) return false;
        if (w.runOne()) return true;
        idle.compareAndSet(w, after(w));   // all taken: offer what it displaced, if anything (the next call takes it)
        return false;
    }

    /** Lets the helpers end; a product running on them still completes (the caller takes what they leave). */
    void close() {
        closed = true;
        for (Helper h : helpers) if (h != null) LockSupport.unpark(h.thread);
    }

    private void startHelpers() {
        if (started || helpers.length == 0) return;
        synchronized (helpers) {   // a product and an offer of idle work may both be first
            if (started) return;
            for (int i = 0; i < helpers.length; i++) {
                helpers[i] = new Helper();
                Thread t = new Thread(helpers[i]::loop, "backprop-gemm-" + (i + 1));
                t.setDaemon(true);
                helpers[i].thread = t;
                t.start();
            }
            started = true;
        }
    }

    private final class Helper {
        Thread thread;
        volatile boolean parked;

        void loop() {
            Parts seen = null;
            while (!closed) {
                Parts t = task;
                if (t != seen) {
                    seen = t;
                    if (t != null) t.runAll();
                    continue;
                }
                long since = System.nanoTime();
                while ((t = task) == seen && !closed) {
                    if (runIdlePart()) {
                        since = System.nanoTime();
                    } else if (System.nanoTime() - since < SPIN_NANOS) {
                        Thread.onSpinWait();
                    } else {
                        parked = true;   // the caller reads this after publishing a task: it unparks us, or we see it
                        if (task == seen && !closed && idle.get() == null) LockSupport.park(this);
                        parked = false;
                        since = System.nanoTime();
                    }
                }
            }
        }
    }
}
