package dev.backprop.encode;

/** What a target column holds for the network: classes (one output per class, cross-entropy) or numbers. */
public enum TargetKind {
    /** Class labels: a classification. */
    CLASSES,
    /** Numbers: a regression (or 0/1 values for binary cross-entropy). */
    NUMBERS
}
