package dev.backprop.train;

import dev.backprop.io.ModelFileException;
import dev.backprop.io.SavedMap;
import dev.backprop.tensor.Tensor;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Stops training when the monitored loss (validation loss, or training loss without a validation set) has not
 * improved by more than {@code minDelta} for {@code patience} epochs; with {@code restoreBest}, puts back the
 * weights of the best epoch at the end.
 *
 * <pre>{@code
 * Trainer.builder(model, loss, optimizer).callback(new EarlyStopping(5, 1e-4, true)) ...
 * }</pre>
 */
public final class EarlyStopping implements Callback {
    private final int patience;
    private final double minDelta;
    private final boolean restoreBest;
    private double best = Double.POSITIVE_INFINITY;
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
        if (patience < 1) throw new IllegalArgumentException("early stopping: patience must be at least 1, got " + patience);
        if (!(minDelta >= 0)) throw new IllegalArgumentException("early stopping: min delta must be >= 0, got " + minDelta);
        this.patience = patience;
        this.minDelta = minDelta;
        this.restoreBest = restoreBest;
    }

    /** The epoch with the best monitored value so far, or −1. */
    public int bestEpoch() {
        return bestEpoch;
    }

    /** Whether it puts back the best epoch's weights at the end. */
    public boolean restoresBest() {
        return restoreBest;
    }

    /** The best monitored loss so far, or +∞ before the first epoch. */
    public double bestValue() {
        return best;
    }

    @Override
    public void onEpochEnd(TrainingContext context, EpochRecord record) {
        double v = record.monitored();
        if (v < best - minDelta) {
            best = v;
            bestEpoch = record.epoch();
            wait = 0;
            if (restoreBest) bestWeights = copy(context.model().stateDict());
        } else if (++wait >= patience) {
            context.requestStop("early stopping: no improvement for " + patience + " epochs; best "
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
        best = state.has("best") ? state.number("best") : Double.POSITIVE_INFINITY;
        bestEpoch = (int) state.whole("best_epoch", -1, Integer.MAX_VALUE);
        wait = (int) state.whole("wait", 0, Integer.MAX_VALUE);
    }
}
