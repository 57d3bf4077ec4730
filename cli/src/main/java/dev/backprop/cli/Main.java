package dev.backprop.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The {@code backprop} command. Exit codes: 0 success, 2 usage error, 1 data or model error; errors are one line
 * on stderr, with the stack trace only under {@code --verbose}.
 */
@Command(name = "backprop", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Build and train neural networks by backpropagation.",
        subcommands = {DemoCommand.class, TrainCommand.class, EvaluateCommand.class, PredictCommand.class,
                GradientsCommand.class, ExplainCommand.class, GradcheckCommand.class, InspectCommand.class,
                DatasetsCommand.class, ExampleCommand.class, CommandLine.HelpCommand.class})
public final class Main implements Runnable {

    @Option(names = "--verbose", scope = CommandLine.ScopeType.INHERIT,
            description = "Print stack traces with errors.")
    boolean verbose;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the command line and returns its exit code (tests call this instead of {@link #main}). */
    public static int run(String... args) {
        return newCommandLine().execute(args);
    }

    static CommandLine newCommandLine() {
        CommandLine cl = new CommandLine(new Main());
        cl.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            boolean verbose = parseResult.matchedOptionValue("--verbose", false)
                    || parseResult.subcommands().stream().anyMatch(p -> p.matchedOptionValue("--verbose", false));
            String message = e.getMessage() == null ? e.toString() : e.getMessage();
            commandLine.getErr().println("backprop: " + message.replaceAll("\\s*\\R\\s*", " "));
            if (verbose) e.printStackTrace(commandLine.getErr());
            return 1;
        });
        cl.setParameterExceptionHandler((e, args) -> {
            CommandLine c = e.getCommandLine();
            String name = c.getCommandSpec().qualifiedName(" ");
            c.getErr().println(name + ": " + e.getMessage() + " (see '" + name + " --help')");
            return c.getCommandSpec().exitCodeOnInvalidInput();
        });
        return cl;
    }

    /** The version from the jar's manifest, or "development" when run from classes. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Main.class.getPackage().getImplementationVersion();
            return new String[] {"backprop " + (v == null ? "development" : v)};
        }
    }
}
