package dev.backprop.encode;

import java.util.Locale;

/** How numeric input columns are scaled; {@link #fit} takes its statistics from the training rows. */
public enum Scaling {
    /** As read. */
    NONE,
    /** {@code (x − mean) / std}, population standard deviation; a constant column (std 0) is divided by 1. */
    STANDARD,
    /** {@code (x − min) / (max − min)}, to [0, 1] on the training rows; a constant column is divided by 1. */
    MIN_MAX;

    /** The name on the command line and in saved forms: {@code none}, {@code standard}, {@code min-max}. */
    public String key() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** The scaling of {@code key} ({@link #key()}, any case, '-' or '_'); an error listing the names otherwise. */
    public static Scaling of(String key) {
        for (Scaling s : values()) {
            if (s.key().equalsIgnoreCase(key.strip().replace('_', '-'))) return s;
        }
        throw new IllegalArgumentException("unknown scaling '" + key + "' (known: none, standard, min-max)");
    }

    /**
     * The scale with this kind's statistics of {@code values[0..n)}, the present training values of one column
     * (none: every value was missing, which gives a scale that leaves values as they are).
     *
     * @throws ArithmeticException when the statistics overflow (values near ±1.8e308)
     */
    public Scale fit(double[] values, int n) {
        if (this == NONE || n == 0) return new Scale.Identity();
        if (this == STANDARD) {
            // Two passes: the mean first, then squared deviations from it (no cancellation of large sums).
            double sum = 0;
            for (int i = 0; i < n; i++) sum += values[i];
            double mean = sum / n, sq = 0;
            for (int i = 0; i < n; i++) sq += (values[i] - mean) * (values[i] - mean);
            double std = Math.sqrt(sq / n);
            if (!Double.isFinite(mean) || !Double.isFinite(std)) throw new ArithmeticException("mean or standard deviation overflows");
            return new Scale.Standard(mean, std);
        }
        double min = Double.POSITIVE_INFINITY, max = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < n; i++) {
            min = Math.min(min, values[i]);
            max = Math.max(max, values[i]);
        }
        if (!Double.isFinite(max - min)) throw new ArithmeticException("range overflows");
        return new Scale.MinMax(min, max);
    }
}
