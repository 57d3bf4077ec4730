package dev.backprop.train;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes checkpoints into a directory: {@code last.bpm} every {@code everyEpochs} epochs (and after the final one),
 * and {@code best.bpm} whenever the monitored loss improves. Each holds the weights, the optimizer state and the
 * trainer's own state, so {@link Trainer.Builder#resumeFrom} continues bit-identically. Files are written
 * atomically: a crash leaves the previous checkpoint intact.
 */
public final class Checkpoints implements Callback {
    /** The checkpoint written every N epochs. */
    public static final String LAST = "last.bpm";
    /** The checkpoint of the best epoch. */
    public static final String BEST = "best.bpm";

    private final Path dir;
    private final int everyEpochs;
    private final boolean keepBest;
    private double best = Double.POSITIVE_INFINITY;
    private Path lastWritten;

    /**
     * Checkpoints in {@code dir} (created when training begins): {@value #LAST} every {@code everyEpochs} epochs and
     * after the last, and with {@code keepBest} also {@value #BEST} whenever the monitored loss is the lowest so far.
     *
     * @throws IllegalArgumentException if {@code everyEpochs < 1}
     */
    public Checkpoints(Path dir, int everyEpochs, boolean keepBest) {
        if (everyEpochs < 1) throw new IllegalArgumentException("checkpoints: every N epochs needs N >= 1, got " + everyEpochs);
        this.dir = dir;
        this.everyEpochs = everyEpochs;
        this.keepBest = keepBest;
    }

    /** The most recent checkpoint written, or null. */
    public Path lastWritten() {
        return lastWritten;
    }

    @Override
    public void onTrainBegin(TrainingContext context) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("checkpoints: cannot create " + dir + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void onEpochEnd(TrainingContext context, EpochRecord record) {
        try {
            boolean due = (record.epoch() + 1) % everyEpochs == 0 || record.epoch() + 1 == context.epochs();
            if (keepBest && record.monitored() < best) {
                best = record.monitored();
                context.saveCheckpoint(dir.resolve(BEST));
                lastWritten = dir.resolve(BEST);
            }
            if (due) {
                context.saveCheckpoint(dir.resolve(LAST));
                lastWritten = dir.resolve(LAST);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("checkpoint in " + dir + ": " + e.getMessage(), e);
        }
    }

    @Override
    public java.util.Map<String, Object> state() {
        return java.util.Collections.singletonMap("best", Double.isFinite(best) ? best : null);
    }

    @Override
    public void restore(dev.backprop.io.SavedMap state) throws dev.backprop.io.ModelFileException {
        best = state.has("best") ? state.number("best") : Double.POSITIVE_INFINITY;
    }
}
