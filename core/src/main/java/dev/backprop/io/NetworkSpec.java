package dev.backprop.io;

import com.fasterxml.jackson.databind.JsonNode;
import dev.backprop.init.Init;
import dev.backprop.nn.Activation;
import dev.backprop.nn.Linear;
import dev.backprop.nn.Module;
import dev.backprop.nn.Sequential;
import dev.backprop.tensor.DType;
import dev.backprop.tensor.Tensor;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * A network written by hand in JSON: its layers, and optionally their weights, biases, loss and seed.
 *
 * <pre>{@code
 * {"inputs": 2, "loss": "half-sse", "seed": 7, "init": "uniform",
 *  "layers": [{"units": 2, "activation": "sigmoid", "weights": [[0.25, 0.15], [0.35, 0.28]], "biases": [0.45, 0.45]},
 *             {"units": 2, "activation": "sigmoid"}]}
 * }</pre>
 *
 * <pre>{@code
 * NetworkSpec spec = NetworkSpec.parse(Path.of("net.json"));
 * Tensor out = spec.module().forward(x);                        // x: [batch, spec.inputs()]
 * Files.writeString(path, NetworkSpec.toJson(spec.module(), spec.loss()));
 * }</pre>
 *
 * <ul>
 *   <li>{@code inputs} (required): the number of input features.</li>
 *   <li>{@code layers} (required, at least one): each becomes a {@link Linear} followed by an {@link Activation}
 *       (identity included, so spec layer {@code k} is always modules {@code 2k} and {@code 2k + 1}, and its
 *       tensors are {@code "2k.weight"} and {@code "2k.bias"}). {@code units} (required, at least 1);
 *       {@code activation} (required): {@code sigmoid, tanh, relu, leaky_relu} (slope 0.01, or {@code "slope"}),
 *       {@code elu} ({@code "alpha"}, default 1), {@code gelu, softmax, linear}; {@code weights}: {@code [units][inputs
 *       of the layer]}, {@code weights[j][i]} connecting input i to unit j (the {@link Linear} layout);
 *       {@code biases}: {@code [units]}.</li>
 *   <li>{@code seed} (default 0) and {@code init}: omitted weights are drawn from {@code init} ({@code uniform} =
 *       uniform(0, 1) as the seeds' examples draw them, {@code xavier} = Xavier-uniform, {@code he} = He-normal, or
 *       {@code xavier_uniform, xavier_normal, he_uniform, he_normal}), by default from the activation's own
 *       {@link Activation.Kind#defaultInit()}; omitted biases are 0. Each layer draws from its own generator split
 *       off {@code new SplittableRandom(seed)}, so giving one layer's weights does not change another's.</li>
 *   <li>{@code loss} (optional): {@code half-sse, mse, mae, huber, cross-entropy} (needs a softmax last layer;
 *       targets are class indices), {@code bce} (needs a sigmoid last layer).</li>
 * </ul>
 *
 * <p>Any other key is an error (a misspelt key would otherwise be silently ignored). Errors are
 * {@link ModelFileException}s (the same type as for model files, since {@link ModelFile#load} reads specs too) with
 * one-line messages naming the file, then for a syntax error the line and column, for a content error the JSON path:
 * {@code net.json: layers[1].weights: expected 2 rows of 2 numbers (units x inputs), got a row of 3 at
 * layers[1].weights[0]}.
 *
 * @param source the file name (or the name given to {@link #parse(String, String)})
 * @param inputs the number of input features
 * @param loss   the loss's name, or null when the spec names none
 * @param seed   the seed of the omitted weights (0 by default)
 * @param init   the spec-level initialiser's name, or null for each activation's default
 * @param module Linear and Activation pairs, one pair per spec layer
 */
public record NetworkSpec(String source, int inputs, String loss, long seed, String init, Sequential module) {
    /** The loss names a spec accepts (those of the loss package). */
    public static final List<String> LOSSES = List.of("half-sse", "mse", "mae", "huber", "cross-entropy", "bce");
    /** The values of {@code "init"}. */
    public static final List<String> INITS = List.of("uniform", "xavier", "he", "xavier_uniform", "xavier_normal",
            "he_uniform", "he_normal");
    /** Largest spec file read, in bytes. */
    public static final long MAX_BYTES = 100_000_000L;

    /**
     * Checks the fields.
     *
     * @throws NullPointerException     if {@code source} or {@code module} is null
     * @throws IllegalArgumentException if {@code inputs < 1}
     */
    public NetworkSpec {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(module, "module");
        if (inputs < 1) throw new IllegalArgumentException("spec: inputs must be >= 1, got " + inputs);
    }

    private static final int MAX_UNITS = 1 << 24;
    private static final long MAX_ELEMENTS = Integer.MAX_VALUE - 8;
    private static final Set<String> KEYS = Set.of("inputs", "loss", "seed", "init", "layers");
    private static final Set<String> LAYER_KEYS = Set.of("units", "activation", "weights", "biases", "slope", "alpha");

    /** Reads and builds the spec in {@code file} (UTF-8 JSON). */
    public static NetworkSpec parse(Path file) throws ModelFileException {
        String source = file.toString();
        try (FileChannel ch = Safetensors.open(file, source)) {
            return parse(Json.utf8(readBounded(ch, source), source, null), source);
        } catch (ModelFileException e) {
            throw e;
        } catch (IOException e) {
            throw Safetensors.ioFailure(source, "cannot read", e);
        }
    }

    /** The whole file, refusing one over {@link #MAX_BYTES} without reading it. */
    static byte[] readBounded(FileChannel ch, String source) throws IOException {
        long size = ch.size();
        if (size > MAX_BYTES) {
            throw new ModelFileException(source, "a JSON network spec of " + size + " bytes is more than the " + MAX_BYTES + " allowed");
        }
        ByteBuffer buf = ByteBuffer.allocate((int) size);
        while (buf.hasRemaining()) {
            if (ch.read(buf, buf.position()) < 0) break;     // the file shrank while being read: parse what is there
        }
        return buf.position() == buf.capacity() ? buf.array() : Arrays.copyOf(buf.array(), buf.position());
    }

    /**
     * Parses and builds a spec from JSON text; {@code sourceName} names it in messages.
     *
     * @throws ModelFileException on a syntax error (with line and column) or invalid content (with the JSON path)
     */
    public static NetworkSpec parse(String json, String sourceName) throws ModelFileException {
        String source = sourceName;
        if (json.startsWith("\uFEFF")) json = json.substring(1);    // a byte-order mark some editors write
        JsonNode root = Json.parse(json, source, null);
        if (!root.isObject()) {
            throw new ModelFileException(source, "expected a JSON object with \"inputs\" and \"layers\", got " + Json.describe(root));
        }
        unknownKeys(root, KEYS, "", source);
        int inputs = whole(root, "inputs", "inputs", source, "the number of input features");
        String loss = null;
        if (root.has("loss")) {
            loss = text(root.get("loss"), "loss", source);
            if (!LOSSES.contains(loss)) {
                throw new ModelFileException(source, "loss: unknown loss '" + Messages.clean(loss, 40) + "'; expected one of "
                        + String.join(", ", LOSSES));
            }
        }
        long seed = 0;
        if (root.has("seed")) {
            JsonNode s = root.get("seed");
            if (!s.isIntegralNumber() || !s.canConvertToLong()) {
                throw new ModelFileException(source, "seed: expected a whole number, got " + Json.describe(s));
            }
            seed = s.longValue();
        }
        String init = null;
        if (root.has("init")) {
            init = text(root.get("init"), "init", source);
            if (!INITS.contains(init)) {
                throw new ModelFileException(source, "init: unknown initialiser '" + Messages.clean(init, 40) + "'; expected one of "
                        + String.join(", ", INITS));
            }
        }
        JsonNode layersNode = root.get("layers");
        if (layersNode == null) throw new ModelFileException(source, "layers: missing (a list of {\"units\", \"activation\"} objects)");
        if (!layersNode.isArray() || layersNode.isEmpty()) {
            throw new ModelFileException(source, "layers: expected a non-empty array of layers, got " + Json.describe(layersNode));
        }

        // Read and check every layer before allocating any parameter.
        List<LayerSpec> layers = new ArrayList<>();
        int fanIn = inputs;
        long elements = 0;
        for (int k = 0; k < layersNode.size(); k++) {
            LayerSpec l = layer(layersNode.get(k), "layers[" + k + "]", fanIn, source);
            layers.add(l);
            elements += (long) l.units * fanIn + l.units;
            fanIn = l.units;
        }
        String no = dev.backprop.tensor.Memory.shortfall(elements * 4, "the network's " + elements + " parameters");
        if (no != null) throw new ModelFileException(source, no);
        LayerSpec last = layers.getLast();
        String lastPath = "layers[" + (layers.size() - 1) + "].activation";
        if ("cross-entropy".equals(loss) && last.kind != Activation.Kind.SOFTMAX) {
            throw new ModelFileException(source, "loss: cross-entropy needs a softmax last layer (its targets are class "
                    + "indices), but " + lastPath + " is " + last.kind.id());
        }
        if ("bce".equals(loss) && last.kind != Activation.Kind.SIGMOID) {
            throw new ModelFileException(source, "loss: bce needs a sigmoid last layer (its targets are 0 or 1), but "
                    + lastPath + " is " + last.kind.id());
        }

        SplittableRandom master = new SplittableRandom(seed);
        List<Module> modules = new ArrayList<>();
        fanIn = inputs;
        for (LayerSpec l : layers) {
            SplittableRandom rng = master.split();      // split for every layer, so each layer's draws are its own
            Init weightInit = l.weights != null ? Init.constant(0) : init != null ? initializer(init) : l.kind.defaultInit();
            Linear linear = new Linear(fanIn, l.units, true, weightInit, Init.constant(0), rng);
            if (l.weights != null) System.arraycopy(l.weights, 0, linear.weight().floats(), 0, l.weights.length);
            if (l.biases != null) System.arraycopy(l.biases, 0, linear.bias().floats(), 0, l.biases.length);
            modules.add(linear);
            modules.add(new Activation(l.kind, l.parameter));
            fanIn = l.units;
        }
        return new NetworkSpec(source, inputs, loss, seed, init, new Sequential(modules));
    }

    /** One layer as read, before anything is allocated. */
    private record LayerSpec(int units, Activation.Kind kind, double parameter, float[] weights, float[] biases) {}

    private static LayerSpec layer(JsonNode n, String path, int fanIn, String source) throws ModelFileException {
        if (!n.isObject()) {
            throw new ModelFileException(source, path + ": expected an object with \"units\" and \"activation\", got " + Json.describe(n));
        }
        unknownKeys(n, LAYER_KEYS, path + ".", source);
        int units = whole(n, "units", path + ".units", source, "the number of units");
        JsonNode a = n.get("activation");
        if (a == null) throw new ModelFileException(source, path + ".activation: missing (sigmoid, tanh, relu, leaky_relu, linear, softmax, ...)");
        Activation.Kind kind;
        try {
            kind = Activation.Kind.parse(text(a, path + ".activation", source));
        } catch (IllegalArgumentException e) {
            throw new ModelFileException(source, path + ".activation: " + Messages.clean(e.getMessage(), 200));
        }
        double parameter = kind == Activation.Kind.ELU ? Activation.DEFAULT_ALPHA : Activation.DEFAULT_SLOPE;
        for (String key : List.of("slope", "alpha")) {
            if (!n.has(key)) continue;
            boolean fits = key.equals("slope") ? kind == Activation.Kind.LEAKY_RELU : kind == Activation.Kind.ELU;
            if (!fits) {
                throw new ModelFileException(source, path + "." + key + ": only " + (key.equals("slope") ? "leaky_relu" : "elu")
                        + " takes a " + key + ", this layer is " + kind.id());
            }
            JsonNode v = n.get(key);
            if (!v.isNumber() || !Double.isFinite(v.doubleValue())) {
                throw new ModelFileException(source, path + "." + key + ": expected a finite number, got " + Json.describe(v));
            }
            parameter = v.doubleValue();
        }
        if ((long) units * fanIn > MAX_ELEMENTS) {
            throw new ModelFileException(source, path + ": " + units + " x " + fanIn + " weights are more than a Java array holds");
        }
        float[] weights = n.has("weights") ? matrix(n.get("weights"), path + ".weights", units, fanIn, source) : null;
        float[] biases = n.has("biases") ? vector(n.get("biases"), path + ".biases", units, source) : null;
        return new LayerSpec(units, kind, parameter, weights, biases);
    }

    private static float[] matrix(JsonNode n, String path, int rows, int cols, String source) throws ModelFileException {
        String expected = "expected " + rows + (rows == 1 ? " row of " : " rows of ") + cols + (cols == 1 ? " number" : " numbers")
                + " (units x inputs), got ";
        if (!n.isArray()) throw new ModelFileException(source, path + ": " + expected + Json.describe(n));
        if (n.size() != rows) throw new ModelFileException(source, path + ": " + expected + n.size() + (n.size() == 1 ? " row" : " rows"));
        float[] out = new float[rows * cols];
        for (int r = 0; r < rows; r++) {
            JsonNode row = n.get(r);
            String at = path + "[" + r + "]";
            if (!row.isArray()) throw new ModelFileException(source, path + ": " + expected + Json.describe(row) + " at " + at);
            if (row.size() != cols) throw new ModelFileException(source, path + ": " + expected + "a row of " + row.size() + " at " + at);
            for (int c = 0; c < cols; c++) out[r * cols + c] = number(row.get(c), at + "[" + c + "]", source);
        }
        return out;
    }

    private static float[] vector(JsonNode n, String path, int size, String source) throws ModelFileException {
        String expected = "expected " + size + (size == 1 ? " number" : " numbers") + " (one per unit), got ";
        if (!n.isArray()) throw new ModelFileException(source, path + ": " + expected + Json.describe(n));
        if (n.size() != size) throw new ModelFileException(source, path + ": " + expected + n.size());
        float[] out = new float[size];
        for (int i = 0; i < size; i++) out[i] = number(n.get(i), path + "[" + i + "]", source);
        return out;
    }

    /** A JSON number as float32: correctly rounded from its double value; finite. */
    private static float number(JsonNode v, String path, String source) throws ModelFileException {
        if (!v.isNumber()) throw new ModelFileException(source, path + ": expected a number, got " + Json.describe(v));
        float f = (float) v.doubleValue();
        if (!Float.isFinite(f)) {
            throw new ModelFileException(source, path + ": " + Messages.clean(v.asText(), 40) + " is outside the float32 range");
        }
        return f;
    }

    private static int whole(JsonNode parent, String key, String path, String source, String meaning) throws ModelFileException {
        JsonNode v = parent.get(key);
        if (v == null) throw new ModelFileException(source, path + ": missing (" + meaning + ", a whole number >= 1)");
        if (!v.isIntegralNumber() || !v.canConvertToInt() || v.intValue() < 1 || v.intValue() > MAX_UNITS) {
            throw new ModelFileException(source, path + ": expected a whole number from 1 to " + MAX_UNITS + ", got " + Json.describe(v));
        }
        return v.intValue();
    }

    private static String text(JsonNode v, String path, String source) throws ModelFileException {
        if (!v.isTextual()) throw new ModelFileException(source, path + ": expected a string, got " + Json.describe(v));
        return v.textValue();
    }

    private static void unknownKeys(JsonNode object, Set<String> known, String prefix, String source) throws ModelFileException {
        for (var property : object.properties()) {
            String key = property.getKey();
            if (!known.contains(key)) {
                List<String> sorted = known.stream().sorted().toList();
                throw new ModelFileException(source, prefix + Messages.clean(key, 40) + ": unknown key (expected "
                        + String.join(", ", sorted) + ")");
            }
        }
    }

    private static Init initializer(String name) {
        return switch (name) {
            case "uniform" -> Init.uniform(0, 1);
            case "xavier", "xavier_uniform" -> Init.xavierUniform();
            case "xavier_normal" -> Init.xavierNormal();
            case "he", "he_normal" -> Init.heNormal();
            case "he_uniform" -> Init.heUniform();
            default -> throw new IllegalArgumentException("unknown initialiser '" + name + "'");
        };
    }

    /** This spec as a model: no preprocessing, the seed (and init) as training configuration, nothing to resume. */
    SavedModel toSavedModel(Provenance provenance) {
        Map<String, Object> training = new LinkedHashMap<>();
        training.put("seed", seed);
        if (init != null) training.put("init", init);
        return SavedModel.builder(module, provenance).loss(loss == null ? null : Map.of("name", loss)).training(training).build();
    }

    /**
     * {@code network} as Linear + Activation pairs, the shape a spec holds (so that {@link #toJson} writes it): an
     * identity after a Linear that has no activation of its own, dropout left out.
     *
     * @throws IllegalArgumentException naming the first layer that is neither (a rescale, a batch normalisation)
     */
    public static Sequential asPairs(Module network) {
        List<Module> layers = network instanceof Sequential s ? s.layers() : List.of(network);
        List<Module> out = new java.util.ArrayList<>();
        for (int i = 0; i < layers.size(); i++) {
            Module m = layers.get(i);
            if (m instanceof dev.backprop.nn.Dropout) continue;
            if (!(m instanceof Linear)) {
                throw new IllegalArgumentException("a spec holds linear layers and their activations; layer " + i + " is "
                        + m.config().get("type"));
            }
            out.add(m);
            int next = i + 1;
            while (next < layers.size() && layers.get(next) instanceof dev.backprop.nn.Dropout) next++;
            if (next < layers.size() && layers.get(next) instanceof Activation a) {
                out.add(a);
                i = next;
            } else {
                out.add(Activation.identity());
            }
        }
        return new Sequential(out);
    }

    /**
     * A spec that {@link #parse} reads back into the same network, values included: {@code module} must be a
     * {@link Sequential} of {@link Linear} (with bias) and {@link Activation} pairs, as {@link #parse} builds.
     * Float32 values are written so that they read back bit for bit (the shortest decimal that does); float64 values
     * are rounded to float32.
     *
     * @param loss the loss's name, or null to leave it out
     * @throws IllegalArgumentException when the module is not such a sequence, a value is not finite, or the loss is
     *                                  unknown or does not fit the last activation
     */
    public static String toJson(Module module, String loss) {
        if (!(module instanceof Sequential seq) || seq.layers().isEmpty() || seq.layers().size() % 2 != 0) {
            throw new IllegalArgumentException("toJson: a network spec holds a Sequential of Linear + Activation pairs, got "
                    + module.config().get("type"));
        }
        List<Module> ms = seq.layers();
        if (loss != null && !LOSSES.contains(loss)) {
            throw new IllegalArgumentException("toJson: unknown loss '" + loss + "'; expected one of " + String.join(", ", LOSSES));
        }
        StringBuilder b = new StringBuilder("{\n");
        int inputs = ms.getFirst() instanceof Linear l0 ? l0.inputs() : 0;
        b.append("  \"inputs\": ").append(inputs).append(",\n");
        if (loss != null) b.append("  \"loss\": \"").append(loss).append("\",\n");
        b.append("  \"layers\": [");
        Activation.Kind lastKind = null;
        int fanIn = inputs;
        for (int i = 0; i < ms.size(); i += 2) {
            if (!(ms.get(i) instanceof Linear linear) || linear.bias() == null || !(ms.get(i + 1) instanceof Activation act)) {
                throw new IllegalArgumentException("toJson: layers " + i + " and " + (i + 1) + " must be a Linear with bias "
                        + "and an Activation, got " + ms.get(i).config().get("type") + " and " + ms.get(i + 1).config().get("type"));
            }
            if (linear.inputs() != fanIn) {
                throw new IllegalArgumentException("toJson: layer " + i + " takes " + linear.inputs() + " inputs, the previous layer gives " + fanIn);
            }
            lastKind = act.kind();
            b.append(i == 0 ? "\n" : ",\n").append("    {\n");
            b.append("      \"units\": ").append(linear.outputs()).append(",\n");
            b.append("      \"activation\": \"").append(act.kind() == Activation.Kind.IDENTITY ? "linear" : act.kind().id()).append("\",\n");
            Map<String, Object> cfg = act.config();
            if (cfg.get("slope") instanceof Double s && s != Activation.DEFAULT_SLOPE) b.append("      \"slope\": ").append(s).append(",\n");
            if (cfg.get("alpha") instanceof Double a && a != Activation.DEFAULT_ALPHA) b.append("      \"alpha\": ").append(a).append(",\n");
            b.append("      \"weights\": [\n");
            Tensor w = linear.weight();
            for (int r = 0; r < linear.outputs(); r++) {
                b.append("        [");
                for (int c = 0; c < linear.inputs(); c++) {
                    if (c > 0) b.append(", ");
                    b.append(floatText(w, r * linear.inputs() + c, "layers[" + i / 2 + "].weights"));
                }
                b.append(r + 1 < linear.outputs() ? "],\n" : "]\n");
            }
            b.append("      ],\n      \"biases\": [");
            for (int j = 0; j < linear.outputs(); j++) {
                if (j > 0) b.append(", ");
                b.append(floatText(linear.bias(), j, "layers[" + i / 2 + "].biases"));
            }
            b.append("]\n    }");
            fanIn = linear.outputs();
        }
        b.append("\n  ]\n}\n");
        if ("cross-entropy".equals(loss) && lastKind != Activation.Kind.SOFTMAX
                || "bce".equals(loss) && lastKind != Activation.Kind.SIGMOID) {
            throw new IllegalArgumentException("toJson: loss " + loss + " needs a " + ("bce".equals(loss) ? "sigmoid" : "softmax")
                    + " last layer, got " + lastKind.id());
        }
        return b.toString();
    }

    /**
     * The shortest decimal that reads back (through a double, as JSON readers parse) as exactly this float; in the
     * rare case where that decimal's double would round to a neighbouring float, the float's exact double value.
     */
    private static String floatText(Tensor t, int i, String path) {
        float f = t.dtype() == DType.FLOAT32 ? t.floats()[i] : (float) t.getFlat(i);
        if (!Float.isFinite(f)) throw new IllegalArgumentException("toJson: " + path + " holds " + f + "; a spec holds finite numbers");
        String s = Float.toString(f);
        if (Float.floatToRawIntBits((float) Double.parseDouble(s)) == Float.floatToRawIntBits(f)) return s;
        return Double.toString(f);
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "NetworkSpec[%s: %d inputs, %d layers, loss %s]", source, inputs,
                module.layers().size() / 2, loss);
    }
}
