package dev.backprop.onnx;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.backprop.data.DataFormatException;
import dev.backprop.encode.ClassEncoder;
import dev.backprop.encode.ColumnEncoder;
import dev.backprop.encode.MissingValues;
import dev.backprop.encode.NumberEncoder;
import dev.backprop.encode.NumericEncoder;
import dev.backprop.encode.Scale;
import dev.backprop.encode.TableEncoder;
import dev.backprop.encode.TargetEncoder;
import dev.backprop.loss.BinaryCrossEntropy;
import dev.backprop.loss.CrossEntropy;
import dev.backprop.loss.Loss;
import dev.backprop.loss.MeanSquaredError;
import dev.backprop.nn.Activation;
import dev.backprop.nn.BatchNorm1d;
import dev.backprop.nn.Linear;
import dev.backprop.nn.Module;
import dev.backprop.nn.Rescale;
import dev.backprop.nn.Sequential;
import dev.backprop.onnx.proto.Onnx.AttributeProto;
import dev.backprop.onnx.proto.Onnx.GraphProto;
import dev.backprop.onnx.proto.Onnx.ModelProto;
import dev.backprop.onnx.proto.Onnx.NodeProto;
import dev.backprop.onnx.proto.Onnx.TensorProto;
import dev.backprop.onnx.proto.Onnx.ValueInfoProto;
import dev.backprop.tensor.Tensor;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads an ONNX file holding a dense network back into backprop's layers: a chain of Gemm (or MatMul and Add),
 * Relu, LeakyRelu, Sigmoid, Tanh, Elu, Softmax, BatchNormalization, GELU in its tanh form, per-feature Mul, Add, Sub
 * and Div (a rescale), Dropout and Identity (left out), and the imputation {@link OnnxExport} writes (IsNaN, Where).
 * Anything else is refused with the name of the first node it cannot express. A file {@link OnnxExport} wrote keeps
 * its input names, class names and target names (its metadata); any other gets {@code x0, x1, ...}.
 *
 * <p>The task and loss come from the caller, or from the network's end: a Softmax means classes (cross-entropy), a
 * Sigmoid of one output two classes (binary cross-entropy), anything else numbers (mean squared error).
 */
public final class OnnxImport {
    private OnnxImport() {}

    /** The largest file read (the format has no streaming form; 2 GB is protobuf's own limit). */
    public static final long MAX_BYTES = Integer.MAX_VALUE - 8;

    /**
     * What an import made.
     *
     * @param network the layers, in evaluation form
     * @param encoder the inputs (one numeric column per graph input column, not scaled: the scaling is in the
     *                weights) and the target
     * @param loss    the loss, given or inferred
     * @param notes   what was inferred or left out, for people
     */
    public record Imported(Module network, TableEncoder encoder, Loss loss, List<String> notes) {}

    /** Reads {@code file}; {@code loss} null to infer it from the network's end. */
    public static Imported read(Path file, Loss loss) throws IOException {
        long size = Files.size(file);
        if (size > MAX_BYTES) throw new DataFormatException(file + ": " + size + " bytes, more than an ONNX file can hold");
        ModelProto m;
        try {
            m = ModelProto.parseFrom(Files.readAllBytes(file));
        } catch (InvalidProtocolBufferException e) {
            throw new DataFormatException(file + ": not an ONNX model (" + e.getMessage() + ")");
        }
        try {
            return of(m, loss);
        } catch (IllegalArgumentException e) {
            throw new DataFormatException(file + ": " + e.getMessage());
        }
    }

    /**
     * Writes {@code imported} as a model file (atomically) that {@code backprop evaluate}, {@code predict},
     * {@code explain}, {@code gradients} and {@code train --resume}-style fine-tuning read; {@code source} is recorded.
     */
    public static void save(Imported imported, String source, Path out) throws IOException {
        Map<String, Object> training = new LinkedHashMap<>();
        training.put("imported_from", source);
        training.put("loss", imported.loss().name());
        dev.backprop.io.ModelFile.save(out, dev.backprop.io.SavedModel.builder(imported.network(), dev.backprop.io.Provenance.now(null, source))
                .loss(imported.loss().config()).preprocessing(imported.encoder().toMap()).training(training).notes(imported.notes()).build());
    }

