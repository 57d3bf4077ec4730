package dev.backprop.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.backprop.data.DataFormatException;
import dev.backprop.data.Table;
import dev.backprop.loss.BinaryCrossEntropy;
import dev.backprop.loss.MeanSquaredError;
import dev.backprop.model.Model;
import dev.backprop.nn.Activation;
import dev.backprop.onnx.proto.Onnx.ModelProto;
import dev.backprop.onnx.proto.Onnx.NodeProto;
import dev.backprop.train.Task;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Export, import and export again give the same predictions (to 1e-6) in ONNX Runtime; the imported model file
 * loads, evaluates and keeps the names; what cannot be expressed is refused naming the node.
 */
class OnnxImportTest {
    @TempDir
    Path dir;

    private float[][] roundTrip(Model m, Table t, String output, String name) throws Exception {
        Path first = dir.resolve(name + ".onnx"), model = dir.resolve(name + ".bpm"), second = dir.resolve(name + "-again.onnx");
        OnnxExport.write(m, first);
        OnnxImport.Imported imported = OnnxImport.read(first, null);
        OnnxImport.save(imported, first.toString(), model);
        Model back = Model.load(model);
        OnnxExport.write(back, second);
        float[][] x = OnnxExportTest.inputs((dev.backprop.encode.TableEncoder) m.encoder(), t);
        float[][] a = OnnxExportTest.run(Files.readAllBytes(first), x, output), b = OnnxExportTest.run(Files.readAllBytes(second), x, output);
        double worst = 0;
        for (int i = 0; i < a.length; i++) {
            for (int j = 0; j < a[i].length; j++) worst = Math.max(worst, Math.abs(a[i][j] - b[i][j]) / Math.max(1, Math.abs(a[i][j])));
        }
        assertTrue(worst < 1e-6, name + ": largest difference " + worst);
        assertEquals(m.task(), back.task(), name);
        return a;
    }

    @ParameterizedTest
    @EnumSource(value = Activation.Kind.class, names = {"RELU", "LEAKY_RELU", "SIGMOID", "TANH", "ELU", "GELU"})
    void exportImportExportGivesTheSamePredictions(Activation.Kind act) throws Exception {
        Table t = OnnxExportTest.table(10 + act.ordinal());
        roundTrip(OnnxExportTest.train(t, "kind", act, null, Task.CLASSIFICATION), t, "probabilities", act + "-classes");
        roundTrip(OnnxExportTest.train(t, "big", act, new BinaryCrossEntropy(), Task.CLASSIFICATION), t, "probabilities", act + "-binary");
        roundTrip(OnnxExportTest.train(t, "y", act, new MeanSquaredError(), Task.REGRESSION), t, "predictions", act + "-regression");
    }

    @Test
    void anImportedModelKeepsItsNamesAndEvaluatesAsTheOriginal() throws Exception {
        Table t = OnnxExportTest.table(21);
        Model m = OnnxExportTest.train(t, "kind", Activation.Kind.TANH, null, Task.CLASSIFICATION);
        Path onnx = dir.resolve("m.onnx"), bpm = dir.resolve("m.bpm");
        OnnxExport.write(m, onnx);
        OnnxImport.Imported imported = OnnxImport.read(onnx, null);
        assertTrue(imported.notes().stream().anyMatch(n -> n.contains("inferred from the final softmax")), imported.notes().toString());
        OnnxImport.save(imported, onnx.toString(), bpm);
        Model back = Model.load(bpm);
        assertEquals(List.of("0", "1", "2"), back.encoder().classLabels());
        assertEquals(OnnxExport.inputNames(m.encoder()), back.encoder().featureNames());
        // The imported model reads rows whose columns are the graph's inputs: numbers, and one 0/1 column per category.
        float[][] x = OnnxExportTest.inputs((dev.backprop.encode.TableEncoder) m.encoder(), t);
        List<String> names = back.encoder().featureNames();
        List<List<String>> rows = new java.util.ArrayList<>();
        for (int i = 0; i < x.length; i++) {
            List<String> row = new java.util.ArrayList<>();
            for (float v : x[i]) row.add(Float.isNaN(v) ? "" : Float.toString(v));
            row.add(t.cell(i, t.columns().indexOf("kind")));
            rows.add(row);
        }
        List<String> columns = new java.util.ArrayList<>(names);
        columns.add("class");
        Table inputs = Table.of("graph inputs", columns, rows);
        double original = m.evaluate(t).evaluation().classification().accuracy();
        double imported2 = back.evaluate(inputs).evaluation().classification().accuracy();
        assertEquals(original, imported2, 1e-12);
    }

    @Test
    void whatCannotBeExpressedIsRefusedNamingTheNode() throws Exception {
        Table t = OnnxExportTest.table(22);
        Model m = OnnxExportTest.train(t, "kind", Activation.Kind.RELU, null, Task.CLASSIFICATION);
        ModelProto p = OnnxExport.of(m);
        var g = p.getGraph().toBuilder();
        NodeProto relu = g.getNodeList().stream().filter(n -> n.getOpType().equals("Relu")).findFirst().orElseThrow();
        int at = g.getNodeList().indexOf(relu);
        g.setNode(at, relu.toBuilder().setOpType("Softsign").setName("my_softsign"));
        var e = assertThrows(IllegalArgumentException.class, () -> OnnxImport.of(p.toBuilder().setGraph(g).build(), null));
        assertEquals("cannot import node 'my_softsign' (Softsign): an operator backprop has no layer for", e.getMessage());

        Path bad = dir.resolve("bad.onnx");
        Files.write(bad, new byte[] {1, 2, 3, 4, 5});
        var e2 = assertThrows(DataFormatException.class, () -> OnnxImport.read(bad, null));
        assertTrue(e2.getMessage().startsWith(bad + ": not an ONNX model"), e2.getMessage());
    }

    @Test
    void geluInItsErfFormIsRefusedWithTheReason() throws Exception {
        Table t = OnnxExportTest.table(23);
        Model m = OnnxExportTest.train(t, "kind", Activation.Kind.GELU, null, Task.CLASSIFICATION);
        ModelProto p = OnnxExport.of(m);
        var g = p.getGraph().toBuilder();
        for (int i = 0; i < g.getNodeCount(); i++) {
            if (g.getNode(i).getOpType().equals("Tanh")) g.setNode(i, g.getNode(i).toBuilder().setOpType("Erf"));
        }
        var e = assertThrows(IllegalArgumentException.class, () -> OnnxImport.of(p.toBuilder().setGraph(g).build(), null));
        assertTrue(e.getMessage().contains("(Erf): GELU in its erf form"), e.getMessage());
    }
}
