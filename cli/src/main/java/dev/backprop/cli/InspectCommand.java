package dev.backprop.cli;

import dev.backprop.encode.Encoder;
import dev.backprop.io.JsonText;
import dev.backprop.io.Messages;
import dev.backprop.io.ModelFile;
import dev.backprop.io.SavedModel;
import dev.backprop.model.TrainingSettings;
import dev.backprop.nn.Module;
import dev.backprop.tensor.Tensor;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code backprop inspect MODEL}: what a model file holds. */
@Command(name = "inspect", mixinStandardHelpOptions = true, sortOptions = false,
        header = "Show what a model file holds.",
        customSynopsis = "backprop inspect MODEL.bpm|SPEC.json [--format text|json]",
        synopsisHeading = "%nUsage: ", descriptionHeading = "%n", optionListHeading = "%nOptions:%n",
        parameterListHeading = "%nArguments:%n", footerHeading = "%nExamples:%n",
        description = "Its layers, shapes, parameter count, loss, preprocessing, training settings and provenance.",
        footer = {"  backprop inspect iris.bpm", "  backprop inspect examples/data/seed003.json"})
final class InspectCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "MODEL", description = "A model file (.bpm) or a JSON network spec.")
    Path model;

    @Option(names = "--format", paramLabel = "text|json", description = "Output format (default: text).")
    String format = "text";

    @Override
    public Integer call() throws Exception {
        String f = format.strip().toLowerCase(java.util.Locale.ROOT);
        if (!f.equals("text") && !f.equals("json")) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--format must be text or json, got '" + format + "'");
        }
        SavedModel saved = ModelFile.load(model);
        PrintWriter out = spec.commandLine().getOut();
        if (f.equals("json")) {
            out.println(JsonText.pretty(json(saved)));
        } else {
            for (String line : text(saved)) out.println(Printing.safe(line));
        }
        out.flush();
        return 0;
    }

    /** The layers of the network: the children of a sequential one, or the module itself. */
    private static Map<String, Module> layers(Module m) {
        if (!m.children().isEmpty()) return m.children();
        return Map.of("0", m);
    }

    /** A layer in words: {@code linear 4 → 64}, {@code relu}, {@code dropout p=0.1}. */
    static String describe(Map<String, Object> config) {
        Object type = config.get("type");
        if ("linear".equals(type)) {
            return "linear " + config.get("in") + " → " + config.get("out") + (Boolean.FALSE.equals(config.get("bias")) ? ", no bias" : "");
        }
        StringBuilder sb = new StringBuilder(String.valueOf(type));
        config.forEach((k, v) -> {
            if (!k.equals("type")) sb.append(' ').append(k).append('=').append(v instanceof Number n ? Messages.number(n.doubleValue()) : v);
        });
        return sb.toString();
    }

    private List<String> text(SavedModel saved) {
        List<String> lines = new ArrayList<>();
        Module m = saved.module();
        var p = saved.provenance();
        lines.add("model         " + model);
        if (p.libraryVersion() != null) lines.add("written by    backprop " + p.libraryVersion() + (p.created() != null ? ", " + p.created() : ""));
        if (p.dataSource() != null) lines.add("trained on    " + p.dataSource());
        if (p.seed() != null) lines.add("seed          " + p.seed());
        lines.add("");
        lines.add("layers");
        int width = 0;
        for (Module layer : layers(m).values()) width = Math.max(width, describe(layer.config()).length());
        for (var e : layers(m).entrySet()) {
            long n = e.getValue().parameterCount();
            lines.add(String.format("  %-3s %-" + width + "s  %s", e.getKey(), describe(e.getValue().config()),
                    n == 0 ? "" : String.format("%,d parameters", n)).stripTrailing());
        }
        lines.add(String.format("  total %,d parameters", m.parameterCount()));
        lines.add("");
        lines.add("tensors");
        int names = m.stateDict().keySet().stream().mapToInt(String::length).max().orElse(0);
        for (Map.Entry<String, Tensor> e : m.stateDict().entrySet()) {
            lines.add(String.format("  %-" + names + "s  %-12s %s", e.getKey(), e.getValue().shape(),
                    e.getValue().dtype().name().toLowerCase(java.util.Locale.ROOT)));
        }
        if (saved.loss() != null) {
            lines.add("");
            Map<String, Object> loss = new LinkedHashMap<>(saved.loss());
            Object name = loss.remove("name");
            loss.put("type", name);
            lines.add("loss          " + describe(loss));
        }
        lines.add("");
        if (saved.preprocessing() == null || saved.preprocessing().isEmpty()) {
            lines.add("preprocessing none: the inputs are used as they are");
        } else {
            lines.add("preprocessing");
            try {
                for (String line : Encoder.fromMap(saved.preprocessing()).describe()) lines.add("  " + line);
            } catch (dev.backprop.io.ModelFileException e) {
                lines.add("  unreadable: " + e.getMessage());
            }
        }
        if (saved.training() != null && !saved.training().isEmpty()) {
            lines.add("");
            lines.add("training");
            Map<String, String> settings = TrainingSettings.readable(saved.training());
            int labels = settings.keySet().stream().mapToInt(String::length).max().orElse(0);
            settings.forEach((k, v) -> lines.add(String.format("  %-" + labels + "s  %s", k, v)));
        }
        lines.add("");
        lines.add("optimizer state  " + (saved.optimizer() == null ? "none: training cannot resume from this file"
                : saved.optimizer().type().toLowerCase(java.util.Locale.ROOT) + " after " + String.format("%,d", saved.optimizer().steps())
                + " steps (training can resume)"));
        for (String note : saved.notes()) lines.add("note: " + note);
        return lines;
    }

    private Map<String, Object> json(SavedModel saved) {
        Map<String, Object> j = new LinkedHashMap<>();
        Module m = saved.module();
        j.put("file", model.toString());
        j.put("architecture", m.config());
        List<Map<String, Object>> tensors = new ArrayList<>();
        for (Map.Entry<String, Tensor> e : m.stateDict().entrySet()) {
            Map<String, Object> t = new LinkedHashMap<>();
            t.put("name", e.getKey());
            t.put("shape", java.util.Arrays.stream(e.getValue().shape().dims()).boxed().toList());
            t.put("dtype", e.getValue().dtype().name().toLowerCase(java.util.Locale.ROOT));
            tensors.add(t);
        }
        j.put("tensors", tensors);
        j.put("parameters", m.parameterCount());
        j.put("loss", saved.loss());
        j.put("preprocessing", saved.preprocessing());
        j.put("training", saved.training());
        var p = saved.provenance();
        Map<String, Object> prov = new LinkedHashMap<>();
        prov.put("library_version", p.libraryVersion());
        prov.put("created", p.created());
        prov.put("seed", p.seed());
        prov.put("data_source", p.dataSource());
        j.put("provenance", prov);
        if (saved.optimizer() != null) {
            j.put("optimizer", Map.of("type", saved.optimizer().type().toLowerCase(java.util.Locale.ROOT), "steps", saved.optimizer().steps()));
        }
        j.put("notes", saved.notes());
        return j;
    }
}
