package dev.backprop.data;

import dev.backprop.tensor.Shape;
import dev.backprop.tensor.ShapeException;
import dev.backprop.tensor.Tensor;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;

/**
 * Samples in rows: {@code features} is {@code [n, inputs]} and {@code targets} is {@code [n, outputs]} (regression,
 * one-hot) or {@code [n]} (class indices, stored as whole numbers). Immutable; subsets copy rows.
 *
 * <pre>{@code
 * Dataset data = new Dataset(x, y, "xor");
 * Dataset.Split s = data.split(0.2, 42);              // 80% train, 20% validation, shuffled with seed 42
 * for (Batch b : s.train().batches(32, 42, epoch)) { ... }
 * }</pre>
 *
 * @param features {@code [n, inputs]}
 * @param targets  {@code [n, outputs]} or {@code [n]}
 * @param source   where the data came from, for provenance and messages
 */
public record Dataset(Tensor features, Tensor targets, String source) {

    /**
     * Checks the shapes: features {@code [n, inputs]}, targets {@code [n]} or {@code [n, outputs]} with the same n
     * (else {@link ShapeException}); tensors that record gradients are replaced by detached ones.
     */
    public Dataset {
        Objects.requireNonNull(features, "features");
        Objects.requireNonNull(targets, "targets");
        if (features.rank() != 2) throw new ShapeException("dataset: features must be [samples, inputs], got " + features.shape());
        if (targets.rank() < 1 || targets.rank() > 2 || targets.shape().dim(0) != features.shape().dim(0)) {
            throw new ShapeException("dataset: features " + features.shape() + " and targets " + targets.shape()
                    + " must have one row per sample");
        }
        if (features.requiresGrad() || targets.requiresGrad()) {
            features = features.detach();
            targets = targets.detach();
        }
    }

    /** Number of samples. */
    public int size() {
        return features.shape().dim(0);
    }

    /** Number of input features. */
    public int inputs() {
        return features.shape().dim(1);
    }

    /** The rows at {@code indices}, in that order. */
    public Dataset subset(int... indices) {
        return new Dataset(features.gatherRows(indices), targets.gatherRows(indices), source);
    }

    /** A training part and a validation part. */
    public record Split(Dataset train, Dataset validation) {}

    /**
     * Shuffles with {@code seed} and holds out {@code fraction} of the samples (rounded, at least 1 when the fraction
     * is positive) for validation: the rows of {@link #splitRows}, or, when the targets are class indices
     * ({@code [n]}), of {@link #stratifiedSplitRows}, so that each class keeps its share in both parts.
     */
    public Split split(double fraction, long seed) {
        SplitRows rows;
        if (targets.rank() == 1) {
            int[] classes = new int[size()];
            for (int i = 0; i < classes.length; i++) classes[i] = (int) targets.getFlat(i);
            rows = stratifiedSplitRows(classes, fraction, seed);
        } else {
            rows = splitRows(size(), fraction, seed);
        }
        return new Split(subset(rows.train()), subset(rows.validation()));
    }

    /**
     * The row indices of a split, each part sorted.
     *
     * @param train      the training rows
     * @param validation the held-out rows
     */
    public record SplitRows(int[] train, int[] validation) {}

    /**
     * The rows that {@link #split split(fraction, seed)} (and so {@code Trainer.Builder.validationSplit}) gives each
     * part of {@code n} samples whose targets are not class indices (those are split by {@link #stratifiedSplitRows}),
     * without the data: fit an encoder on {@code train()} before the dataset exists, and the trainer's split holds out
     * exactly the rows it was not fitted on.
     */
    public static SplitRows splitRows(int n, double fraction, long seed) {
        if (!(fraction > 0 && fraction < 1)) {
            throw new IllegalArgumentException("validation fraction must be in (0, 1), got " + fraction);
        }
        int held = Math.max(1, (int) Math.round(n * fraction));
        if (held >= n) throw new IllegalArgumentException("validation fraction " + fraction + " leaves no training samples of " + n);
        int[] order = BatchOrder.permutation(n, new SplittableRandom(seed));
        int[] val = java.util.Arrays.copyOfRange(order, 0, held), train = java.util.Arrays.copyOfRange(order, held, n);
        java.util.Arrays.sort(val);
        java.util.Arrays.sort(train);
        return new SplitRows(train, val);
    }

