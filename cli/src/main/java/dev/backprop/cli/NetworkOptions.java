package dev.backprop.cli;

import dev.backprop.data.DataSource;
import dev.backprop.data.Dataset;
import dev.backprop.data.LoadedData;
import dev.backprop.data.Table;
import dev.backprop.encode.Encoder;
import dev.backprop.encode.MissingValues;
import dev.backprop.encode.Scaling;
import dev.backprop.encode.TableEncoder;
import dev.backprop.encode.TargetKind;
import dev.backprop.io.ModelFile;
import dev.backprop.io.SavedModel;
import dev.backprop.loss.CrossEntropy;
import dev.backprop.loss.Loss;
import dev.backprop.nn.Module;
import dev.backprop.nn.Networks;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * The network, loss and raw data options that explain, gradients and gradcheck share. These commands look at a
 * network as it is: a JSON spec takes the file's numbers unscaled, as the seeds feed them, and its outputs are the
 * classes by index (whole-number label k is output k); a model saved by {@code train} reads the file through its own
 * encoder, label mapping included.
 */
final class NetworkOptions {
    @Option(names = "--model", required = true, paramLabel = "SPEC.json|MODEL.bpm", description = "A JSON network spec or a saved model.")
    Path model;

    @Option(names = "--loss", paramLabel = "NAME", description = "half-sse, mse, mae, huber, cross-entropy, bce (default: the model's).")
    String loss;

    /** The model file or spec, the loss to use, and the encoder it was saved with (null for a spec). */
    record Network(Module module, Loss loss, Encoder encoder) {}

    /**
     * {@code work} on the loaded network, a refusal of its shape (explain and gradients take a spec's Linear +
     * activation pairs) said with the file's name and what to give instead.
     */
    <T> T specShaped(java.util.concurrent.Callable<T> work) throws Exception {
        try {
            return work.call();
        } catch (IllegalArgumentException e) {
            if (e.getMessage() == null || !e.getMessage().contains("needs a network of Linear + Activation pairs")) throw e;
            throw new IllegalArgumentException(model + ": " + e.getMessage() + ". A model that train built from a table has no "
                    + "activation after its last linear layer (the softmax is inside the loss): give a JSON network spec, or a model "
                    + "trained from one (train --model spec.json)", e);
        }
    }

    Network load(picocli.CommandLine.Model.CommandSpec spec) throws IOException {
        Loss l = null;
        if (loss != null) {
            try {
                l = Loss.byName(loss);
            } catch (IllegalArgumentException e) {
                throw TrainCommand.usage(spec, "--loss: " + e.getMessage());
            }
        }
        SavedModel saved = ModelFile.load(model);
        if (l == null) {
            if (saved.loss() == null) throw new IllegalArgumentException(model + ": names no loss; pass --loss");
            l = Loss.fromConfig(saved.loss());
        }
        Encoder encoder = null;
        if (saved.preprocessing() != null && !saved.preprocessing().isEmpty()) {
            try {
                encoder = Encoder.fromMap(saved.preprocessing());
            } catch (dev.backprop.io.ModelFileException e) {
                throw new dev.backprop.io.ModelFileException(model.toString(), e.getMessage(), e);
            }
        }
        return new Network(saved.module(), l, encoder);
    }

    /** Data options for the commands that take a data set. */
    static final class DataOptions {
        @Option(names = "--data", required = true, paramLabel = "FILE.csv|builtin:NAME", description = "Samples, one per row, inputs unscaled.")
        String data;

        @Option(names = "--target", split = ",", paramLabel = "COL,...", hideParamSyntax = true, description = "Target column(s) (default: the data's own, or the last column).")
        List<String> target = new ArrayList<>();

        @Option(names = "--delimiter", paramLabel = "CHAR", description = "The CSV delimiter: a character, or 'tab' (default: detected).")
        String delimiter;

        /**
         * The rows as features and targets. Through a saved model's encoder when it has one; else every non-target
         * column an input in file order, numbers unscaled, and for cross-entropy whole-number labels as class
         * indices into the network's outputs (text labels in sorted order); a missing cell is an error.
         */
        Dataset load(Network net, picocli.CommandLine.Model.CommandSpec spec) throws IOException {
            LoadedData loaded = DataSource.load(data, TrainCommand.delimiter(spec, delimiter));
            if (loaded instanceof LoadedData.Images images) return images.train();
            LoadedData.Tabular tab = (LoadedData.Tabular) loaded;
            Table table = tab.table();
            if (net.encoder() instanceof TableEncoder saved) return saved.encode(table).dataset(tab.description());
            List<String> targets = target.isEmpty() ? tab.defaultTargets() : target;
            for (String t : targets) table.column(t);
            int outputs = Networks.outputs(net.module());
            if (!(net.loss() instanceof CrossEntropy) && outputs > 0 && targets.size() != outputs) {
                throw TrainCommand.usage(spec, "--target names " + targets.size() + " column" + (targets.size() == 1 ? "" : "s") + " "
                        + targets + ", the network has " + outputs + " outputs: name one target column per output");
            }
            List<String> inputs = new ArrayList<>(table.columns());
            inputs.removeAll(targets);
            boolean classes = net.loss() instanceof CrossEntropy;
            TableEncoder encoder = TableEncoder.builder().targets(targets)
                    .targetKind(classes ? TargetKind.CLASSES : TargetKind.NUMBERS)
                    .networkOutputs(classes ? Networks.outputs(net.module()) : 0)
                    .scaling(Scaling.NONE).features(inputs).missingValues(MissingValues.EMPTY_ONLY).imputeMissing(false)
                    .fit(table).encoder();
            return encoder.encode(table).dataset(tab.description());
        }
    }
}
