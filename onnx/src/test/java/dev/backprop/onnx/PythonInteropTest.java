package dev.backprop.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.backprop.data.Table;
import dev.backprop.io.JsonText;
import dev.backprop.io.TorchWeights;
import dev.backprop.loss.BinaryCrossEntropy;
import dev.backprop.loss.MeanSquaredError;
import dev.backprop.model.Model;
import dev.backprop.nn.Activation;
import dev.backprop.nn.BatchNorm1d;
import dev.backprop.nn.Dropout;
import dev.backprop.nn.Linear;
import dev.backprop.nn.Module;
import dev.backprop.nn.Rescale;
import dev.backprop.nn.Sequential;
import dev.backprop.tensor.Tensor;
import dev.backprop.train.Task;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The checks that need Python (slow profile; {@code scripts/ensure-python-interop.sh} installs Debian's python3-onnx
 * and python3-torch, and the test fails, not skips, without them): ONNX's own checker accepts every exported file,
 * and weights-only files load strictly into PyTorch's matching {@code nn.Sequential} and give the same outputs.
 */
@Tag("slow")
class PythonInteropTest {
    @TempDir
    Path dir;

    private Path script() throws Exception {
        Path s = dir.resolve("python_interop.py");
        try (InputStream in = PythonInteropTest.class.getResourceAsStream("python_interop.py")) {
            Files.copy(in, s, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        return s;
    }

    /** Runs Debian's Python (isolated: no directory of this project on its path) and returns its output. */
    private String python(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("/usr/bin/python3", "-I", script().toString()));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(300, TimeUnit.SECONDS), "python ran too long");
        assertEquals(0, p.exitValue(), "python " + String.join(" ", args) + ":\n" + out);
        return out;
    }

    @Test
    void onnxsCheckerAcceptsEveryExport() throws Exception {
        Table t = OnnxExportTest.table(31);
        List<String> files = new ArrayList<>();
        int k = 0;
        for (Activation.Kind act : List.of(Activation.Kind.RELU, Activation.Kind.GELU, Activation.Kind.ELU, Activation.Kind.LEAKY_RELU)) {
            for (Model m : List.of(OnnxExportTest.train(t, "kind", act, null, Task.CLASSIFICATION),
                    OnnxExportTest.train(t, "big", act, new BinaryCrossEntropy(), Task.CLASSIFICATION),
                    OnnxExportTest.train(t, "y", act, new MeanSquaredError(), Task.REGRESSION))) {
                Path f = dir.resolve("m" + (k++) + ".onnx");
                OnnxExport.write(m, f);
                files.add(f.toString());
            }
        }
        Path indicators = dir.resolve("indicators.onnx"), batchNorm = dir.resolve("batch-norm.onnx");
        OnnxExport.write(Model.builder().target("kind").features(List.of("a", "b", "colour")).missingIndicators(true).epochs(2)
                .validationFraction(0).fit(t), indicators);
        OnnxExport.write(OnnxExportTest.withBatchNorm(t, dir), batchNorm);
        files.add(indicators.toString());
        files.add(batchNorm.toString());
        List<String> args = new ArrayList<>(List.of("check"));
        args.addAll(files);
        String out = python(args.toArray(String[]::new));
        assertEquals(files.size(), out.lines().filter(l -> l.startsWith("ok ") && l.endsWith("ir 8 opset 13")).count(), out);
    }

    /** Our layers as the script's description of the matching nn.Sequential. */
    private static List<Object> layers(Sequential net) {
        List<Object> out = new ArrayList<>();
        for (Module m : net.layers()) {
            out.add(switch (m) {
                case Linear l -> List.of("linear", l.inputs(), l.outputs(), l.bias() != null);
                case BatchNorm1d b -> List.of("batch_norm", b.stateDict().get("weight").size(), b.eps(), b.momentum());
                case Activation a -> switch (a.kind()) {
                    case LEAKY_RELU, ELU -> List.of(a.kind().id(), a.parameter());
                    default -> List.of(a.kind().id());
                };
                case Dropout d -> List.of("dropout");
                default -> throw new AssertionError(m);
            });
        }
        return out;
    }

    @Test
    void weightsOnlyFilesLoadStrictlyIntoPyTorchAndGiveTheSameOutputs() throws Exception {
        SplittableRandom r = new SplittableRandom(8);
        List<Sequential> nets = new ArrayList<>();
        for (Activation act : List.of(Activation.relu(), Activation.tanh(), Activation.sigmoid(), Activation.leakyRelu(0.2),
                Activation.elu(0.7), Activation.gelu())) {
            nets.add(new Sequential(new Linear(5, 7, r), act, new Linear(7, 3, r), Activation.softmax()));
        }
        BatchNorm1d bn = new BatchNorm1d(7);
        Tensor mean = bn.stateDict().get("running_mean"), var = bn.stateDict().get("running_var");
        for (int i = 0; i < 7; i++) {
            mean.floats()[i] = (float) r.nextGaussian();
            var.floats()[i] = (float) (0.5 + r.nextDouble());
        }
        nets.add(new Sequential(new Linear(5, 7, r), bn, Activation.relu(), new Dropout(0.2), new Linear(7, 1, r),
                Rescale.standardising(new double[] {50}, new double[] {9})));
        int n = 64;
        float[] x = new float[n * 5];
        for (int i = 0; i < x.length; i++) x[i] = (float) r.nextGaussian();
        Path in = dir.resolve("x.f32");
        Files.write(in, bytes(x));
        int k = 0;
        for (Sequential net : nets) {
            Path w = dir.resolve("w" + k + ".safetensors"), arch = dir.resolve("layers" + k + ".json"), out = dir.resolve("y" + k + ".f32");
            k++;
            TorchWeights.write(net, w);
            var ending = Rescale.ending(net);
            Sequential torchForm = ending == null ? net : (Sequential) ending.before();    // PyTorch has no rescale
            Files.writeString(arch, JsonText.compact(layers(torchForm)));
            python("torch", w.toString(), arch.toString(), in.toString(), out.toString());
            float[] ours = torchForm.forward(Tensor.wrap(x.clone(), n, 5)).toFloatArray();
            ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(out)).order(ByteOrder.LITTLE_ENDIAN);
            assertEquals(ours.length * 4, b.capacity(), "outputs of network " + k);
            double worst = 0;
            for (float v : ours) worst = Math.max(worst, Math.abs(v - b.getFloat()));
            assertTrue(worst < 1e-5, "network " + k + ": largest difference from PyTorch " + worst);
        }
    }

    private static byte[] bytes(float[] v) {
        ByteBuffer b = ByteBuffer.allocate(v.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (float f : v) b.putFloat(f);
        return b.array();
    }
}
