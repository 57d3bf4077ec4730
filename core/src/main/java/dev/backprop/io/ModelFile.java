package dev.backprop.io;

import com.fasterxml.jackson.databind.JsonNode;
import dev.backprop.nn.Module;
import dev.backprop.nn.ModuleTypes;
import dev.backprop.tensor.Shape;
import dev.backprop.tensor.Tensor;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A trained model in one file: a valid <a href="https://github.com/huggingface/safetensors">safetensors</a> file
 * (so any safetensors reader gets the tensors) whose {@code __metadata__} holds, as JSON strings:
 *
 * <table>
 *   <caption>metadata keys</caption>
 *   <tr><td>{@code format}</td><td>{@code "backprop-model"}</td></tr>
 *   <tr><td>{@code format_version}</td><td>{@code "1"}</td></tr>
 *   <tr><td>{@code architecture}</td><td>the root module's {@link Module#config()}</td></tr>
 *   <tr><td>{@code loss}</td><td>the loss's config (optional)</td></tr>
 *   <tr><td>{@code preprocessing}</td><td>how inputs are prepared (optional, opaque)</td></tr>
 *   <tr><td>{@code training}</td><td>the training configuration</td></tr>
 *   <tr><td>{@code provenance}</td><td>{@code {"library_version", "created", "seed", "data_source"}}</td></tr>
 *   <tr><td>{@code optimizer}</td><td>{@code {"type", "hyper_parameters", "steps"}} (optional; its tensors are
 *       stored as {@code "optimizer." + name})</td></tr>
 *   <tr><td>{@code trainer}</td><td>resume information such as epoch and history (optional, opaque)</td></tr>
 * </table>
 *
 * The model's parameters and buffers are stored under their {@link Module#stateDict()} names ({@code "0.weight"},
 * ...), float32 as float32, so they round-trip bit for bit (NaN payloads and −0.0 included).
 *
 * <pre>{@code
 * ModelFile.save(Path.of("model.bp"), SavedModel.builder(net, Provenance.now(7L, "data.csv")).loss(Map.of("name", "mse"))
 *         .training(Map.of("lr", 0.1)).build());
 * SavedModel m = ModelFile.load(Path.of("model.bp"));   // m.module().forward(x)
 * }</pre>
 *
 * <p>{@link #load} checks the safetensors layer (see {@link Safetensors}), then compares the tensors the file holds
 * with those the architecture needs ({@link ModuleTypes#stateShapes}) before it builds the module: a missing, extra or
 * wrongly shaped tensor is an error naming it. A file that starts with <code>'{'</code> is read as a JSON
 * {@link NetworkSpec}, since a spec with weights is a model too: its loss becomes {@code {"name": loss}}, its training
 * configuration {@code {"seed": seed, "init": init}}, its provenance has the file's modification time, the spec's seed
 * and no library version or data source, and it has no preprocessing, optimizer or trainer. Every problem is a {@link ModelFileException} with a
 * one-line message naming the file. {@link #save} is atomic: a failure leaves an existing file untouched.
 */
public final class ModelFile {
    /** The value of the {@code format} metadata. */
    public static final String FORMAT = "backprop-model";
    /** The format version this library writes and reads. */
    public static final int FORMAT_VERSION = 1;
    /**
     * The metadata key of the file's CRC-32C (8 hex digits) over its metadata (less this entry) and its tensor data:
     * verified on load, so that a damaged or edited file is named as such rather than used. Other tools read the file
     * as plain safetensors and ignore the entry.
     */
    public static final String CHECKSUM_KEY = "crc32c";

    /** The prefix of the optimizer's tensors. */
    public static final String OPTIMIZER_PREFIX = "optimizer.";

    private ModelFile() {}

    /**
     * Writes {@code model} to {@code file}, replacing it atomically.
     *
     * @throws IllegalArgumentException when the module could not be loaded again: its config names a type that is not
     *                                  registered ({@link ModuleTypes#register}), or does not describe the tensors the
     *                                  module holds; or a map holds something that is not JSON data
     * @throws ModelFileException       when the file cannot be written
     */
    public static void save(Path file, SavedModel model) throws ModelFileException {
        save(file, model, Safetensors.WriteHook.NONE);
    }

    static void save(Path file, SavedModel model, Safetensors.WriteHook hook) throws ModelFileException {
        Module module = model.module();
        Map<String, Object> architecture = module.config();
        Map<String, Tensor> state = module.stateDict();
        checkRebuildable(architecture, state);

        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("format", FORMAT);
        meta.put("format_version", Integer.toString(FORMAT_VERSION));
        meta.put("architecture", Json.write(architecture, "architecture"));
        if (model.loss() != null) meta.put("loss", Json.write(model.loss(), "loss"));
        if (model.preprocessing() != null) meta.put("preprocessing", Json.write(model.preprocessing(), "preprocessing"));
        meta.put("training", Json.write(model.training(), "training"));
        meta.put("provenance", Json.write(model.provenance().toMap(), "provenance"));
        Map<String, Tensor> tensors = new LinkedHashMap<>(state);
        SavedOptimizer opt = model.optimizer();
        if (opt != null) {
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("type", opt.type());
            o.put("hyper_parameters", opt.hyperParameters());
            o.put("steps", opt.steps());
            meta.put("optimizer", Json.write(o, "optimizer"));
            for (var e : opt.tensors().entrySet()) tensors.put(OPTIMIZER_PREFIX + e.getKey(), e.getValue());
        }
        if (model.trainer() != null) meta.put("trainer", Json.write(model.trainer(), "trainer"));
        String bad = Safetensors.firstNonFinite(tensors);
        if (bad != null) {
            throw new ModelFileException(file.toString(), "not written: " + bad + " (training diverged?); an existing file is left as it was");
        }
        meta.put(CHECKSUM_KEY, Safetensors.crc32c(meta, CHECKSUM_KEY, tensors));
        Safetensors.write(file, meta, tensors, hook);
    }

    private static void checkRebuildable(Map<String, Object> architecture, Map<String, Tensor> state) {
        Map<String, Shape> expected;
        try {
            expected = ModuleTypes.stateShapes(architecture);
        } catch (ModelFileException e) {
            throw new IllegalArgumentException("save: the module could not be loaded again: " + e.getMessage(), e);
        }
        boolean same = expected.keySet().equals(state.keySet());
        for (var e : state.entrySet()) {
            if (e.getKey().startsWith(OPTIMIZER_PREFIX)) {
                throw new IllegalArgumentException("save: the module has a tensor '" + e.getKey() + "', a name reserved for the optimizer");
            }
            same &= e.getValue().shape().equals(expected.get(e.getKey()));
        }
        if (!same) {
            throw new IllegalArgumentException("save: the module's config describes tensors " + expected
                    + " but it holds " + shapes(state) + "; its type's stateShapes and the module disagree");
        }
    }

    private static Map<String, Shape> shapes(Map<String, Tensor> state) {
        Map<String, Shape> out = new LinkedHashMap<>();
        state.forEach((k, v) -> out.put(k, v.shape()));
        return out;
    }

    /**
     * Reads a model file (or a JSON network spec, see the class comment), checking everything before it allocates
     * the model.
     *
     * @throws ModelFileException naming the file and the problem: not a model file, truncated, corrupt, a tensor
     *                            missing or of the wrong shape, an unknown format version, an I/O error
     */
    public static SavedModel load(Path file) throws ModelFileException {
        String source = file.toString();
        try (FileChannel ch = Safetensors.open(file, source)) {
            long size = ch.size();
            ByteBuffer start = ByteBuffer.allocate((int) Math.min(size, 64));
            while (start.hasRemaining() && ch.read(start, start.position()) >= 0) {
                // fill the first bytes: enough to tell JSON text from a safetensors header length
            }
            byte[] first = Arrays.copyOf(start.array(), start.position());
            if (isJsonText(first, size)) {
                NetworkSpec spec = NetworkSpec.parse(Json.utf8(NetworkSpec.readBounded(ch, source), source, null), source);
                String modified = Files.getLastModifiedTime(file).toInstant().toString();
                return spec.toSavedModel(new Provenance(null, modified, spec.seed(), null));
            }
            if (size >= 8) {
                long n = ByteBuffer.wrap(first, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
                if (n < 0 || n > Safetensors.MAX_HEADER_BYTES) {
                    throw new ModelFileException(source, "not a model file: neither a JSON network spec (which starts "
                            + "with '{') nor a safetensors file (its first 8 bytes, read as the header length, give "
                            + Long.toUnsignedString(n) + ", more than the " + Safetensors.MAX_HEADER_BYTES + " allowed)");
                }
            }
            return load(ch, source);
        } catch (ModelFileException e) {
            throw e;
        } catch (IOException e) {
            throw Safetensors.ioFailure(source, "cannot read", e);
        }
    }

    /**
     * JSON when the first non-blank byte is <code>'{'</code> and the first 8 bytes are not a plausible safetensors header
     * length (a safetensors file may begin with the byte <code>'{'</code>, 123 being a possible low byte of its length,
     * but then the following bytes are zeros, which text never holds).
     */
    private static boolean isJsonText(byte[] first, long size) {
        if (Safetensors.plausibleHeaderLength(first, size) >= 0) return false;
        int i = 0;
        if (first.length >= 3 && (first[0] & 0xff) == 0xEF && (first[1] & 0xff) == 0xBB && (first[2] & 0xff) == 0xBF) {
            i = 3;      // a UTF-8 byte-order mark, as some editors write
        }
        for (; i < first.length; i++) {
            byte b = first[i];
            if (b == '{') return true;
            if (b != ' ' && b != '\t' && b != '\r' && b != '\n') return false;
        }
        return false;
    }

    private static SavedModel load(FileChannel ch, String source) throws IOException {
        Safetensors.Header header = Safetensors.readHeader(ch, source);
        Map<String, String> meta = header.metadata();
        String format = meta.get("format");
        if (format == null) {
            throw new ModelFileException(source, "not a backprop model file: a safetensors file without backprop's "
                    + "metadata (no \"format\": \"" + FORMAT + "\"); Safetensors.read reads its tensors");
        }
        if (!format.equals(FORMAT)) {
            throw new ModelFileException(source, "not a backprop model file: format is '" + Messages.clean(format, 40)
                    + "', expected '" + FORMAT + "'");
        }
        checkVersion(meta.get("format_version"), source);

        Map<String, Object> architecture = object(meta, "architecture", true, source);
        Map<String, Shape> expected;
        try {
            expected = ModuleTypes.stateShapes(architecture);
        } catch (ModelFileException e) {
            throw new ModelFileException(source, "metadata 'architecture': " + Messages.clean(e.problem(), 300), e);
        }
        Map<String, Object> loss = object(meta, "loss", false, source);
        Map<String, Object> preprocessing = object(meta, "preprocessing", false, source);
        Map<String, Object> training = object(meta, "training", true, source);
        Provenance provenance = Provenance.fromMap(object(meta, "provenance", true, source), source);
        Map<String, Object> optimizerMeta = object(meta, "optimizer", false, source);
        Map<String, Object> trainer = object(meta, "trainer", false, source);

        // The file's tensors against the architecture's, before anything is allocated.
        List<Safetensors.Entry> modelEntries = new ArrayList<>(), optimizerEntries = new ArrayList<>();
        for (Safetensors.Entry e : header.entries().values()) {
            if (e.name().startsWith(OPTIMIZER_PREFIX)) {
                if (optimizerMeta == null) {
                    throw new ModelFileException(source, "tensor '" + Messages.clean(e.name(), 80) + "' belongs to an optimizer, "
                            + "but there is no 'optimizer' metadata");
                }
                if (e.name().length() == OPTIMIZER_PREFIX.length()) {
                    throw new ModelFileException(source, "tensor '" + OPTIMIZER_PREFIX + "' has no name after the prefix");
                }
                optimizerEntries.add(e);
                continue;
            }
            Shape want = expected.get(e.name());
            if (want == null) {
                throw new ModelFileException(source, "tensor '" + Messages.clean(e.name(), 80) + "' is not part of the architecture");
            }
            if (!want.equals(e.shape())) {
                throw new ModelFileException(source, "tensor '" + Messages.clean(e.name(), 80) + "' has shape " + e.shape()
                        + ", the architecture needs " + want);
            }
            modelEntries.add(e);
        }
        for (var e : expected.entrySet()) {
            if (!header.entries().containsKey(e.getKey())) {
                throw new ModelFileException(source, "tensor '" + Messages.clean(e.getKey(), 80) + "' is missing (the architecture "
                        + "needs one of shape " + e.getValue() + ")");
            }
        }
        Safetensors.checkHeap(header.entries().values(), source, 2);
        List<String> notes = new ArrayList<>();
        long dataBytes = ch.size() - header.dataStart();
        String stored = meta.get(CHECKSUM_KEY);
        if (stored == null) {
            notes.add(source + " carries no checksum (written by another tool, or by an earlier backprop): its tensors are not verified");
        } else {
            String actual = Safetensors.crc32c(meta, CHECKSUM_KEY, ch, header.dataStart(), dataBytes);
            if (!actual.equalsIgnoreCase(stored)) {
                throw new ModelFileException(source, "corrupt: the file does not match its checksum (CRC-32C " + actual + ", the file "
                        + "says " + Messages.clean(stored, 20) + "); it was damaged or changed after it was written");
            }
        }

        Module module;
        try {
            module = ModuleTypes.fromConfig(architecture);
        } catch (ModelFileException e) {
            throw new ModelFileException(source, "metadata 'architecture': " + Messages.clean(e.problem(), 300), e);
        } catch (IllegalArgumentException | IllegalStateException e) {
            throw new ModelFileException(source, "metadata 'architecture': " + Messages.clean(String.valueOf(e.getMessage()), 300), e);
        }
        Map<String, Tensor> state = new LinkedHashMap<>();
        for (Safetensors.Entry e : modelEntries) state.put(e.name(), Safetensors.readTensor(ch, header, e, source));
        String bad = Safetensors.firstNonFinite(state);
        if (bad != null) throw new ModelFileException(source, "refused: " + bad + "; a model with non-finite weights predicts nothing");
        try {
            module.loadStateDict(state);
        } catch (IllegalArgumentException e) {
            throw new ModelFileException(source, "metadata 'architecture' does not fit the tensors: " + Messages.clean(e.getMessage(), 300), e);
        }

        SavedOptimizer optimizer = null;
        if (optimizerMeta != null) {
            Map<String, Tensor> tensors = new LinkedHashMap<>();
            for (Safetensors.Entry e : optimizerEntries) {
                tensors.put(e.name().substring(OPTIMIZER_PREFIX.length()), Safetensors.readTensor(ch, header, e, source));
            }
            String badState = Safetensors.firstNonFinite(tensors);
            if (badState != null) throw new ModelFileException(source, "refused: the optimizer's " + badState);
            optimizer = optimizer(optimizerMeta, tensors, source);
        }
        return SavedModel.builder(module, provenance).loss(loss).preprocessing(preprocessing).training(training)
                .optimizer(optimizer).trainer(trainer).notes(notes).build();
    }

    private static void checkVersion(String version, String source) throws ModelFileException {
        if (version == null) throw new ModelFileException(source, "metadata 'format_version' is missing");
        int v;
        try {
            v = Integer.parseInt(version.strip());
        } catch (NumberFormatException e) {
            throw new ModelFileException(source, "metadata 'format_version' is '" + Messages.clean(version, 20) + "', not a whole number");
        }
        if (v > FORMAT_VERSION) {
            throw new ModelFileException(source, "format_version " + v + " was written by a newer backprop; this one reads "
                    + "version " + FORMAT_VERSION + " (upgrade to read it)");
        }
        if (v < 1) throw new ModelFileException(source, "metadata 'format_version' is " + v + ", which no backprop writes");
    }

    /** The metadata value {@code key}, parsed as a JSON object; null when absent and not required. */
    private static Map<String, Object> object(Map<String, String> meta, String key, boolean required, String source)
            throws ModelFileException {
        String text = meta.get(key);
        if (text == null) {
            if (required) throw new ModelFileException(source, "metadata '" + key + "' is missing");
            return null;
        }
        JsonNode node = Json.parse(text, source, "metadata '" + key + "'");
        if (!node.isObject()) {
            throw new ModelFileException(source, "metadata '" + key + "': expected a JSON object, got " + Json.describe(node));
        }
        return Json.toPlainMap(node);
    }

    private static SavedOptimizer optimizer(Map<String, Object> o, Map<String, Tensor> tensors, String source)
            throws ModelFileException {
        if (!(o.get("type") instanceof String type) || type.isBlank()) {
            throw new ModelFileException(source, "metadata 'optimizer': type must be a non-empty string");
        }
        if (!(o.get("steps") instanceof Number steps) || !(steps instanceof Integer || steps instanceof Long) || steps.longValue() < 0) {
            throw new ModelFileException(source, "metadata 'optimizer': steps must be a whole number >= 0, got "
                    + Messages.clean(String.valueOf(o.get("steps")), 40));
        }
        Map<String, Double> hyper = new LinkedHashMap<>();
        if (o.get("hyper_parameters") instanceof Map<?, ?> h) {
            for (var e : h.entrySet()) {
                Double v = switch (e.getValue()) {
                    case Number n -> n.doubleValue();
                    case String s when s.equals("NaN") -> Double.NaN;
                    case String s when s.equals("Infinity") -> Double.POSITIVE_INFINITY;
                    case String s when s.equals("-Infinity") -> Double.NEGATIVE_INFINITY;
                    case null, default -> throw new ModelFileException(source, "metadata 'optimizer': hyper_parameters."
                            + Messages.clean(String.valueOf(e.getKey()), 40) + " must be a number, got " + Messages.clean(String.valueOf(e.getValue()), 40));
                };
                hyper.put((String) e.getKey(), v);
            }
        } else if (o.get("hyper_parameters") != null) {
            throw new ModelFileException(source, "metadata 'optimizer': hyper_parameters must be an object");
        }
        return new SavedOptimizer(type, hyper, steps.longValue(), tensors);
    }
}