    /**
     * A network read from elsewhere as a model backprop's commands take: the loss {@code given}, or one inferred from
     * the network's end (said in {@code notes}); an encoder of {@code inputs} numeric columns, not scaled, named
     * {@code inputNames} (else {@code x0, x1, ...}), missing cells imputed with {@code fills} (null: not imputed); class
     * or target names when they fit (else {@code 0, 1, ...} and {@code y}).
     */
    public static Imported imported(Module net, int inputs, Loss given, double[] fills, List<String> inputNames, List<String> classNames,
                                    List<String> targetNames, List<String> notes) {
        List<String> said = new ArrayList<>(notes);
        int outputs;
        try (var ignored = dev.backprop.autograd.NoGrad.enter()) {
            outputs = net.forward(Tensor.zeros(1, inputs)).shape().dim(1);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("the layers do not chain from " + inputs + " inputs: " + e.getMessage());
        }
        List<Module> layers = OnnxExport.flatten(net);
        Module last = layers.isEmpty() ? null : layers.getLast();
        Loss loss = given;
        if (loss == null) {
            if (last instanceof Activation a && a.kind() == Activation.Kind.SOFTMAX) {
                loss = new CrossEntropy();
                said.add("task: classification with cross-entropy, inferred from the final softmax (--loss to choose another)");
            } else if (last instanceof Activation a && a.kind() == Activation.Kind.SIGMOID && outputs == 1) {
                loss = new BinaryCrossEntropy();
                said.add("task: two classes with binary cross-entropy, inferred from the final sigmoid of one output (--loss to choose another)");
            } else {
                loss = new MeanSquaredError();
                said.add("task: regression with mean squared error, inferred from the network's end, neither softmax nor sigmoid "
                        + "(--loss to choose another)");
            }
        }
        List<String> names = inputNames;
        if (names == null || names.size() != inputs) {
            if (names != null) said.add("input names ignored: " + names.size() + " names for " + inputs + " inputs");
            names = new ArrayList<>();
            for (int i = 0; i < inputs; i++) names.add("x" + i);
        }
        List<ColumnEncoder> cols = new ArrayList<>();
        for (int i = 0; i < inputs; i++) cols.add(new NumericEncoder(names.get(i), new Scale.Identity(), fills == null ? 0 : fills[i], false));
        TargetEncoder target;
        if (loss instanceof CrossEntropy || loss instanceof BinaryCrossEntropy) {
            int classes = loss instanceof BinaryCrossEntropy && outputs == 1 ? 2 : outputs;
            List<String> labels = classNames;
            if (labels == null || labels.size() != classes) {
                if (labels != null) said.add("class names ignored: " + labels.size() + " names for " + classes + " classes");
                labels = new ArrayList<>();
                for (int c = 0; c < classes; c++) labels.add(Integer.toString(c));
            }
            boolean whole = labels.stream().allMatch(l -> l.matches("-?\\d{1,15}"));
            target = new ClassEncoder("class", labels, whole);
        } else {
            List<String> targets = targetNames;
            if (targets == null || targets.size() != outputs) {
                if (targets != null) said.add("target names ignored: " + targets.size() + " names for " + outputs + " outputs");
                targets = new ArrayList<>();
                for (int c = 0; c < outputs; c++) targets.add(outputs == 1 ? "y" : "y" + c);
            }
            target = new NumberEncoder(targets);
        }
        return new Imported(net, new TableEncoder(cols, target, MissingValues.DEFAULT, fills != null), loss, said);
    }

