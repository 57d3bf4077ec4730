package dev.backprop.cli;

import java.io.PrintStream;
import java.util.logging.Formatter;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * What the library logs ({@link System.Logger}s named {@code dev.backprop...}), as the command line shows it: one line,
 * {@code backprop: MESSAGE}, on stderr; warnings always, everything down to DEBUG under {@code --verbose}. The JDK's
 * default two-line format (date, class and method, then the message) would look like a crash to a user.
 */
final class Logging {
    /** The library's root logger; held so that its configuration is not collected. */
    private static final Logger LIBRARY = Logger.getLogger("dev.backprop");

    private Logging() {}

    /** Routes the library's records to {@code err}, at WARNING and above, or at every level when {@code verbose}. */
    static void install(PrintStream err, boolean verbose) {
        for (Handler h : LIBRARY.getHandlers()) LIBRARY.removeHandler(h);
        // Not a ConsoleHandler: pointing one at another stream closes the one it had, System.err.
        Handler h = new Handler() {
            @Override
            public void publish(LogRecord r) {
                if (!isLoggable(r)) return;
                err.print(getFormatter().format(r));
                err.flush();
            }

            @Override
            public void flush() {
                err.flush();
            }

            @Override
            public void close() {}
        };
        h.setFormatter(new Formatter() {
            @Override
            public String format(LogRecord r) {
                return "backprop: " + formatMessage(r) + System.lineSeparator();
            }
        });
        Level level = verbose ? Level.ALL : Level.WARNING;
        h.setLevel(level);
        LIBRARY.setLevel(level);
        LIBRARY.addHandler(h);
        LIBRARY.setUseParentHandlers(false);
    }
}
