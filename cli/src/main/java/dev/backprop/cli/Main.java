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
            description = "Print stack traces with errors, and what the library logs (which kernels run, and why).")
    boolean verbose;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** The top-level command; picocli creates it and fills in its fields. */
    public Main() {}

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** Runs the command line and exits the JVM with its exit code (see {@link #run(String...)}). */
    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the command line and returns its exit code (tests call this instead of {@link #main}). */
    public static int run(String... args) {
        Logging.install(System.err, java.util.Arrays.asList(args).contains("--verbose"));
        try {
            return newCommandLine().execute(args);
        } catch (OutOfMemoryError e) {
            // A last resort: the size checks before each large allocation should have refused the work first.
            System.err.println("backprop: " + message(e));
            if (java.util.Arrays.asList(args).contains("--verbose")) e.printStackTrace();
            return 1;
        }
    }

    static CommandLine newCommandLine() {
        CommandLine cl = new CommandLine(new Main());
        cl.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            boolean verbose = parseResult.matchedOptionValue("--verbose", false)
                    || parseResult.subcommands().stream().anyMatch(p -> p.matchedOptionValue("--verbose", false));
            commandLine.getErr().println("backprop: " + message(e));
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

    /**
     * One line for an exception that ends a command: its message, or, for the file-system exceptions whose message is
     * only a path ({@code noperm.csv}), the path and the reason.
     */
    static String message(Throwable e) {
        String m = switch (e) {
            case java.io.UncheckedIOException x when x.getCause() instanceof java.nio.file.FileSystemException f -> message(f);
            case java.nio.file.AccessDeniedException x -> x.getFile() + ": permission denied";
            case java.nio.file.NoSuchFileException x -> x.getFile() + ": no such file or directory";
            case java.nio.file.NotDirectoryException x -> x.getFile() + ": not a directory";
            case java.nio.file.FileSystemException x -> x.getFile() + ": " + (x.getReason() == null ? x.getClass().getSimpleName() : x.getReason());
            case OutOfMemoryError x -> "out of memory (the heap holds " + Runtime.getRuntime().maxMemory() / (1 << 20)
                    + " MB; give it more with BACKPROP_JAVA_OPTS=-Xmx8g, or use less data)";
            default -> e.getMessage() == null ? e.toString() : e.getMessage();
        };
        return dev.backprop.io.Messages.clean(m.replaceAll("\\s*\\R\\s*", " "), 2000);
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
