package dev.backprop.cli;

import dev.backprop.train.Predictions;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code backprop predict}: rows in, predictions out, through the preprocessing saved in the model. */
@Command(name = "predict", mixinStandardHelpOptions = true,
        description = "Predict with a saved model: CSV (or images) in, CSV out — the class and each class's probability, or the regression outputs.")
final class PredictCommand implements Callable<Integer> {
    @Option(names = "--model", required = true, paramLabel = "MODEL.bpm", description = "A model saved by 'train'.")
    Path model;

    @Option(names = "--data", required = true, paramLabel = "FILE.csv|DIR|builtin:NAME",
            description = "Rows to predict (target columns are not needed and are ignored).")
    String data;

    @Option(names = "--out", paramLabel = "OUT.csv", description = "Where to write the predictions (default: standard output).")
    Path out;

    @Override
    public Integer call() throws Exception {
        EvaluateCommand.Loaded l = EvaluateCommand.Loaded.from(model);
        Prepared p = Prepared.forModel(data, l.preprocessing());
        Predictions pred = Predictions.of(l.saved().module(), l.loss(), p.features());
        if (out == null) {
            Writer w = new OutputStreamWriter(System.out, StandardCharsets.UTF_8);
            write(w, pred, l);
            w.flush();
        } else {
            Path tmp = Files.createTempFile(out.toAbsolutePath().getParent(), "." + out.getFileName(), ".tmp");
            try {
                try (Writer w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
                    write(w, pred, l);
                }
                Files.move(tmp, out, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            } finally {
                Files.deleteIfExists(tmp);
            }
        }
        return 0;
    }

    private static void write(Writer w, Predictions pred, EvaluateCommand.Loaded l) throws IOException {
        List<String> header = new ArrayList<>();
        List<String> labels = l.preprocessing().classLabels();
        if (pred.classification()) {
            header.add("class");
            for (int k = 0; k < pred.probabilities().shape().dim(1); k++) {
                header.add("p(" + (k < labels.size() ? labels.get(k) : Integer.toString(k)) + ")");
            }
        } else {
            List<String> names = l.preprocessing().targetNames();
            for (int k = 0; k < pred.outputs().shape().dim(1); k++) header.add(k < names.size() ? names.get(k) : "output" + k);
        }
        CSVPrinter csv = new CSVPrinter(w, CSVFormat.DEFAULT.builder().setRecordSeparator('\n').get());
        csv.printRecord(header);
        int n = pred.outputs().shape().dim(0);
        for (int i = 0; i < n; i++) {
            List<String> row = new ArrayList<>();
            if (pred.classification()) {
                int c = pred.classes()[i];
                row.add(c < labels.size() ? labels.get(c) : Integer.toString(c));
                for (int k = 0; k < pred.probabilities().shape().dim(1); k++) row.add(Float.toString((float) pred.probabilities().get(i, k)));
            } else {
                for (int k = 0; k < pred.outputs().shape().dim(1); k++) row.add(Float.toString((float) pred.outputs().get(i, k)));
            }
            csv.printRecord(row);
        }
        csv.flush();
    }
}
