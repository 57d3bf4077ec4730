package dev.backprop.loss;

import dev.backprop.tensor.Tensor;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * A loss: one scalar, differentiable with respect to the network's output, that says how far the output is from
 * the target. Backpropagating from it ({@code loss.apply(out, y).backward()}) starts the chain rule at
 * {@code ∂E/∂output}.
 *
 * <p>{@code output} is what the network produced, {@code [batch, outputs]} (logits, not probabilities, for
 * {@link CrossEntropy} and {@link BinaryCrossEntropy}); each implementation says what its target looks like and
 * exactly how it reduces over the batch. Implementations are immutable, so one instance serves every step and
 * thread. A target that does not fit the output raises a {@link dev.backprop.tensor.ShapeException} naming the loss
 * and both shapes, e.g. {@code mse: [4, 2] x [4, 3]}.
 *
 * <pre>{@code
 * Loss loss = Loss.byName("cross-entropy");                              // or new CrossEntropy()
 * loss.apply(logits, CrossEntropy.classIndices(2, 0, 1)).backward();      // logits [3, C]: logits.grad() filled
 * }</pre>
 *
 * <p>A model file stores a loss as {@link #config()} and restores it with {@link #fromConfig(Map)}; a loss without
 * parameters is also restored from its {@link #name()} alone by {@link #byName(String)}.
 */
public interface Loss {
    /** The names {@link #byName} accepts, in the order they are listed in messages. */
    List<String> NAMES = List.of(HalfSumSquares.NAME, MeanSquaredError.NAME, MeanAbsoluteError.NAME, Huber.NAME,
            CrossEntropy.NAME, BinaryCrossEntropy.NAME);

    /**
     * The loss of {@code output} against {@code target}: a scalar tensor (shape {@code []}) that backpropagates
     * into {@code output} (and into {@code target} where the target is differentiable and requires a gradient).
     * Computed in the wider of the two element types.
     *
     * @throws dev.backprop.tensor.ShapeException when the target's shape does not fit the output's
     * @throws IllegalArgumentException           when a target value is invalid for this loss (a class index
     *                                            out of range, for example)
     */
    Tensor apply(Tensor output, Tensor target);

    /** The loss's registry name, e.g. {@code "mse"}; {@code Loss.byName(name())} gives it back with default parameters. */
    String name();

    /** What a loss takes from the network: its outputs as they are, or logits whose squashing the loss does itself. */
    enum Input {
        /** The outputs as they are (regression losses): a network's last activation stays in the network. */
        VALUES,
        /** Logits: the loss applies log-softmax itself, so a network ending in softmax is taken without it. */
        SOFTMAX_LOGITS,
        /** Logits: the loss applies the sigmoid itself, so a network ending in sigmoid is taken without it. */
        SIGMOID_LOGITS
    }

    /**
     * What this loss takes: {@link Input#VALUES} unless it fuses an activation into itself. This, not the loss's name,
     * decides which final activation training and evaluation leave out ({@code Evaluation.lossView}) and whether
     * the loss trains a classifier ({@code Task.forLoss}).
     */
    default Input input() {
        return Input.VALUES;
    }

    /**
     * Everything needed to rebuild this loss, for a model file: {@code {"name": name()}} plus any parameters
     * (numbers, and lists of numbers), in a fixed order. {@code Loss.fromConfig(config())} equals this loss.
     */
    default Map<String, Object> config() {
        return Map.of("name", name());
    }

    /**
     * The loss with this name and its default parameters: one of {@link #NAMES} ({@code half-sse, mse, mae, huber,
     * cross-entropy, bce}); case and surrounding spaces are ignored.
     *
     * @throws IllegalArgumentException naming the valid names when there is no such loss
     */
    static Loss byName(String name) {
        Objects.requireNonNull(name, "name");
        return switch (name.strip().toLowerCase(Locale.ROOT)) {
            case HalfSumSquares.NAME -> new HalfSumSquares();
            case MeanSquaredError.NAME -> new MeanSquaredError();
            case MeanAbsoluteError.NAME -> new MeanAbsoluteError();
            case Huber.NAME -> new Huber();
            case CrossEntropy.NAME -> new CrossEntropy();
            case BinaryCrossEntropy.NAME -> new BinaryCrossEntropy();
            default -> throw new IllegalArgumentException("unknown loss '" + name + "'; valid names: "
                    + String.join(", ", NAMES));
        };
    }

    /**
     * The loss that {@link #config()} described: the {@code "name"} entry picks it, the other entries are its
     * parameters ({@code "delta"} for huber, {@code "classWeights"} for cross-entropy, {@code "posWeight"} for
     * bce); a parameter left out takes its default. Numbers may be any {@link Number} (as a JSON reader gives them).
     *
     * <pre>{@code
     * Loss l = Loss.fromConfig(Map.of("name", "huber", "delta", 0.5));   // new Huber(0.5)
     * }</pre>
     *
     * @throws IllegalArgumentException when the name is missing or unknown, a key is not a parameter of that loss,
     *                                  or a value has the wrong type or range
     */
    static Loss fromConfig(Map<String, ?> config) {
        Objects.requireNonNull(config, "config");
        if (!(config.get("name") instanceof String name)) {
            throw new IllegalArgumentException("loss config " + config + " has no \"name\" string; valid names: "
                    + String.join(", ", NAMES));
        }
        Loss loss = byName(name);
        return switch (loss) {
            case Huber h -> Huber.fromConfig(config);
            case CrossEntropy c -> CrossEntropy.fromConfig(config);
            case BinaryCrossEntropy b -> BinaryCrossEntropy.fromConfig(config);
            default -> {
                Configs.requireOnly(config, loss.name());
                yield loss;
            }
        };
    }
}