    /** Imports {@code model}; {@code loss} null to infer it. Unsupported content is an IllegalArgumentException. */
    public static Imported of(ModelProto model, Loss loss) {
        return new Walk(model).run(loss);
    }

    private static final Set<String> ELEMENTWISE = Set.of("Mul", "Add", "Sub", "Div", "Pow", "Tanh", "Erf", "Sqrt", "Neg");

    /** A float constant: its shape and values. */
    private record Constant(long[] dims, float[] values) {
        boolean scalar() {
            return values.length == 1;
        }
    }

    private static final class Walk {
        final ModelProto model;
        final GraphProto graph;
        final Map<String, Constant> constants = new HashMap<>();
        final Map<String, List<Integer>> consumers = new HashMap<>();
        final List<Module> layers = new ArrayList<>();
        final List<String> notes = new ArrayList<>();
        final Set<Integer> done = new HashSet<>();
        final Map<String, String> meta = new LinkedHashMap<>();
        double[] fills;
        int width;
        String cur;
        boolean binaryHead;
        // A pending per-feature affine map s·x + t (a rescale), flushed before the next other layer.
        double[] s, t;

        Walk(ModelProto model) {
            this.model = model;
            this.graph = model.getGraph();
            model.getMetadataPropsList().forEach(e -> meta.put(e.getKey(), e.getValue()));
        }

        Imported run(Loss given) {
            for (TensorProto tp : graph.getInitializerList()) {
                Constant c = OnnxImport.constant(tp);
                if (c.values() != null) constants.put(tp.getName(), c);
            }
            List<ValueInfoProto> inputs = graph.getInputList().stream().filter(v -> !constants.containsKey(v.getName())).toList();
            if (inputs.size() != 1) {
                throw new IllegalArgumentException("the graph takes " + inputs.size() + " inputs; a dense network takes one, [batch, features]");
            }
            ValueInfoProto in = inputs.getFirst();
            var type = in.getType().getTensorType();
            if (type.getElemType() != TensorProto.DataType.FLOAT_VALUE) {
                throw new IllegalArgumentException("input '" + in.getName() + "' is of ONNX type " + type.getElemType() + ", not float");
            }
            if (type.getShape().getDimCount() != 2) {
                throw new IllegalArgumentException("input '" + in.getName() + "' has " + type.getShape().getDimCount()
                        + " dimensions; a dense network takes [batch, features]");
            }
            width = type.getShape().getDim(1).hasDimValue() ? (int) type.getShape().getDim(1).getDimValue() : -1;
            int inputWidth = width;
            cur = in.getName();
            for (int i = 0; i < graph.getNodeCount(); i++) {
                NodeProto n = graph.getNode(i);
                if (n.getOutputCount() == 0 || n.getOutput(0).isEmpty()) throw refuse(n, "a node without an output");
                for (String name : n.getInputList()) consumers.computeIfAbsent(name, k -> new ArrayList<>()).add(i);
            }
            for (int i = 0; i < graph.getNodeCount(); i++) {
                if (done.contains(i)) continue;
                step(i);
            }
            flush();
            List<String> outs = graph.getOutputList().stream().map(ValueInfoProto::getName).toList();
            if (!outs.contains(cur)) {
                throw new IllegalArgumentException("the chain of layers ends in '" + cur + "', which is not an output of the graph " + outs);
            }
            if (layers.stream().noneMatch(l -> l instanceof Linear)) throw new IllegalArgumentException("the graph has no Gemm or MatMul layer");
            Sequential net = new Sequential(layers);
            if (inputWidth < 0) inputWidth = ((Linear) layers.stream().filter(l -> l instanceof Linear).findFirst().orElseThrow()).inputs();
            return imported(net, inputWidth, given, fills, strings("input_names"), strings("class_names"), strings("target_names"), notes);
        }

