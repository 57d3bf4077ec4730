package dev.backprop.cli;

import dev.backprop.explain.Gradients;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code backprop gradients}: the loss on a whole data set and the gradient of every parameter, as JSON. */
@Command(name = "gradients", mixinStandardHelpOptions = true, sortOptions = false,
        header = "Print the loss on a data set and every parameter's gradient, as JSON.",
        customSynopsis = "backprop gradients --model SPEC.json|MODEL.bpm --data FILE.csv [OPTIONS]",
        synopsisHeading = "%nUsage: ", descriptionHeading = "%n", optionListHeading = "%nOptions:%n",
        parameterListHeading = "%nArguments:%n", footerHeading = "%nExamples:%n",
        description = {"{\"loss\": L, \"layers\": [{\"weights\": [[...]], \"biases\": [...]}, ...]}: the loss on the whole",
            "file and its gradient for every parameter, in the spec's layout (weights[j][i] = dL/dw for input i",
            "of unit j). half-sse = ½ Σ over samples and outputs of (y − o)²; mse = mean over all elements;",
            "cross-entropy = mean over samples of −log softmax; bce = mean over all elements."},
        footer = {"  backprop gradients --model examples/data/seed003.json --data examples/data/seed003.csv --target y1,y2"})
final class GradientsCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    NetworkOptions network;

    @Mixin
    NetworkOptions.DataOptions data;

    @Override
    public Integer call() throws Exception {
        NetworkOptions.Network net = network.load(spec);
        Gradients g = network.specShaped(() -> Gradients.of(net.module(), net.loss(), data.load(net, spec)));
        PrintWriter out = spec.commandLine().getOut();
        out.println(g.toJson());
        out.flush();
        return 0;
    }
}
