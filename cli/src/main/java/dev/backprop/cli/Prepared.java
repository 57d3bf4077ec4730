package dev.backprop.cli;

import dev.backprop.data.DataSource;
import dev.backprop.data.Dataset;
import dev.backprop.data.LoadedData;
import dev.backprop.data.Preprocessing;
import dev.backprop.data.Table;
import dev.backprop.tensor.Tensor;
import java.io.IOException;
import java.util.List;

/**
 * Data made ready for a network: the preprocessing (fitted on the training rows, or taken from a model file) and
 * the data sets it gives. Shared by the commands so that train, evaluate and predict read data the same way.
 *
 * @param preprocessing how raw data becomes features and targets
 * @param features      every sample's features, preprocessed (for images: the training set, or for a model the test set)
 * @param targets       their targets, or null when the data has none (prediction on new rows)
 * @param test          a separate test set (images, for training), or null
 * @param table         the raw table (CSV-like data), or null for images
 * @param description   what the data is
 */
record Prepared(Preprocessing preprocessing, Tensor features, Tensor targets, Dataset test, Table table, String description) {

    /** Features and targets together; the data must have targets. */
    Dataset dataset() {
        if (targets == null) {
            throw new IllegalArgumentException(description + ": has no target column(s) " + preprocessing.targetNames());
        }
        return new Dataset(features, targets, description);
    }

    /** Loads {@code spec} and fits a preprocessing on the training rows that {@code Dataset.splitRows} picks. */
    static Prepared forTraining(String spec, List<String> targets, String loss, Preprocessing.Scaling scaling,
                                List<String> categorical, double validation, long seed) throws IOException {
        LoadedData loaded = DataSource.load(spec);
        return switch (loaded) {
            case LoadedData.Images images -> new Prepared(images.preprocessing(), images.train().features(),
                    images.train().targets(), images.test(), null, images.description());
            case LoadedData.Tabular tab -> {
                Table table = tab.table();
                List<String> target = targets.isEmpty() ? tab.defaultTargets() : targets;
                // Classes when the loss says so; without a loss, when the single target column holds text.
                boolean classify = loss != null ? loss.equals("cross-entropy")
                        : targets.isEmpty() ? tab.classify()
                        : target.size() == 1 && !table.looksNumeric(table.column(target.get(0)));
                int[] trainRows = validation > 0 ? Dataset.splitRows(table.size(), validation, seed).train() : allRows(table.size());
                Preprocessing p = Preprocessing.builder().targets(target).classify(classify)
                        .scaling(scaling != null ? scaling : tab.scaling()).categorical(categorical).fit(table, trainRows);
                Dataset all = p.transform(table);
                yield new Prepared(p, all.features(), all.targets(), null, table, tab.description());
            }
        };
    }

    /** Loads {@code spec} and applies a model's saved preprocessing to it. */
    static Prepared forModel(String spec, Preprocessing p) throws IOException {
        LoadedData loaded = DataSource.load(spec);
        return switch (loaded) {
            case LoadedData.Images images -> {
                if (!p.forImages() || p.inputs() != images.train().inputs()) {
                    throw new IllegalArgumentException(spec + ": images of " + images.train().inputs()
                            + " pixels do not fit this model's input (" + p.inputs() + " features)");
                }
                Dataset d = images.test() != null ? images.test() : images.train();
                yield new Prepared(p, d.features(), d.targets(), null, null, images.description());
            }
            case LoadedData.Tabular tab -> {
                if (p.forImages()) throw new IllegalArgumentException(spec + ": this model was trained on images, not a table");
                boolean hasTargets = !p.targetNames().isEmpty()
                        && p.targetNames().stream().allMatch(c -> tab.table().indexOf(c) >= 0);
                if (hasTargets) {
                    Dataset d = p.transform(tab.table());
                    yield new Prepared(p, d.features(), d.targets(), null, tab.table(), tab.description());
                }
                yield new Prepared(p, p.transformFeatures(tab.table()), null, null, tab.table(), tab.description());
            }
        };
    }

    private static int[] allRows(int n) {
        int[] r = new int[n];
        for (int i = 0; i < n; i++) r[i] = i;
        return r;
    }
}
