package dev.backprop.optim;

import java.util.Objects;

/**
 * Lowers the learning rate when a metric stops improving, as PyTorch's {@code ReduceLROnPlateau}. Unlike a
 * {@link LearningRateSchedule} it is driven by the metric, so it holds state; {@link #state()} and
 * {@link #loadState} carry it through a checkpoint.
 *
 * <pre>{@code
 * ReduceOnPlateau plateau = ReduceOnPlateau.builder().factor(0.5).patience(3).build(opt.learningRate());
 * opt.setLearningRate(plateau.observe(validationLoss));   // after each epoch
 * }</pre>
 *
 * <p>On each {@link #observe(double) observation} {@code x}:
 * <pre>
 * if x is better than best:  best ← x, bad ← 0       (MIN, RELATIVE: x &lt; best·(1 − threshold);
 * else:                      bad ← bad + 1            MIN, ABSOLUTE: x &lt; best − threshold; MAX mirrors them)
 * if cooldown &gt; 0:           cooldown ← cooldown − 1, bad ← 0
 * if bad &gt; patience:
 *     new ← max(lr·factor, minLr);  lr ← new if lr − new &gt; 1e-8
 *     cooldown ← cooldownEpochs, bad ← 0
 * </pre>
 * {@code best} starts at +∞ (MIN) or −∞ (MAX); a NaN metric never improves. Defaults (PyTorch's): mode
 * {@link Mode#MIN}, factor 0.1, patience 10, threshold 1e-4 {@link ThresholdMode#RELATIVE}, cooldown 0,
 * minLr 0.
 */
public final class ReduceOnPlateau {
    /** Changes smaller than this are ignored, so that the rate does not creep near minLr (PyTorch's eps). */
    private static final double MIN_CHANGE = 1e-8;

    /** Whether a lower ({@code MIN}, a loss) or higher ({@code MAX}, an accuracy) metric is better. */
    public enum Mode {
        /** Lower is better (a loss). */
        MIN,
        /** Higher is better (an accuracy). */
        MAX
    }

    /** Whether an improvement must beat the best by a fraction of it or by a fixed amount. */
    public enum ThresholdMode {
        /** Better means beyond {@code best·(1 ∓ threshold)}: the threshold is a fraction of the best. */
        RELATIVE,
        /** Better means beyond {@code best ∓ threshold}: the threshold is in the metric's units. */
        ABSOLUTE
    }

    /**
     * What {@link #observe} depends on besides the settings, for a checkpoint.
     *
     * <pre>{@code
     * ReduceOnPlateau.State saved = plateau.state();
     * plateau.loadState(saved);
     * }</pre>
     *
     * @param best            the best metric so far (±∞ before the first observation)
     * @param badEpochs       observations since the last improvement, ≥ 0
     * @param cooldownCounter observations left in the cool-down, ≥ 0
     * @param learningRate    the current learning rate, finite and ≥ 0
     */
    public record State(double best, int badEpochs, int cooldownCounter, double learningRate) {
        /** Checks that {@code best} is not NaN, both counters are ≥ 0 and the learning rate is finite and ≥ 0. */
        public State {
            if (Double.isNaN(best)) throw new IllegalArgumentException("ReduceOnPlateau.State: best is NaN");
            Check.atLeast("ReduceOnPlateau.State", "badEpochs", 0, badEpochs);
            Check.atLeast("ReduceOnPlateau.State", "cooldownCounter", 0, cooldownCounter);
            Check.nonNegative("ReduceOnPlateau.State", "learningRate", learningRate);
        }
    }

    private final Mode mode;
    private final double factor;
    private final int patience;
    private final double threshold;
    private final ThresholdMode thresholdMode;
    private final int cooldown;
    private final double minLr;

    private double best;
    private int badEpochs;
    private int cooldownCounter;
    private double learningRate;

    private ReduceOnPlateau(Builder b, double initialLearningRate) {
        String owner = "ReduceOnPlateau";
        mode = Objects.requireNonNull(b.mode, "ReduceOnPlateau: mode");
        thresholdMode = Objects.requireNonNull(b.thresholdMode, "ReduceOnPlateau: thresholdMode");
        factor = Check.fraction(owner, "factor", b.factor);
        patience = Check.atLeast(owner, "patience", 0, b.patience);
        threshold = Check.nonNegative(owner, "threshold", b.threshold);
        cooldown = Check.atLeast(owner, "cooldown", 0, b.cooldown);
        minLr = Check.nonNegative(owner, "minLr", b.minLr);
        learningRate = Check.nonNegative(owner, "initial learning rate", initialLearningRate);
        best = mode == Mode.MIN ? Double.POSITIVE_INFINITY : Double.NEGATIVE_INFINITY;
    }

