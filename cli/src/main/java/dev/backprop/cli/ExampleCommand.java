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
@Command(name = "example", mixinStandardHelpOptions = true,
        description = {"Run a seed's worked example (000, 001, 002, 003) and print its part of docs/seeds.md,",
            "or write the whole guide with --write-guide."})
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
