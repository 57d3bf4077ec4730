package dev.backprop.nn;

import dev.backprop.init.Init;
import dev.backprop.tensor.Tensor;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * An activation function as a layer, a = f(z), with no parameters. Softmax runs along the last axis.
 *
 * <pre>{@code
 * new Sequential(new Linear(2, 2, rng), Activation.sigmoid(), new Linear(2, 1, rng), Activation.sigmoid());
 * }</pre>
 */
public final class Activation extends Module {

    /** The activation functions; the name is what JSON specs and model files use. */
    public enum Kind {
        /** σ(z) = 1 / (1 + e^−z), in (0, 1). */
        SIGMOID,
        /** tanh(z), in (−1, 1). */
        TANH,
        /** max(0, z). */
        RELU,
        /** z for z &gt; 0, slope·z otherwise (slope {@link Activation#DEFAULT_SLOPE} by default). */
        LEAKY_RELU,
        /** z for z &gt; 0, α(e^z − 1) otherwise (α {@link Activation#DEFAULT_ALPHA} by default). */
        ELU,
        /** GELU in its tanh form: ½z(1 + tanh(√(2/π)(z + 0.044715z³))). */
        GELU,
        /** e^z / Σ e^z along the last axis: each row becomes a probability distribution. */
        SOFTMAX,
        /** z unchanged (a linear output); {@code "linear"} is accepted for it. */
        IDENTITY;

        /** {@code "leaky_relu"}, {@code "sigmoid"}, ... */
        public String id() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** Parses {@link #id()}; {@code "linear"} is accepted for identity, as in the seeds' vocabulary. */
        public static Kind parse(String id) {
            if ("linear".equals(id)) return IDENTITY;
            for (Kind k : values()) if (k.id().equals(id)) return k;
            throw new IllegalArgumentException("unknown activation '" + id + "'; expected one of sigmoid, tanh, relu, "
                    + "leaky_relu, elu, gelu, softmax, linear (identity)");
        }

        /** The initialiser that keeps activations' variance steady through a layer followed by this function. */
        public Init defaultInit() {
            return switch (this) {
                case RELU, LEAKY_RELU, ELU, GELU -> Init.heNormal();
                case SIGMOID, TANH, SOFTMAX, IDENTITY -> Init.xavierUniform();
            };
        }
    }

    /** Leaky ReLU's default slope, as in PyTorch and the JSON specs. */
    public static final double DEFAULT_SLOPE = 0.01;
    /** ELU's default α. */
    public static final double DEFAULT_ALPHA = 1.0;

    private final Kind kind;
    private final double parameter;

    /** {@code parameter} is leaky ReLU's slope or ELU's α; ignored by the others. */
    public Activation(Kind kind, double parameter) {
        this.kind = kind;
        this.parameter = parameter;
    }

    /** The activation with its default parameter. */
    public Activation(Kind kind) {
        this(kind, kind == Kind.ELU ? DEFAULT_ALPHA : DEFAULT_SLOPE);
    }

    /** σ(z) = 1 / (1 + e^−z), the seeds' activation. */
    public static Activation sigmoid() {
        return new Activation(Kind.SIGMOID);
    }

    /** tanh(z). */
    public static Activation tanh() {
        return new Activation(Kind.TANH);
    }

    /** max(0, z). */
    public static Activation relu() {
        return new Activation(Kind.RELU);
    }

    /** z for z &gt; 0, {@code slope}·z otherwise. */
    public static Activation leakyRelu(double slope) {
        return new Activation(Kind.LEAKY_RELU, slope);
    }

    /** z for z &gt; 0, {@code alpha}·(e^z − 1) otherwise. */
    public static Activation elu(double alpha) {
        return new Activation(Kind.ELU, alpha);
    }

    /** GELU in its tanh form. */
    public static Activation gelu() {
        return new Activation(Kind.GELU);
    }

    /** Softmax along the last axis. */
    public static Activation softmax() {
        return new Activation(Kind.SOFTMAX);
    }

    /** z unchanged: a linear output layer. */
    public static Activation identity() {
        return new Activation(Kind.IDENTITY);
    }

    /**
     * The module type of {@code kind}, named by its {@link Kind#id()}: {@code {"type": "relu"}}, {@code {"type":
     * "leaky_relu", "slope": 0.01}}, {@code {"type": "elu", "alpha": 1.0}}. An activation holds no tensors.
     */
    public static ModuleType type(Kind kind) {
        return ModuleType.of(kind.id(), c -> new Activation(kind, switch (kind) {
            case LEAKY_RELU -> c.has("slope") ? c.number("slope") : DEFAULT_SLOPE;
            case ELU -> c.has("alpha") ? c.number("alpha") : DEFAULT_ALPHA;
            default -> 0;
        }));
    }

    /** Which function this layer applies. */
    public Kind kind() {
        return kind;
    }

    /** Leaky ReLU's slope or ELU's α; unused (0 or the default) for the other kinds. */
    public double parameter() {
        return parameter;
    }

    @Override
    public Tensor forward(Tensor z, Mode mode) {
        return switch (kind) {
            case SIGMOID -> z.sigmoid();
            case TANH -> z.tanh();
            case RELU -> z.relu();
            case LEAKY_RELU -> z.leakyRelu(parameter);
            case ELU -> z.elu(parameter);
            case GELU -> z.gelu();
            case SOFTMAX -> z.softmax(-1);
            case IDENTITY -> z;
        };
    }

    @Override
    public Map<String, Object> config() {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("type", kind.id());
        if (kind == Kind.LEAKY_RELU) c.put("slope", parameter);
        if (kind == Kind.ELU) c.put("alpha", parameter);
        return c;
    }
}
