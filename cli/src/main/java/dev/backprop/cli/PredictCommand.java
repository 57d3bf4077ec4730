package dev.backprop.cli;

import dev.backprop.data.DataSource;
import dev.backprop.data.LoadedData;
import dev.backprop.io.AtomicWrite;
import dev.backprop.model.Model;
import dev.backprop.model.Prediction;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code backprop predict}: rows in, predictions out, through the encoder saved in the model. The first column is named
 * as the target: the predicted class as the training data wrote it, then each class's probability; or each target's
 * value in its own units.
 */
@Command(name = "predict", mixinStandardHelpOptions = true, sortOptions = false,
        header = "Predict with a saved model: CSV (or images) in, CSV out.",
        customSynopsis = "backprop predict --model MODEL.bpm --data FILE.csv|DIR|builtin:NAME [OPTIONS]",
        synopsisHeading = "%nUsage: ", descriptionHeading = "%n", optionListHeading = "%nOptions:%n",
        parameterListHeading = "%nArguments:%n", footerHeading = "%nExamples:%n",
        description = "For a classifier, the class (as the training data named it) and each class's probability; for a "
                + "regression, the outputs in the target's own units. Without --out, to standard output.",
        footer = {"  backprop predict --model iris.bpm --data builtin:iris --out predictions.csv",
            "  backprop predict --model houses.bpm --data examples/data/new-houses.csv"})
final class PredictCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--model", required = true, paramLabel = "MODEL.bpm", description = "A model saved by 'train'.")
    Path model;

    @Option(names = "--data", required = true, paramLabel = "FILE.csv|DIR|builtin:NAME",
            description = "Rows to predict (target columns are not needed and are ignored).")
    String data;

    @Option(names = "--delimiter", paramLabel = "CHAR", description = "The CSV delimiter: a character, or 'tab' (default: detected).")
    String delimiter;

    @Option(names = "--out", paramLabel = "OUT.csv", description = "Where to write the predictions (default: standard output).")
    Path out;

    @Override
    public Integer call() throws Exception {
        TrainCommand.delimiter(spec, delimiter);
        new Outputs(spec).input("--model", model).input("--data", data).output("--out", out).check();
        Model m = Model.load(model);
        for (String note : m.notes()) spec.commandLine().getErr().println("backprop: note: " + Printing.safe(note));
        LoadedData loaded = TrainCommand.loading(data, false, () -> DataSource.load(data, TrainCommand.delimiter(spec, delimiter)));
        List<Prediction> predictions = switch (loaded) {
            case LoadedData.Tabular tab -> {
                Model.Predicted p = m.predict(tab.table());
                for (String note : p.notes()) spec.commandLine().getErr().println("backprop: " + Printing.safe(note));
                yield p.predictions();
            }
            case LoadedData.Images images -> m.predict(EvaluateCommand.imagesFor(m, images, data).features());
        };
        if (out == null) {
            Writer w = spec.commandLine().getOut();
            write(w, predictions, m);
            w.flush();
        } else {
            AtomicWrite.stream(out, stream -> {
                Writer w = new OutputStreamWriter(stream, StandardCharsets.UTF_8);
                write(w, predictions, m);
                w.flush();
            });
        }
        return 0;
    }

    /** A header ({@code class,p(a),p(b)} or the target columns), then a row per prediction. */
    private static void write(Writer w, List<Prediction> predictions, Model m) throws IOException {
        CSVPrinter csv = new CSVPrinter(w, CSVFormat.DEFAULT.builder().setRecordSeparator('\n').get());
        List<String> header = new ArrayList<>();
        if (!predictions.isEmpty()) {
            switch (predictions.getFirst()) {
                case Prediction.Label l -> {
                    header.add(m.encoder().targetNames().getFirst());
                    for (String label : l.probabilities().keySet()) header.add("p(" + label + ")");
                }
                case Prediction.Values v -> header.addAll(v.values().keySet());
            }
        } else {
            header.addAll(m.encoder().targetNames());
        }
        csv.printRecord(header);
        for (Prediction p : predictions) {
            List<String> row = new ArrayList<>();
            switch (p) {
                case Prediction.Label l -> {
                    row.add(l.label());
                    for (double q : l.probabilities().values()) row.add(plain(q));
                }
                case Prediction.Values v -> {
                    for (double x : v.values().values()) row.add(plain(x));
                }
            }
            csv.printRecord(row);
        }
        csv.flush();
    }

    /** A float32 result as the shortest decimal that reads back the same float, without an exponent ({@code 0.0000046}). */
    static String plain(double v) {
        float f = (float) v;
        if (!Float.isFinite(f)) return Float.toString(f);
        return new java.math.BigDecimal(Float.toString(f)).stripTrailingZeros().toPlainString();
    }
}
