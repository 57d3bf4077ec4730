package dev.backprop.train;

import dev.backprop.io.ModelFileException;
import dev.backprop.io.SavedMap;
import dev.backprop.tensor.Tensor;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Stops training when the monitored value has not improved by more than {@code minDelta} for {@code patience}
 * epochs; with {@code restoreBest}, puts back the weights of the best epoch at the end. The monitored value is the
 * validation loss (the training loss without a validation set) unless {@link Builder#monitor} names another: any
 * value an epoch records, {@code "loss"}, {@code "val_loss"} or a metric such as {@code "val_accuracy"} or
 * {@code "val_r2"}, watched for its minimum or its maximum.
 *
 * <pre>{@code
 * Trainer.builder(model, loss, optimizer).callback(new EarlyStopping(5, 1e-4, true)) ...
 * EarlyStopping.builder().monitor("val_accuracy").patience(10).restoreBest(true).build()   // maximised: an accuracy
 * }</pre>
 */
public final class EarlyStopping implements Callback {
    /** Whether a smaller or a larger monitored value is better. */
    public enum Goal {
        /** Smaller is better: losses, errors. */
        MIN,
        /** Larger is better: accuracy, F1, R². */
        MAX;

        /** The goal for a value's name: {@code MAX} for accuracy, F1 and R², {@code MIN} otherwise. */
        public static Goal of(String monitored) {
            String m = monitored.toLowerCase(java.util.Locale.ROOT);
            return m.endsWith("accuracy") || m.endsWith("f1") || m.endsWith("r2") ? MAX : MIN;
        }
    }

    private final int patience;
    private final double minDelta;
    private final boolean restoreBest;
    private final String monitor;
    private final Goal goal;
    private double best;
    private int bestEpoch = -1;
    private int wait;
    private Map<String, Tensor> bestWeights;

    /**
     * Stops after {@code patience} epochs in a row that do not beat the best monitored loss by more than
     * {@code minDelta}; {@code restoreBest} keeps a copy of the best epoch's weights to put back at the end.
     *
     * @throws IllegalArgumentException if {@code patience < 1} or {@code minDelta} is negative or NaN
     */
    public EarlyStopping(int patience, double minDelta, boolean restoreBest) {
        this(patience, minDelta, restoreBest, null, Goal.MIN);
    }

    private EarlyStopping(int patience, double minDelta, boolean restoreBest, String monitor, Goal goal) {
        if (patience < 1) throw new IllegalArgumentException("early stopping: patience must be at least 1, got " + patience);
        if (!(minDelta >= 0)) throw new IllegalArgumentException("early stopping: min delta must be >= 0, got " + minDelta);
        this.patience = patience;
        this.minDelta = minDelta;
        this.restoreBest = restoreBest;
        this.monitor = monitor;
        this.goal = goal;
        this.best = worst();
    }

    /** Settings by name; the defaults are those of {@code new EarlyStopping(10, 0, true)} on the validation loss. */
    public static Builder builder() {
        return new Builder();
    }

    /** Early stopping's settings, each with a default. */
    public static final class Builder {
        private int patience = 10;
        private double minDelta;
        private boolean restoreBest = true;
        private String monitor;
        private Goal goal;

        private Builder() {}

        /** Epochs in a row without improvement before stopping (default 10). */
        public Builder patience(int value) {
            patience = value;
            return this;
        }

        /** How much better than the best a value must be to count (default 0). */
        public Builder minDelta(double value) {
            minDelta = value;
            return this;
        }

        /** Whether to put back the best epoch's weights at the end (default true). */
        public Builder restoreBest(boolean value) {
            restoreBest = value;
            return this;
        }

        /**
         * The value to watch: {@code "loss"} (training), {@code "val_loss"}, or a metric an epoch records
         * ({@code "val_accuracy"}, {@code "val_macro_f1"}, {@code "val_rmse"}, {@code "val_r2"}, ...); default the
         * validation loss, or the training loss without validation rows.
         */
        public Builder monitor(String value) {
            monitor = java.util.Objects.requireNonNull(value, "monitor");
            return this;
        }

        /** Whether smaller or larger is better (default: from the monitored value's name, see {@link Goal#of}). */
        public Builder goal(Goal value) {
            goal = value;
            return this;
        }

        /** The callback. */
        public EarlyStopping build() {
            return new EarlyStopping(patience, minDelta, restoreBest, monitor,
                    goal != null ? goal : monitor == null ? Goal.MIN : Goal.of(monitor));
        }
    }

    private double worst() {
        return goal == Goal.MAX ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
    }

    /** The value this watches in {@code record}. */
    private double value(EpochRecord record) {
        if (monitor == null) return record.monitored();
        return switch (monitor) {
            case "loss" -> record.trainLoss();
            case "val_loss" -> record.validationLoss();
            default -> {
                Double v = record.metrics().get(monitor);
                if (v == null) {
                    throw new IllegalArgumentException("early stopping: this run records no '" + monitor + "' (it has loss, val_loss"
                            + (record.metrics().isEmpty() ? "" : ", " + String.join(", ", record.metrics().keySet())) + ")");
                }
                yield v;
            }
        };
    }

    /** The epoch with the best monitored value so far, or −1. */
    public int bestEpoch() {
        return bestEpoch;
    }

    /** Whether it puts back the best epoch's weights at the end. */
    public boolean restoresBest() {
        return restoreBest;
    }

    /** The best monitored value so far, or +∞ (−∞ for a maximised value) before the first epoch. */
    public double bestValue() {
        return best;
    }

    @Override
    public void onEpochEnd(TrainingContext context, EpochRecord record) {
        double v = value(record);
        boolean better = goal == Goal.MAX ? v > best + minDelta : v < best - minDelta;   // NaN is never better
        if (better) {
            best = v;
            bestEpoch = record.epoch();
            wait = 0;
            if (restoreBest) bestWeights = copy(context.model().stateDict());
        } else if (++wait >= patience) {
            String what = monitor == null ? "" : " in " + monitor;
            context.requestStop(bestEpoch < 0
                    ? "early stopping: no epoch had a finite" + (monitor == null ? " loss" : what) + " in " + patience + " epochs"
                    : "early stopping: no improvement" + what + " for " + patience + " epochs; best "
                    + String.format(java.util.Locale.ROOT, "%.6g", best) + " at epoch " + (bestEpoch + 1)
                    + (restoreBest ? ", whose weights were restored" : ""));
        }
    }

    @Override
    public void onTrainEnd(TrainingContext context) {
        if (restoreBest && bestWeights != null) context.model().loadStateDict(bestWeights);
    }

    private static Map<String, Tensor> copy(Map<String, Tensor> state) {
        Map<String, Tensor> out = new LinkedHashMap<>();
        for (var e : state.entrySet()) out.put(e.getKey(), e.getValue().detach().copy());
        return out;
    }

    /** The best weights themselves are not part of the state: after a resume they are those of the best checkpoint. */
    @Override
    public Map<String, Object> state() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("best", Double.isFinite(best) ? best : null);
        m.put("best_epoch", bestEpoch);
        m.put("wait", wait);
        return m;
    }

    @Override
    public void restore(SavedMap state) throws ModelFileException {
        best = state.has("best") ? state.number("best") : worst();
        bestEpoch = (int) state.whole("best_epoch", -1, Integer.MAX_VALUE);
        wait = (int) state.whole("wait", 0, Integer.MAX_VALUE);
    }
}
