package dev.backprop.optim;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The registry of {@link OptimizerType}s by name: what turns the optimizer a checkpoint names back into one. It
 * holds the built-in optimizers from the start; {@link #register} adds your own. Registration is explicit and by
 * instance, so a file can only name a type the program chose to know, never a class.
 */
public final class OptimizerTypes {
    private static final Map<String, OptimizerType> TYPES = new ConcurrentHashMap<>();

    static {
        for (OptimizerType t : List.of(OptimizerType.SGD, OptimizerType.ADAM, OptimizerType.ADAMW,
                OptimizerType.RMSPROP, OptimizerType.ADAGRAD)) {
            TYPES.put(t.name(), t);
        }
    }

    private OptimizerTypes() {}

    /**
     * Adds {@code type}, so that states and files naming it load; registering the same instance again does nothing.
     *
     * @throws IllegalArgumentException when another type has that name (the built-ins' included)
     */
    public static void register(OptimizerType type) {
        OptimizerType known = TYPES.putIfAbsent(type.name(), type);
        if (known != null && known != type) {
            throw new IllegalArgumentException("optimizer type '" + type.name() + "' is already registered (" + known + ")");
        }
    }

    /** The type registered under {@code name}, or null. */
    public static OptimizerType get(String name) {
        return TYPES.get(name);
    }

    /** The registered names, sorted. */
    public static List<String> names() {
        return List.copyOf(new TreeSet<>(TYPES.keySet()));
    }

    /** The type named {@code name}, ignoring case; an unknown name is an error that lists the known ones. */
    static OptimizerType parse(String name) {
        OptimizerType t = name == null ? null : TYPES.get(name.toLowerCase(Locale.ROOT));
        if (t == null) {
            throw new IllegalArgumentException("unknown optimizer type '" + name + "'; known: " + names());
        }
        return t;
    }
}
