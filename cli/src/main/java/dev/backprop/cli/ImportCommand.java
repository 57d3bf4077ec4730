package dev.backprop.cli;

import dev.backprop.data.DataFormatException;
import dev.backprop.io.NetworkSpec;
import dev.backprop.io.TorchWeights;
import dev.backprop.loss.Loss;
import dev.backprop.onnx.OnnxImport;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code backprop import}: a network from elsewhere (ONNX, or PyTorch weights and a spec) as a model file. */
@Command(name = "import", mixinStandardHelpOptions = true, sortOptions = false,
        header = "Make a model file of a network from ONNX, or from PyTorch weights and a spec.",
        customSynopsis = {"backprop import MODEL.onnx --out MODEL.bpm [--loss NAME]",
                "       backprop import WEIGHTS.safetensors --spec NET.json --out MODEL.bpm [OPTIONS]"},
        synopsisHeading = "%nUsage: ", descriptionHeading = "%n", optionListHeading = "%nOptions:%n", parameterListHeading = "%nArguments:%n",
        footerHeading = "%nExamples:%n",
        description = {"ONNX: a chain of Gemm (or MatMul and Add) layers and the activations Relu, LeakyRelu, Sigmoid, Tanh, Elu, "
                + "Softmax, GELU (tanh form), BatchNormalization; anything else is refused, naming the first node that is not.",
                "Safetensors: the weights of the network the spec describes, under PyTorch's nn.Sequential names, loaded strictly.",
                "The model then works with evaluate, predict, explain, gradients and inspect. Its inputs are the network's, unscaled, "
                        + "named as the ONNX file from 'backprop export' names them (else x0, x1, ...). The loss is --loss, or is "
                        + "inferred from the network's end and said."},
        footer = {"  backprop import iris.onnx --out iris-again.bpm",
                "  backprop import torch.safetensors --spec net.json --out net.bpm --inputs sepal_length,sepal_width,petal_length,petal_width"})
final class ImportCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "FILE", description = "An ONNX file (.onnx) or safetensors weights (.safetensors, with --spec).")
    Path file;

    @Option(names = "--spec", paramLabel = "NET.json", description = "The network's layers, as a JSON spec (for safetensors weights).")
    Path specFile;

    @Option(names = "--out", required = true, paramLabel = "MODEL.bpm", description = "The model file to write (atomically).")
    Path out;

    @Option(names = "--loss", paramLabel = "NAME", description = "The loss, which decides the task: half-sse, mse, mae, huber, "
            + "cross-entropy, bce (default: inferred from the network's end).")
    String loss;

    @Option(names = "--inputs", split = ",", paramLabel = "A,B,...", hideParamSyntax = true, description = "Names of the inputs "
            + "(default: from the ONNX file's metadata, else x0, x1, ...).")
    List<String> inputs;

    @Option(names = "--classes", split = ",", paramLabel = "X,Y,...", hideParamSyntax = true, description = "Names of the classes, "
            + "in output order (default: from the ONNX metadata, else 0, 1, ...).")
    List<String> classes;

    @Override
    public Integer call() throws Exception {
        Loss given = null;
        if (loss != null) {
            try {
                given = Loss.byName(loss);
            } catch (IllegalArgumentException e) {
                throw new ParameterException(spec.commandLine(), e.getMessage());
            }
        }
        String name = file.getFileName() == null ? "" : file.getFileName().toString().toLowerCase(Locale.ROOT);
        OnnxImport.Imported imported;
        if (specFile != null) {
            NetworkSpec ns = NetworkSpec.parse(specFile);
            TorchWeights.load(file, ns.module());
            if (given == null && ns.loss() != null) given = Loss.byName(ns.loss());
            try {
                imported = OnnxImport.imported(ns.module(), ns.inputs(), given, null, inputs, classes, null, List.of());
            } catch (IllegalArgumentException e) {
                throw new DataFormatException(specFile + ": " + e.getMessage());
            }
        } else {
            if (name.endsWith(".safetensors")) {
                throw new ParameterException(spec.commandLine(), "safetensors weights need the network's layers: --spec NET.json");
            }
            imported = OnnxImport.read(file, given);
            if (inputs != null || classes != null) {
                var enc = imported.encoder();
                double[] fills = enc.imputesMissing()
                        ? enc.columns().stream().mapToDouble(c -> ((dev.backprop.encode.NumericEncoder) c).fill()).toArray() : null;
                imported = OnnxImport.imported(imported.network(), enc.inputs(), imported.loss(), fills,
                        inputs != null ? inputs : imported.encoder().featureNames(),
                        classes != null ? classes : imported.encoder().classLabels(), imported.encoder().targetNames(), imported.notes());
            }
        }
        OnnxImport.save(imported, file.toString(), out);
        PrintWriter w = spec.commandLine().getOut();
        for (String note : imported.notes()) w.println("  " + Printing.safe(note));
        w.printf(Locale.ROOT, "model saved to %s: %d inputs (%s), loss %s%n", out, imported.encoder().inputs(),
                abbreviate(imported.encoder().featureNames()), imported.loss().name());
        w.flush();
        return 0;
    }

    private static String abbreviate(List<String> names) {
        return names.size() > 8 ? String.join(", ", names.subList(0, 8)) + ", ..." : String.join(", ", names);
    }
}
