package dev.backprop.cli;

import dev.backprop.explain.Explanation;
import java.io.PrintWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code backprop demo}: seed 003's network, one forward and backward pass, every value printed. */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Run seed 003's 2-2-2 sigmoid network forward and backward and print every value.")
final class DemoCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        PrintWriter out = spec.commandLine().getOut();
        out.print(Explanation.seed003().toText());
        out.flush();
    }
}
