package dev.backprop.onnx;

import dev.backprop.encode.CategoricalEncoder;
import dev.backprop.encode.ColumnEncoder;
import dev.backprop.encode.Encoder;
import dev.backprop.encode.NumericEncoder;
import dev.backprop.encode.PixelEncoder;
import dev.backprop.encode.TableEncoder;
import dev.backprop.io.AtomicWrite;
import dev.backprop.io.JsonText;
import dev.backprop.io.Provenance;
import dev.backprop.loss.BinaryCrossEntropy;
import dev.backprop.loss.CrossEntropy;
import dev.backprop.model.Model;
import dev.backprop.nn.Activation;
import dev.backprop.nn.BatchNorm1d;
import dev.backprop.nn.Dropout;
import dev.backprop.nn.Linear;
import dev.backprop.nn.Module;
import dev.backprop.nn.Rescale;
import dev.backprop.nn.Sequential;
import dev.backprop.onnx.proto.Onnx.AttributeProto;
import dev.backprop.onnx.proto.Onnx.ModelProto;
import dev.backprop.onnx.proto.Onnx.OperatorSetIdProto;
import dev.backprop.onnx.proto.Onnx.StringStringEntryProto;
import dev.backprop.onnx.proto.Onnx.TensorProto;
import dev.backprop.onnx.proto.Onnx.TensorShapeProto;
import dev.backprop.onnx.proto.Onnx.TypeProto;
import dev.backprop.onnx.proto.Onnx.ValueInfoProto;
import dev.backprop.tensor.Tensor;
import dev.backprop.train.Evaluation;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes a trained {@link Model} as an ONNX graph (IR version 8, opset 13) that takes the numbers a CSV row holds
 * and returns what {@code backprop predict} writes.
 *
 * <ul>
 *   <li><b>Input</b> {@code features}: float {@code [batch, inputs]}, one column per {@link #inputNames input name}:
 *       a numeric column in its own units (NaN for a missing cell, imputed in the graph with the training mean when the
 *       model imputes), and for a text column one 0/1 column per category, named {@code column=category}.</li>
 *   <li>The encoder's scaling is folded into the first layer's weights; missing-value indicators are computed in the
 *       graph ({@code IsNaN}).</li>
 *   <li><b>Output</b> for a classifier: {@code probabilities} {@code [batch, classes]} (the class names are in the
 *       metadata, {@code class_names}) and {@code class_index} {@code [batch]} (int64); for a regression:
 *       {@code predictions} {@code [batch, targets]} in the targets' own units.</li>
 *   <li>Layers: Gemm, Relu, LeakyRelu, Sigmoid, Tanh, Elu, Softmax, BatchNormalization (inference form), GELU in
 *       the tanh form backprop computes (Mul, Add, Tanh: opset 13 has no Gelu, and the Erf form differs from it by up
 *       to 1e-3); dropout and identity are left out; a final rescale is a Mul and an Add.</li>
 * </ul>
 */
public final class OnnxExport {
    /** The IR version written: 8, which ONNX 1.12's checker (Debian's {@code python3-onnx}) accepts. */
    public static final int IR_VERSION = 8;
    /** The operator set written. */
    public static final int OPSET = 13;
    /** The graph's input. */
    public static final String INPUT = "features";

    private OnnxExport() {}

    /** The export of {@code model}, or an exception naming the first layer or encoder ONNX cannot hold here. */
    public static ModelProto of(Model model) {
        Graph g = new Graph();
        Inputs in = Inputs.of(model.encoder());
        List<Module> layers = flatten(Evaluation.lossView(model.network(), model.loss()));
        String x = INPUT;
        String nan = null;
        if (in.imputes() || in.indicators()) nan = g.node("IsNaN", "missing", x);
        if (in.imputes()) {
            float[] fill = new float[in.width()];
            for (int r = 0; r < fill.length; r++) fill[r] = (float) (Double.isNaN(in.fill[r]) ? 0 : in.fill[r]);
            x = g.node("Where", "imputed", nan, g.constant("fill", fill, fill.length), x);
        }
        int first = 0;
        if (!layers.isEmpty() && layers.getFirst() instanceof Linear lin) {
            x = firstGemm(g, lin, in, x, nan);
            first = 1;
        } else {
            x = encode(g, in, x, nan);
        }
        for (int i = first; i < layers.size(); i++) x = layer(g, layers.get(i), i, x);

        List<ValueInfoProto> outputs = new ArrayList<>();
        int width = outputsOf(model);
        String lossName = model.loss().name();
        Map<String, String> meta = new LinkedHashMap<>();
        if (lossName.equals(CrossEntropy.NAME) || lossName.equals(BinaryCrossEntropy.NAME)) {
            String p;
            if (lossName.equals(CrossEntropy.NAME)) {
                p = g.node("Softmax", "softmax", new AttributeProto[] {Graph.intAttribute("axis", -1)}, x);
            } else if (width == 1) {
                String p1 = g.node("Sigmoid", "p1", x);
                String p0 = g.node("Sub", "p0", g.scalar("one", 1f), p1);
                p = g.node("Concat", "both", new AttributeProto[] {Graph.intAttribute("axis", 1)}, p0, p1);
                width = 2;
            } else {
                p = g.node("Sigmoid", "sigmoid", x);
            }
            rename(g, p, "probabilities");
            outputs.add(value("probabilities", TensorProto.DataType.FLOAT_VALUE, width));
            boolean oneClass = !(lossName.equals(BinaryCrossEntropy.NAME) && width > 2);
            if (oneClass) {
                g.proto().addNode(dev.backprop.onnx.proto.Onnx.NodeProto.newBuilder().setOpType("ArgMax").setName("class_of_row")
                        .addInput("probabilities").addOutput("class_index").addAttribute(Graph.intAttribute("axis", 1))
                        .addAttribute(Graph.intAttribute("keepdims", 0)));
                outputs.add(value("class_index", TensorProto.DataType.INT64_VALUE, -1));
            }
            List<String> labels = lossName.equals(CrossEntropy.NAME) ? model.encoder().classLabels() : List.of("0", "1");
            if (oneClass && labels.size() == width) meta.put("class_names", JsonText.compact(labels));
            meta.put("task", "classification");
        } else {
            rename(g, x, "predictions");
            outputs.add(value("predictions", TensorProto.DataType.FLOAT_VALUE, width));
            meta.put("task", "regression");
            meta.put("target_names", JsonText.compact(model.encoder().targetNames()));
        }
        meta.put("input_names", JsonText.compact(in.names));
        meta.put("input_fill", JsonText.compact(in.fillList()));
        meta.put("loss", lossName);
        Provenance p = model.provenance();
        if (p != null) {
            Map<String, Object> prov = new LinkedHashMap<>();
            prov.put("library_version", p.libraryVersion());
            prov.put("created", p.created());
            if (p.seed() != null) prov.put("seed", p.seed());
            if (p.dataSource() != null) prov.put("data_source", p.dataSource());
            meta.put("backprop_provenance", JsonText.compact(prov));
        }

        g.proto().setName("backprop").setDocString(in.describe())
                .addInput(ValueInfoProto.newBuilder().setName(INPUT).setDocString(in.describe())
                        .setType(type(TensorProto.DataType.FLOAT_VALUE, in.width())))
                .addAllOutput(outputs);
        ModelProto.Builder m = ModelProto.newBuilder().setIrVersion(IR_VERSION).setProducerName("backprop")
                .setProducerVersion(Provenance.currentLibraryVersion()).setModelVersion(1).setGraph(g.proto())
                .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(OPSET))
                .setDocString("A backprop model: " + meta.get("task") + ", " + layers.size() + " layers");
        meta.forEach((k, v) -> m.addMetadataProps(StringStringEntryProto.newBuilder().setKey(k).setValue(v)));
        return m.build();
    }

    /** Writes the export of {@code model} to {@code file}, atomically. */
    public static void write(Model model, Path file) throws IOException {
        byte[] bytes = of(model).toByteArray();
        AtomicWrite.bytes(file, bytes);
    }

    /** The input columns the graph takes, in order, as {@link #of} names them. */
    public static List<String> inputNames(Encoder encoder) {
        return List.copyOf(Inputs.of(encoder).names);
    }

    // ------------------------------------------------------------------ inputs

    /**
     * The graph's input columns ("slots") and how each encoded feature comes from them: an affine map of one slot
     * ({@code a·x + c}), or the indicator of that slot's being missing.
     */
    private record Inputs(List<String> names, double[] fill, int[] slot, double[] a, double[] c, boolean[] indicator) {
        int width() {
            return names.size();
        }

        int features() {
            return slot.length;
        }

        boolean imputes() {
            for (double f : fill) if (!Double.isNaN(f)) return true;
            return false;
        }

        boolean indicators() {
            for (boolean b : indicator) if (b) return true;
            return false;
        }

        List<Object> fillList() {
            List<Object> out = new ArrayList<>();
            for (double f : fill) out.add(Double.isNaN(f) ? null : f);
            return out;
        }

        String describe() {
            return "One row per sample, one column per input: " + String.join(", ", names.size() > 40
                    ? List.of(names.subList(0, 40).toString(), "... (" + names.size() + " in all)") : names)
                    + ". Numbers in their own units (NaN for a missing cell" + (imputes() ? ", imputed with the training mean" : "")
                    + "); a text column is one 0/1 column per category.";
        }

        static Inputs of(Encoder encoder) {
            List<String> names = new ArrayList<>();
            List<Double> fill = new ArrayList<>();
            List<double[]> features = new ArrayList<>();     // {slot, a, c, indicator}
            switch (encoder) {
                case TableEncoder t -> {
                    for (ColumnEncoder col : t.columns()) {
                        switch (col) {
                            case NumericEncoder num -> {
                                int s = names.size();
                                names.add(num.column());
                                fill.add(t.imputesMissing() ? num.fill() : Double.NaN);
                                double c0 = num.scale().apply(0), a = num.scale().apply(1) - c0;
                                features.add(new double[] {s, a, c0, 0});
                                if (num.indicator()) features.add(new double[] {s, 0, 0, 1});
                            }
                            case CategoricalEncoder cat -> {
                                for (String f : cat.featureNames()) {
                                    features.add(new double[] {names.size(), 1, 0, 0});
                                    names.add(f);
                                    fill.add(0.0);
                                }
                            }
                            default -> throw new IllegalArgumentException("cannot export column '" + col.featureNames()
                                    + "': its encoder (" + col.getClass().getSimpleName() + ") has no ONNX form here");
                        }
                    }
                }
                case PixelEncoder px -> {
                    for (int i = 0; i < px.pixels(); i++) {
                        names.add("pixel" + i);
                        fill.add(Double.NaN);
                        features.add(new double[] {i, px.scale(), 0, 0});
                    }
                }
                default -> throw new IllegalArgumentException("cannot export a model whose inputs are encoded by "
                        + encoder.getClass().getSimpleName());
            }
            int n = features.size();
            int[] slot = new int[n];
            double[] a = new double[n], c = new double[n];
            boolean[] ind = new boolean[n];
            for (int i = 0; i < n; i++) {
                double[] f = features.get(i);
                slot[i] = (int) f[0];
                a[i] = f[1];
                c[i] = f[2];
                ind[i] = f[3] != 0;
            }
            return new Inputs(names, fill.stream().mapToDouble(Double::doubleValue).toArray(), slot, a, c, ind);
        }
    }

    /** The first layer with the input encoding folded into its weights: W' = W·A, b' = b + W·c (+ W·B on IsNaN). */
    private static String firstGemm(Graph g, Linear lin, Inputs in, String x, String nan) {
        int out = lin.outputs(), features = lin.inputs();
        if (features != in.features()) {
            throw new IllegalArgumentException("the first layer takes " + features + " features, the encoder gives " + in.features());
        }
        Tensor w = lin.weight();
        double[] wa = new double[out * in.width()], wb = new double[out * in.width()], bias = new double[out];
        for (int o = 0; o < out; o++) {
            bias[o] = lin.bias() == null ? 0 : lin.bias().getFlat(o);
            for (int f = 0; f < features; f++) {
                double wf = w.getFlat(o * features + f);
                int s = in.slot()[f];
                if (in.indicator()[f]) {
                    wb[o * in.width() + s] += wf;
                } else {
                    wa[o * in.width() + s] += wf * in.a()[f];
                    bias[o] += wf * in.c()[f];
                }
            }
        }
        String h = g.node("Gemm", "layer0", new AttributeProto[] {Graph.intAttribute("transB", 1)}, x,
                g.constant("layer0_weight", floats(wa), out, in.width()), g.constant("layer0_bias", floats(bias), out));
        if (in.indicators()) {
            String flags = g.node("Cast", "missing_flags", new AttributeProto[] {Graph.intAttribute("to", TensorProto.DataType.FLOAT_VALUE)}, nan);
            String extra = g.node("Gemm", "layer0_missing", new AttributeProto[] {Graph.intAttribute("transB", 1)}, flags,
                    g.constant("layer0_missing_weight", floats(wb), out, in.width()));
            h = g.node("Add", "layer0_sum", h, extra);
        }
        return h;
    }

    /** The encoded features as their own values, when the first layer cannot take the encoding into its weights. */
    private static String encode(Graph g, Inputs in, String x, String nan) {
        double[] am = new double[in.features() * in.width()], bm = new double[in.features() * in.width()];
        double[] c = new double[in.features()];
        for (int f = 0; f < in.features(); f++) {
            if (in.indicator()[f]) {
                bm[f * in.width() + in.slot()[f]] = 1;
            } else {
                am[f * in.width() + in.slot()[f]] = in.a()[f];
                c[f] = in.c()[f];
            }
        }
        String h = g.node("Gemm", "encoded", new AttributeProto[] {Graph.intAttribute("transB", 1)}, x,
                g.constant("encoding", floats(am), in.features(), in.width()), g.constant("encoding_shift", floats(c), in.features()));
        if (in.indicators()) {
            String flags = g.node("Cast", "missing_flags", new AttributeProto[] {Graph.intAttribute("to", TensorProto.DataType.FLOAT_VALUE)}, nan);
            h = g.node("Add", "encoded_all", h, g.node("Gemm", "indicators", new AttributeProto[] {Graph.intAttribute("transB", 1)}, flags,
                    g.constant("indicator_map", floats(bm), in.features(), in.width())));
        }
        return h;
    }

    // ------------------------------------------------------------------ layers

    private static String layer(Graph g, Module m, int index, String x) {
        String stem = "layer" + index;
        return switch (m) {
            case Linear lin -> {
                float[] w = lin.weight().toFloatArray();
                String wn = g.constant(stem + "_weight", w, lin.outputs(), lin.inputs());
                AttributeProto[] t = {Graph.intAttribute("transB", 1)};
                yield lin.bias() == null ? g.node("Gemm", stem, t, x, wn)
                        : g.node("Gemm", stem, t, x, wn, g.constant(stem + "_bias", lin.bias().toFloatArray(), lin.outputs()));
            }
            case Activation a -> activation(g, a, stem, x);
            case Dropout d -> x;
            case BatchNorm1d bn -> {
                Map<String, Tensor> s = bn.stateDict();
                int n = s.get("weight").size();
                yield g.node("BatchNormalization", stem, new AttributeProto[] {Graph.floatAttribute("epsilon", (float) bn.eps())}, x,
                        g.constant(stem + "_scale", s.get("weight").toFloatArray(), n), g.constant(stem + "_bias", s.get("bias").toFloatArray(), n),
                        g.constant(stem + "_mean", s.get("running_mean").toFloatArray(), n),
                        g.constant(stem + "_var", s.get("running_var").toFloatArray(), n));
            }
            case Rescale r -> g.node("Add", stem, g.node("Mul", stem + "_scaled", x, g.constant(stem + "_scale", r.scale().toFloatArray(), r.features())),
                    g.constant(stem + "_shift", r.shift().toFloatArray(), r.features()));
            default -> throw new IllegalArgumentException("cannot export layer " + index + " (" + m.config().get("type")
                    + "): it has no ONNX form here");
        };
    }

    private static String activation(Graph g, Activation a, String stem, String x) {
        return switch (a.kind()) {
            case RELU -> g.node("Relu", stem, x);
            case SIGMOID -> g.node("Sigmoid", stem, x);
            case TANH -> g.node("Tanh", stem, x);
            case LEAKY_RELU -> g.node("LeakyRelu", stem, new AttributeProto[] {Graph.floatAttribute("alpha", (float) a.parameter())}, x);
            case ELU -> g.node("Elu", stem, new AttributeProto[] {Graph.floatAttribute("alpha", (float) a.parameter())}, x);
            case SOFTMAX -> g.node("Softmax", stem, new AttributeProto[] {Graph.intAttribute("axis", -1)}, x);
            case IDENTITY -> x;
            case GELU -> {
                // ½z(1 + tanh(√(2/π)(z + 0.044715z³))), as Tensor.gelu computes it.
                String z3 = g.node("Mul", stem + "_z3", g.node("Mul", stem + "_z2", x, x), x);
                String inner = g.node("Add", stem + "_inner", x, g.node("Mul", stem + "_cubic", z3, g.scalar(stem + "_c", 0.044715f)));
                String t = g.node("Tanh", stem + "_tanh", g.node("Mul", stem + "_scaled", inner, g.scalar(stem + "_k", (float) Math.sqrt(2 / Math.PI))));
                yield g.node("Mul", stem, g.node("Mul", stem + "_half", x, g.scalar(stem + "_half_c", 0.5f)),
                        g.node("Add", stem + "_one_plus", t, g.scalar(stem + "_one", 1f)));
            }
        };
    }

    /** For tests: the export of one layer, or its refusal. */
    static void layerForTest(Module m) {
        layer(new Graph(), m, 1, "x");
    }

    // ------------------------------------------------------------------ helpers

    /** The layers of {@code m} in order, nested sequentials opened. */
    static List<Module> flatten(Module m) {
        List<Module> out = new ArrayList<>();
        if (m instanceof Sequential s) {
            for (Module l : s.layers()) out.addAll(flatten(l));
        } else {
            out.add(m);
        }
        return out;
    }

    private static int outputsOf(Model model) {
        try (var ignored = dev.backprop.autograd.NoGrad.enter()) {
            return Evaluation.lossView(model.network(), model.loss()).forward(Tensor.zeros(1, model.encoder().inputs())).shape().dim(1);
        }
    }

    /** Renames the node output {@code value} to {@code to} (the graph's output names). */
    private static void rename(Graph g, String value, String to) {
        var nodes = g.proto().getNodeBuilderList();
        for (var n : nodes) {
            for (int i = 0; i < n.getOutputCount(); i++) if (n.getOutput(i).equals(value)) n.setOutput(i, to);
            for (int i = 0; i < n.getInputCount(); i++) if (n.getInput(i).equals(value)) n.setInput(i, to);
        }
        if (value.equals(INPUT)) {       // a network of no layers: the output is the input itself
            g.proto().addNode(dev.backprop.onnx.proto.Onnx.NodeProto.newBuilder().setOpType("Identity").setName("output")
                    .addInput(INPUT).addOutput(to));
        }
    }

    private static ValueInfoProto value(String name, int type, int width) {
        return ValueInfoProto.newBuilder().setName(name).setType(width < 0 ? vector(type) : type(type, width)).build();
    }

    private static TypeProto type(int elem, int width) {
        return TypeProto.newBuilder().setTensorType(TypeProto.Tensor.newBuilder().setElemType(elem).setShape(TensorShapeProto.newBuilder()
                .addDim(TensorShapeProto.Dimension.newBuilder().setDimParam("batch"))
                .addDim(TensorShapeProto.Dimension.newBuilder().setDimValue(width)))).build();
    }

    private static TypeProto vector(int elem) {
        return TypeProto.newBuilder().setTensorType(TypeProto.Tensor.newBuilder().setElemType(elem).setShape(TensorShapeProto.newBuilder()
                .addDim(TensorShapeProto.Dimension.newBuilder().setDimParam("batch")))).build();
    }

    private static float[] floats(double[] v) {
        float[] f = new float[v.length];
        for (int i = 0; i < v.length; i++) f[i] = (float) v[i];
        return f;
    }
}