    /** A builder with PyTorch's defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** Records one observation of the metric (once per epoch) and returns the learning rate to use next. */
    public double observe(double metric) {
        if (isBetter(metric)) {
            best = metric;
            badEpochs = 0;
        } else {
            badEpochs++;
        }
        if (cooldownCounter > 0) {
            cooldownCounter--;
            badEpochs = 0;
        }
        if (badEpochs > patience) {
            double reduced = Math.max(learningRate * factor, minLr);
            if (learningRate - reduced > MIN_CHANGE) learningRate = reduced;
            cooldownCounter = cooldown;
            badEpochs = 0;
        }
        return learningRate;
    }

    private boolean isBetter(double x) {
        return switch (mode) {
            case MIN -> thresholdMode == ThresholdMode.RELATIVE ? x < best * (1 - threshold) : x < best - threshold;
            case MAX -> thresholdMode == ThresholdMode.RELATIVE ? x > best * (1 + threshold) : x > best + threshold;
        };
    }

    /** The current learning rate. */
    public double learningRate() {
        return learningRate;
    }

    /** The best metric observed so far (±∞ before the first observation). */
    public double best() {
        return best;
    }

    /** Whether a lower or a higher metric is better. */
    public Mode mode() {
        return mode;
    }

    /** Factor in [0, 1) the learning rate is multiplied by on a plateau. */
    public double factor() {
        return factor;
    }

    /** Observations without improvement tolerated before a reduction, ≥ 0. */
    public int patience() {
        return patience;
    }

    /** How much better than the best a metric must be to count, ≥ 0; its sense is {@link #thresholdMode()}. */
    public double threshold() {
        return threshold;
    }

    /** Whether {@link #threshold()} is a fraction of the best or an amount in the metric's units. */
    public ThresholdMode thresholdMode() {
        return thresholdMode;
    }

    /** Observations after a reduction during which bad epochs are not counted, ≥ 0. */
    public int cooldown() {
        return cooldown;
    }

    /** The floor the learning rate is never reduced below, ≥ 0. */
    public double minLr() {
        return minLr;
    }

    /** The mutable part, for a checkpoint; the settings are the builder's. */
    public State state() {
        return new State(best, badEpochs, cooldownCounter, learningRate);
    }

    /** Continues from a saved state (built with the same settings, which the state does not record). */
    public void loadState(State state) {
        Objects.requireNonNull(state, "state");
        best = state.best();
        badEpochs = state.badEpochs();
        cooldownCounter = state.cooldownCounter();
        learningRate = state.learningRate();
    }

    @Override
    public String toString() {
        return "ReduceOnPlateau(" + mode + ", factor=" + factor + ", patience=" + patience + ", threshold=" + threshold
                + " " + thresholdMode + ", cooldown=" + cooldown + ", minLr=" + minLr + "; lr=" + learningRate
                + ", best=" + best + ")";
    }

    /** Settings for {@link ReduceOnPlateau}; {@link #build} validates them. */
    public static final class Builder {
        private Mode mode = Mode.MIN;
        private double factor = 0.1;
        private int patience = 10;
        private double threshold = 1e-4;
        private ThresholdMode thresholdMode = ThresholdMode.RELATIVE;
        private int cooldown;
        private double minLr;

        private Builder() {}

        /** Whether lower or higher is better (default {@link Mode#MIN}). */
        public Builder mode(Mode mode) {
            this.mode = mode;
            return this;
        }

        /** Factor in [0, 1) the learning rate is multiplied by on a plateau (default 0.1). */
        public Builder factor(double factor) {
            this.factor = factor;
            return this;
        }

        /** Observations without improvement tolerated before reducing, ≥ 0 (default 10). */
        public Builder patience(int patience) {
            this.patience = patience;
            return this;
        }

        /** How much better than the best a metric must be to count, ≥ 0, and in which sense (default 1e-4 relative). */
        public Builder threshold(double threshold, ThresholdMode thresholdMode) {
            this.threshold = threshold;
            this.thresholdMode = thresholdMode;
            return this;
        }

        /** Observations after a reduction during which bad epochs are not counted, ≥ 0 (default 0). */
        public Builder cooldown(int cooldown) {
            this.cooldown = cooldown;
            return this;
        }

        /** The learning rate is never reduced below this, ≥ 0 (default 0). */
        public Builder minLr(double minLr) {
            this.minLr = minLr;
            return this;
        }

        /** The schedule, starting at the optimizer's current learning rate. */
        public ReduceOnPlateau build(double initialLearningRate) {
            return new ReduceOnPlateau(this, initialLearningRate);
        }
    }
}
