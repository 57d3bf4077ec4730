package dev.backprop.cli;

import dev.backprop.explain.Explanation;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code backprop explain}: one step of backpropagation told as the seeds tell it. */
@Command(name = "explain", mixinStandardHelpOptions = true, sortOptions = false,
        header = "One step of backpropagation on one sample, every number shown.",
        customSynopsis = "backprop explain --model SPEC.json|MODEL.bpm --input X,X,... --target Y,... [OPTIONS]",
        synopsisHeading = "%nUsage: ", descriptionHeading = "%n", optionListHeading = "%nOptions:%n",
        parameterListHeading = "%nArguments:%n", footerHeading = "%nExamples:%n",
        description = {"Each neuron's net input and output, the loss, each weight's gradient as the product of its",
            "chain-rule factors, the updated parameters, and the loss after the step."},
        footer = {"  backprop explain --model examples/data/seed003.json --input 0.1,0.2 --target 0.05,0.95",
            "  backprop explain --model examples/data/seed003.json --input 0.1,0.2 --target 0.05,0.95 \\",
            "                   --lr 0.1 --format json"})
final class ExplainCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    NetworkOptions network;

    @Option(names = "--input", required = true, split = ",", paramLabel = "X1,X2,...", hideParamSyntax = true, description = "The sample's inputs.")
    List<Double> input;

    @Option(names = "--target", required = true, split = ",", paramLabel = "Y1,Y2,...", hideParamSyntax = true,
            description = "The target outputs (for cross-entropy: one class index, or one value per output).")
    List<Double> target;

    @Option(names = "--lr", paramLabel = "RATE", description = "Learning rate α of the update (default: 0.5, seed 003's).")
    double lr = 0.5;

    @Option(names = "--format", paramLabel = "text|json", description = "Output format (default: text).")
    String format = "text";

    @ArgGroup(exclusive = true)
    DetailGroup detail;

    static final class DetailGroup {
        @Option(names = "--full", description = "List every weight, however large the network.")
        boolean full;

        @Option(names = "--summary", description = "Summarise every layer.")
        boolean summary;
    }

    @Override
    public Integer call() throws Exception {
        if (!format.equals("text") && !format.equals("json")) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--format must be text or json, got '" + format + "'");
        }
        if (!(lr >= 0 && Double.isFinite(lr))) throw TrainCommand.usage(spec, "--lr must be a number >= 0, got " + lr);
        NetworkOptions.Network net = network.load(spec);
        Explanation.Builder b = Explanation.builder(net.module(), net.loss())
                .input(input.stream().mapToDouble(Double::doubleValue).toArray())
                .target(target.stream().mapToDouble(Double::doubleValue).toArray())
                .learningRate(lr)
                .remarks(dev.backprop.examples.Seed003.TUTORIAL_SLIP);   // seed 003's network: the tutorial's slip, noted
        if (detail != null) b.detail(detail.full ? Explanation.Detail.FULL : Explanation.Detail.SUMMARY);
        Explanation e = network.specShaped(b::build);
        PrintWriter out = spec.commandLine().getOut();
        if (format.equals("json")) out.println(e.toJson());
        else out.print(e.toText());
        out.flush();
        return 0;
    }
}