        private List<String> strings(String key) {
            String v = meta.get(key);
            if (v == null) return null;
            try {
                JsonNode n = new ObjectMapper().readTree(v);
                if (!n.isArray()) return null;
                List<String> out = new ArrayList<>();
                for (JsonNode e : n) out.add(e.asText());
                return out;
            } catch (IOException e) {
                return null;
            }
        }

        // ------------------------------------------------------------ one node

        private void step(int i) {
            NodeProto n = graph.getNode(i);
            String op = n.getOpType();
            if (!n.getDomain().isEmpty() && !n.getDomain().equals("ai.onnx")) throw refuse(n, "an operator of domain '" + n.getDomain() + "'");
            if (op.equals("Constant")) {
                AttributeProto a = attribute(n, "value");
                if (a == null || !a.hasT()) throw refuse(n, "a Constant without a tensor value");
                Constant c = OnnxImport.constant(a.getT());
                if (c.values() != null) constants.put(n.getOutput(0), c);
                return;
            }
            if (op.equals("ArgMax") && graph.getOutputList().stream().anyMatch(o -> o.getName().equals(n.getOutput(0)))) {
                notes.add("left out: the class-index output '" + n.getOutput(0) + "' (ArgMax): predict gives the class");
                return;
            }
            if (!n.getInputList().contains(cur)) throw refuse(n, "a node off the chain of layers (it does not take '" + cur + "')");
            switch (op) {
                case "IsNaN" -> imputation(i, n);
                case "Gemm" -> gemm(n);
                case "MatMul" -> matMul(i, n);
                case "Relu" -> activation(n, Activation.relu());
                case "Sigmoid" -> sigmoid(i, n);
                case "Tanh" -> {
                    if (uses(cur) > 1) chain(i);
                    else activation(n, Activation.tanh());
                }
                case "LeakyRelu" -> activation(n, Activation.leakyRelu(floatAttribute(n, "alpha", 0.01f)));
                case "Elu" -> activation(n, Activation.elu(floatAttribute(n, "alpha", 1f)));
                case "Softmax" -> {
                    long axis = intAttribute(n, "axis", -1);
                    if (axis != -1 && axis != 1) throw refuse(n, "a Softmax over axis " + axis + " of [batch, features]");
                    activation(n, Activation.softmax());
                }
                case "BatchNormalization" -> batchNorm(n);
                case "Dropout", "Identity" -> {
                    if (n.getOutputCount() > 1 && uses(n.getOutput(1)) > 0) throw refuse(n, "a Dropout whose mask is used");
                    cur = n.getOutput(0);
                    notes.add("left out: " + op + " '" + n.getName() + "' (nothing at prediction)");
                }
                default -> {
                    if (!ELEMENTWISE.contains(op)) throw refuse(n, "an operator backprop has no layer for");
                    if (affine(n)) return;
                    chain(i);
                }
            }
        }

        private int uses(String value) {
            return consumers.getOrDefault(value, List.of()).size();
        }

        private void imputation(int i, NodeProto isNaN) {
            String flags = isNaN.getOutput(0);
            for (int j : consumers.getOrDefault(flags, List.of())) {
                NodeProto w = graph.getNode(j);
                if (!w.getOpType().equals("Where") || w.getInputCount() != 3 || !w.getInput(0).equals(flags) || !w.getInput(2).equals(cur)) {
                    throw refuse(w, "a use of the missing-cell flags other than imputation (missing-value indicators have no layer here)");
                }
                Constant fill = constants.get(w.getInput(1));
                if (fill == null) throw refuse(w, "an imputation whose fill values are not constants");
                if (fills != null || !layers.isEmpty()) throw refuse(w, "an imputation after the first layer");
                int n = width > 0 ? width : fill.values.length;
                if (!(fill.scalar() || fill.values.length == n)) throw refuse(w, "an imputation of " + fill.values.length + " values for " + n + " inputs");
                fills = new double[n];
                for (int c = 0; c < n; c++) fills[c] = fill.values[fill.scalar() ? 0 : c];
                done.add(j);
                cur = w.getOutput(0);
            }
        }

