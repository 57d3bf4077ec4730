package dev.backprop.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.backprop.data.Dataset;
import dev.backprop.data.Synthetic;
import dev.backprop.io.ModelFile;
import dev.backprop.io.ModelFileException;
import dev.backprop.io.Provenance;
import dev.backprop.io.SavedModel;
import dev.backprop.loss.CrossEntropy;
import dev.backprop.optim.Adam;
import dev.backprop.tensor.Tensor;
import dev.backprop.train.Callback;
import dev.backprop.train.Checkpoints;
import dev.backprop.train.EpochRecord;
import dev.backprop.train.Trainer;
import dev.backprop.train.TrainingContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A layer written outside the library, as a user would: it registers its type, then saves, loads, checkpoints and
 * resumes like a built-in one; an unregistered type is refused with its name, on save and on load.
 */
class CustomLayerTest {
    /** y = s ⊙ tanh(x) + t: a trained scale and shift per feature, and a type of its own. */
    static final class ScaledTanh extends Module {
        static final ModuleType TYPE = ModuleType.of("test.scaled_tanh", c -> new ScaledTanh((int) c.whole("features", 1, 1 << 20)));

        private final int features;

        ScaledTanh(int features) {
            this.features = features;
            registerParameter("scale", Tensor.ones(features));
            registerParameter("shift", Tensor.zeros(features));
        }

        @Override
        public Tensor forward(Tensor x, Mode mode) {
            return x.tanh().mul(parameter("scale")).add(parameter("shift"));
        }

        @Override
        public Map<String, Object> config() {
            Map<String, Object> c = new LinkedHashMap<>();
            c.put("type", TYPE.name());
            c.put("features", features);
            return c;
        }
    }

    private static final Dataset SPIRALS = Synthetic.spirals(100, 0.05, 3);

    private static Sequential net(long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        return new Sequential(new Linear(2, 16, rng), new ScaledTanh(16), new Linear(16, 2, rng));
    }

    private static Trainer.Builder trainer(Sequential net) {
        return Trainer.builder(net, new CrossEntropy(), Adam.builder().lr(0.01).build(net.namedParameters()))
                .epochs(6).batchSize(16).seed(3).validationSplit(0.2);
    }

    @Test
    void aRegisteredLayerSavesLoadsCheckpointsAndResumes(@TempDir Path dir) throws Exception {
        ModuleTypes.register(ScaledTanh.TYPE);
        ModuleTypes.register(ScaledTanh.TYPE);   // the same instance again: nothing happens

        Sequential whole = net(5);
        trainer(whole).build().fit(SPIRALS);
        assertTrue(whole.namedParameters().get("1.scale").toDoubleArray()[0] != 1, "the custom layer's parameters trained");

        // Save and load: the loaded network holds a ScaledTanh with the same values and computes the same outputs.
        ModelFile.save(dir.resolve("m.bpm"), SavedModel.builder(whole, Provenance.now(null, null)).build());
        Module loaded = ModelFile.load(dir.resolve("m.bpm")).module();
        assertInstanceOf(ScaledTanh.class, ((Sequential) loaded).layers().get(1));
        Tensor x = SPIRALS.features().sliceRows(0, 10);
        assertArrayEquals(whole.forward(x).toFloatArray(), loaded.forward(x).toFloatArray());

        // Checkpoint after 3 epochs, resume into a network with other weights: the same weights as never stopping.
        Sequential firstHalf = net(5);
        trainer(firstHalf).callback(new Checkpoints(dir.resolve("ck"), 1, false)).callback(new StopAfter(3)).build().fit(SPIRALS);
        Sequential resumed = net(99);
        trainer(resumed).resumeFrom(dir.resolve("ck").resolve(Checkpoints.LAST)).build().fit(SPIRALS);
        for (var e : whole.namedParameters().entrySet()) {
            assertArrayEquals(e.getValue().toFloatArray(), resumed.namedParameters().get(e.getKey()).toFloatArray(), e.getKey());
        }
    }

    @Test
    void anUnregisteredTypeIsRefusedByName(@TempDir Path dir) throws Exception {
        Module other = new Module() {
            {
                registerParameter("w", Tensor.ones(2));
            }

            @Override
            public Tensor forward(Tensor x, Mode mode) {
                return x.mul(parameter("w"));
            }

            @Override
            public Map<String, Object> config() {
                return Map.of("type", "test.never_registered");
            }
        };
        IllegalArgumentException save = assertThrows(IllegalArgumentException.class,
                () -> ModelFile.save(dir.resolve("x.bpm"), SavedModel.builder(other, Provenance.now(null, null)).build()));
        assertTrue(save.getMessage().contains("unknown module type \"test.never_registered\""), save.getMessage());
        assertTrue(Files.notExists(dir.resolve("x.bpm")));
        assertThrows(IllegalArgumentException.class, () -> ModuleTypes.register(ModuleType.of("linear", c -> other)),
                "a built-in name cannot be taken");
        assertThrows(IllegalArgumentException.class, () -> ModuleType.of("Com.Evil.Class", c -> other), "names are lower case");
        ModelFileException load = assertThrows(ModelFileException.class, () -> ModuleTypes.fromConfig(Map.of("type", "test.never_registered")));
        assertEquals("architecture: unknown module type", load.getMessage().substring(0, "architecture: unknown module type".length()));
    }

    /** Requests a stop after N epochs, as a crash would interrupt a run. */
    private record StopAfter(int epochs) implements Callback {
        @Override
        public void onEpochEnd(TrainingContext context, EpochRecord record) {
            if (record.epoch() + 1 >= epochs) context.requestStop("stopped by test");
        }
    }
}
