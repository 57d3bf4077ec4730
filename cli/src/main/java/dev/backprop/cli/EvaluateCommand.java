package dev.backprop.cli;

import dev.backprop.data.DataSource;
import dev.backprop.data.Dataset;
import dev.backprop.data.LoadedData;
import dev.backprop.encode.PixelEncoder;
import dev.backprop.model.Model;
import dev.backprop.train.Evaluation;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code backprop evaluate}: a saved model's loss and metrics on a data set. */
@Command(name = "evaluate", mixinStandardHelpOptions = true, sortOptions = false,
        header = "Print a saved model's loss and metrics on a data set.",
        customSynopsis = "backprop evaluate --model MODEL.bpm --data FILE.csv|DIR|builtin:NAME [OPTIONS]",
        synopsisHeading = "%nUsage: ", descriptionHeading = "%n", optionListHeading = "%nOptions:%n",
        parameterListHeading = "%nArguments:%n", footerHeading = "%nExamples:%n",
        description = "Loss, accuracy, per-class precision, recall and F1 and the confusion matrix for a classifier; RMSE, MAE "
                + "and R² in the target's units for a regression. For an image set, its test part.",
        footer = {"  backprop evaluate --model iris.bpm --data builtin:iris",
            "  backprop evaluate --model houses.bpm --data examples/data/houses.csv"})
final class EvaluateCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--model", required = true, paramLabel = "MODEL.bpm", description = "A model saved by 'train'.")
    Path model;

    @Option(names = "--data", required = true, paramLabel = "FILE.csv|DIR|builtin:NAME", description = "The data, with its target column(s).")
    String data;

    @Option(names = "--delimiter", paramLabel = "CHAR", description = "The CSV delimiter: a character, or 'tab' (default: detected).")
    String delimiter;

    @Override
    public Integer call() throws Exception {
        Model m = Model.load(model);
        for (String note : m.notes()) spec.commandLine().getErr().println("backprop: note: " + Printing.safe(note));
        LoadedData loaded = TrainCommand.loading(data, false, () -> DataSource.load(data, TrainCommand.delimiter(spec, delimiter)));
        PrintWriter out = spec.commandLine().getOut();
        Evaluation e;
        int samples;
        switch (loaded) {
            case LoadedData.Tabular tab -> {
                Model.Evaluated ev = m.evaluate(tab.table());
                for (String note : ev.notes()) spec.commandLine().getErr().println("backprop: " + Printing.safe(note));
                e = ev.evaluation();
                samples = ev.samples();
            }
            case LoadedData.Images images -> {
                Dataset d = imagesFor(m, images, data);
                e = m.evaluate(d);
                samples = d.size();
            }
        }
        out.println(Printing.safe("model " + model + " on " + loaded.description() + " (" + samples + (samples == 1 ? " sample):" : " samples):")));
        Printing.evaluation(out, e, m.encoder().classLabels());
        out.flush();
        return 0;
    }

    /** The test part of an image set (or its training part when it has none), checked against the model's encoder. */
    static Dataset imagesFor(Model m, LoadedData.Images images, String data) {
        if (!(m.encoder() instanceof PixelEncoder p) || p.pixels() != images.train().inputs()) {
            throw new IllegalArgumentException(data + ": images of " + images.train().inputs() + " pixels do not fit this model's input ("
                    + m.encoder().inputs() + " features)");
        }
        return images.test() != null ? images.test() : images.train();
    }
}
