package dev.backprop.train;

import dev.backprop.autograd.NoGrad;
import dev.backprop.loss.BinaryCrossEntropy;
import dev.backprop.loss.CrossEntropy;
import dev.backprop.loss.Loss;
import dev.backprop.nn.Module;
import dev.backprop.tensor.Tensor;

/**
 * A model's predictions for a batch of inputs: for a classifier, each row's class and the probability of every class
 * (softmax of the logits for cross-entropy, σ of the logit for binary cross-entropy); for a regressor, the outputs.
 *
 * <pre>{@code
 * Predictions p = Predictions.of(model, loss, features);
 * p.classes()[0]; p.probabilities().get(0, 3);
 * }</pre>
 *
 * @param outputs       the model's outputs as the loss sees them (logits for the cross-entropy losses), {@code [n, k]}
 * @param probabilities class probabilities {@code [n, classes]} for a classifier, else null
 * @param classes       predicted class per row for a classifier, else null
 */
public record Predictions(Tensor outputs, Tensor probabilities, int[] classes) {

    /** Runs {@code model} on {@code features} ({@code [n, inputs]}) in evaluation mode. */
    public static Predictions of(Module model, Loss loss, Tensor features) {
        Tensor out;
        try (NoGrad ignored = NoGrad.enter()) {
            out = Evaluation.lossView(model, loss).forward(features);
        }
        return switch (loss.name()) {
            case CrossEntropy.NAME -> {
                Tensor p = out.softmax(-1);
                yield new Predictions(out, p, out.argmax(1));
            }
            case BinaryCrossEntropy.NAME -> {
                if (out.shape().dim(1) != 1) {
                    // Several independent yes/no outputs: probabilities per output, no single class.
                    yield new Predictions(out, out.sigmoid(), null);
                }
                Tensor p1 = out.sigmoid();
                int n = out.shape().dim(0);
                double[] both = new double[2 * n];
                int[] cls = new int[n];
                for (int i = 0; i < n; i++) {
                    both[2 * i + 1] = p1.getFlat(i);
                    both[2 * i] = 1 - p1.getFlat(i);
                    cls[i] = out.getFlat(i) > 0 ? 1 : 0;
                }
                yield new Predictions(out, Tensor.of(both, n, 2), cls);
            }
            default -> new Predictions(out, null, null);
        };
    }

    /** Whether these are class predictions. */
    public boolean classification() {
        return classes != null;
    }
}
