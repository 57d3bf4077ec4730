package dev.backprop.spark;

import java.io.Serializable;

/**
 * What one partition contributes to one step: the sum over its share of the global batch of each parameter's
 * gradient (in the network's parameter order), of the loss, and the number of rows. Sums, not means, so that
 * partitions of any size combine into the mean over the whole global batch.
 *
 * @param gradients one array per parameter, each the parameter's size; empty arrays when {@code count} is 0
 * @param lossSum   the loss summed over the rows
 * @param count     the rows
 */
public record Partial(float[][] gradients, double lossSum, int count) implements Serializable {
}
