package dev.backprop.autograd;

/**
 * A scope in which tensor operations are not recorded for backpropagation: inference, optimizer updates, and the
 * inside of every op's forward and backward. Scopes nest and belong to the current thread.
 *
 * <pre>{@code
 * try (NoGrad ignored = NoGrad.enter()) {
 *     Tensor prediction = model.forward(x);   // no graph is built
 * }
 * }</pre>
 */
public final class NoGrad implements AutoCloseable {
    private static final ThreadLocal<int[]> DEPTH = ThreadLocal.withInitial(() -> new int[1]);

    private final int[] depth;
    private boolean closed;

    private NoGrad(int[] depth) {
        this.depth = depth;
    }

    /** Turns recording off on this thread until {@link #close()}. */
    public static NoGrad enter() {
        int[] d = DEPTH.get();
        d[0]++;
        return new NoGrad(d);
    }

    /** Whether operations on this thread are being recorded (no {@link NoGrad} scope is open). */
    public static boolean isRecording() {
        return DEPTH.get()[0] == 0;
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            depth[0]--;
        }
    }
}
