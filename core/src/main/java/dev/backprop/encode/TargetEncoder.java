package dev.backprop.encode;

import java.util.List;
import java.util.Map;

/**
 * How the target columns become what the loss compares the network's output with: {@link ClassEncoder} (one
 * column of class labels → class indices, for cross-entropy) or {@link NumberEncoder} (numbers as they are; a
 * regression network standardises them itself, see {@link dev.backprop.nn.Rescale}).
 */
public sealed interface TargetEncoder permits ClassEncoder, NumberEncoder {
    /** The target columns. */
    List<String> columns();

    /** The network outputs this target needs: the number of classes, or of target columns. */
    int outputs();

    /** The saved form: {@code kind} and what the kind needs. */
    Map<String, Object> toMap();

    /** One line for people. */
    String describe();
}
