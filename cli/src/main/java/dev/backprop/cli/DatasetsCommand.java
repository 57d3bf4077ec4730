package dev.backprop.cli;

import dev.backprop.data.DataSource;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code backprop datasets}: the built-in data sets. */
@Command(name = "datasets", mixinStandardHelpOptions = true, description = "List the built-in data sets (use them as --data builtin:NAME).")
final class DatasetsCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        for (DataSource.Builtin b : DataSource.builtins()) out.printf("%-14s %s%n", "builtin:" + b.name(), b.description());
        out.flush();
        return 0;
    }
}
