package dev.backprop.train;

import dev.backprop.io.ModelFileException;
import dev.backprop.io.SavedMap;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The epochs of a training run, in order, and why it stopped. */
public final class History {
    private final List<EpochRecord> epochs = new ArrayList<>();
    private String stopReason = "completed";
    private boolean interrupted;

    /** An empty history: no epochs yet, stop reason "completed". */
    public History() {}

    /** A history of {@code epochs}, in order, stopped for {@code stopReason} (e.g. another trainer's run). */
    public static History of(List<EpochRecord> epochs, String stopReason) {
        History h = new History();
        h.epochs.addAll(epochs);
        h.stopReason = java.util.Objects.requireNonNull(stopReason, "stopReason");
        return h;
    }

    void add(EpochRecord r) {
        epochs.add(r);
    }

    void stoppedBecause(String reason) {
        stopReason = reason;
    }

    /** Every epoch so far. */
    public List<EpochRecord> epochs() {
        return Collections.unmodifiableList(epochs);
    }

    /** The last epoch. */
    public EpochRecord last() {
        if (epochs.isEmpty()) throw new IllegalStateException("no epoch has run");
        return epochs.get(epochs.size() - 1);
    }

    void interrupted() {
        interrupted = true;
    }

    /** Whether a stop signal ({@link Trainer.Builder#stopWhen}) ended the run before its epochs were done. */
    public boolean wasInterrupted() {
        return interrupted;
    }

    /** "completed", or what stopped the run early (e.g. early stopping). */
    public String stopReason() {
        return stopReason;
    }

    /** As plain data (lists and maps of numbers and strings), for model files and reports. */
    public Map<String, Object> toMap() {
        List<Map<String, Object>> rows = new ArrayList<>();
        for (EpochRecord r : epochs) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("epoch", r.epoch());
            m.put("loss", finite(r.trainLoss()));
            m.put("val_loss", finite(r.validationLoss()));
            m.put("lr", r.learningRate());
            m.put("seconds", r.seconds());
            m.put("samples_per_s", r.samplesPerSecond());
            m.put("metrics", new LinkedHashMap<>(r.metrics()));
            rows.add(m);
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("epochs", rows);
        out.put("stop_reason", stopReason);
        return out;
    }

    /** Reads what {@link #toMap()} wrote; a field missing or of the wrong type is an error naming its path. */
    public static History fromMap(SavedMap map) throws ModelFileException {
        History h = new History();
        for (SavedMap m : map.objects("epochs")) {
            h.add(new EpochRecord((int) m.whole("epoch", 0, Integer.MAX_VALUE), m.numberOrNaN("loss"), m.numberOrNaN("val_loss"),
                    m.number("lr"), m.number("seconds"), m.number("samples_per_s"), m.numbers("metrics")));
        }
        h.stopReason = map.string("stop_reason");
        return h;
    }

    /** JSON has no NaN: a missing value is stored as null. */
    private static Object finite(double v) {
        return Double.isFinite(v) ? v : null;
    }
}
