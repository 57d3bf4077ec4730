package dev.backprop.cli;

import dev.backprop.explain.Explanation;
import dev.backprop.train.Progress;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code backprop demo}, the README's first command: one step of backpropagation on seed 003's network, every value
 * printed; then a classifier trained on a built-in data set, saved with a report.
 */
@Command(name = "demo", mixinStandardHelpOptions = true, sortOptions = false,
        header = "One step of backpropagation explained, then a classifier trained.",
        customSynopsis = "backprop demo [--out-dir DIR]",
        synopsisHeading = "%nUsage: ", descriptionHeading = "%n", optionListHeading = "%nOptions:%n",
        parameterListHeading = "%nArguments:%n", footerHeading = "%nExamples:%n",
        description = {"Explains one step of backpropagation on seed 003's 2-2-2 sigmoid network, printing every value;",
            "then trains a classifier on the built-in spirals, prints its accuracy, and saves the model and a report."},
        footer = {"  backprop demo", "  backprop demo --out-dir /tmp/demo"})
final class DemoCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--out-dir", paramLabel = "DIR", description = "Where to save the model and the report (default: backprop-out).")
    Path outDir = Path.of("backprop-out");

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        out.print(dev.backprop.examples.Seed003.explanation().toText());
        out.println();
        out.println("Now a classifier: a 2-64-64-2 ReLU network learns two interleaved spirals (builtin:spirals) with Adam.");
        out.flush();
        Files.createDirectories(outDir);
        TrainCommand train = new TrainCommand();
        train.spec = spec;
        train.data = "builtin:spirals";
        train.layers = java.util.List.of(64, 64);
        train.epochs = 60;
        train.lr = 0.01;
        train.out = outDir.resolve("spirals.bpm");
        train.report = outDir.resolve("spirals-report.html");
        TrainCommand.Result r = train.run(Progress.auto(System.err));
        Printing.summary(out, r);
        out.println("Open " + r.reportTo().toAbsolutePath() + " in a browser to see the curves, the decision boundary, the confusion matrix and the network.");
        out.flush();
        return 0;
    }
}
