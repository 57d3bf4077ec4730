package dev.backprop.nn;

import dev.backprop.init.Init;
import dev.backprop.tensor.Shape;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/** Rebuilds modules from their {@link Module#config()}: what a model file stores as the architecture. */
public final class Modules {
    private Modules() {}

    /**
     * The module that {@code config} describes, with freshly initialised parameters (a model file then loads its
     * values into them).
     *
     * @throws IllegalArgumentException naming the field when the description is incomplete or unknown
     */
    public static Module fromConfig(Map<String, ?> config) {
        String type = string(config, "type");
        return switch (type) {
            case "linear" -> new Linear(integer(config, "in"), integer(config, "out"),
                    !Boolean.FALSE.equals(config.get("bias")), Init.constant(0), Init.constant(0), new SplittableRandom(0));
            case "sequential" -> {
                if (!(config.get("layers") instanceof List<?> list)) {
                    throw new IllegalArgumentException("sequential: 'layers' must be a list");
                }
                List<Module> layers = new ArrayList<>();
                for (Object o : list) {
                    if (!(o instanceof Map<?, ?> m)) throw new IllegalArgumentException("sequential: every layer must be an object");
                    @SuppressWarnings("unchecked")
                    Map<String, ?> child = (Map<String, ?>) m;
                    layers.add(fromConfig(child));
                }
                yield new Sequential(layers);
            }
            case "dropout" -> new Dropout(number(config, "p"));
            case "batch_norm" -> new BatchNorm1d(integer(config, "features"), number(config, "eps"), number(config, "momentum"));
            case "rescale" -> new Rescale(integer(config, "features"));
            default -> {
                Activation.Kind kind = Activation.Kind.parse(type);
                double parameter = switch (kind) {
                    case LEAKY_RELU -> config.containsKey("slope") ? number(config, "slope") : Activation.DEFAULT_SLOPE;
                    case ELU -> config.containsKey("alpha") ? number(config, "alpha") : Activation.DEFAULT_ALPHA;
                    default -> 0;
                };
                yield new Activation(kind, parameter);
            }
        };
    }

    /**
     * The names and shapes of the tensors (parameters and buffers) that the module described by {@code config}
     * holds, computed without building it: a model file checks them against its contents before allocating.
     */
    public static Map<String, Shape> stateShapes(Map<String, ?> config) {
        Map<String, Shape> out = new LinkedHashMap<>();
        stateShapes(config, "", out);
        return out;
    }

    private static void stateShapes(Map<String, ?> config, String prefix, Map<String, Shape> out) {
        switch (string(config, "type")) {
            case "linear" -> {
                int in = integer(config, "in"), outs = integer(config, "out");
                if ((long) in * outs > Integer.MAX_VALUE - 8) {
                    throw new IllegalArgumentException("linear: " + in + " x " + outs + " weights are too many");
                }
                out.put(prefix + "weight", Shape.of(outs, in));
                if (!Boolean.FALSE.equals(config.get("bias"))) out.put(prefix + "bias", Shape.of(outs));
            }
            case "batch_norm" -> {
                int f = integer(config, "features");
                for (String name : List.of("weight", "bias", "running_mean", "running_var")) out.put(prefix + name, Shape.of(f));
            }
            case "rescale" -> {
                int f = integer(config, "features");
                out.put(prefix + "scale", Shape.of(f));
                out.put(prefix + "shift", Shape.of(f));
            }
            case "sequential" -> {
                if (!(config.get("layers") instanceof List<?> list)) {
                    throw new IllegalArgumentException("sequential: 'layers' must be a list");
                }
                for (int i = 0; i < list.size(); i++) {
                    if (!(list.get(i) instanceof Map<?, ?> m)) throw new IllegalArgumentException("sequential: every layer must be an object");
                    @SuppressWarnings("unchecked")
                    Map<String, ?> child = (Map<String, ?>) m;
                    stateShapes(child, prefix + i + ".", out);
                }
            }
            default -> {
                // activations and dropout hold no tensors
            }
        }
    }

    private static String string(Map<String, ?> c, String key) {
        if (!(c.get(key) instanceof String s)) throw new IllegalArgumentException("module: '" + key + "' must be a string in " + c);
        return s;
    }

    private static double number(Map<String, ?> c, String key) {
        if (!(c.get(key) instanceof Number n) || !Double.isFinite(n.doubleValue())) {
            throw new IllegalArgumentException(c.get("type") + ": '" + key + "' must be a finite number");
        }
        return n.doubleValue();
    }

    private static int integer(Map<String, ?> c, String key) {
        double v = number(c, key);
        if (v != Math.rint(v) || v < 1 || v > 1 << 24) {
            throw new IllegalArgumentException(c.get("type") + ": '" + key + "' must be a whole number from 1 to 16777216, got " + c.get(key));
        }
        return (int) v;
    }
}
