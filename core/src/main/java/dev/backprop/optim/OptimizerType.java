package dev.backprop.optim;

import dev.backprop.io.TypeNames;
import dev.backprop.tensor.Tensor;
import java.util.Locale;
import java.util.Map;

/**
 * A kind of optimizer that an {@link OptimizerState} (and so a model file or checkpoint) can name: its name, and how
 * to build one from saved hyper-parameters. The built-in ones are constants here; an optimizer of your own extends
 * {@link Optimizer}, makes its type with {@link #of}, and registers it with {@link OptimizerTypes#register} before a
 * checkpoint naming it is resumed.
 *
 * <pre>{@code
 * OptimizerType type = OptimizerType.parse("adamw");   // ADAMW
 * Optimizer opt = type.create(Map.of("lr", 1e-3), Map.of("0.weight", w, "0.bias", b));
 * }</pre>
 */
public interface OptimizerType {
    /** Stochastic gradient descent, with optional momentum, Nesterov momentum and weight decay ({@link Sgd}). */
    OptimizerType SGD = of("sgd", Sgd::fromHyperParameters);
    /** Adam, with weight decay added to the gradient ({@link Adam}). */
    OptimizerType ADAM = of("adam", Adam::fromHyperParameters);
    /** Adam with decoupled weight decay ({@link AdamW}). */
    OptimizerType ADAMW = of("adamw", AdamW::fromHyperParameters);
    /** RMSprop: steps scaled by a running average of squared gradients ({@link RmsProp}). */
    OptimizerType RMSPROP = of("rmsprop", RmsProp::fromHyperParameters);
    /** Adagrad: steps scaled by the sum of all squared gradients so far ({@link Adagrad}). */
    OptimizerType ADAGRAD = of("adagrad", Adagrad::fromHyperParameters);

    /** The name a state and a model file record: lower case letters, digits, {@code _ - .} ({@code "adamw"}). */
    String name();

    /**
     * An optimizer of this type over {@code parameters}; a hyper-parameter missing from the map takes its default,
     * one the type does not have is an error.
     */
    Optimizer create(Map<String, Double> hyperParameters, Map<String, Tensor> parameters);

    /** How a type builds its optimizer from saved hyper-parameters. */
    @FunctionalInterface
    interface Factory {
        /**
         * The optimizer over {@code parameters} with the settings {@code hyperParameters} holds (read each with
         * {@link HyperParameters#get} or {@link HyperParameters#flag}; a key nobody reads is then refused).
         */
        Optimizer create(HyperParameters hyperParameters, Map<String, Tensor> parameters);
    }

    /**
     * A type named {@code name} whose optimizers {@code factory} builds.
     *
     * @throws IllegalArgumentException when the name is not lower case letters, digits, {@code _ - .}
     */
    static OptimizerType of(String name, Factory factory) {
        TypeNames.check("optimizer type", name);
        java.util.Objects.requireNonNull(factory, "factory");
        return new OptimizerType() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public Optimizer create(Map<String, Double> hyperParameters, Map<String, Tensor> parameters) {
                HyperParameters h = new HyperParameters(this, hyperParameters);
                Optimizer opt = factory.create(h, parameters);
                h.rejectUnknown();
                if (opt.type() != this) {
                    throw new IllegalStateException(this + ": the factory built a " + opt.type() + " optimizer");
                }
                return opt;
            }

            /** The name in capitals, as messages show it ({@code ADAMW: lr must be ...}). */
            @Override
            public String toString() {
                return name.toUpperCase(Locale.ROOT);
            }
        };
    }

    /**
     * The registered type with this name, ignoring case (files written before names were lower case say
     * {@code "ADAM"}); an unknown name is an error that lists the known ones.
     */
    static OptimizerType parse(String name) {
        return OptimizerTypes.parse(name);
    }
}
