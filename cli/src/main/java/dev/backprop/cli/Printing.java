package dev.backprop.cli;

import dev.backprop.io.Messages;
import dev.backprop.model.Model;
import dev.backprop.train.EpochRecord;
import dev.backprop.train.Evaluation;
import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;

/** How the commands print results: presentation only. */
final class Printing {
    private Printing() {}

    /**
     * Text that came from outside (a file's column names, categories, labels, paths) made safe for a terminal: control
     * characters, escape sequences among them, are shown as {@code \u001b} rather than acted on.
     */
    static String safe(String text) {
        return Messages.clean(text, 100_000);
    }

    static void summary(PrintWriter out, TrainCommand.Result r) {
        Model.Fitted f = r.model().fitted();
        int epochs = f.history().epochs().size();
        out.printf(Locale.ROOT, "trained %d %s in %.1f s on %s (%s)%n", epochs, epochs == 1 ? "epoch" : "epochs", f.seconds(),
                safe(r.data()), safe(f.stopped()));
        if (epochs > 0) {
            EpochRecord last = f.history().last();
            out.printf(Locale.ROOT, "final training loss %.6g%s%n", last.trainLoss(),
                    Double.isNaN(last.validationLoss()) ? "" : String.format(Locale.ROOT, ", validation loss %.6g", last.validationLoss()));
        }
        out.println("on the " + f.evaluatedOn() + ":");
        evaluation(out, f.evaluation(), r.model().encoder().classLabels());
        if (r.savedTo() != null) out.println("model saved to " + r.savedTo());
        if (r.reportTo() != null) out.println("report written to " + r.reportTo());
        if (r.plotTo() != null) out.println("curves written to " + r.plotTo());
    }

    static void evaluation(PrintWriter out, Evaluation e, List<String> labels) {
        out.printf(Locale.ROOT, "  loss %.6g%n", e.loss());
        if (e.classification() != null) {
            String[] names = labels == null || labels.isEmpty() ? null : labels.toArray(String[]::new);
            for (String line : e.classification().report(names).split("\\R")) out.println("  " + safe(line));
        }
        if (e.regression() != null) {
            out.printf(Locale.ROOT, "  RMSE %.6g  MAE %.6g  R² %.4f%n", e.regression().rmse(), e.regression().mae(), e.regression().r2());
        }
    }
}
