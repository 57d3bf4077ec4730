package dev.backprop.train;

import dev.backprop.autograd.NoGrad;
import dev.backprop.data.Batch;
import dev.backprop.data.Dataset;
import dev.backprop.loss.Loss;
import dev.backprop.nn.Activation;
import dev.backprop.nn.Sequential;
import dev.backprop.nn.Module;
import dev.backprop.tensor.Tensor;
import dev.backprop.tensor.Workspace;
import java.util.List;
import java.util.Map;

/**
 * A model's loss and metrics on a data set, computed in evaluation mode without recording gradients.
 *
 * <pre>{@code
 * Evaluation e = Evaluation.of(model, loss, test, Task.CLASSIFICATION, 256);
 * e.loss(); e.classification().accuracy();
 * }</pre>
 *
 * @param loss           mean loss over the samples (each batch's loss weighted by its size)
 * @param classification for classifiers, else null
 * @param regression     for regressors, else null
 */
public record Evaluation(double loss, ClassificationMetrics classification, RegressionMetrics regression) {

    /**
     * The module whose output {@code loss} takes. Cross-entropy and binary cross-entropy take logits, with the
     * softmax or sigmoid fused into the loss; a {@link Sequential} that ends in that very activation (as the seeds'
     * networks and JSON specs do) is therefore seen without it, so the activation is not applied twice. The view
     * shares the layers, and so the parameters. Any other module is returned as it is.
     */
    public static Module lossView(Module model, Loss loss) {
        if (!(model instanceof Sequential seq) || seq.layers().isEmpty()) return model;
        Module last = seq.layers().get(seq.layers().size() - 1);
        if (!(last instanceof Activation a)) return model;
        boolean fused = (a.kind() == Activation.Kind.SOFTMAX && loss.input() == Loss.Input.SOFTMAX_LOGITS)
                || (a.kind() == Activation.Kind.SIGMOID && loss.input() == Loss.Input.SIGMOID_LOGITS);
        return fused ? new Sequential(seq.layers().subList(0, seq.layers().size() - 1)) : model;
    }

    /** Evaluates {@code model} on {@code data}: the metrics of the task {@code loss} trains for, in batches of 256. */
    public static Evaluation of(Module model, Loss loss, Dataset data) {
        return of(model, loss, data, Task.forLoss(loss), 256);
    }

    /** Evaluates {@code model} on {@code data} in batches of {@code batchSize}. */
    public static Evaluation of(Module model, Loss loss, Dataset data, Task task, int batchSize) {
        double sum = 0;
        int n = data.size();
        Tensor outputs = null;
        model = lossView(model, loss);
        List<Batch> batches = data.batchesInOrder(batchSize);
        Workspace workspace = Workspace.create();   // a batch's activations are reused by the next; outputs are copied out
        try (NoGrad ignored = NoGrad.enter()) {
            for (int step = 0; step < batches.size(); step++) {
                try (Workspace.Scope scope = workspace.enter()) {
                    Batch b = batches.get(step);
                    Tensor out = model.forward(b.x());
                    sum += loss.apply(out, b.y()).item() * b.size();
                    if (outputs == null) outputs = Tensor.zeros(out.dtype(), dev.backprop.tensor.Shape.of(n, out.size() / b.size()));
                    int width = out.size() / b.size(), base = step * batchSize * width;
                    for (int i = 0; i < out.size(); i++) outputs.setFlatInPlace(base + i, out.getFlat(i));
                }
            }
        }
        double mean = n == 0 ? Double.NaN : sum / n;
        if (outputs == null) return new Evaluation(mean, null, null);
        if (task == Task.CLASSIFICATION) {
            return new Evaluation(mean, classify(outputs, data.targets()), null);
        }
        Tensor target = data.targets().rank() == 1 ? data.targets().reshape(n, 1) : data.targets();
        return new Evaluation(mean, null, RegressionMetrics.of(outputs, target));
    }

    /**
     * Predicted and actual classes: the arg-max of several outputs (logits or probabilities alike), or, for one
     * output (a logit, as binary cross-entropy takes), class 1 when it is positive.
     */
    static ClassificationMetrics classify(Tensor outputs, Tensor targets) {
        int n = outputs.shape().dim(0), width = outputs.shape().dim(1);
        int classes = Math.max(2, width);
        int[] predicted = width == 1 ? new int[n] : outputs.argmax(1);
        if (width == 1) for (int i = 0; i < n; i++) predicted[i] = outputs.getFlat(i) > 0 ? 1 : 0;
        int[] actual = new int[n];
        if (targets.rank() == 2 && targets.shape().dim(1) > 1) {
            actual = targets.argmax(1);
        } else {
            for (int i = 0; i < n; i++) {
                double t = targets.getFlat(i);
                actual[i] = width == 1 ? (t > 0.5 ? 1 : 0) : (int) t;
            }
        }
        return ClassificationMetrics.of(predicted, actual, classes);
    }

    /** Adds this evaluation's metrics under {@code prefix} (e.g. {@code val_accuracy}). */
    void putMetrics(Map<String, Double> into, String prefix) {
        if (classification != null) {
            into.put(prefix + "accuracy", classification.accuracy());
            into.put(prefix + "macro_f1", classification.macroF1());
        }
        if (regression != null) {
            into.put(prefix + "rmse", regression.rmse());
            into.put(prefix + "mae", regression.mae());
            into.put(prefix + "r2", regression.r2());
        }
    }
}
