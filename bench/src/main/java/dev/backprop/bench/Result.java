package dev.backprop.bench;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One workload's measurements: numbers (or lists of numbers) by {@link Metric}, plus settings that say what was run
 * (batch size, kernels). Printed as one JSON object or as lines of text.
 */
final class Result {
    private final Workload workload;
    private final int threads;
    private final Map<String, Object> settings = new LinkedHashMap<>();
    private final Map<Metric, Object> metrics = new EnumMap<>(Metric.class);

    Result(Workload workload, int threads) {
        this.workload = workload;
        this.threads = threads;
    }

    /** Records a setting of the run (a number or a string), e.g. {@code batch_size}. */
    Result setting(String key, Object value) {
        settings.put(key, value);
        return this;
    }

    Result put(Metric metric, double value) {
        metrics.put(metric, value);
        return this;
    }

    Result put(Metric metric, List<Double> values) {
        metrics.put(metric, List.copyOf(values));
        return this;
    }

    double get(Metric metric) {
        return metrics.get(metric) instanceof Double d ? d : Double.NaN;
    }

    /** {@code {"workload":"wide-mlp","threads":2,...settings...,...metrics...}} on one line. */
    String toJson() {
        Map<String, Object> m = new java.util.LinkedHashMap<>();
        m.put("workload", workload.id());
        m.put("threads", threads);
        settings.forEach((k, v) -> m.put(k, value(v)));
        metrics.forEach((k, v) -> m.put(k.key(), value(v)));
        return dev.backprop.io.JsonText.compact(m);
    }

    /** A heading and one line per setting and metric, for people. */
    String toText() {
        List<String> lines = new ArrayList<>();
        lines.add(workload.id() + " (" + threads + (threads == 1 ? " thread" : " threads") + "): " + workload.description());
        settings.forEach((k, v) -> lines.add(String.format(Locale.ROOT, "  %-22s %s", k, v)));
        metrics.forEach((m, v) -> lines.add(String.format(Locale.ROOT, "  %-22s %-14s %s", m.key(), text(v),
                m.description())));
        return String.join(System.lineSeparator(), lines);
    }

    private static String text(Object v) {
        if (v instanceof Double d) return number(d);
        if (v instanceof List<?> list) {
            List<String> parts = new ArrayList<>();
            for (Object o : list) parts.add(text(o));
            return String.join(" ", parts);
        }
        return String.valueOf(v);
    }

    /** A value as JSON shows it: a number at the precision {@link #number} gives, exactly; other values as they are. */
    private static Object value(Object v) {
        if (v instanceof Double d) return Double.isFinite(d) ? new java.math.BigDecimal(number(d)) : null;
        if (v instanceof Number || v instanceof Boolean || v == null) return v;
        if (v instanceof List<?> list) return list.stream().map(Result::value).toList();
        return String.valueOf(v);
    }

    /** Four significant digits at least, no exponent: enough for any timing, and stable to read. */
    private static String number(double d) {
        double a = Math.abs(d);
        if (a >= 1000 || a == 0) return String.format(Locale.ROOT, "%.0f", d);
        if (a >= 1) return String.format(Locale.ROOT, "%.4g", d).replaceFirst("\\.?0+$", "");
        return String.format(Locale.ROOT, "%.4f", d);
    }

}
