package dev.backprop.cli;

import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The {@code backprop} command. Exit codes: 0 success, 2 usage error, 1 data or model error; errors are one line
 * on stderr, with the stack trace only under {@code --verbose}.
 */
@Command(name = "backprop", mixinStandardHelpOptions = true, versionProvider = Main.Version.class, sortOptions = false,
        header = "Build and train neural networks by backpropagation.",
        synopsisHeading = "%nUsage: ", customSynopsis = "backprop [--verbose] COMMAND [OPTIONS]",
        optionListHeading = "%nOptions:%n", commandListHeading = "%nCommands:%n",
        footerHeading = "%nExamples:%n",
        footer = {"  backprop demo                                   # one step explained, then a classifier trained",
                "  backprop train --data builtin:iris --out iris.bpm --report iris.html",
                "  backprop train --help                           # every option of a command",
                "%nDocumentation: README.md and docs/ in the project; errors and exit codes: docs/errors.md."},
        subcommands = {DemoCommand.class, TrainCommand.class, EvaluateCommand.class, PredictCommand.class,
                GradientsCommand.class, ExplainCommand.class, GradcheckCommand.class, InspectCommand.class, ExportCommand.class, ImportCommand.class, PlaygroundCommand.class,
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

    /** The help's width: the options' descriptions wrap to it, and no line is longer. */
    static final int HELP_WIDTH = 100;

    static CommandLine newCommandLine() {
        CommandLine cl = new CommandLine(new Main());
        cl.setUsageHelpWidth(HELP_WIDTH);
        cl.setUsageHelpLongOptionsMaxWidth(34);
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
            String message = e instanceof CommandLine.UnmatchedArgumentException u ? unmatched(u) : e.getMessage();
            c.getErr().println(name + ": " + message + " (see '" + name + " --help')");
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

    /**
     * An unknown option or command, with the nearest known names: {@code unknown option '--epoch' (did you mean
     * '--epochs'?)}. Only the first unknown word is named: the ones after it are most often its value.
     */
    static String unmatched(CommandLine.UnmatchedArgumentException e) {
        List<String> words = e.getUnmatched();
        if (words.isEmpty()) return e.getMessage();
        String word = words.get(0);
        boolean option = word.startsWith("-");
        if (option && word.contains("=")) word = word.substring(0, word.indexOf('='));
        String what = option ? "unknown option '" + word + "'"
                : e.getCommandLine().getSubcommands().isEmpty() ? "unexpected argument '" + word + "'"
                : "unknown command '" + word + "'";
        List<String> near = e.getSuggestions().stream().filter(s -> !s.equals(e.getUnmatched().get(0))).limit(3).toList();
        if (near.isEmpty()) return what;
        return what + " (did you mean " + String.join(" or ", near.stream().map(s -> "'" + s + "'").toList()) + "?)";
    }

    /** The version this build has (the one model files record), so that both always agree. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"backprop " + dev.backprop.io.Provenance.currentLibraryVersion()};
        }
    }
}