        private void gemm(NodeProto n) {
            if (!n.getInput(0).equals(cur)) throw refuse(n, "a Gemm whose first input is not the layer before");
            if (intAttribute(n, "transA", 0) != 0) throw refuse(n, "a Gemm with transA");
            boolean transB = intAttribute(n, "transB", 0) != 0;
            float alpha = floatAttribute(n, "alpha", 1f), beta = floatAttribute(n, "beta", 1f);
            Constant w = constant(n, 1);
            if (w.dims.length != 2) throw refuse(n, "a Gemm whose weights are not a matrix");
            int out = (int) (transB ? w.dims[0] : w.dims[1]), in = (int) (transB ? w.dims[1] : w.dims[0]);
            float[] weight = new float[out * in];
            for (int o = 0; o < out; o++) {
                for (int k = 0; k < in; k++) weight[o * in + k] = alpha * (transB ? w.values[o * in + k] : w.values[k * out + o]);
            }
            float[] bias = new float[out];
            if (n.getInputCount() > 2 && !n.getInput(2).isEmpty()) {
                Constant c = constant(n, 2);
                if (!(c.scalar() || c.values.length == out)) throw refuse(n, "a Gemm bias of " + c.values.length + " values for " + out + " outputs");
                for (int o = 0; o < out; o++) bias[o] = beta * c.values[c.scalar() ? 0 : o];
            }
            linear(n, in, out, weight, bias);
        }

        private void matMul(int i, NodeProto n) {
            if (!n.getInput(0).equals(cur)) throw refuse(n, "a MatMul whose first input is not the layer before");
            Constant w = constant(n, 1);
            if (w.dims.length != 2) throw refuse(n, "a MatMul whose weights are not a matrix");
            int in = (int) w.dims[0], out = (int) w.dims[1];
            float[] weight = new float[out * in];
            for (int o = 0; o < out; o++) for (int k = 0; k < in; k++) weight[o * in + k] = w.values[k * out + o];
            float[] bias = new float[out];
            String product = n.getOutput(0);
            List<Integer> next = consumers.getOrDefault(product, List.of());
            if (next.size() == 1 && graph.getNode(next.getFirst()).getOpType().equals("Add") && graph.getNode(next.getFirst()).getInputCount() == 2) {
                NodeProto add = graph.getNode(next.getFirst());
                String other = add.getInput(0).equals(product) ? add.getInput(1) : add.getInput(0);
                Constant b = constants.get(other);
                if (b != null && (b.scalar() || b.values.length == out)) {
                    for (int o = 0; o < out; o++) bias[o] = b.values[b.scalar() ? 0 : o];
                    done.add(next.getFirst());
                    product = add.getOutput(0);
                }
            }
            linear(n, in, out, weight, bias);
            cur = product;
        }

        private void linear(NodeProto n, int in, int out, float[] weight, float[] bias) {
            flush();
            if (width > 0 && in != width) throw refuse(n, "a layer of " + in + " inputs after one of " + width + " outputs");
            Linear l = new Linear(in, out, new java.util.SplittableRandom(0));
            System.arraycopy(weight, 0, l.weight().floats(), 0, weight.length);
            System.arraycopy(bias, 0, l.bias().floats(), 0, bias.length);
            layers.add(l);
            width = out;
            cur = n.getOutput(0);
        }

        private void activation(NodeProto n, Activation a) {
            flush();
            layers.add(a);
            cur = n.getOutput(0);
        }

