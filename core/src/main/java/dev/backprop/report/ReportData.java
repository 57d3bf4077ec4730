package dev.backprop.report;

import dev.backprop.nn.Module;
import dev.backprop.train.ClassificationMetrics;
import dev.backprop.train.History;
import dev.backprop.train.RegressionMetrics;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Everything an {@link HtmlReport} shows. All text is shown as text (escaped), never as markup. Maps keep their
 * iteration order (pass a {@link LinkedHashMap} to choose the order of rows).
 *
 * <pre>{@code
 * var data = new ReportData("Fashion-MNIST MLP", "60,000 training images, 28×28, 10 classes",
 *         Map.of("optimizer", "adam", "lr", "0.001"), history, eval.classification(), List.of(FashionMnist.CLASSES),
 *         null, model, Map.of("test accuracy", "0.8812"));
 * HtmlReport.write(Path.of("report.html"), data);
 * }</pre>
 *
 * @param title           the page's heading; null gives "backprop report"
 * @param dataDescription what the data set is, free text (line breaks are kept); null or empty to leave out
 * @param settings        the run's settings, name to value, shown as a table; null for none
 * @param history         the epochs, for the curves; null or empty when there was no training
 * @param classification  a classifier's test metrics (confusion matrix, per-class scores), or null
 * @param classLabels     names of the classes in index order; null, empty or short lists fall back to indices
 * @param regression      a regressor's test metrics, or null
 * @param model           the network, for the diagram; null to leave the diagram out
 * @param summary         the headline numbers (e.g. "test accuracy" → "0.9731"), shown first; null for none
 * @param bestEpoch       the epoch (from 0) whose weights the model kept, marked on the curves; −1 for none
 * @param inputNames      the network's inputs by name, for the diagram; null or short lists fall back to i1, i2, ...
 * @param targetName      what a regression predicts, for its plots' axes; null for "target"
 * @param boundary        a classifier's decision map over two inputs; null to leave it out
 * @param misclassified   images the classifier got wrong, shown as a grid; null or empty to leave it out
 */
public record ReportData(String title, String dataDescription, Map<String, String> settings, History history,
                         ClassificationMetrics classification, List<String> classLabels, RegressionMetrics regression,
                         Module model, Map<String, String> summary, int bestEpoch, List<String> inputNames, String targetName,
                         Boundary boundary, List<Misclassified> misclassified) {

    /** The report without a marked epoch, input names, target name or boundary map. */
    public ReportData(String title, String dataDescription, Map<String, String> settings, History history,
                      ClassificationMetrics classification, List<String> classLabels, RegressionMetrics regression,
                      Module model, Map<String, String> summary) {
        this(title, dataDescription, settings, history, classification, classLabels, regression, model, summary, -1, null, null, null, null);
    }

    /**
     * Puts the defaults in place of nulls (see the components) and copies the maps and the class labels, keeping their
     * order; history, metrics and model are kept as given.
     */
    public ReportData {
        title = title == null || title.isBlank() ? "backprop report" : title;
        dataDescription = dataDescription == null ? "" : dataDescription;
        settings = ordered(settings);
        classLabels = classLabels == null ? List.of() : Collections.unmodifiableList(new ArrayList<>(classLabels));
        summary = ordered(summary);
        inputNames = inputNames == null ? List.of() : Collections.unmodifiableList(new ArrayList<>(inputNames));
        targetName = targetName == null || targetName.isBlank() ? "target" : targetName;
        misclassified = misclassified == null ? List.of() : List.copyOf(misclassified);
    }

    /** A copy in the caller's order ({@code Map.copyOf} would lose it); null keys and values become "null". */
    private static Map<String, String> ordered(Map<String, String> m) {
        Map<String, String> out = new LinkedHashMap<>();
        if (m != null) for (var e : m.entrySet()) out.put(String.valueOf(e.getKey()), String.valueOf(e.getValue()));
        return Collections.unmodifiableMap(out);
    }

    /** Settings by name, each optional: {@code ReportData.builder().title("iris").history(h).build()}. */
    public static Builder builder() {
        return new Builder();
    }

    /** The report's parts by name; what is left out takes the default its component describes. */
    public static final class Builder {
        private String title, dataDescription;
        private Map<String, String> settings, summary;
        private History history;
        private ClassificationMetrics classification;
        private List<String> classLabels;
        private RegressionMetrics regression;
        private Module model;
        private int bestEpoch = -1;
        private List<String> inputNames;
        private String targetName;
        private Boundary boundary;
        private List<Misclassified> misclassified;

        private Builder() {}

        /** Images the classifier got wrong, shown as a grid. */
        public Builder misclassified(List<Misclassified> value) {
            misclassified = value;
            return this;
        }

        /** The epoch (from 0) whose weights the model kept, marked on the curves. */
        public Builder bestEpoch(int value) {
            bestEpoch = value;
            return this;
        }

        /** The network's inputs by name (the diagram labels its input neurons with them). */
        public Builder inputNames(List<String> value) {
            inputNames = value;
            return this;
        }

        /** What a regression predicts (its plots' axes say so). */
        public Builder targetName(String value) {
            targetName = value;
            return this;
        }

        /** A classifier's decision map over two inputs. */
        public Builder boundary(Boundary value) {
            boundary = value;
            return this;
        }

        /** The page's title. */
        public Builder title(String value) {
            title = value;
            return this;
        }

        /** What the data was, one or more lines. */
        public Builder dataDescription(String value) {
            dataDescription = value;
            return this;
        }

        /** The run's settings, shown in their order. */
        public Builder settings(Map<String, String> value) {
            settings = value;
            return this;
        }

        /** The epochs, for the curves. */
        public Builder history(History value) {
            history = value;
            return this;
        }

        /** A classifier's metrics and its class labels (in output order). */
        public Builder classification(ClassificationMetrics value, List<String> labels) {
            classification = value;
            classLabels = labels;
            return this;
        }

        /** A regressor's metrics. */
        public Builder regression(RegressionMetrics value) {
            regression = value;
            return this;
        }

        /** The network, drawn with its weights. */
        public Builder model(Module value) {
            model = value;
            return this;
        }

        /** The summary lines (what was decided, why training stopped, ...), shown in their order. */
        public Builder summary(Map<String, String> value) {
            summary = value;
            return this;
        }

        /** The report's data. */
        public ReportData build() {
            return new ReportData(title, dataDescription, settings, history, classification, classLabels, regression, model, summary,
                    bestEpoch, inputNames, targetName, boundary, misclassified);
        }
    }
}
