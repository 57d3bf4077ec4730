package dev.backprop.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.backprop.data.DataFormatException;
import dev.backprop.data.Dataset;
import dev.backprop.data.Idx;
import dev.backprop.data.Table;
import dev.backprop.encode.Encoder;
import dev.backprop.encode.TableEncoder;
import dev.backprop.io.ModelFile;
import dev.backprop.io.ModelFileException;
import dev.backprop.io.NetworkSpec;
import dev.backprop.io.Provenance;
import dev.backprop.io.SavedModel;
import dev.backprop.loss.CrossEntropy;
import dev.backprop.nn.Linear;
import dev.backprop.optim.Sgd;
import dev.backprop.tensor.Tensor;
import dev.backprop.train.Trainer;
import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Tag;

/**
 * Coverage-guided fuzz targets for every parser of outside input: model files, JSON network specs, CSV tables (read
 * and encoded), IDX files, encoders' saved forms, and checkpoints' trainer state. Each input must end in a result or
 * in the documented error (a {@link ModelFileException} or {@link DataFormatException}, one line); any other
 * exception, an allocation out of proportion (the fuzzing JVM has a 1 GB heap), or a hang is a finding.
 *
 * <p>Every target takes raw bytes (text targets read them as UTF-8), so that the seed files are plain files. Without
 * {@code JAZZER_FUZZ} (the {@code fuzz} Maven profile), each target replays its seed corpus in
 * {@code src/test/resources/dev/backprop/fuzz/ParserFuzzTestInputs/<target>/}; with it, one target fuzzes for
 * {@code -Djazzer.max_duration}: see scripts/fuzz.sh.
 */
@Tag("fuzz")
class ParserFuzzTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One scratch file per target, rewritten for each input: files are what these parsers read. */
    private static Path scratch(String name) {
        try {
            Path dir = Path.of(System.getProperty("java.io.tmpdir"), "backprop-fuzz-" + ProcessHandle.current().pid());
            Files.createDirectories(dir);
            return dir.resolve(name);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @FuzzTest(maxDuration = "30s")
    void modelFile(byte[] bytes) throws IOException {
        Path p = scratch("model.bpm");
        Files.write(p, bytes);
        try {
            ModelFile.load(p);
        } catch (ModelFileException expected) {
            // a clean, one-line refusal
        }
    }

    @FuzzTest(maxDuration = "30s")
    void networkSpec(byte[] bytes) {
        String json = new String(bytes, StandardCharsets.UTF_8);
        try {
            NetworkSpec.parse(json, "fuzz.json");
        } catch (ModelFileException expected) {
            // a clean, one-line refusal
        }
    }

    @FuzzTest(maxDuration = "30s")
    void csvTable(byte[] bytes) throws IOException {
        String text = new String(bytes, StandardCharsets.UTF_8);
        Table t;
        try {
            t = Table.readCsv(new StringReader(text), "fuzz.csv");
        } catch (DataFormatException expected) {
            return;
        }
        String target = t.columns().getLast();
        try {
            TableEncoder.Fit fit = TableEncoder.builder().targets(List.of(target)).fit(t, t.size() > 1 ? 0.3 : 0, 1);
            fit.encoder().encode(t);
            fit.encoder().features(t);
            Encoder.fromMap(fit.encoder().toMap());
        } catch (DataFormatException expected) {
            // the table cannot be trained on, and says why
        }
    }

    @FuzzTest(maxDuration = "30s")
    void idxFile(byte[] bytes) throws IOException {
        Path p = scratch("images-idx3-ubyte");
        Files.write(p, bytes);
        try {
            Idx.read(p);
        } catch (DataFormatException expected) {
            // a clean, one-line refusal
        }
    }

    @FuzzTest(maxDuration = "30s")
    void encoderForm(byte[] bytes) throws IOException {
        Map<String, Object> map = objectOrNull(bytes);
        if (map == null) return;
        Encoder e;
        try {
            e = Encoder.fromMap(map);
        } catch (ModelFileException expected) {
            return;
        }
        if (e instanceof TableEncoder t) {
            List<String> columns = t.inputColumns();
            List<List<String>> rows = List.of(columns.stream().map(c -> "1").toList(), columns.stream().map(c -> "").toList());
            try {
                t.features(Table.of("fuzz", columns, rows));
            } catch (DataFormatException expected) {
                // a saved form may describe columns that a row cannot fill (a refused missing cell)
            }
        }
    }

    @FuzzTest(maxDuration = "30s")
    void checkpointState(byte[] bytes) throws IOException {
        Map<String, Object> trainer = objectOrNull(bytes);
        if (trainer == null) return;
        Linear net = new Linear(2, 2, new SplittableRandom(1));
        Path p = scratch("checkpoint.bpm");
        Sgd sgd = Sgd.builder().lr(0.1).build(net.namedParameters());
        var s = sgd.state();
        ModelFile.save(p, SavedModel.builder(net, Provenance.now(1L, "fuzz")).loss(new CrossEntropy().config())
                .optimizer(new dev.backprop.io.SavedOptimizer(s.type().name(), s.hyperParameters(), s.steps(), s.tensors()))
                .trainer(trainer).build());
        Dataset data = new Dataset(Tensor.of(new double[] {0, 1, 1, 0, 1, 1, 0, 0}, 4, 2), CrossEntropy.classIndices(0, 1, 1, 0), "fuzz");
        try {
            Trainer.builder(net, new CrossEntropy(), sgd).epochs(3).batchSize(2).resumeFrom(p).build().fit(data);
        } catch (java.io.UncheckedIOException expected) {
            // not a checkpoint of this run, or not a checkpoint at all, and why: a ModelFileException behind it
            if (!(expected.getCause() instanceof ModelFileException)) throw expected;
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> objectOrNull(byte[] json) {
        try {
            Object o = JSON.readValue(json, Object.class);
            return o instanceof Map<?, ?> m ? (Map<String, Object>) m : null;
        } catch (IOException e) {
            return null;
        }
    }
}
