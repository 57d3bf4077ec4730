package dev.backprop.train;

import java.util.Map;

/**
 * What one epoch did.
 *
 * @param epoch            from 0
 * @param trainLoss        mean loss over the epoch's training batches (weighted by batch size), as trained
 * @param validationLoss   loss on the validation set after the epoch, NaN without one
 * @param learningRate     the optimizer's learning rate during the epoch
 * @param seconds          wall time of the epoch's training steps
 * @param samplesPerSecond training samples per second
 * @param metrics          e.g. {@code accuracy}, {@code val_accuracy}, {@code val_rmse}; NaN-free
 */
public record EpochRecord(int epoch, double trainLoss, double validationLoss, double learningRate, double seconds,
                          double samplesPerSecond, Map<String, Double> metrics) {
    /** Copies {@code metrics} into an unmodifiable map that keeps their order. */
    public EpochRecord {
        metrics = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(metrics)); // keeps the order
    }

    /** The value a callback watches: validation loss when there is one, else the training loss. */
    public double monitored() {
        return Double.isNaN(validationLoss) ? trainLoss : validationLoss;
    }
}
