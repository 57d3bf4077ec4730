package dev.backprop.train;

/**
 * The loss became NaN or infinite. The message names the epoch and step (both from 1) and the last good
 * checkpoint, e.g. {@code loss is NaN at epoch 3, step 17; last good checkpoint: runs/last.bpm}.
 */
public final class TrainingDivergedException extends RuntimeException {
    private final int epoch;
    private final int step;

    /** A divergence at {@code step} of {@code epoch}, both counted from 0 (the message counts them from 1). */
    public TrainingDivergedException(String message, int epoch, int step) {
        super(message);
        this.epoch = epoch;
        this.step = step;
    }

    /** The epoch, from 0. */
    public int epoch() {
        return epoch;
    }

    /** The step within the epoch, from 0. */
    public int step() {
        return step;
    }
}
