package dev.backprop.data;

import java.util.SplittableRandom;

/**
 * Where every random sequence of training comes from: one generator per (seed, epoch, partition), so an epoch's
 * order does not depend on what ran before it. A run resumed from a checkpoint, or a partition of a distributed run
 * replayed on one machine, draws exactly the same numbers.
 */
public final class BatchOrder {
    private BatchOrder() {}

    /** The generator of (seed, epoch, partition); different triples give independent streams. */
    public static SplittableRandom generator(long seed, int epoch, int partition) {
        long mixed = mix(mix(seed ^ 0x9E3779B97F4A7C15L) + epoch) * 31 + partition;
        return new SplittableRandom(mix(mixed));
    }

    /** The generator for one training step's randomness (dropout), from (seed, epoch, step). */
    public static SplittableRandom stepGenerator(long seed, int epoch, int step) {
        return new SplittableRandom(mix(mix(generator(seed, epoch, 0).nextLong() ^ 0xD1B54A32D192ED03L) + step));
    }

    /** A uniformly random permutation of 0..n−1 (Fisher–Yates). */
    public static int[] permutation(int n, SplittableRandom rng) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) p[i] = i;
        for (int i = n - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return p;
    }

    /** SplitMix64's finaliser: spreads nearby seeds far apart. */
    static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
