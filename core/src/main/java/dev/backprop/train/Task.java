package dev.backprop.train;

/** What the network predicts, which decides the metrics: classes (accuracy, F1, confusion) or numbers (RMSE, MAE, R²). */
public enum Task {
    /** The network predicts a class: accuracy, per-class precision, recall and F1, the confusion matrix. */
    CLASSIFICATION,
    /** The network predicts numbers: RMSE, MAE and R². */
    REGRESSION;

    /** Classification for the losses on logits (cross-entropy, binary cross-entropy), regression otherwise. */
    public static Task forLoss(dev.backprop.loss.Loss loss) {
        return loss.input() == dev.backprop.loss.Loss.Input.VALUES ? REGRESSION : CLASSIFICATION;
    }
}
