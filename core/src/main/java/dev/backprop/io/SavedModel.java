package dev.backprop.io;

import dev.backprop.nn.Module;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Everything one model file holds: the network with its values, and the plain data that describe how it was made
 * and how to use it. {@link ModelFile#save} writes it and {@link ModelFile#load} gives it back.
 *
 * <pre>{@code
 * ModelFile.save(path, new SavedModel(net, Map.of("name", "mse"), null, Map.of("optimizer", "sgd", "lr", 0.1),
 *         Provenance.now(42L, "data.csv"), null, null));
 * Module again = ModelFile.load(path).module();
 * }</pre>
 *
 * <p>The maps hold JSON-like data (maps with string keys, lists, strings, numbers, booleans, null). What a file
 * gives back has whole numbers as Integer (or Long) and other numbers as Double.
 *
 * @param module        the network; saved as its {@link Module#config()} and its {@link Module#stateDict()}
 *                      (parameters and buffers; whether a parameter is frozen is not saved)
 * @param loss          the loss's config, e.g. {@code {"name": "cross-entropy"}}, or null
 * @param preprocessing how inputs are prepared (scaling statistics, column names), opaque here; or null
 * @param training      the training configuration (optimizer, learning rate, epochs, batch size, seed ...);
 *                      null becomes empty
 * @param provenance    library version, creation time, seed, data source
 * @param optimizer     the optimizer's state for resuming, or null
 * @param trainer       the trainer's resume information (epoch, history ...), opaque here; or null
 */
public record SavedModel(Module module, Map<String, Object> loss, Map<String, Object> preprocessing,
                         Map<String, Object> training, Provenance provenance, SavedOptimizer optimizer,
                         Map<String, Object> trainer) {
    public SavedModel {
        Objects.requireNonNull(module, "module");
        Objects.requireNonNull(provenance, "provenance");
        loss = copy(loss);
        preprocessing = copy(preprocessing);
        training = training == null ? Map.of() : copy(training);
        trainer = copy(trainer);
    }

    /** A model with its loss, training configuration and provenance, and nothing to resume from. */
    public static SavedModel of(Module module, Map<String, Object> loss, Map<String, Object> training, Provenance provenance) {
        return new SavedModel(module, loss, null, training, provenance, null, null);
    }

    private static Map<String, Object> copy(Map<String, Object> m) {
        return m == null ? null : Collections.unmodifiableMap(new LinkedHashMap<>(m));
    }
}
