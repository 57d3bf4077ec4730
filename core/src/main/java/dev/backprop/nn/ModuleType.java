package dev.backprop.nn;

import dev.backprop.io.ModelFileException;
import dev.backprop.io.SavedMap;
import dev.backprop.io.TypeNames;
import dev.backprop.tensor.Shape;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A kind of module that a model file can name: the {@code "type"} of its {@link Module#config()}, how to build one
 * from that config, and which tensors it holds. The built-in layers have one each ({@link Linear#TYPE}, ...); a
 * layer of your own registers its type with {@link ModuleTypes#register} before a model holding it is loaded, and
 * then saves, loads and checkpoints like a built-in one. A file can only name a registered type: nothing read from a
 * file is ever taken as a class name.
 *
 * <pre>{@code
 * final class Scale extends Module {                       // y = s ⊙ x, s trained
 *     static final ModuleType TYPE = ModuleType.of("scale", c -> new Scale((int) c.whole("features", 1, 1 << 24)));
 *     Scale(int features) { registerParameter("s", Tensor.ones(features)); }
 *     public Tensor forward(Tensor x, Mode mode) { return x.mul(parameter("s")); }
 *     public Map<String, Object> config() { return Map.of("type", "scale", "features", parameter("s").size()); }
 * }
 * ModuleTypes.register(Scale.TYPE);                        // once, before loading
 * }</pre>
 */
public interface ModuleType {
    /** The config's {@code "type"}: lower case letters, digits, {@code _}, {@code -} and {@code .}. */
    String name();

    /**
     * A module as {@code config} describes it, with freshly initialised tensors (a model file then loads its values
     * into them).
     *
     * @throws ModelFileException naming the field (its JSON path) when the config is incomplete or out of range
     */
    Module fromConfig(SavedMap config) throws ModelFileException;

    /**
     * The names and shapes of the tensors (parameters and buffers) the module of {@code config} holds: a model file
     * compares them with its contents before allocating anything. The default builds the module and asks it, which
     * allocates its tensors; a type whose modules can be large computes them from the config instead.
     */
    default Map<String, Shape> stateShapes(SavedMap config) throws ModelFileException {
        Map<String, Shape> out = new LinkedHashMap<>();
        fromConfig(config).stateDict().forEach((name, t) -> out.put(name, t.shape()));
        return out;
    }

    /** How a type builds its module from a config. */
    @FunctionalInterface
    interface Builder {
        /** The module {@code config} describes. */
        Module build(SavedMap config) throws ModelFileException;
    }

    /** How a type gives the names and shapes of its tensors from a config, without building the module. */
    @FunctionalInterface
    interface Shapes {
        /** The tensors the module of {@code config} holds. */
        Map<String, Shape> of(SavedMap config) throws ModelFileException;
    }

    /** A type named {@code name} whose modules {@code builder} makes (its shapes by building one). */
    static ModuleType of(String name, Builder builder) {
        return of(name, builder, null);
    }

    /**
     * A type named {@code name} whose modules {@code builder} makes and whose tensors {@code shapes} gives without
     * allocating them (null: by building a module).
     */
    static ModuleType of(String name, Builder builder, Shapes shapes) {
        TypeNames.check("module type", name);
        return new ModuleType() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public Module fromConfig(SavedMap config) throws ModelFileException {
                return builder.build(config);
            }

            @Override
            public Map<String, Shape> stateShapes(SavedMap config) throws ModelFileException {
                return shapes != null ? shapes.of(config) : ModuleType.super.stateShapes(config);
            }

            @Override
            public String toString() {
                return "ModuleType[" + name + "]";
            }
        };
    }
}
