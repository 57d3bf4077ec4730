package dev.backprop.cli;

import dev.backprop.examples.Seeds;
import dev.backprop.io.AtomicWrite;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code backprop example}: run one of the seeds' worked examples, or write the whole guide. */
@Command(name = "example", mixinStandardHelpOptions = true, sortOptions = false,
        header = "Run a seed's worked example and print its part of docs/seeds.md.",
        customSynopsis = {"backprop example 000|001|002|003", "       backprop example --write-guide FILE.md"},
        synopsisHeading = "%nUsage: ", descriptionHeading = "%n", optionListHeading = "%nOptions:%n",
        parameterListHeading = "%nArguments:%n", footerHeading = "%nExamples:%n",
        description = "Each of the four tutorials the project grew from, run with the real numbers; --write-guide writes the "
                + "whole guide (docs/seeds.md is made this way).",
        footer = {"  backprop example 003", "  backprop example --write-guide /tmp/seeds.md"})
final class ExampleCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(arity = "0..1", paramLabel = "SEED", description = "000, 001, 002 or 003.")
    String seed;

    @Option(names = "--write-guide", paramLabel = "FILE.md", description = "Write the whole guide (docs/seeds.md) from the examples.")
    Path guide;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        if (guide != null) {
            new Outputs(spec).output("--write-guide", guide).check();
            AtomicWrite.bytes(guide, Seeds.guide().getBytes(StandardCharsets.UTF_8));
            out.println("wrote " + guide);
        } else if (seed != null) {
            var e = Seeds.byId(seed);
            out.println("# " + e.title());
            out.println();
            out.print(e.guideSection());
        } else {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "name a seed (000, 001, 002, 003) or give --write-guide FILE");
        }
        out.flush();
        return 0;
    }
}
