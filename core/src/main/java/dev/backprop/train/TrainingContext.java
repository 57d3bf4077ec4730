package dev.backprop.train;

import dev.backprop.nn.Module;
import dev.backprop.optim.Optimizer;
import java.io.IOException;
import java.nio.file.Path;

/** What a callback sees of a run in progress, and what it may ask of it. */
public interface TrainingContext {
    /** The module being trained. */
    Module model();

    /** The optimizer that updates the model's parameters. */
    Optimizer optimizer();

    /** The run's epochs so far and, once it ends, why it stopped. */
    History history();

    /** Total epochs planned. */
    int epochs();

    /** Ends training after the current epoch; {@code reason} ends up in {@link History#stopReason()}. */
    void requestStop(String reason);

    /** Writes a checkpoint (weights, optimizer state, trainer and callback state) atomically to {@code file}. */
    void saveCheckpoint(Path file) throws IOException;
}
