package dev.backprop.cli;

import dev.backprop.io.ModelFile;
import dev.backprop.io.TorchWeights;
import dev.backprop.model.Model;
import dev.backprop.onnx.OnnxExport;
import dev.backprop.onnx.proto.Onnx.ModelProto;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code backprop export}: a model for other tools, as ONNX or as weights alone. */
@Command(name = "export", mixinStandardHelpOptions = true, sortOptions = false,
        header = "Write a model for other tools: ONNX, or its weights alone for PyTorch.",
        customSynopsis = "backprop export --model MODEL.bpm --format onnx|safetensors|spec [--weights-only] --out FILE",
        synopsisHeading = "%nUsage: ", descriptionHeading = "%n", optionListHeading = "%nOptions:%n", footerHeading = "%nExamples:%n",
        description = {"onnx: the whole model as ONNX Runtime and other tools run it. It takes one float input, 'features' "
                + "[batch, inputs]: the numbers of a CSV row in their own units (NaN for a missing cell), a text column as one 0/1 "
                + "column per category; 'backprop export' prints the columns in order. It returns 'probabilities' and "
                + "'class_index' for a classifier (class names in the metadata), 'predictions' in the target's units for a "
                + "regression.",
                "safetensors --weights-only: the weights under the names PyTorch's nn.Sequential gives them, for "
                        + "load_state_dict(..., strict=True)."},
        footer = {"  backprop export --model iris.bpm --format onnx --out iris.onnx",
                "  backprop export --model torch.bpm --format spec --out net.json",
                "  backprop export --model iris.bpm --format safetensors --weights-only --out iris.safetensors"})
final class ExportCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--model", required = true, paramLabel = "MODEL.bpm", description = "The model file.")
    Path model;

    @Option(names = "--format", paramLabel = "onnx|safetensors|spec", description = "What to write (default: onnx); spec: the layers "
            + "and weights as a JSON spec, which 'train --model' fine-tunes.")
    String format = "onnx";

    @Option(names = "--weights-only", description = "With --format safetensors: the network's weights alone (no optimizer state, "
            + "no preprocessing).")
    boolean weightsOnly;

    @Option(names = "--out", required = true, paramLabel = "FILE", description = "Where to write it (atomically).")
    Path out;

    @Override
    public Integer call() throws Exception {
        String f = format.strip().toLowerCase(Locale.ROOT);
        PrintWriter w = spec.commandLine().getOut();
        switch (f) {
            case "onnx" -> {
                if (weightsOnly) throw new ParameterException(spec.commandLine(), "--weights-only goes with --format safetensors");
                Model m = Model.load(model);
                ModelProto p;
                try {
                    p = OnnxExport.of(m);
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException(model + ": " + e.getMessage(), e);
                }
                dev.backprop.io.AtomicWrite.bytes(out, p.toByteArray());
                var g = p.getGraph();
                w.printf(Locale.ROOT, "wrote %s: ONNX IR %d, opset %d, %,d bytes%n", out, p.getIrVersion(), OnnxExport.OPSET, p.getSerializedSize());
                var inputs = OnnxExport.inputNames(m.encoder());
                w.printf(Locale.ROOT, "  input   %s [batch, %d]: %s%n", OnnxExport.INPUT, inputs.size(),
                        inputs.size() > 12 ? String.join(", ", inputs.subList(0, 12)) + ", ... (" + inputs.size() + " columns)" : String.join(", ", inputs));
                for (var o : g.getOutputList()) w.printf(Locale.ROOT, "  output  %s%n", o.getName());
                p.getMetadataPropsList().stream().filter(e -> e.getKey().equals("class_names"))
                        .forEach(e -> w.printf(Locale.ROOT, "  classes %s%n", e.getValue()));
            }
            case "safetensors" -> {
                if (!weightsOnly) {
                    throw new ParameterException(spec.commandLine(), "--format safetensors writes the weights alone: add --weights-only "
                            + "(a .bpm file is already safetensors, with the optimizer state and preprocessing too)");
                }
                TorchWeights.write(ModelFile.load(model).module(), out);
                w.printf(Locale.ROOT, "wrote %s: the weights alone, named as PyTorch's nn.Sequential state_dict names them%n", out);
            }
            case "spec" -> {
                dev.backprop.io.SavedModel saved = ModelFile.load(model);
                String loss = saved.loss() == null ? null : String.valueOf(saved.loss().get("name"));
                if (loss != null && !dev.backprop.io.NetworkSpec.LOSSES.contains(loss)) loss = null;
                String json;
                try {
                    json = dev.backprop.io.NetworkSpec.toJson(dev.backprop.io.NetworkSpec.asPairs(saved.module()), loss);
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException(model + ": " + e.getMessage().replaceFirst("^toJson: ", ""), e);
                }
                dev.backprop.io.AtomicWrite.bytes(out, json.getBytes(java.nio.charset.StandardCharsets.UTF_8));
                w.printf(Locale.ROOT, "wrote %s: the layers and their weights as a JSON spec (train --model %s --scaling none fine-tunes "
                        + "them on a table of the same inputs)%n", out, out);
            }
            default -> throw new ParameterException(spec.commandLine(), "--format must be onnx, safetensors or spec, got '" + format + "'");
        }
        w.flush();
        return 0;
    }
}
