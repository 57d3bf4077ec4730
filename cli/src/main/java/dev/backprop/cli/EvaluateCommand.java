package dev.backprop.cli;

import dev.backprop.data.Preprocessing;
import dev.backprop.io.ModelFile;
import dev.backprop.io.SavedModel;
import dev.backprop.loss.Loss;
import dev.backprop.train.Evaluation;
import dev.backprop.train.Task;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code backprop evaluate}: a saved model's loss and metrics on a data set. */
@Command(name = "evaluate", mixinStandardHelpOptions = true,
        description = "Print a saved model's loss and metrics on a data set (its test part, for image sets).")
final class EvaluateCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--model", required = true, paramLabel = "MODEL.bpm", description = "A model saved by 'train'.")
    Path model;

    @Option(names = "--data", required = true, paramLabel = "FILE.csv|DIR|builtin:NAME", description = "The data, with its target column(s).")
    String data;

    @Override
    public Integer call() throws Exception {
        Loaded l = Loaded.from(model);
        Prepared p = Prepared.forModel(data, l.preprocessing());
        Evaluation e = Evaluation.of(l.saved().module(), l.loss(), p.dataset(), Task.forLoss(l.loss().name()), 256);
        PrintWriter out = spec.commandLine().getOut();
        out.println("model " + model + " on " + p.description() + " (" + p.features().shape().dim(0) + " samples):");
        Printing.evaluation(out, e, l.preprocessing().classLabels());
        out.flush();
        return 0;
    }

    /** A model file with what the commands need from it. */
    record Loaded(SavedModel saved, Loss loss, Preprocessing preprocessing) {
        static Loaded from(Path file) throws java.io.IOException {
            SavedModel s = ModelFile.load(file);
            if (s.loss() == null) throw new IllegalArgumentException(file + ": the model file names no loss");
            if (s.preprocessing() == null || s.preprocessing().isEmpty()) {
                throw new IllegalArgumentException(file + ": the model file has no preprocessing (it was not saved by 'train')");
            }
            return new Loaded(s, Loss.fromConfig(s.loss()), Preprocessing.fromMap(s.preprocessing()));
        }
    }
}
