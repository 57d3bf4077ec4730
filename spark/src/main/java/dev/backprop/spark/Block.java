package dev.backprop.spark;

import java.io.Serializable;

/**
 * One partition's rows, encoded and packed: what a Spark task trains on, cached on its executor. Plain float arrays
 * (rows × inputs features, rows × targetWidth targets, or one class index per row when {@code targetWidth} is 0), so
 * that a cached partition costs its numbers and nothing else.
 *
 * @param partition   the partition's index: with the seed and the epoch, it decides the partition's batch order
 * @param rows        the number of rows
 * @param inputs      features per row
 * @param targetWidth target values per row; 0 for class indices, one per row
 * @param x           the features, row by row
 * @param y           the targets, row by row
 */
public record Block(int partition, int rows, int inputs, int targetWidth, float[] x, float[] y) implements Serializable {
    /** Checks that the arrays hold what the sizes say. */
    public Block {
        if (partition < 0 || rows < 0 || inputs < 1 || targetWidth < 0) {
            throw new IllegalArgumentException("block: partition " + partition + ", " + rows + " rows of " + inputs + " inputs");
        }
        if ((long) rows * inputs != x.length || (long) rows * Math.max(1, targetWidth) != y.length) {
            throw new IllegalArgumentException("block " + partition + ": " + x.length + " feature and " + y.length
                    + " target values are not " + rows + " rows of " + inputs + " and " + Math.max(1, targetWidth));
        }
    }
}
