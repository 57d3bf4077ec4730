package dev.backprop.encode;

import java.util.LinkedHashMap;
import java.util.Map;

/** A fitted scaling of one numeric column: {@code (x − center) / spread}. */
public sealed interface Scale {
    /** The value subtracted. */
    double center();

    /** The value divided by (never 0: a constant column is divided by 1). */
    double spread();

    /** Which scaling this is. */
    Scaling kind();

    /** {@code (x − center) / spread}. */
    default double apply(double x) {
        return (x - center()) / spread();
    }

    /** The statistics for a saved form: {@code {}}, {@code {mean, std}} or {@code {min, max}}. */
    Map<String, Object> toMap();

    /** No scaling. */
    record Identity() implements Scale {
        @Override
        public double center() {
            return 0;
        }

        @Override
        public double spread() {
            return 1;
        }

        @Override
        public Scaling kind() {
            return Scaling.NONE;
        }

        @Override
        public Map<String, Object> toMap() {
            return Map.of();
        }
    }

    /** Standardisation by the training rows' mean and population standard deviation. */
    record Standard(double mean, double std) implements Scale {
        /**
         * Checks the statistics.
         *
         * @throws IllegalArgumentException if {@code mean} is not finite or {@code std} is not a finite number ≥ 0
         */
        public Standard {
            if (!Double.isFinite(mean) || !(std >= 0) || Double.isInfinite(std)) {
                throw new IllegalArgumentException("standard scaling needs a finite mean and std >= 0, got " + mean + ", " + std);
            }
        }

        @Override
        public double center() {
            return mean;
        }

        @Override
        public double spread() {
            return std == 0 ? 1 : std;
        }

        @Override
        public Scaling kind() {
            return Scaling.STANDARD;
        }

        @Override
        public Map<String, Object> toMap() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("mean", mean);
            m.put("std", std);
            return m;
        }
    }

    /** To [0, 1] by the training rows' minimum and maximum. */
    record MinMax(double min, double max) implements Scale {
        /**
         * Checks the statistics.
         *
         * @throws IllegalArgumentException unless {@code min ≤ max} and {@code max − min} is finite
         */
        public MinMax {
            if (!(max >= min) || !Double.isFinite(max - min)) {
                throw new IllegalArgumentException("min-max scaling needs finite min <= max, got " + min + ", " + max);
            }
        }

        @Override
        public double center() {
            return min;
        }

        @Override
        public double spread() {
            return max - min == 0 ? 1 : max - min;
        }

        @Override
        public Scaling kind() {
            return Scaling.MIN_MAX;
        }

        @Override
        public Map<String, Object> toMap() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("min", min);
            m.put("max", max);
            return m;
        }
    }
}
