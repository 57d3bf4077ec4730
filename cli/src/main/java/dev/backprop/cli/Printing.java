package dev.backprop.cli;

import dev.backprop.train.EpochRecord;
import dev.backprop.train.Evaluation;
import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;

/** How the commands print results: presentation only. */
final class Printing {
    private Printing() {}

    static void summary(PrintWriter out, TrainCommand.Result r) {
        EpochRecord last = r.history().last();
        out.printf(Locale.ROOT, "trained %d epochs in %.1f s on %s (%s)%n", r.history().epochs().size(), r.seconds(),
                r.data(), r.history().stopReason());
        out.printf(Locale.ROOT, "final training loss %.6f%s%n", last.trainLoss(),
                Double.isNaN(last.validationLoss()) ? "" : String.format(Locale.ROOT, ", validation loss %.6f", last.validationLoss()));
        out.println("on the " + r.evaluatedOn() + ":");
        evaluation(out, r.evaluation(), r.preprocessing().classLabels());
        if (r.savedTo() != null) out.println("model saved to " + r.savedTo());
        if (r.reportTo() != null) out.println("report written to " + r.reportTo());
        if (r.plotTo() != null) out.println("curves written to " + r.plotTo());
    }

    static void evaluation(PrintWriter out, Evaluation e, List<String> labels) {
        out.printf(Locale.ROOT, "  loss %.6f%n", e.loss());
        if (e.classification() != null) {
            String[] names = labels == null || labels.isEmpty() ? null : labels.toArray(String[]::new);
            for (String line : e.classification().report(names).split("\\R")) out.println("  " + line);
        }
        if (e.regression() != null) {
            out.printf(Locale.ROOT, "  RMSE %.6f  MAE %.6f  R² %.4f%n", e.regression().rmse(), e.regression().mae(), e.regression().r2());
        }
    }
}
