package dev.backprop.cli;

import dev.backprop.encode.Encoder;
import dev.backprop.io.ModelFile;
import dev.backprop.io.SavedModel;
import dev.backprop.nn.Module;
import dev.backprop.tensor.Tensor;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code backprop inspect MODEL}: what a model file holds. */
@Command(name = "inspect", mixinStandardHelpOptions = true,
        description = "Show a model file's layers, shapes, parameter count, loss, preprocessing, training settings and provenance.")
final class InspectCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "MODEL", description = "A model file (.bpm) or a JSON network spec.")
    Path model;

    @Override
    public Integer call() throws Exception {
        SavedModel saved = ModelFile.load(model);
        PrintWriter out = spec.commandLine().getOut();
        Module m = saved.module();
        out.println(Printing.safe("model: " + model));
        out.println(Printing.safe("architecture: " + m.config().get("type")));
        if (m.children().isEmpty()) out.println(Printing.safe("  " + m.config()));
        for (var e : m.children().entrySet()) out.println(Printing.safe("  " + e.getKey() + "  " + e.getValue().config()));
        out.println(Printing.safe("tensors:"));
        for (Map.Entry<String, Tensor> e : m.stateDict().entrySet()) {
            out.printf("  %-24s %-14s %s%n", Printing.safe(e.getKey()), e.getValue().shape(), e.getValue().dtype().name().toLowerCase(java.util.Locale.ROOT));
        }
        out.printf("parameters: %,d%n", m.parameterCount());
        if (saved.loss() != null) out.println(Printing.safe("loss: " + saved.loss()));
        if (saved.preprocessing() == null || saved.preprocessing().isEmpty()) {
            out.println(Printing.safe("preprocessing: none"));
        } else {
            out.println(Printing.safe("preprocessing:"));
            try {
                for (String line : Encoder.fromMap(saved.preprocessing()).describe()) out.println(Printing.safe("  " + line));
            } catch (dev.backprop.io.ModelFileException e) {
                out.println(Printing.safe("  unreadable: " + e.getMessage()));
            }
        }
        out.println(Printing.safe("training: " + saved.training()));
        var p = saved.provenance();
        out.println(Printing.safe("provenance: library " + p.libraryVersion() + ", created " + p.created() + ", seed " + p.seed()
                + ", data " + p.dataSource()));
        out.println(Printing.safe("optimizer state: " + (saved.optimizer() == null ? "no" : saved.optimizer().type() + " after "
                + saved.optimizer().steps() + " steps (training can resume)")));
        for (String note : saved.notes()) out.println(Printing.safe("note: " + note));
        out.flush();
        return 0;
    }
}
