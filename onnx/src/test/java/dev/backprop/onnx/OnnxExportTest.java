package dev.backprop.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import dev.backprop.data.Table;
import dev.backprop.encode.CategoricalEncoder;
import dev.backprop.encode.ColumnEncoder;
import dev.backprop.encode.MissingValues;
import dev.backprop.encode.NumericEncoder;
import dev.backprop.encode.Scaling;
import dev.backprop.encode.TableEncoder;
import dev.backprop.loss.BinaryCrossEntropy;
import dev.backprop.loss.Loss;
import dev.backprop.loss.MeanAbsoluteError;
import dev.backprop.loss.MeanSquaredError;
import dev.backprop.model.Model;
import dev.backprop.model.Prediction;
import dev.backprop.nn.Activation;
import dev.backprop.onnx.proto.Onnx.ModelProto;
import dev.backprop.train.Task;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

/**
 * Every exported graph runs in ONNX Runtime and gives what {@link Model#predict} gives, on a few hundred rows of a
 * table with numeric columns (with missing cells), a text column and a class or numeric target: for every activation,
 * for cross-entropy, binary cross-entropy and regression heads, with missing-value indicators and min-max scaling.
 */
class OnnxExportTest {
    static final int ROWS = 300;

    /** A table of columns a, b (numbers, some missing), colour (text, some missing), and targets kind and y. */
    static Table table(long seed) throws Exception {
        SplittableRandom rng = new SplittableRandom(seed);
        String[] colours = {"red", "green", "blue"};
        List<List<String>> rows = new ArrayList<>();
        for (int i = 0; i < ROWS; i++) {
            double a = rng.nextDouble(-3, 3), b = rng.nextDouble(0, 100);
            int k = rng.nextInt(3);
            int cls = a + (k == 0 ? 1 : 0) > 0.5 ? 2 : b > 50 ? 1 : 0;
            double y = 1000 + 300 * a - 4 * b + 50 * k + rng.nextGaussian();
            rows.add(List.of(i % 17 == 3 ? "" : String.format(Locale.ROOT, "%.4f", a), i % 23 == 5 ? "NA" : String.format(Locale.ROOT, "%.3f", b),
                    i % 19 == 7 ? "" : colours[k], Integer.toString(cls), String.format(Locale.ROOT, "%.3f", y), cls == 2 ? "1" : "0"));
        }
        return Table.of("test table", List.of("a", "b", "colour", "kind", "y", "big"), rows);
    }

    /** The graph's input for each row of {@code table}: numbers in their units (NaN when missing), one-hot text. */
    static float[][] inputs(TableEncoder enc, Table table) {
        float[][] x = new float[table.size()][];
        for (int r = 0; r < table.size(); r++) {
            List<Float> row = new ArrayList<>();
            for (ColumnEncoder col : enc.columns()) {
                String cell = table.cell(r, table.columns().indexOf(col.featureNames().getFirst().split("=")[0].split(" \\(")[0]));
                boolean missing = MissingValues.DEFAULT.isMissing(cell);
                switch (col) {
                    case NumericEncoder n -> row.add(missing ? Float.NaN : Float.parseFloat(cell));
                    case CategoricalEncoder c -> {
                        for (String cat : c.categories()) row.add(!missing && cat.equals(cell) ? 1f : 0f);
                        if (c.missingCategory()) row.add(missing ? 1f : 0f);
                    }
                    default -> throw new AssertionError(col);
                }
            }
            x[r] = new float[row.size()];
            for (int i = 0; i < row.size(); i++) x[r][i] = row.get(i);
        }
        return x;
    }

