package dev.backprop.train;

import java.util.Locale;

/**
 * Accuracy, per-class precision, recall and F1, and the confusion matrix of a classifier.
 *
 * <pre>{@code
 * ClassificationMetrics m = ClassificationMetrics.of(predicted, actual, 10);
 * m.accuracy(); m.confusion()[3][5];   // samples of class 3 predicted as 5
 * }</pre>
 *
 * @param confusion {@code confusion[actual][predicted]} counts
 * @param accuracy  fraction predicted right
 * @param precision per class: right among those predicted as the class (0 when none were)
 * @param recall    per class: right among those of the class (0 when there are none)
 * @param f1        per class: harmonic mean of precision and recall (0 when both are 0)
 */
public record ClassificationMetrics(long[][] confusion, double accuracy, double[] precision, double[] recall, double[] f1) {

    /** Metrics of {@code predicted} against {@code actual} class indices in 0..classes−1. */
    public static ClassificationMetrics of(int[] predicted, int[] actual, int classes) {
        if (predicted.length != actual.length) {
            throw new IllegalArgumentException("metrics: " + predicted.length + " predictions for " + actual.length + " targets");
        }
        long[][] c = new long[classes][classes];
        for (int i = 0; i < actual.length; i++) {
            int a = actual[i], p = predicted[i];
            if (a < 0 || a >= classes || p < 0 || p >= classes) {
                throw new IllegalArgumentException("metrics: class index out of 0.." + (classes - 1) + " at sample " + i);
            }
            c[a][p]++;
        }
        return of(c);
    }

    /**
     * Metrics of a confusion matrix: {@code confusion[actual][predicted]} counts, square (as partial matrices
     * added up, e.g. one per Spark partition, give them).
     */
    public static ClassificationMetrics of(long[][] confusion) {
        int classes = confusion.length;
        long[][] c = new long[classes][];
        long right = 0, total = 0;
        for (int k = 0; k < classes; k++) {
            if (confusion[k].length != classes) {
                throw new IllegalArgumentException("metrics: confusion row " + k + " has " + confusion[k].length + " counts, not " + classes);
            }
            c[k] = confusion[k].clone();
            right += c[k][k];
            for (long v : c[k]) total += v;
        }
        double[] precision = new double[classes], recall = new double[classes], f1 = new double[classes];
        for (int k = 0; k < classes; k++) {
            long predictedK = 0, actualK = 0;
            for (int j = 0; j < classes; j++) {
                predictedK += c[j][k];
                actualK += c[k][j];
            }
            precision[k] = predictedK == 0 ? 0 : (double) c[k][k] / predictedK;
            recall[k] = actualK == 0 ? 0 : (double) c[k][k] / actualK;
            double s = precision[k] + recall[k];
            f1[k] = s == 0 ? 0 : 2 * precision[k] * recall[k] / s;
        }
        return new ClassificationMetrics(c, total == 0 ? 0 : (double) right / total, precision, recall, f1);
    }

    /** Number of classes. */
    public int classes() {
        return confusion.length;
    }

    /** Unweighted mean of the per-class F1 scores. */
    public double macroF1() {
        double s = 0;
        for (double v : f1) s += v;
        return f1.length == 0 ? 0 : s / f1.length;
    }

    /** Classes past which {@link #report} lists no more classes and leaves out the confusion matrix. */
    public static final int MAX_PRINTED_CLASSES = 20;

    /**
     * A plain-text report: accuracy and macro F1, per-class precision, recall and F1, then the confusion matrix (the
     * first {@link #MAX_PRINTED_CLASSES} classes and no matrix when there are more). {@code names[k]} labels class
     * {@code k}; a null array or a missing name shows the index.
     */
    public String report(String[] names) {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "accuracy %.4f, macro F1 %.4f%n", accuracy, macroF1()));
        sb.append(String.format(Locale.ROOT, "%-14s %9s %9s %9s%n", "class", "precision", "recall", "F1"));
        int shown = Math.min(classes(), MAX_PRINTED_CLASSES);
        for (int k = 0; k < shown; k++) {
            String name = names != null && k < names.length ? names[k] : Integer.toString(k);
            sb.append(String.format(Locale.ROOT, "%-14s %9.4f %9.4f %9.4f%n", name, precision[k], recall[k], f1[k]));
        }
        if (shown < classes()) {
            sb.append(String.format(Locale.ROOT, "... and %d more classes; the confusion matrix of %d classes is not printed%n",
                    classes() - shown, classes()));
            return sb.toString();
        }
        sb.append("confusion (rows: actual, columns: predicted)").append(System.lineSeparator());
        for (long[] row : confusion) {
            for (long v : row) sb.append(String.format(Locale.ROOT, "%7d", v));
            sb.append(System.lineSeparator());
        }
        return sb.toString();
    }
}