        /** A Sigmoid; followed by {@code Sub(1, p)} and {@code Concat(1 − p, p)} it is the two-class head OnnxExport writes. */
        private void sigmoid(int i, NodeProto n) {
            String p = n.getOutput(0);
            List<Integer> uses = consumers.getOrDefault(p, List.of());
            if (uses.size() == 2 && width == 1) {
                NodeProto a = graph.getNode(uses.get(0)), b = graph.getNode(uses.get(1));
                Constant one = a.getOpType().equals("Sub") ? constants.get(a.getInput(0)) : null;
                if (one != null && one.scalar() && one.values[0] == 1f && b.getOpType().equals("Concat") && b.getInputCount() == 2
                        && b.getInput(0).equals(a.getOutput(0)) && b.getInput(1).equals(p)) {
                    activation(n, Activation.sigmoid());
                    done.add(uses.get(0));
                    done.add(uses.get(1));
                    binaryHead = true;
                    cur = b.getOutput(0);
                    return;
                }
            }
            if (uses(cur) > 1) {
                chain(i);
                return;
            }
            activation(n, Activation.sigmoid());
        }

        private void batchNorm(NodeProto n) {
            flush();
            if (n.getOutputCount() > 1 && n.getOutputList().subList(1, n.getOutputCount()).stream().anyMatch(o -> !o.isEmpty() && uses(o) > 0)) {
                throw refuse(n, "a BatchNormalization in training form");
            }
            Constant scale = constant(n, 1), bias = constant(n, 2), mean = constant(n, 3), var = constant(n, 4);
            int f = scale.values.length;
            if (bias.values.length != f || mean.values.length != f || var.values.length != f || (width > 0 && f != width)) {
                throw refuse(n, "a BatchNormalization whose scale, bias, mean and variance are not all of the " + (width > 0 ? width : f) + " features");
            }
            BatchNorm1d bn = new BatchNorm1d(f, floatAttribute(n, "epsilon", 1e-5f), 1 - floatAttribute(n, "momentum", 0.9f));
            Map<String, Tensor> state = new LinkedHashMap<>();
            state.put("weight", Tensor.wrap(scale.values.clone(), f));
            state.put("bias", Tensor.wrap(bias.values.clone(), f));
            state.put("running_mean", Tensor.wrap(mean.values.clone(), f));
            state.put("running_var", Tensor.wrap(var.values.clone(), f));
            bn.loadStateDict(state);
            layers.add(bn);
            cur = n.getOutput(0);
        }

        /** Mul, Add, Sub or Div of the chain's value and a constant: folded into a pending rescale. */
        private boolean affine(NodeProto n) {
            if (n.getInputCount() != 2 || uses(cur) != 1) return false;
            boolean first = n.getInput(0).equals(cur);
            Constant c = constants.get(first ? n.getInput(1) : n.getInput(0));
            if (c == null) return false;
            if (width <= 0 || !(c.scalar() || c.values.length == width)) return false;
            if (s == null) {
                s = new double[width];
                t = new double[width];
                java.util.Arrays.fill(s, 1);
            }
            for (int f = 0; f < width; f++) {
                double k = c.values[c.scalar() ? 0 : f];
                switch (n.getOpType()) {
                    case "Mul" -> { s[f] *= k; t[f] *= k; }
                    case "Add" -> t[f] += k;
                    case "Sub" -> {
                        if (first) {
                            t[f] -= k;
                        } else {
                            s[f] = -s[f];
                            t[f] = k - t[f];
                        }
                    }
                    case "Div" -> {
                        if (!first) return false;
                        s[f] /= k;
                        t[f] /= k;
                    }
                    default -> { return false; }
                }
            }
            cur = n.getOutput(0);
            return true;
        }

        private void flush() {
            if (s == null) return;
            Rescale r = new Rescale(s.length);
            float[] sf = new float[s.length], tf = new float[s.length];
            for (int f = 0; f < s.length; f++) {
                sf[f] = (float) s[f];
                tf[f] = (float) t[f];
            }
            Map<String, Tensor> state = new LinkedHashMap<>();
            state.put("scale", Tensor.wrap(sf, sf.length));
            state.put("shift", Tensor.wrap(tf, tf.length));
            r.loadStateDict(state);
            layers.add(r);
            s = null;
            t = null;
        }

