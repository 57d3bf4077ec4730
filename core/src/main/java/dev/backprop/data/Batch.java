package dev.backprop.data;

import dev.backprop.tensor.Tensor;

/**
 * One mini-batch.
 *
 * @param x     {@code [batch, inputs]}
 * @param y     {@code [batch, outputs]} or {@code [batch]}
 * @param epoch the epoch it belongs to (from 0)
 * @param step  its position within the epoch (from 0)
 */
public record Batch(Tensor x, Tensor y, int epoch, int step) {
    /** Number of samples. */
    public int size() {
        return x.shape().dim(0);
    }
}
