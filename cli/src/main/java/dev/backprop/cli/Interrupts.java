package dev.backprop.cli;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * Ctrl-C (SIGINT) and SIGTERM while a command trains: the first asks training to stop after the current step, so
 * that the command still saves what it has (its checkpoints as they were, {@code --out} with the weights it holds,
 * the reason said) and exits with 130; a second one stops the process at once, which leaves no half-written file
 * either, since every file is written whole or not at all (see {@link dev.backprop.io.AtomicWrite}).
 *
 * <p>The JDK has no public API for signals: {@code sun.misc.Signal} (module {@code jdk.unsupported}, which exists for
 * such uses) is the one way to act on the first signal without the JVM shutting down underneath the save.
 */
final class Interrupts implements AutoCloseable {
    /** The exit code of a command stopped by a signal, as shells report 128 + SIGINT. */
    static final int EXIT_CODE = 130;

    private final AtomicInteger count = new AtomicInteger();
    private final List<Signal> signals = new ArrayList<>();
    private final List<SignalHandler> previous = new ArrayList<>();

    private Interrupts() {}

    /** Catches SIGINT and SIGTERM until {@link #close()}; says on {@code err} what each one does. */
    static Interrupts install(PrintStream err) {
        Interrupts i = new Interrupts();
        for (String name : List.of("INT", "TERM")) {
            try {
                Signal s = new Signal(name);
                SignalHandler before = Signal.handle(s, sig -> {
                    if (i.count.incrementAndGet() == 1) {
                        err.println();
                        err.println("backprop: stopping after this step (" + name.toLowerCase(java.util.Locale.ROOT)
                                + "); the model is saved as it stands; once more to stop at once");
                    } else {
                        Runtime.getRuntime().halt(EXIT_CODE);
                    }
                });
                i.signals.add(s);
                i.previous.add(before);
            } catch (IllegalArgumentException | UnsupportedOperationException e) {
                // A platform without this signal (or a JVM that reserves it): Ctrl-C then ends the process as usual.
            }
        }
        return i;
    }

    /** Whether a signal asked training to stop. */
    boolean requested() {
        return count.get() > 0;
    }

    @Override
    public void close() {
        for (int k = 0; k < signals.size(); k++) Signal.handle(signals.get(k), previous.get(k));
    }
}