    /** The rows through ONNX Runtime: the named output as rows of floats. */
    static float[][] run(byte[] onnx, float[][] x, String output) throws Exception {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession s = env.createSession(onnx, new OrtSession.SessionOptions());
             OnnxTensor t = OnnxTensor.createTensor(env, x);
             OrtSession.Result r = s.run(Map.of(OnnxExport.INPUT, t))) {
            return (float[][]) r.get(output).orElseThrow().getValue();
        }
    }

    static long[] classes(byte[] onnx, float[][] x) throws Exception {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession s = env.createSession(onnx, new OrtSession.SessionOptions());
             OnnxTensor t = OnnxTensor.createTensor(env, x);
             OrtSession.Result r = s.run(Map.of(OnnxExport.INPUT, t))) {
            return (long[]) r.get("class_index").orElseThrow().getValue();
        }
    }

    /** The largest difference between ONNX Runtime's outputs and ours, relative to max(1, |ours|). */
    static double compare(Model m, Table table, byte[] onnx) throws Exception {
        List<Prediction> ours = m.predict(table).predictions();
        float[][] x = inputs((TableEncoder) m.encoder(), table);
        boolean classes = ours.getFirst() instanceof Prediction.Label;
        float[][] theirs = run(onnx, x, classes ? "probabilities" : "predictions");
        long[] index = classes ? classes(onnx, x) : null;
        double worst = 0;
        for (int i = 0; i < ours.size(); i++) {
            Map<String, Double> values = switch (ours.get(i)) {
                case Prediction.Label l -> {
                    assertEquals(l.index(), index[i], "row " + i + "'s class");
                    yield l.probabilities();
                }
                case Prediction.Values v -> v.values();
            };
            int j = 0;
            for (double v : values.values()) {
                worst = Math.max(worst, Math.abs(v - theirs[i][j]) / Math.max(1, Math.abs(v)));
                j++;
            }
            assertEquals(values.size(), theirs[i].length);
        }
        return worst;
    }

    static Model train(Table table, String target, Activation.Kind act, Loss loss, Task task) throws Exception {
        var b = Model.builder().target(target).features(List.of("a", "b", "colour")).hiddenLayers(List.of(8, 6)).activation(act).epochs(3).seed(4).validationFraction(0);
        if (loss != null) b.loss(loss);
        if (task != null) b.task(task);
        return b.fit(table);
    }

    @ParameterizedTest
    @EnumSource(value = Activation.Kind.class, names = {"RELU", "LEAKY_RELU", "SIGMOID", "TANH", "ELU", "GELU"})
    void everyActivationAndHeadRunsInOnnxRuntimeAsHere(Activation.Kind act) throws Exception {
        Table t = table(act.ordinal());
        Model classes = train(t, "kind", act, null, Task.CLASSIFICATION);
        Model binary = train(t, "big", act, new BinaryCrossEntropy(), Task.CLASSIFICATION);
        Model regression = train(t, "y", act, new MeanSquaredError(), Task.REGRESSION);
        Model absolute = train(t, "y", act, new MeanAbsoluteError(), Task.REGRESSION);
        for (Model m : List.of(classes, binary, regression, absolute)) {
            double worst = compare(m, t, OnnxExport.of(m).toByteArray());
            assertTrue(worst < 1e-5, act + ", " + m.loss().name() + ": largest difference " + worst);
        }
    }

    @Test
    void missingIndicatorsMinMaxScalingAndDropoutExportToo() throws Exception {
        Table t = table(9);
        Model m = Model.builder().target("kind").features(List.of("a", "b", "colour")).hiddenLayers(List.of(12)).missingIndicators(true).scaling(Scaling.MIN_MAX)
                .dropout(0.3).epochs(3).seed(5).validationFraction(0).fit(t);
        assertTrue(m.encoder().featureNames().stream().anyMatch(n -> n.endsWith("(missing)")), m.encoder().featureNames().toString());
        double worst = compare(m, t, OnnxExport.of(m).toByteArray());
        assertTrue(worst < 1e-5, "largest difference " + worst);
    }

    /**
     * A classifier whose network has a batch normalisation with running statistics of its own (no command trains one
     * from a table): the network of a trained model with a BatchNorm1d put after its first layer, saved and loaded.
     */
    static Model withBatchNorm(Table t, java.nio.file.Path dir) throws Exception {
        Model base = train(t, "kind", Activation.Kind.RELU, null, Task.CLASSIFICATION);
        List<dev.backprop.nn.Module> layers = new ArrayList<>(((dev.backprop.nn.Sequential) base.network()).layers());
        int width = ((dev.backprop.nn.Linear) layers.getFirst()).outputs();
        dev.backprop.nn.BatchNorm1d bn = new dev.backprop.nn.BatchNorm1d(width, 1e-3, 0.1);
        SplittableRandom r = new SplittableRandom(2);
        var state = bn.stateDict();
        for (int i = 0; i < width; i++) {
            state.get("running_mean").floats()[i] = (float) r.nextGaussian();
            state.get("running_var").floats()[i] = (float) (0.5 + r.nextDouble());
            state.get("weight").floats()[i] = (float) (0.5 + r.nextDouble());
            state.get("bias").floats()[i] = (float) r.nextGaussian();
        }
        layers.add(1, bn);
        java.nio.file.Path f = dir.resolve("batch-norm.bpm");
        dev.backprop.io.ModelFile.save(f, dev.backprop.io.SavedModel.builder(new dev.backprop.nn.Sequential(layers), base.provenance())
                .loss(base.loss().config()).preprocessing(base.encoder().toMap()).build());
        return Model.load(f);
    }

    @Test
    void batchNormalisationExportsInItsInferenceForm(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        Table t = table(12);
        Model m = withBatchNorm(t, dir);
        assertTrue(OnnxExport.of(m).getGraph().getNodeList().stream().anyMatch(n -> n.getOpType().equals("BatchNormalization")));
        double worst = compare(m, t, OnnxExport.of(m).toByteArray());
        assertTrue(worst < 1e-5, "largest difference " + worst);
    }

    @Test
    void theGraphNamesItsInputsOutputsAndClasses() throws Exception {
        Table t = table(3);
        Model m = train(t, "kind", Activation.Kind.RELU, null, Task.CLASSIFICATION);
        ModelProto p = OnnxExport.of(m);
        assertEquals(OnnxExport.IR_VERSION, p.getIrVersion());
        assertEquals(OnnxExport.OPSET, p.getOpsetImport(0).getVersion());
        assertEquals("features", p.getGraph().getInput(0).getName());
        assertEquals("batch", p.getGraph().getInput(0).getType().getTensorType().getShape().getDim(0).getDimParam());
        assertEquals(List.of("probabilities", "class_index"), p.getGraph().getOutputList().stream().map(v -> v.getName()).toList());
        Map<String, String> meta = new java.util.HashMap<>();
        p.getMetadataPropsList().forEach(e -> meta.put(e.getKey(), e.getValue()));
        assertEquals("[\"0\",\"1\",\"2\"]", meta.get("class_names"));
        assertEquals("[\"a\",\"b\",\"colour=blue\",\"colour=green\",\"colour=red\",\"colour=(missing)\"]", meta.get("input_names"));
        assertTrue(meta.get("backprop_provenance").contains("library_version"), meta.toString());
    }

    @Test
    void aLayerWithoutAnOnnxFormIsRefusedByName() {
        dev.backprop.nn.Module custom = new dev.backprop.nn.Module() {
            @Override
            public dev.backprop.tensor.Tensor forward(dev.backprop.tensor.Tensor x, dev.backprop.nn.Mode mode) {
                return x;
            }

            @Override
            public Map<String, Object> config() {
                return Map.of("type", "my_layer");
            }
        };
        var e = assertThrows(IllegalArgumentException.class, () -> OnnxExport.layerForTest(custom));
        assertTrue(e.getMessage().contains("my_layer"), e.getMessage());
    }
}