    /**
     * A split that holds out {@code fraction} of each class (rounded; a class keeps at least one training sample),
     * so that a class of 5% of the rows is 5% of both parts. When the classes are too small for that to hold out at
     * least 80% of the samples asked for (many classes of one or two samples), the split is {@link #splitRows}'s.
     * Rows of each class are shuffled by a generator drawn from {@code seed}, class by class in index order, so the
     * split depends only on the classes and the seed.
     *
     * @param classes the class of each sample (any integers)
     */
    public static SplitRows stratifiedSplitRows(int[] classes, double fraction, long seed) {
        if (!(fraction > 0 && fraction < 1)) {
            throw new IllegalArgumentException("validation fraction must be in (0, 1), got " + fraction);
        }
        int n = classes.length;
        if (n < 2) throw new IllegalArgumentException("validation fraction " + fraction + " leaves no training samples of " + n);
        // Rows grouped by class (classes in increasing order, rows in order within each), without boxing a million rows.
        int[] distinct = java.util.Arrays.stream(classes).distinct().sorted().toArray();
        int[] count = new int[distinct.length];
        for (int c : classes) count[java.util.Arrays.binarySearch(distinct, c)]++;
        int[] start = new int[distinct.length + 1];
        for (int k = 0; k < distinct.length; k++) start[k + 1] = start[k] + count[k];
        int[] grouped = new int[n], fill = start.clone();
        for (int i = 0; i < n; i++) grouped[fill[java.util.Arrays.binarySearch(distinct, classes[i])]++] = i;
        SplittableRandom rng = new SplittableRandom(seed);
        int[] held = new int[distinct.length];
        int total = 0;
        for (int k = 0; k < distinct.length; k++) {
            int size = count[k];
            int[] order = BatchOrder.permutation(size, rng);
            int[] r = java.util.Arrays.copyOfRange(grouped, start[k], start[k + 1]);
            for (int i = 0; i < size; i++) grouped[start[k] + i] = r[order[i]];
            held[k] = (int) Math.min(Math.round(size * fraction), size - 1);
            total += held[k];
        }
        int wanted = Math.max(1, (int) Math.round(n * fraction));
        if (total < 0.8 * wanted) {
            // Classes too small for their share (many of one or two samples): a stratified split would hold out far
            // fewer samples than asked, so the split ignores the classes.
            return splitRows(n, fraction, seed);
        }
        int[] val = new int[total], train = new int[n - total];
        int v = 0, t = 0;
        for (int k = 0; k < distinct.length; k++) {
            for (int i = start[k]; i < start[k + 1]; i++) {
                if (i - start[k] < held[k]) val[v++] = grouped[i];
                else train[t++] = grouped[i];
            }
        }
        java.util.Arrays.sort(val);
        java.util.Arrays.sort(train);
        return new SplitRows(train, val);
    }

    /**
     * The mini-batches of one epoch: a permutation drawn from (seed, epoch), cut into batches of {@code batchSize}
     * (the last one may be smaller). The same arguments give the same batches on any machine.
     */
    public List<Batch> batches(int batchSize, long seed, int epoch) {
        return batches(batchSize, BatchOrder.permutation(size(), BatchOrder.generator(seed, epoch, 0)), epoch);
    }

    /** The mini-batches in the stored order, without shuffling (evaluation). */
    public List<Batch> batchesInOrder(int batchSize) {
        int[] order = new int[size()];
        for (int i = 0; i < order.length; i++) order[i] = i;
        return batches(batchSize, order, 0);
    }

    /**
     * The batches as a list whose rows are gathered when a batch is fetched, not up front: an epoch never holds a
     * second copy of the data set.
     */
    private List<Batch> batches(int batchSize, int[] order, int epoch) {
        if (batchSize < 1) throw new IllegalArgumentException("batch size must be at least 1, got " + batchSize);
        int count = (int) ((order.length + (long) batchSize - 1) / batchSize);
        return new java.util.AbstractList<>() {
            @Override
            public Batch get(int step) {
                java.util.Objects.checkIndex(step, count);
                int start = step * batchSize;
                int[] idx = java.util.Arrays.copyOfRange(order, start, Math.min(order.length, start + batchSize));
                return new Batch(features.gatherRows(idx), targets.gatherRows(idx), epoch, step);
            }

            @Override
            public int size() {
                return count;
            }
        };
    }

    /** The shape of one target row ({@code []} for class indices). */
    public Shape targetShape() {
        return targets.rank() == 1 ? Shape.scalar() : Shape.of(targets.shape().dim(1));
    }
}
