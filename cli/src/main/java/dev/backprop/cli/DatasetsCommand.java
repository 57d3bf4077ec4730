package dev.backprop.cli;

import dev.backprop.data.DataSource;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code backprop datasets}: the built-in data sets. */
@Command(name = "datasets", mixinStandardHelpOptions = true, sortOptions = false,
        header = "List the built-in data sets.",
        customSynopsis = "backprop datasets",
        synopsisHeading = "%nUsage: ", descriptionHeading = "%n", optionListHeading = "%nOptions:%n",
        parameterListHeading = "%nArguments:%n", footerHeading = "%nExamples:%n",
        description = "Each is used as --data builtin:NAME by train, evaluate and predict; fashion-mnist needs Debian's "
                + "dataset-fashion-mnist package.",
        footer = {"  backprop datasets", "  backprop train --data builtin:spirals --out spirals.bpm"})
final class DatasetsCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        int width = DataSource.builtins().stream().mapToInt(b -> ("builtin:" + b.name()).length()).max().orElse(0);
        for (DataSource.Builtin b : DataSource.builtins()) {
            out.printf("%-" + width + "s  %s%n", "builtin:" + b.name(), b.description());
        }
        out.flush();
        return 0;
    }
}
