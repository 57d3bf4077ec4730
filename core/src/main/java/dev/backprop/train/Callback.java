package dev.backprop.train;

import dev.backprop.io.ModelFileException;
import dev.backprop.io.SavedMap;
import java.util.Map;

/**
 * Something that watches training and may stop it: early stopping, checkpoints, a progress display. Callbacks that
 * keep state across epochs hand it to checkpoints through {@link #state()} and take it back in {@link #restore},
 * so that a resumed run behaves as if it had never stopped.
 */
public interface Callback {

    /** Before the first epoch (of this run, or of the resumed part). */
    default void onTrainBegin(TrainingContext context) {}

    /** After each epoch's training and validation. */
    default void onEpochEnd(TrainingContext context, EpochRecord record) {}

    /** After the last epoch, or after a stop request. */
    default void onTrainEnd(TrainingContext context) {}

    /** A unique key for this callback's state in checkpoints. */
    default String stateKey() {
        return getClass().getSimpleName();
    }

    /** What must survive a checkpoint (numbers, strings, lists, maps). */
    default Map<String, Object> state() {
        return Map.of();
    }

    /**
     * Takes back what {@link #state()} gave, read through the strict reader that names a bad field's path.
     *
     * @throws ModelFileException when a field is missing or of the wrong type or range
     */
    default void restore(SavedMap state) throws ModelFileException {}
}