        /**
         * A run of elementwise nodes on the chain's value and scalar constants (as ONNX writes GELU): evaluated on
         * sample points, it is taken as backprop's GELU when it equals it.
         */
        private void chain(int from) {
            Set<String> values = new HashSet<>(List.of(cur));
            List<NodeProto> nodes = new ArrayList<>();
            int j = from;
            for (; j < graph.getNodeCount(); j++) {
                NodeProto n = graph.getNode(j);
                if (!ELEMENTWISE.contains(n.getOpType()) || n.getInputCount() == 0 || n.getInputCount() > 2) break;
                boolean fits = true;
                for (String in : n.getInputList()) {
                    Constant c = constants.get(in);
                    if (!values.contains(in) && !(c != null && c.scalar())) fits = false;
                }
                if (!fits) break;
                nodes.add(n);
                values.add(n.getOutput(0));
            }
            NodeProto first = graph.getNode(from);
            if (nodes.isEmpty()) throw refuse(first, "an elementwise " + first.getOpType() + " backprop has no layer for");
            for (NodeProto n : nodes) {
                if (n.getOpType().equals("Erf")) {
                    throw refuse(n, "GELU in its erf form (backprop's gelu is the tanh form; the two differ by up to 1e-3)");
                }
            }
            String out = nodes.getLast().getOutput(0);
            double worst = 0;
            for (int k = 0; k <= 200; k++) {
                double z = -6 + 12.0 * k / 200;
                double got = evaluate(nodes, z), want = 0.5 * z * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (z + 0.044715 * z * z * z)));
                worst = Math.max(worst, Math.abs(got - want));
            }
            if (!(worst < 1e-5)) throw refuse(first, "a run of " + nodes.size() + " elementwise nodes that is no activation backprop has");
            for (int k = from; k < from + nodes.size(); k++) done.add(k);
            flush();
            layers.add(Activation.gelu());
            cur = out;
        }

        private double evaluate(List<NodeProto> nodes, double z) {
            Map<String, Double> v = new HashMap<>();
            v.put(cur, z);
            for (NodeProto n : nodes) {
                double a = value(v, n.getInput(0)), b = n.getInputCount() > 1 ? value(v, n.getInput(1)) : 0;
                v.put(n.getOutput(0), switch (n.getOpType()) {
                    case "Mul" -> a * b;
                    case "Add" -> a + b;
                    case "Sub" -> a - b;
                    case "Div" -> a / b;
                    case "Pow" -> Math.pow(a, b);
                    case "Tanh" -> Math.tanh(a);
                    case "Sqrt" -> Math.sqrt(a);
                    case "Neg" -> -a;
                    default -> Double.NaN;
                });
            }
            return v.get(nodes.getLast().getOutput(0));
        }

        private double value(Map<String, Double> v, String name) {
            Double d = v.get(name);
            return d != null ? d : constants.get(name).values[0];
        }

        // ------------------------------------------------------------ helpers

        private Constant constant(NodeProto n, int input) {
            if (n.getInputCount() <= input) throw refuse(n, "a missing input " + input);
            Constant c = constants.get(n.getInput(input));
            if (c == null) throw refuse(n, "input '" + n.getInput(input) + "' that is not a constant (weights must be initializers)");
            return c;
        }

        private static AttributeProto attribute(NodeProto n, String name) {
            for (AttributeProto a : n.getAttributeList()) if (a.getName().equals(name)) return a;
            return null;
        }

        private static long intAttribute(NodeProto n, String name, long otherwise) {
            AttributeProto a = attribute(n, name);
            return a == null ? otherwise : a.getI();
        }

        private static float floatAttribute(NodeProto n, String name, float otherwise) {
            AttributeProto a = attribute(n, name);
            return a == null ? otherwise : a.getF();
        }

        private static IllegalArgumentException refuse(NodeProto n, String what) {
            String name = n.getName().isEmpty() ? "(unnamed, output '" + (n.getOutputCount() > 0 ? n.getOutput(0) : "") + "')" : "'" + n.getName() + "'";
            return new IllegalArgumentException("cannot import node " + name + " (" + n.getOpType() + "): " + what);
        }
    }

    /** The values of a float (or double) tensor; other element types and external data are refused. */
    static Constant constant(TensorProto t) {
        if (t.getDataLocation() == 1 || t.getExternalDataCount() > 0) {
            throw new IllegalArgumentException("tensor '" + t.getName() + "' is stored in another file (external data): not read");
        }
        long count = 1;
        long[] dims = new long[t.getDimsCount()];
        for (int i = 0; i < dims.length; i++) {
            dims[i] = t.getDims(i);
            if (dims[i] < 0) throw new IllegalArgumentException("tensor '" + t.getName() + "' has a negative dimension");
            if (dims[i] > Integer.MAX_VALUE) throw new IllegalArgumentException("tensor '" + t.getName() + "' has a dimension of " + dims[i]);
            if (dims[i] > 0 && count > Long.MAX_VALUE / dims[i]) {
                throw new IllegalArgumentException("tensor '" + t.getName() + "' has a shape of more values than a long counts");
            }
            count *= dims[i];
        }
        if (count > Integer.MAX_VALUE / 8) throw new IllegalArgumentException("tensor '" + t.getName() + "' has " + count + " values: too many");
        // The values must be there before anything is allocated for them: a header cannot make the reader allocate.
        long stored = switch (t.getDataType()) {
            case TensorProto.DataType.FLOAT_VALUE -> t.hasRawData() ? t.getRawData().size() / 4L : t.getFloatDataCount();
            case TensorProto.DataType.DOUBLE_VALUE -> t.hasRawData() ? t.getRawData().size() / 8L : t.getDoubleDataCount();
            default -> count;
        };
        if (stored != count) {
            throw new IllegalArgumentException("tensor '" + t.getName() + "': " + stored + " values stored for shape " + java.util.Arrays.toString(dims));
        }
        if (t.getDataType() != TensorProto.DataType.FLOAT_VALUE && t.getDataType() != TensorProto.DataType.DOUBLE_VALUE) {
            return new Constant(dims, null);      // integer shapes and the like: kept out, refused where used as weights
        }
        float[] v = new float[(int) count];
        switch (t.getDataType()) {
            case TensorProto.DataType.FLOAT_VALUE -> {
                if (t.hasRawData()) {
                    if (t.getRawData().size() != 4L * count) throw new IllegalArgumentException("tensor '" + t.getName() + "': "
                            + t.getRawData().size() + " bytes for " + count + " floats");
                    ByteBuffer b = t.getRawData().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
                    for (int i = 0; i < v.length; i++) v[i] = b.getFloat();
                } else {
                    if (t.getFloatDataCount() != count) throw new IllegalArgumentException("tensor '" + t.getName() + "': "
                            + t.getFloatDataCount() + " values for " + count);
                    for (int i = 0; i < v.length; i++) v[i] = t.getFloatData(i);
                }
            }
            case TensorProto.DataType.DOUBLE_VALUE -> {
                if (t.hasRawData()) {
                    if (t.getRawData().size() != 8L * count) throw new IllegalArgumentException("tensor '" + t.getName() + "': wrong size");
                    ByteBuffer b = t.getRawData().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
                    for (int i = 0; i < v.length; i++) v[i] = (float) b.getDouble();
                } else {
                    if (t.getDoubleDataCount() != count) throw new IllegalArgumentException("tensor '" + t.getName() + "': wrong size");
                    for (int i = 0; i < v.length; i++) v[i] = (float) t.getDoubleData(i);
                }
            }
            default -> {
                return new Constant(dims, null);      // integer shapes and the like: kept, refused where used as weights
            }
        }
        return new Constant(dims, v);
    }
}
