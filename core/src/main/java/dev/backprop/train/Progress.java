package dev.backprop.train;

import java.io.PrintStream;
import java.util.Locale;

/**
 * Shows training as it goes. On a terminal: a bar redrawn in place, with the epoch, the running loss, samples per
 * second and the time left; elsewhere (a log file, CI): one plain line per epoch. {@link #silent()} shows nothing.
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

    /** A bar on a terminal, plain lines otherwise; {@code out} is usually System.err. */
    public static Progress auto(PrintStream out) {
        java.io.Console c = System.console();
        boolean terminal = c != null && c.isTerminal() && System.getenv("CI") == null;
        return terminal ? new Bar(out) : new Lines(out);
    }

    /** The in-place bar, whatever {@code out} is. */
    public static Progress bar(PrintStream out) {
        return new Bar(out);
    }

    /** One plain line per epoch. */
    public static Progress lines(PrintStream out) {
        return new Lines(out);
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

        Lines(PrintStream out) {
            this.out = out;
        }

        @Override
        public void onStep(int epoch, int epochs, int step, int steps, double loss, double sps, double elapsed) {}

        @Override
        public void onEpochEnd(TrainingContext context, EpochRecord record) {
            out.println(epochLine(record, context.epochs()));
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

        private static String eta(double seconds) {
            long s = Math.round(seconds);
            return String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
        }
    }
}
