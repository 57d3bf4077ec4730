package dev.backprop.nn;

import dev.backprop.io.ModelFileException;
import dev.backprop.io.SavedMap;
import dev.backprop.io.TypeNames;
import dev.backprop.tensor.Shape;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The registry of {@link ModuleType}s by name: what turns a saved architecture (a {@link Module#config()}, as a model
 * file keeps it) back into modules. It holds the built-in layers from the start; {@link #register} adds your own.
 * Registration is explicit and by instance, so a file can make the loader build only the types the program chose to
 * know, never a class it names.
 */
public final class ModuleTypes {
    private static final Map<String, ModuleType> TYPES = new ConcurrentHashMap<>();

    static {
        for (ModuleType t : List.of(Linear.TYPE, Sequential.TYPE, Dropout.TYPE, BatchNorm1d.TYPE, Rescale.TYPE)) add(t);
        for (Activation.Kind k : Activation.Kind.values()) add(Activation.type(k));
    }

    private ModuleTypes() {}

    private static void add(ModuleType type) {
        TypeNames.check("module type", type.name());
        if (TYPES.putIfAbsent(type.name(), type) != null) {
            throw new IllegalArgumentException("module type '" + type.name() + "' is already registered (" + TYPES.get(type.name()) + ")");
        }
    }

    /**
     * Adds {@code type}, so that model files naming it load; registering the same instance again does nothing.
     *
     * @throws IllegalArgumentException when another type has that name (the built-ins' included) or the name is not
     *                                  lower case letters, digits, {@code _ - .}
     */
    public static void register(ModuleType type) {
        ModuleType known = TYPES.get(type.name());
        if (known == type) return;
        add(type);
    }

    /** The type registered under {@code name}, or null. */
    public static ModuleType get(String name) {
        return TYPES.get(name);
    }

    /** The registered names, sorted. */
    public static List<String> names() {
        return List.copyOf(new TreeSet<>(TYPES.keySet()));
    }

    /**
     * The module that {@code config} describes, with freshly initialised tensors.
     *
     * @throws ModelFileException naming the field ({@code architecture: layers[2].in must be ...}) or the unknown type
     */
    public static Module fromConfig(Map<String, ?> config) throws ModelFileException {
        return build(SavedMap.of(config, "architecture"));
    }

    /**
     * The names and shapes of the tensors the module of {@code config} holds, computed without allocating them for
     * the built-in types.
     */
    public static Map<String, Shape> stateShapes(Map<String, ?> config) throws ModelFileException {
        Map<String, Shape> out = new LinkedHashMap<>();
        stateShapes(SavedMap.of(config, "architecture"), "", out);
        return out;
    }

    /** The module {@code config} describes: for a module that holds others, to build each of its children. */
    public static Module build(SavedMap config) throws ModelFileException {
        ModuleType type = type(config);
        try {
            return type.fromConfig(config);
        } catch (IllegalArgumentException e) {   // a constructor's own check: dropout p = 1.5
            throw config.bad(e.getMessage());
        }
    }

    /** Adds the shapes of the module {@code config} describes to {@code out}, each name after {@code prefix}. */
    public static void stateShapes(SavedMap config, String prefix, Map<String, Shape> out) throws ModelFileException {
        Map<String, Shape> shapes;
        try {
            shapes = type(config).stateShapes(config);
        } catch (IllegalArgumentException e) {
            throw config.bad(e.getMessage());
        }
        for (var e : shapes.entrySet()) out.put(prefix + e.getKey(), e.getValue());
    }

    private static ModuleType type(SavedMap config) throws ModelFileException {
        String name = config.string("type");
        ModuleType t = TYPES.get(name);
        if (t == null) {
            throw config.bad("unknown module type " + SavedMap.show(name) + " (known: " + String.join(", ", names())
                    + "; a layer of your own is registered with ModuleTypes.register before loading)");
        }
        return t;
    }
}
