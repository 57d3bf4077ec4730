package dev.backprop.train;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The epochs of a training run, in order, and why it stopped. */
public final class History {
    private final List<EpochRecord> epochs = new ArrayList<>();
    private String stopReason = "completed";

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

    /** Reads what {@link #toMap()} wrote. */
    static History fromMap(Map<String, ?> map) {
        History h = new History();
        if (map == null) return h;
        if (map.get("epochs") instanceof List<?> rows) {
            for (Object o : rows) {
                if (!(o instanceof Map<?, ?> m)) continue;
                Map<String, Double> metrics = new LinkedHashMap<>();
                if (m.get("metrics") instanceof Map<?, ?> mm) {
                    for (var e : mm.entrySet()) if (e.getValue() instanceof Number n) metrics.put(String.valueOf(e.getKey()), n.doubleValue());
                }
                h.add(new EpochRecord(num(m.get("epoch")).intValue(), num(m.get("loss")).doubleValue(),
                        num(m.get("val_loss")).doubleValue(), num(m.get("lr")).doubleValue(),
                        num(m.get("seconds")).doubleValue(), num(m.get("samples_per_s")).doubleValue(), metrics));
            }
        }
        if (map.get("stop_reason") instanceof String s) h.stopReason = s;
        return h;
    }

    private static Number num(Object o) {
        return o instanceof Number n ? n : Double.NaN;
    }

    /** JSON has no NaN: a missing value is stored as null. */
    private static Object finite(double v) {
        return Double.isFinite(v) ? v : null;
    }
}
