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
 * ModelFile.save(path, SavedModel.builder(net, Provenance.now(42L, "data.csv")).loss(Map.of("name", "mse"))
 *         .training(Map.of("optimizer", "sgd", "lr", 0.1)).build());
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
 * @param notes         what loading found worth saying, e.g. that the file carries no checksum to verify its
 *                      tensors by; empty for a model made in memory
 */
public record SavedModel(Module module, Map<String, Object> loss, Map<String, Object> preprocessing,
                         Map<String, Object> training, Provenance provenance, SavedOptimizer optimizer,
                         Map<String, Object> trainer, java.util.List<String> notes) {
    /**
     * Copies the maps and notes into unmodifiable ones; a null {@code training} or {@code notes} becomes empty, the
     * other maps stay null.
     *
     * @throws NullPointerException if {@code module} or {@code provenance} is null
     */
    public SavedModel {
        Objects.requireNonNull(module, "module");
        Objects.requireNonNull(provenance, "provenance");
        loss = copy(loss);
        preprocessing = copy(preprocessing);
        training = training == null ? Map.of() : copy(training);
        trainer = copy(trainer);
        notes = notes == null ? java.util.List.of() : java.util.List.copyOf(notes);
    }

    /** A model file's contents: the network and its provenance are required, the rest optional (see {@link Builder}). */
    public static Builder builder(Module module, Provenance provenance) {
        return new Builder(module, provenance);
    }

    /** The optional parts of a {@link SavedModel}; each defaults to none. */
    public static final class Builder {
        private final Module module;
        private final Provenance provenance;
        private Map<String, Object> loss, preprocessing, training, trainer;
        private SavedOptimizer optimizer;
        private java.util.List<String> notes;

        private Builder(Module module, Provenance provenance) {
            this.module = Objects.requireNonNull(module, "module");
            this.provenance = Objects.requireNonNull(provenance, "provenance");
        }

        /** The loss's config ({@code Loss.config()}). */
        public Builder loss(Map<String, Object> value) {
            loss = value;
            return this;
        }

        /** How inputs are encoded ({@code Encoder.toMap()}). */
        public Builder preprocessing(Map<String, Object> value) {
            preprocessing = value;
            return this;
        }

        /** The training settings. */
        public Builder training(Map<String, Object> value) {
            training = value;
            return this;
        }

        /** The optimizer's state, to resume from. */
        public Builder optimizer(SavedOptimizer value) {
            optimizer = value;
            return this;
        }

        /** The trainer's resume information. */
        public Builder trainer(Map<String, Object> value) {
            trainer = value;
            return this;
        }

        /** What loading found worth saying. */
        public Builder notes(java.util.List<String> value) {
            notes = value;
            return this;
        }

        /** The saved model with these parts. */
        public SavedModel build() {
            return new SavedModel(module, loss, preprocessing, training, provenance, optimizer, trainer, notes);
        }
    }

    private static Map<String, Object> copy(Map<String, Object> m) {
        return m == null ? null : Collections.unmodifiableMap(new LinkedHashMap<>(m));
    }
}
