package dev.backprop.train;

import java.io.PrintStream;
import java.time.Duration;
import java.util.Locale;

/**
 * Shows training as it goes. On a terminal: a bar redrawn in place, with the epoch, the running loss, samples per
 * second and the time left; elsewhere (a log file, CI): plain lines, paced so that a long epoch is never silent and a
 * short run stays short (see {@link #lines(PrintStream, Duration)}). {@link #silent()} shows nothing.
 */
public abstract class Progress implements Callback {

    /** For a subclass: a display of your own, which implements {@link #onStep} and the {@link Callback} methods it needs. */
    public Progress() {}

    /**
     * Called after every training step: {@code step} of {@code steps} (from 0) of {@code epoch} (from 0), the mean
     * loss of the epoch so far, its throughput and the seconds since it began.
     */
    public abstract void onStep(int epoch, int epochs, int step, int steps, double runningLoss, double samplesPerSecond,
                                double elapsedSeconds);

    /** How often plain lines appear at most, and at least within a long epoch, unless {@link #PACE_PROPERTY} says. */
    public static final Duration DEFAULT_PACE = Duration.ofSeconds(5);

    /** System property (seconds, e.g. {@code 0.5}) that sets the pace of plain lines; environment: {@code BACKPROP_PROGRESS_SECONDS}. */
    public static final String PACE_PROPERTY = "backprop.progress.seconds";

    /**
     * A bar on a terminal, plain lines otherwise (at the pace {@link #PACE_PROPERTY} or {@code BACKPROP_PROGRESS_SECONDS}
     * sets, {@link #DEFAULT_PACE} by default); {@code out} is usually System.err.
     */
    public static Progress auto(PrintStream out) {
        java.io.Console c = System.console();
        boolean terminal = c != null && c.isTerminal() && System.getenv("CI") == null;
        return terminal ? new Bar(out) : lines(out, pace());
    }

    /** The pace of plain lines this process was given, or {@link #DEFAULT_PACE}. */
    public static Duration pace() {
        String v = System.getProperty(PACE_PROPERTY, System.getenv("BACKPROP_PROGRESS_SECONDS"));
        if (v == null || v.isBlank()) return DEFAULT_PACE;
        try {
            double seconds = Double.parseDouble(v.strip());
            if (seconds >= 0 && seconds < 1e6) return Duration.ofNanos((long) (seconds * 1e9));
        } catch (NumberFormatException e) {
            // fall through to the default
        }
        throw new IllegalArgumentException("the progress pace must be a number of seconds >= 0, got '" + v + "'");
    }

    /** The in-place bar, whatever {@code out} is. */
    public static Progress bar(PrintStream out) {
        return new Bar(out);
    }

    /** One plain line per epoch, every epoch. */
    public static Progress lines(PrintStream out) {
        return lines(out, Duration.ZERO);
    }

    /**
     * Plain lines at a pace: the first epoch's line, then an epoch's line only when {@code pace} has passed since the
     * last line (so a run of many short epochs prints a few), the last epoch's line always; and within an epoch that
     * runs longer than {@code pace}, a line with the step, the running loss and the time left every {@code pace}.
     * {@link Duration#ZERO} prints every epoch and no step lines.
     */
    public static Progress lines(PrintStream out, Duration pace) {
        return new Lines(out, pace.toNanos(), System::nanoTime);
    }

    /** {@link #lines(PrintStream, Duration)} with a clock of your own, in nanoseconds (for tests). */
    static Progress lines(PrintStream out, Duration pace, java.util.function.LongSupplier clock) {
        return new Lines(out, pace.toNanos(), clock);
    }

    /** Nothing at all. */
    public static Progress silent() {
        return new Progress() {
            @Override
            public void onStep(int epoch, int epochs, int step, int steps, double loss, double sps, double elapsed) {}
        };
    }

    static String epochLine(EpochRecord r, int epochs) {
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "epoch %d/%d  loss %.4f", r.epoch() + 1, epochs, r.trainLoss()));
        if (!Double.isNaN(r.validationLoss())) sb.append(String.format(Locale.ROOT, "  val_loss %.4f", r.validationLoss()));
        for (var e : r.metrics().entrySet()) sb.append(String.format(Locale.ROOT, "  %s %.4f", e.getKey(), e.getValue()));
        sb.append(String.format(Locale.ROOT, "  %.0f samples/s  %.1fs", r.samplesPerSecond(), r.seconds()));
        return sb.toString();
    }

    private static final class Lines extends Progress {
        private final PrintStream out;
        private final long pace;
        private final java.util.function.LongSupplier clock;
        private long lastLine;
        private EpochRecord unshown;
        private int unshownEpochs;

        Lines(PrintStream out, long pace, java.util.function.LongSupplier clock) {
            this.out = out;
            this.pace = pace;
            this.clock = clock;
        }

        @Override
        public void onTrainBegin(TrainingContext context) {
            lastLine = clock.getAsLong();
        }

        @Override
        public void onStep(int epoch, int epochs, int step, int steps, double loss, double sps, double elapsed) {
            if (pace == 0 || step + 1 == steps) return;
            long now = clock.getAsLong();
            if (now - lastLine < pace) return;
            lastLine = now;
            double secondsLeft = elapsed / (step + 1) * (steps - step - 1);
            out.printf(Locale.ROOT, "epoch %d/%d  step %d/%d  loss %.4f  %.0f samples/s  epoch ends in %s%n",
                    epoch + 1, epochs, step + 1, steps, loss, sps, Bar.eta(secondsLeft));
            out.flush();
        }

        @Override
        public void onEpochEnd(TrainingContext context, EpochRecord record) {
            long now = clock.getAsLong();
            if (record.epoch() == 0 || pace == 0 || now - lastLine >= pace) {
                print(record, context.epochs());
                lastLine = now;
            } else {
                unshown = record;
                unshownEpochs = context.epochs();
            }
        }

        @Override
        public void onTrainEnd(TrainingContext context) {
            if (unshown != null) print(unshown, unshownEpochs);
        }

        private void print(EpochRecord record, int epochs) {
            out.println(epochLine(record, epochs));
            out.flush();
            unshown = null;
        }
    }

    private static final class Bar extends Progress {
        private static final int WIDTH = 24;
        private final PrintStream out;
        private long lastDraw;

        Bar(PrintStream out) {
            this.out = out;
        }

        @Override
        public void onStep(int epoch, int epochs, int step, int steps, double loss, double sps, double elapsed) {
            long now = System.nanoTime();
            if (step + 1 < steps && now - lastDraw < 100_000_000L) return; // ten redraws a second are enough
            lastDraw = now;
            int filled = (int) ((long) WIDTH * (step + 1) / steps);
            double secondsLeft = elapsed / (step + 1) * (steps - step - 1);
            out.printf(Locale.ROOT, "\repoch %d/%d [%s%s] %d/%d  loss %.4f  %.0f samples/s  ETA %s ",
                    epoch + 1, epochs, "=".repeat(filled), " ".repeat(WIDTH - filled), step + 1, steps, loss, sps,
                    eta(secondsLeft));
            out.flush();
        }

        @Override
        public void onEpochEnd(TrainingContext context, EpochRecord record) {
            out.print("\r\033[K");
            out.println(epochLine(record, context.epochs()));
        }

        static String eta(double seconds) {
            long s = Math.round(seconds);
            return String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
        }
    }
}
