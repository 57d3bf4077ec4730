package dev.backprop.cli;

import dev.backprop.explain.NetworkGradCheck;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code backprop gradcheck}: analytic gradients against finite differences, per layer. */
@Command(name = "gradcheck", mixinStandardHelpOptions = true, sortOptions = false,
        header = "Check backpropagated gradients against finite differences.",
        customSynopsis = "backprop gradcheck --model SPEC.json|MODEL.bpm --data FILE.csv [OPTIONS]",
        synopsisHeading = "%nUsage: ", descriptionHeading = "%n", optionListHeading = "%nOptions:%n",
        parameterListHeading = "%nArguments:%n", footerHeading = "%nExamples:%n",
        description = {"Compares every gradient with central differences in double precision, layer by layer, and names",
            "the worst layer. Exit code 0 when they agree, 1 when they do not."},
        footer = {"  backprop gradcheck --model examples/data/seed003.json --data examples/data/seed003.csv --target y1,y2"})
final class GradcheckCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    NetworkOptions network;

    @Mixin
    NetworkOptions.DataOptions data;

    @Option(names = "--max-per-layer", paramLabel = "N", description = "Check at most N elements per layer (default: all).")
    Integer maxPerLayer;

    @Option(names = "--format", paramLabel = "text|json", description = "Output format (default: text).")
    String format = "text";

    @Override
    public Integer call() throws Exception {
        if (maxPerLayer != null && maxPerLayer < 1) {
            throw TrainCommand.usage(spec, "--max-per-layer must be at least 1, got " + maxPerLayer);
        }
        if (!format.equals("text") && !format.equals("json")) throw TrainCommand.usage(spec, "--format must be text or json, got '" + format + "'");
        NetworkOptions.Network net = network.load(spec);
        NetworkGradCheck check = NetworkGradCheck.of(net.module(), net.loss());
        if (maxPerLayer != null) check = check.maxElementsPerLayer(maxPerLayer);
        NetworkGradCheck.Result r = check.check(data.load(net, spec));
        PrintWriter out = spec.commandLine().getOut();
        if (format.equals("json")) out.println(r.toJson());
        else out.print(r.toText());
        out.flush();
        if (!r.passed()) spec.commandLine().getErr().println("backprop: gradients disagree in layer " + r.worst().name());
        return r.passed() ? 0 : 1;
    }
}
