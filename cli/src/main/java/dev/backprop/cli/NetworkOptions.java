package dev.backprop.cli;

import dev.backprop.data.DataSource;
import dev.backprop.data.Dataset;
import dev.backprop.data.LoadedData;
import dev.backprop.data.Preprocessing;
import dev.backprop.io.ModelFile;
import dev.backprop.io.SavedModel;
import dev.backprop.loss.Loss;
import dev.backprop.nn.Module;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * The network, loss and raw data options that explain, gradients and gradcheck share. These commands look at a
 * network as it is: inputs go in unscaled, as the seeds feed them.
 */
final class NetworkOptions {
    @Option(names = "--model", required = true, paramLabel = "SPEC.json|MODEL.bpm", description = "A JSON network spec or a saved model.")
    Path model;

    @Option(names = "--loss", paramLabel = "NAME", description = "half-sse, mse, mae, huber, cross-entropy, bce (default: the model's).")
    String loss;

    /** The model file or spec and the loss to use. */
    record Network(Module module, Loss loss) {}

    Network load() throws IOException {
        SavedModel saved = ModelFile.load(model);
        Loss l;
        if (loss != null) l = Loss.byName(loss);
        else if (saved.loss() != null) l = Loss.fromConfig(saved.loss());
        else throw new IllegalArgumentException(model + ": names no loss; pass --loss");
        return new Network(saved.module(), l);
    }

    /** Data options for the commands that take a data set. */
    static final class DataOptions {
        @Option(names = "--data", required = true, paramLabel = "FILE.csv|builtin:NAME", description = "Samples, one per row, inputs unscaled.")
        String data;

        @Option(names = "--target", split = ",", paramLabel = "COLS", description = "Target column(s) (default: the data's own, or the last column).")
        List<String> target = new ArrayList<>();

        /** The rows as features and targets: every non-target column an input, in file order; class indices for cross-entropy. */
        Dataset load(Loss loss) throws IOException {
            LoadedData loaded = DataSource.load(data);
            if (loaded instanceof LoadedData.Images images) return images.train();
            LoadedData.Tabular tab = (LoadedData.Tabular) loaded;
            List<String> targets = target.isEmpty() ? tab.defaultTargets() : target;
            int[] all = new int[tab.table().size()];
            for (int i = 0; i < all.length; i++) all[i] = i;
            Preprocessing p = Preprocessing.builder().targets(targets).classify(loss.name().equals("cross-entropy"))
                    .scaling(Preprocessing.Scaling.NONE).fit(tab.table(), all);
            return p.transform(tab.table());
        }
    }
}
