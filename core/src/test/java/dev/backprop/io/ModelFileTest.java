package dev.backprop.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.backprop.init.Init;
import dev.backprop.nn.Activation;
import dev.backprop.nn.BatchNorm1d;
import dev.backprop.nn.Dropout;
import dev.backprop.nn.Linear;
import dev.backprop.nn.Mode;
import dev.backprop.nn.Module;
import dev.backprop.nn.Sequential;
import dev.backprop.tensor.DType;
import dev.backprop.tensor.Tensor;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelFileTest {
    @TempDir
    Path dir;

    /** Linear, batch norm (whose running statistics have moved), activations, dropout; some odd finite values. */
    private static Sequential model() {
        SplittableRandom rng = new SplittableRandom(3);
        Sequential m = new Sequential(new Linear(3, 4, rng), new BatchNorm1d(4, 1e-3, 0.2), Activation.leakyRelu(0.2),
                new Dropout(0.25), new Linear(4, 2, Init.heNormal(), rng), Activation.elu(0.5), Activation.softmax());
        m.forward(Tensor.uniform(rng, -1, 1, 5, 3), Mode.training(rng));      // running statistics move off 0 and 1
        float[] b = ((Linear) m.layers().get(4)).bias().floats();
        b[0] = -0.0f;
        b[1] = -Float.MAX_VALUE;
        float[] w = ((Linear) m.layers().get(0)).weight().floats();
        w[5] = Float.MIN_VALUE;                                                 // subnormal
        w[6] = -Float.MIN_NORMAL;
        return m;
    }

    private static SavedModel saved(Module m) {
        Map<String, Object> training = new LinkedHashMap<>();
        training.put("optimizer", "adam");
        training.put("lr", 0.001);
        training.put("epochs", 20);
        training.put("batch", 32);
        training.put("seed", 7);
        training.put("shuffle", true);
        training.put("note", null);
        Map<String, Object> preprocessing = Map.of("standardize", Map.of("mean", List.of(0.5, -1.25, 3.0), "std", List.of(1.0, 2.0, 0.5)),
                "columns", List.of("a", "b", "c"));
        SavedOptimizer opt = new SavedOptimizer("adam", Map.of("lr", 0.001, "beta1", 0.9, "clip", Double.POSITIVE_INFINITY), 120,
                Map.of("m.0.weight", Tensor.full(0.5, 4, 3), "v.0.weight", Tensor.of(DType.FLOAT64, new double[] {1e-300, 2}, 2)));
        Map<String, Object> trainer = Map.of("epoch", 3, "history", List.of(Map.of("loss", 0.75), Map.of("loss", 0.5)));
        return SavedModel.builder(m, new Provenance("0.1.0", "2026-11-25T11:05:34Z", 7L, "data/train.csv"))
                .loss(Map.of("name", "huber", "delta", 0.5)).preprocessing(preprocessing).training(training).optimizer(opt)
                .trainer(trainer).build();
    }

    private static void assertSameBits(Map<String, Tensor> expected, Map<String, Tensor> actual) {
        assertEquals(List.copyOf(expected.keySet()), List.copyOf(actual.keySet()));
        for (var e : expected.entrySet()) {
            Tensor a = actual.get(e.getKey()), b = e.getValue();
            assertEquals(b.shape(), a.shape(), e.getKey());
            assertEquals(b.dtype(), a.dtype(), e.getKey());
            for (int i = 0; i < b.size(); i++) {
                if (b.dtype() == DType.FLOAT32) {
                    assertEquals(Float.floatToRawIntBits(b.floats()[i]), Float.floatToRawIntBits(a.floats()[i]), e.getKey() + "[" + i + "]");
                } else {
                    assertEquals(Double.doubleToRawLongBits(b.doubles()[i]), Double.doubleToRawLongBits(a.doubles()[i]), e.getKey());
                }
            }
        }
    }

    @Test
    void roundTripIsBitExactWithEveryField() throws IOException {
        Sequential m = model();
        SavedModel s = saved(m);
        Path p = dir.resolve("model.bp");
        ModelFile.save(p, s);
        SavedModel back = ModelFile.load(p);

        assertEquals(m.config(), back.module().config());
        assertSameBits(m.stateDict(), back.module().stateDict());
        assertEquals(List.of("0.weight", "0.bias", "1.weight", "1.bias", "4.weight", "4.bias", "1.running_mean", "1.running_var"),
                List.copyOf(back.module().stateDict().keySet()));
        Tensor x = Tensor.uniform(new SplittableRandom(9), -1, 1, 4, 3);
        float[] want = m.forward(x).floats(), got = back.module().forward(x).floats();
        for (int i = 0; i < want.length; i++) {
            // Which NaN payload an operation passes on depends on the kernel's operand order, not on the file.
            if (Float.isNaN(want[i])) assertTrue(Float.isNaN(got[i]));
            else assertEquals(Float.floatToRawIntBits(want[i]), Float.floatToRawIntBits(got[i]));
        }

        assertEquals(s.loss(), back.loss());
        assertEquals(s.preprocessing(), back.preprocessing());
        assertEquals(s.training(), back.training());
        assertEquals(List.copyOf(s.training().keySet()), List.copyOf(back.training().keySet()), "key order kept");
        assertEquals(s.provenance(), back.provenance());
        assertEquals(s.trainer(), back.trainer());
        assertEquals("adam", back.optimizer().type());
        assertEquals(120, back.optimizer().steps());
        assertEquals(s.optimizer().hyperParameters(), back.optimizer().hyperParameters());
        assertSameBits(s.optimizer().tensors(), back.optimizer().tensors());
    }

    @Test
    void optionalPartsMayBeLeftOut() throws IOException {
        Linear l = new Linear(2, 1, new SplittableRandom(1));
        Path p = dir.resolve("m.bp");
        ModelFile.save(p, SavedModel.builder(l, Provenance.now(null, null)).build());
        SavedModel back = ModelFile.load(p);
        assertNull(back.loss());
        assertNull(back.preprocessing());
        assertEquals(Map.of(), back.training());
        assertNull(back.optimizer());
        assertNull(back.trainer());
        assertEquals(Provenance.currentLibraryVersion(), back.provenance().libraryVersion());
        assertNotNull(back.provenance().created());
        assertSameBits(l.stateDict(), back.module().stateDict());
        assertInstanceOf(Linear.class, back.module());
    }

    @Test
    void nonFiniteNumbersInOpaqueMapsBecomeStrings() throws IOException {
        Path p = dir.resolve("m.bp");
        ModelFile.save(p, SavedModel.builder(new Linear(1, 1, new SplittableRandom(1)), Provenance.now(1L, null))
                .trainer(Map.of("history", List.of(1.5, Double.NaN, Double.NEGATIVE_INFINITY))).build());
        assertEquals(List.of(1.5, "NaN", "-Infinity"), ModelFile.load(p).trainer().get("history"));
    }

    @Test
    void fileIsPlainSafetensorsToAnIndependentReader() throws IOException {
        Sequential m = model();
        SavedModel s = saved(m);
        Path p = dir.resolve("model.bp");
        ModelFile.save(p, s);

        // A minimal reader written from the format's description, sharing no code with the library.
        byte[] bytes = Files.readAllBytes(p);
        ByteBuffer buf = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        long n = buf.getLong(0);
        assertEquals(0, (8 + n) % 8);
        JsonNode header = new ObjectMapper().readTree(new String(bytes, 8, (int) n, StandardCharsets.UTF_8));
        JsonNode meta = header.get("__metadata__");
        meta.properties().forEach(e -> assertTrue(e.getValue().isTextual(), e.getKey()));
        assertEquals("backprop-model", meta.get("format").asText());
        assertEquals("1", meta.get("format_version").asText());
        JsonNode arch = new ObjectMapper().readTree(meta.get("architecture").asText());
        assertEquals("sequential", arch.get("type").asText());
        assertEquals("batch_norm", arch.get("layers").get(1).get("type").asText());
        assertEquals("data/train.csv", new ObjectMapper().readTree(meta.get("provenance").asText()).get("data_source").asText());
        assertEquals(120, new ObjectMapper().readTree(meta.get("optimizer").asText()).get("steps").asInt());

        long dataStart = 8 + n, expectedBegin = 0;
        Map<String, Tensor> all = new LinkedHashMap<>(m.stateDict());
        s.optimizer().tensors().forEach((k, v) -> all.put("optimizer." + k, v));
        List<String> names = new ArrayList<>();
        for (var e : header.properties()) {
            if (e.getKey().equals("__metadata__")) continue;
            names.add(e.getKey());
            Tensor t = all.get(e.getKey());
            JsonNode entry = e.getValue();
            assertEquals(t.dtype() == DType.FLOAT32 ? "F32" : "F64", entry.get("dtype").asText());
            assertEquals(Arrays.toString(t.shape().dims()).replace(" ", ""), entry.get("shape").toString());
            long begin = entry.get("data_offsets").get(0).asLong(), end = entry.get("data_offsets").get(1).asLong();
            assertEquals(expectedBegin, begin, "back to back, in header order");
            assertEquals((long) t.size() * t.dtype().bytes(), end - begin);
            for (int i = 0; i < t.size(); i++) {
                int at = (int) (dataStart + begin) + i * t.dtype().bytes();
                if (t.dtype() == DType.FLOAT32) assertEquals(Float.floatToRawIntBits(t.floats()[i]), buf.getInt(at));
                else assertEquals(Double.doubleToRawLongBits(t.doubles()[i]), buf.getLong(at));
            }
            expectedBegin = end;
        }
        assertEquals(List.copyOf(all.keySet()), names);
        assertEquals(bytes.length, dataStart + expectedBegin);

        // And the library's own plain reader sees the same.
        Safetensors.Contents c = Safetensors.read(p);
        assertSameBits(all, c.tensors());
        assertEquals("backprop-model", c.metadata().get("format"));
    }

    /** Loads {@code bytes} from a file; any exception other than a clean ModelFileException fails. */
    private SavedModel loadOrClean(byte[] bytes, Path p, String what) throws IOException {
        Files.write(p, bytes);
        try {
            return ModelFile.load(p);
        } catch (ModelFileException e) {
            assertTrue(e.getMessage().startsWith(p + ": "), what + ": " + e.getMessage());
            assertFalse(e.getMessage().contains("\n"), what + ": " + e.getMessage());
            return null;
        } catch (Throwable t) {
            throw new AssertionError(what + ": " + t, t);
        }
    }

    @Test
    void everySingleByteFlipIsACleanErrorOrTheSameModel() throws IOException {
        Path p = dir.resolve("model.bp");
        ModelFile.save(p, saved(model()));
        byte[] good = Files.readAllBytes(p);
        SavedModel original = ModelFile.load(p);
        long dataStart = 8 + ByteBuffer.wrap(good).order(ByteOrder.LITTLE_ENDIAN).getLong(0);
        Path flipped = dir.resolve("flipped.bp");
        int errors = 0, loaded = 0;
        for (int mask : new int[] {0xff, 0x01, 0x10}) {
            for (int i = 0; i < good.length; i++) {
                byte[] b = good.clone();
                b[i] ^= (byte) mask;
                SavedModel m = loadOrClean(b, flipped, "byte " + i + " ^ " + mask);
                if (m == null) {
                    errors++;
                } else {
                    // A flip that still loads changed nothing the model holds (JSON spacing, the case of an escape):
                    // the checksum covers the metadata and the tensors.
                    loaded++;
                    assertEquals(original.module().config(), m.module().config(), "byte " + i);
                    assertSameBits(original.module().stateDict(), m.module().stateDict());
                    assertEquals(original.training(), m.training(), "byte " + i);
                    assertEquals(original.preprocessing(), m.preprocessing(), "byte " + i);
                    assertEquals(original.trainer(), m.trainer(), "byte " + i);
                }
                if (i >= dataStart) {
                    // The checksum names every change to the tensors; none loads as different weights.
                    assertNull(m, "byte " + i);
                    ModelFileException e = assertThrows(ModelFileException.class, () -> ModelFile.load(flipped));
                    assertTrue(e.getMessage().contains("corrupt: the file does not match its checksum"), e.getMessage());
                }
            }
        }
        assertTrue(errors > 0, errors + " errors, " + loaded + " loaded");
    }

    @Test
    void nonFiniteWeightsAreNeitherSavedNorLoaded() throws IOException {
        Path p = dir.resolve("model.bp");
        Sequential m = model();
        ModelFile.save(p, saved(m));
        byte[] before = Files.readAllBytes(p);
        ((Linear) m.layers().get(0)).weight().floats()[3] = Float.NaN;
        ModelFileException e = assertThrows(ModelFileException.class, () -> ModelFile.save(p, saved(m)));
        assertEquals(p + ": not written: tensor '0.weight' holds NaN at element 3 (training diverged?); an existing file is left "
                + "as it was", e.getMessage());
        assertArrayEquals(before, Files.readAllBytes(p));

        // A file with NaN weights and no checksum (another tool's): refused on load, naming the tensor.
        Safetensors.Contents good = Safetensors.read(p);
        Map<String, String> meta = new LinkedHashMap<>(good.metadata());
        meta.remove(ModelFile.CHECKSUM_KEY);
        Map<String, Tensor> tensors = new LinkedHashMap<>(good.tensors());
        Tensor bad = tensors.get("4.bias").copy();
        bad.floats()[1] = Float.POSITIVE_INFINITY;
        tensors.put("4.bias", bad);
        Path other = dir.resolve("other.bp");
        Safetensors.write(other, meta, tensors);
        ModelFileException load = assertThrows(ModelFileException.class, () -> ModelFile.load(other));
        assertEquals(other + ": refused: tensor '4.bias' holds Infinity at element 1; a model with non-finite weights predicts "
                + "nothing", load.getMessage());
        tensors.put("4.bias", good.tensors().get("4.bias"));
        Safetensors.write(other, meta, tensors);
        assertEquals(List.of(other + " carries no checksum (written by another tool, or by an earlier backprop): its tensors are "
                + "not verified"), ModelFile.load(other).notes());
        assertEquals(List.of(), ModelFile.load(p).notes());
    }

    @Test
    void everyTruncationIsACleanError() throws IOException {
        Path p = dir.resolve("model.bp");
        ModelFile.save(p, saved(model()));
        byte[] good = Files.readAllBytes(p);
        Path cut = dir.resolve("cut.bp");
        for (int len = 0; len < good.length; len++) {
            Files.write(cut, Arrays.copyOf(good, len));
            ModelFileException e = assertThrows(ModelFileException.class, () -> ModelFile.load(cut), "length " + len);
            assertTrue(e.getMessage().startsWith(cut + ": truncated: "), len + ": " + e.getMessage());
        }
        Files.write(cut, Arrays.copyOf(good, good.length - 3));
        assertEquals(cut + ": truncated: header says 232 bytes of tensor data, file has 229",
                assertThrows(ModelFileException.class, () -> ModelFile.load(cut)).getMessage());
    }

    @Test
    void failedWriteLeavesTheTargetUntouched() throws IOException {
        Path p = dir.resolve("model.bp");
        ModelFile.save(p, saved(model()));
        byte[] before = Files.readAllBytes(p);
        SavedModel other = SavedModel.builder(new Linear(5, 5, new SplittableRandom(2)), Provenance.now(null, null)).build();

        ModelFileException e = assertThrows(ModelFileException.class, () -> ModelFile.save(p, other, name -> {
            if (name.equals("weight")) throw new IOException("No space left on device");
        }));
        assertEquals(p + ": cannot write: No space left on device", e.getMessage());
        assertArrayEquals(before, Files.readAllBytes(p));
        assertThrows(IllegalStateException.class, () -> ModelFile.save(p, other, name -> {
            throw new IllegalStateException("a bug midway");
        }));
        assertArrayEquals(before, Files.readAllBytes(p));
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(List.of(p), files.toList(), "no temporary file is left behind");
        }

        // The final rename failing (the target is a directory) also leaves nothing behind.
        Path sub = Files.createDirectory(dir.resolve("sub.bp"));
        Files.writeString(sub.resolve("keep"), "x");
        assertEquals(sub + ": cannot write: is a directory",
                assertThrows(ModelFileException.class, () -> ModelFile.save(sub, other)).getMessage());
        assertEquals(dir.resolve("nowhere") + "/m.bp: cannot write: the directory " + dir.resolve("nowhere") + " does not exist",
                assertThrows(ModelFileException.class, () -> ModelFile.save(dir.resolve("nowhere").resolve("m.bp"), other)).getMessage());
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(2, files.count());
        }

        ModelFile.save(p, other);                                // and a successful save replaces it
        assertEquals(other.module().config(), ModelFile.load(p).module().config());
    }

    private Path write(String name, Map<String, String> meta, Map<String, Tensor> tensors) throws IOException {
        Path p = dir.resolve(name);
        Safetensors.write(p, meta, tensors);
        return p;
    }

    private static Map<String, String> meta(String architecture) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("format", "backprop-model");
        m.put("format_version", "1");
        m.put("architecture", architecture);
        m.put("training", "{}");
        m.put("provenance", "{}");
        return m;
    }

    private static String problem(Path p) {
        ModelFileException e = assertThrows(ModelFileException.class, () -> ModelFile.load(p));
        assertTrue(e.getMessage().startsWith(p + ": "), e.getMessage());
        return e.problem();
    }

    @Test
    void tensorsAreCheckedAgainstTheArchitecture() throws IOException {
        String linear = "{\"type\":\"linear\",\"in\":2,\"out\":2,\"bias\":true}";
        Tensor w = Tensor.ones(2, 2), b = Tensor.zeros(2);
        assertEquals("tensor 'bias' is missing (the architecture needs one of shape [2])",
                problem(write("a.bp", meta(linear), Map.of("weight", w))));
        assertEquals("tensor 'extra' is not part of the architecture",
                problem(write("b.bp", meta(linear), Map.of("weight", w, "bias", b, "extra", b))));
        assertEquals("tensor 'weight' has shape [2, 3], the architecture needs [2, 2]",
                problem(write("c.bp", meta(linear), Map.of("weight", Tensor.ones(2, 3), "bias", b))));
        assertEquals("tensor 'optimizer.m' belongs to an optimizer, but there is no 'optimizer' metadata",
                problem(write("d.bp", meta(linear), Map.of("weight", w, "bias", b, "optimizer.m", b))));
        startsWith("metadata 'architecture': unknown module type \"conv2d\" (known: ",
                problem(write("e.bp", meta("{\"type\":\"conv2d\"}"), Map.of())));
        startsWith("metadata 'architecture': invalid JSON at line 1, column 2",
                problem(write("f.bp", meta("{linear}"), Map.of())));
        assertEquals("metadata 'architecture': in must be from 1 to 16777216, got -2",
                problem(write("g.bp", meta("{\"type\":\"linear\",\"in\":-2,\"out\":2}"), Map.of())));
        assertEquals("metadata 'architecture': dropout: p must be in [0, 1), got 1.5",
                problem(write("h.bp", meta("{\"type\":\"dropout\",\"p\":1.5}"), Map.of())));
        Map<String, String> noTraining = meta(linear);
        noTraining.remove("training");
        assertEquals("metadata 'training' is missing", problem(write("i.bp", noTraining, Map.of("weight", w, "bias", b))));
        Map<String, String> badProvenance = meta(linear);
        badProvenance.put("provenance", "{\"seed\": \"seven\"}");
        assertEquals("metadata 'provenance': seed must be a whole number, got seven",
                problem(write("j.bp", badProvenance, Map.of("weight", w, "bias", b))));
        Map<String, String> array = meta(linear);
        array.put("loss", "[1]");
        assertEquals("metadata 'loss': expected a JSON object, got an array of 1", problem(write("k.bp", array, Map.of("weight", w, "bias", b))));
    }

    @Test
    void whatCannotBeReadBackIsNotWritten() throws IOException {
        Linear l = new Linear(1, 1, new SplittableRandom(1));
        Object deep = 1;
        for (int i = 0; i < 63; i++) deep = List.of(deep);
        Path p = dir.resolve("deep.bp");
        ModelFile.save(p, SavedModel.builder(l, Provenance.now(null, null)).training(Map.of("deep", deep)).build());
        assertEquals(Map.of("deep", deep), ModelFile.load(p).training(), "64 levels, the root included: the reader's limit");
        Object deeper = List.of(deep);
        assertThrows(IllegalArgumentException.class,
                () -> ModelFile.save(p, SavedModel.builder(l, Provenance.now(null, null)).training(Map.of("deep", deeper)).build()));
        String huge = "x".repeat(Json.MAX_STRING_LENGTH);
        assertThrows(IllegalArgumentException.class,
                () -> ModelFile.save(p, SavedModel.builder(l, Provenance.now(null, null)).training(Map.of("huge", huge)).build()));
        Map<String, String> m = meta("{\"type\":\"relu\"}");
        m.put("optimizer", "{\"type\":\"sgd\",\"steps\":1}");
        assertEquals("tensor 'optimizer.' has no name after the prefix", problem(write("o.bp", m, Map.of("optimizer.", Tensor.ones(1)))));
        m.put("optimizer", "{\"type\":\"sgd\",\"steps\":-1}");
        assertEquals("metadata 'optimizer': steps must be a whole number >= 0, got -1", problem(write("p.bp", m, Map.of())));
        m.put("optimizer", "{\"type\":\"sgd\",\"steps\":1,\"hyper_parameters\":{\"lr\":\"fast\"}}");
        assertEquals("metadata 'optimizer': hyper_parameters.lr must be a number, got fast", problem(write("q.bp", m, Map.of())));
    }

    @Test
    void otherFilesAreNotModels() throws IOException {
        Path csv = dir.resolve("data.csv");
        Files.writeString(csv, "x1,x2,y\n0.1,0.2,1\n");
        startsWith("not a model file: neither a JSON network spec (which starts with '{') nor a safetensors file", problem(csv));
        Path plain = write("plain.safetensors", Map.of(), Map.of("embedding", Tensor.ones(3, 2)));
        assertEquals("not a backprop model file: a safetensors file without backprop's metadata (no \"format\": "
                + "\"backprop-model\"); Safetensors.read reads its tensors", problem(plain));
        assertEquals(Map.of("embedding", List.of(3, 2)), Map.of("embedding",
                Arrays.stream(Safetensors.read(plain).tensors().get("embedding").shape().dims()).boxed().toList()));
        Path other = write("other.safetensors", Map.of("format", "pt"), Map.of());
        assertEquals("not a backprop model file: format is 'pt', expected 'backprop-model'", problem(other));
        Map<String, String> newer = meta("{\"type\":\"relu\"}");
        newer.put("format_version", "2");
        assertEquals("format_version 2 was written by a newer backprop; this one reads version 1 (upgrade to read it)",
                problem(write("newer.bp", newer, Map.of())));
        Path empty = Files.createFile(dir.resolve("empty.bp"));
        assertEquals("truncated: 0 bytes, but a safetensors file starts with an 8-byte header length (the file is empty)", problem(empty));
        assertEquals("cannot open: no such file", problem(dir.resolve("absent.bp")));
    }

    @Test
    void loadsAJsonSpecAsAModel() throws IOException {
        Path spec = dir.resolve("net.json");
        Files.writeString(spec, "\n  {\"inputs\": 2, \"loss\": \"half-sse\", \"seed\": 5, \"layers\": [{\"units\": 1, \"activation\": "
                + "\"sigmoid\", \"weights\": [[0.5, -0.25]], \"biases\": [0.125]}]}");
        SavedModel m = ModelFile.load(spec);
        assertEquals(Map.of("name", "half-sse"), m.loss());
        assertEquals(5L, m.provenance().seed());
        assertArrayEquals(new float[] {0.5f, -0.25f}, ((Linear) ((Sequential) m.module()).layers().get(0)).weight().floats());
        Files.writeString(spec, "{\"inputs\": 2,\n \"layers\": [}");
        assertEquals("invalid JSON at line 2, column 13: Unexpected close marker '}': expected ']' (for Array starting at [line: 2, column: 12])",
                problem(spec));
    }

    @Test
    void saveRefusesAModuleItsConfigCannotRebuild() {
        Module odd = new Module() {
            {
                registerParameter("w", Tensor.ones(2));
            }

            @Override
            public Tensor forward(Tensor x, Mode mode) {
                return x;
            }

            @Override
            public Map<String, Object> config() {
                return Map.of("type", "relu");
            }
        };
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ModelFile.save(dir.resolve("odd.bp"), SavedModel.builder(odd, Provenance.now(null, null)).build()));
        assertTrue(e.getMessage().contains("its type's stateShapes and the module disagree"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ModelFile.save(dir.resolve("x.bp"),
                SavedModel.builder(new Linear(1, 1, new SplittableRandom(1)), Provenance.now(null, null)).training(Map.of("when", new Object())).build()));
    }

    private static void startsWith(String prefix, String actual) {
        SafetensorsTest.startsWith(prefix, actual);
    }
}
