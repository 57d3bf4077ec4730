package dev.backprop.train;

import dev.backprop.io.ModelFile;
import dev.backprop.io.ModelFileException;
import dev.backprop.io.SavedMap;
import dev.backprop.io.Provenance;
import dev.backprop.io.SavedModel;
import dev.backprop.io.SavedOptimizer;
import dev.backprop.optim.OptimizerState;
import dev.backprop.optim.OptimizerType;
import dev.backprop.optim.OptimizerTypes;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** How a trainer writes its checkpoints as model files and reads them back to resume. */
final class CheckpointFormat {
    private final String dataSource;
    private final Map<String, Object> preprocessing;

    CheckpointFormat(String dataSource, Map<String, Object> preprocessing) {
        this.dataSource = dataSource;
        this.preprocessing = preprocessing;
    }

    void save(Path file, Trainer.Run run) throws IOException {
        Trainer t = run.trainer();
        OptimizerState s = t.optimizer().state();
        Map<String, Object> training = new LinkedHashMap<>();
        training.put("optimizer", s.type().name().toLowerCase(Locale.ROOT));
        training.put("learning_rate", t.optimizer().learningRate());
        training.put("epochs", t.epochs());
        training.put("batch_size", t.batchSize());
        training.put("seed", t.seed());
        training.put("loss", t.loss().name());
        SavedModel model = SavedModel.builder(t.model(),
                        new Provenance(Provenance.currentLibraryVersion(), Instant.now().toString(), t.seed(), dataSource))
                .loss(t.loss().config()).preprocessing(preprocessing).training(training)
                .optimizer(new SavedOptimizer(s.type().name(), s.hyperParameters(), s.steps(), s.tensors()))
                .trainer(run.trainerState()).build();
        ModelFile.save(file, model);
    }

    /** Loads weights, optimizer state and trainer state from {@code file}; returns the first epoch still to run. */
    int resume(Path file, Trainer.Run run) throws IOException {
        SavedModel saved = ModelFile.load(file);
        Trainer t = run.trainer();
        if (saved.optimizer() == null || saved.trainer() == null) {
            throw new IOException(file + ": not a checkpoint (it has no optimizer or trainer state to resume from)");
        }
        SavedOptimizer o = saved.optimizer();
        if (OptimizerTypes.get(o.type().toLowerCase(Locale.ROOT)) == null) {
            throw new IOException(file + ": its optimizer '" + o.type() + "' is not a registered type (known: "
                    + OptimizerTypes.names() + "; an optimizer of your own is registered with OptimizerTypes.register"
                    + " before resuming)");
        }
        try {
            t.model().loadStateDict(saved.module().stateDict());
            t.optimizer().loadState(new OptimizerState(OptimizerType.parse(o.type()), o.hyperParameters(), o.steps(), o.tensors()));
        } catch (IllegalArgumentException e) {
            throw new IOException(file + ": does not fit this model and optimizer: " + e.getMessage(), e);
        }
        try {
            return run.restore(SavedMap.of(saved.trainer(), "trainer state"));
        } catch (ModelFileException e) {
            throw new ModelFileException(file.toString(), "not a checkpoint of this run: " + e.getMessage(), e);
        }
    }
}
