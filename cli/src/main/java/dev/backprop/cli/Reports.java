package dev.backprop.cli;

import dev.backprop.model.Model;
import dev.backprop.report.CurvesPng;
import dev.backprop.report.HtmlReport;
import dev.backprop.report.ReportData;
import dev.backprop.train.Evaluation;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** Writes the report and the curves that {@code train --report} and {@code --plot} ask for. */
final class Reports {
    private Reports() {}

    static void write(TrainCommand.Result r) throws IOException {
        Model.Fitted f = r.model().fitted();
        if (r.reportTo() != null) {
            Map<String, String> shown = new LinkedHashMap<>();
            shown.put("task", f.task());
            shown.putAll(dev.backprop.model.TrainingSettings.readable(r.model().settings()));
            Map<String, String> summary = new LinkedHashMap<>();
            Evaluation e = f.evaluation();
            summary.put("evaluated on", f.evaluatedOn());
            summary.put("loss", String.format(Locale.ROOT, "%.6g", e.loss()));
            if (e.classification() != null) summary.put("accuracy", String.format(Locale.ROOT, "%.4f", e.classification().accuracy()));
            if (e.regression() != null) {
                summary.put("RMSE", String.format(Locale.ROOT, "%.6g", e.regression().rmse()));
                summary.put("R²", String.format(Locale.ROOT, "%.4f", e.regression().r2()));
            }
            summary.put("training time", String.format(Locale.ROOT, "%.1f s", f.seconds()));
            summary.put("stopped", f.stopped());
            HtmlReport.write(r.reportTo(), ReportData.builder().title("backprop training report").dataDescription(r.data())
                    .settings(shown).history(f.history()).classification(e.classification(), r.model().encoder().classLabels())
                    .regression(e.regression()).model(r.model().network()).summary(summary).build());
        }
        if (r.plotTo() != null) CurvesPng.write(r.plotTo(), f.history());
    }
}
