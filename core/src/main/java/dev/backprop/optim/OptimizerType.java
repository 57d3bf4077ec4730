package dev.backprop.optim;

import java.util.Arrays;
import java.util.Locale;

/**
 * The optimizers this package provides; an {@link OptimizerState} names its optimizer by one of these, so that a
 * model file can rebuild it with {@link Optimizer#fromState}.
 *
 * <pre>{@code
 * OptimizerType type = OptimizerType.parse("adamw");   // ADAMW
 * Optimizer opt = Optimizer.create(type, Map.of("lr", 1e-3), Map.of("0.weight", w, "0.bias", b));
 * }</pre>
 */
public enum OptimizerType {
    /** Stochastic gradient descent, with optional momentum, Nesterov momentum and weight decay ({@link Sgd}). */
    SGD,
    /** Adam, with weight decay added to the gradient ({@link Adam}). */
    ADAM,
    /** Adam with decoupled weight decay ({@link AdamW}). */
    ADAMW,
    /** RMSprop: steps scaled by a running average of squared gradients ({@link RmsProp}). */
    RMSPROP,
    /** Adagrad: steps scaled by the sum of all squared gradients so far ({@link Adagrad}). */
    ADAGRAD;

    /** The type with this name, ignoring case; an unknown name is an error that lists the known ones. */
    public static OptimizerType parse(String name) {
        for (OptimizerType t : values()) if (t.name().equalsIgnoreCase(name)) return t;
        throw new IllegalArgumentException("unknown optimizer type '" + name + "'; known: "
                + Arrays.toString(values()).toLowerCase(Locale.ROOT));
    }
}
