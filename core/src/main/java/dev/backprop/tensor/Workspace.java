package dev.backprop.tensor;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * Arrays reused from one training step to the next, so that a step in steady state allocates nothing proportional
 * to the batch (PyTorch's caching allocator plays this part).
 *
 * <p>While a {@linkplain #enter() scope} is open on a thread, the outputs and gradients that ops allocate there
 * ({@link Tensor#zeros} called inside a {@code Op}'s forward or backward, for 1,024 elements or more) come
 * from this workspace, zeroed;
 * when the scope closes they all become free for the next scope. A step makes the same allocations every time, so
 * from the second step on every request finds an array of its length. Nothing else is drawn from it: parameters,
 * their gradient buffers, optimizer state and tensors created outside ops are ordinary arrays.
 *
 * <p>The rule that makes it safe: <b>no tensor computed by an op inside the scope may be used after the scope
 * closes</b>, since its array will be handed to a later step. {@code Trainer} opens one scope per step around
 * forward, loss, backward and the optimizer step, and keeps only numbers (the loss value) from it. A loop of your
 * own can do the same:
 *
 * <pre>{@code
 * Workspace workspace = Workspace.create();
 * for (Batch b : batches) {
 *     try (Workspace.Scope step = workspace.enter()) {
 *         Tensor loss = lossFn.apply(net.forward(b.x(), mode), b.y());
 *         lossSum += loss.item();                     // a number leaves the scope, not the tensor
 *         optimizer.zeroGrad();
 *         loss.backward();
 *         optimizer.step();
 *     }
 * }
 * }</pre>
 * A workspace belongs to one thread at a time; scopes do not nest across workspaces (entering another workspace's
 * scope inside this one suspends this one until it closes).
 */
public final class Workspace {
    /**
     * Arrays shorter than this are allocated as usual even inside a scope: for a few elements a new array (a
     * pointer bump in the thread's allocation buffer) costs less than finding a free one.
     */
    static final int MIN_POOLED = 1024;

    private static final ThreadLocal<Workspace> CURRENT = new ThreadLocal<>();

    private final Map<Integer, ArrayDeque<float[]>> freeFloats = new HashMap<>();
    private final Map<Integer, ArrayDeque<double[]>> freeDoubles = new HashMap<>();
    private final ArrayList<float[]> lentFloats = new ArrayList<>();
    private final ArrayList<double[]> lentDoubles = new ArrayList<>();
    private int opDepth;
    private boolean open;
    private long reused;
    private long created;

    private Workspace() {}

    /** An empty workspace. */
    public static Workspace create() {
        return new Workspace();
    }

    /** Opens a scope on the calling thread: ops allocate from this workspace until it is closed. */
    public Scope enter() {
        if (open) throw new IllegalStateException("workspace: a scope of this workspace is already open");
        open = true;
        Scope scope = new Scope(CURRENT.get());
        CURRENT.set(this);
        return scope;
    }

    /** How many arrays were handed out again after a scope closed, and how many had to be created (for tests and benchmarks). */
    public long reusedArrays() {
        return reused;
    }

    /** How many arrays this workspace created. */
    public long createdArrays() {
        return created;
    }

    /** An open scope; closing it frees every array it handed out. */
    public final class Scope implements AutoCloseable {
        private final Workspace previous;
        private boolean closed;

        private Scope(Workspace previous) {
            this.previous = previous;
        }

        @Override
        public void close() {
            if (closed) return;
            closed = true;
            for (float[] a : lentFloats) freeFloats.computeIfAbsent(a.length, n -> new ArrayDeque<>()).push(a);
            for (double[] a : lentDoubles) freeDoubles.computeIfAbsent(a.length, n -> new ArrayDeque<>()).push(a);
            lentFloats.clear();
            lentDoubles.clear();
            opDepth = 0;
            open = false;
            if (previous == null) CURRENT.remove();
            else CURRENT.set(previous);
        }
    }

    /**
     * Marks the start of an op's forward or backward on this thread, for {@code Op}; returns the token to
     * pass to {@link #endOp}. Not for other use.
     */
    public static Workspace beginOp() {
        Workspace w = CURRENT.get();
        if (w != null) w.opDepth++;
        return w;
    }

    /** Marks the end of the op begun by {@link #beginOp}. */
    public static void endOp(Workspace token) {
        if (token != null && token.opDepth > 0) token.opDepth--;
    }

    /** The workspace lending on this thread now (inside an op, inside a scope), or null. */
    static Workspace lending() {
        Workspace w = CURRENT.get();
        return w != null && w.opDepth > 0 ? w : null;
    }

    float[] floats(int n) {
        ArrayDeque<float[]> free = freeFloats.get(n);
        float[] a = free == null ? null : free.poll();
        if (a == null) {
            a = new float[n];
            created++;
        } else {
            Arrays.fill(a, 0f);
            reused++;
        }
        lentFloats.add(a);
        return a;
    }

    double[] doubles(int n) {
        ArrayDeque<double[]> free = freeDoubles.get(n);
        double[] a = free == null ? null : free.poll();
        if (a == null) {
            a = new double[n];
            created++;
        } else {
            Arrays.fill(a, 0.0);
            reused++;
        }
        lentDoubles.add(a);
        return a;
    }
}
