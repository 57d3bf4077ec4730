package dev.backprop.model;

import dev.backprop.io.Messages;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The training settings a model file records ({@link Model#settings()}, keys such as {@code learning_rate}), in
 * words for people: the labels and values that {@code inspect} and the HTML report show.
 *
 * <pre>{@code
 * TrainingSettings.readable(model.settings())   // {"learning rate": "0.001", "batch size": "32", ...}
 * }</pre>
 */
public final class TrainingSettings {
    private static final Map<String, String> LABELS = Map.ofEntries(
            Map.entry("loss", "loss"),
            Map.entry("optimizer", "optimizer"),
            Map.entry("learning_rate", "learning rate"),
            Map.entry("weight_decay", "weight decay"),
            Map.entry("lr_schedule", "learning-rate schedule"),
            Map.entry("warmup_epochs", "warm-up epochs"),
            Map.entry("clip_norm", "gradient norm limit"),
            Map.entry("dropout", "dropout"),
            Map.entry("epochs", "epochs"),
            Map.entry("early_stop_patience", "early-stopping patience"),
            Map.entry("early_stop_monitor", "early stopping watches"),
            Map.entry("early_stop_min_delta", "least improvement"),
            Map.entry("batch_size", "batch size"),
            Map.entry("seed", "seed"),
            Map.entry("validation_fraction", "validation fraction"),
            Map.entry("layers", "hidden layers"),
            Map.entry("activation", "activation"),
            Map.entry("model_spec", "network spec"),
            Map.entry("class_weight", "class weights"));

    private TrainingSettings() {}

    /**
     * Each setting under its label, in the map's order, its value as text (numbers as short as they are exact, lists
     * joined by commas); a key this version does not know keeps its name with spaces for underscores. With early
     * stopping, {@code epochs} is the most the run could take, and says so.
     */
    public static Map<String, String> readable(Map<String, ?> settings) {
        Map<String, String> out = new LinkedHashMap<>();
        boolean stopsEarly = settings.containsKey("early_stop_patience");
        settings.forEach((key, value) -> {
            String label = key.equals("epochs") && stopsEarly ? "most epochs" : LABELS.getOrDefault(key, key.replace('_', ' '));
            out.put(label, text(value));
        });
        return out;
    }

    /** The label of one setting's key. */
    public static String label(String key) {
        return LABELS.getOrDefault(key, key.replace('_', ' '));
    }

    private static String text(Object value) {
        if (value instanceof Number n) return Messages.number(n.doubleValue());
        if (value instanceof Collection<?> c) {
            StringBuilder sb = new StringBuilder();
            for (Object o : c) sb.append(sb.isEmpty() ? "" : ", ").append(text(o));
            return sb.toString();
        }
        return String.valueOf(value);
    }
}
