package dev.backprop.explain;

import dev.backprop.nn.Activation;
import dev.backprop.nn.Linear;
import dev.backprop.nn.Module;
import dev.backprop.nn.Sequential;
import dev.backprop.tensor.DType;
import dev.backprop.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A network of the shape a JSON spec builds ({@link dev.backprop.io.NetworkSpec}): a {@link Sequential} of
 * {@link Linear} (with bias) and {@link Activation} pairs, spec layer {@code k} being modules {@code 2k} and
 * {@code 2k + 1}. The explanations read a network through this view, so that they know each layer's weights,
 * biases and activation by position rather than by searching the module tree.
 */
final class SpecLayers {
    private SpecLayers() {}

    /** One spec layer: net = in·Wᵀ + b, out = f(net). */
    record Layer(Linear linear, Activation activation) {
        int inputs() {
            return linear.inputs();
        }

        int units() {
            return linear.outputs();
        }

        Activation.Kind kind() {
            return activation.kind();
        }

        /** Leaky ReLU's slope or ELU's α (from the module's config, the one place it is exposed); NaN for the rest. */
        double parameter() {
            Object p = activation.config().get(kind() == Activation.Kind.LEAKY_RELU ? "slope" : "alpha");
            return p instanceof Number n ? n.doubleValue() : Double.NaN;
        }

        /** {@code sigmoid}, {@code leaky_relu (slope 0.01)}, {@code elu (α = 1)}, {@code linear} for identity. */
        String describe() {
            return switch (kind()) {
                case LEAKY_RELU -> "leaky_relu (slope " + Format.given(parameter()) + ")";
                case ELU -> "elu (α = " + Format.given(parameter()) + ")";
                case IDENTITY -> "linear";
                default -> kind().id();
            };
        }

        /** Whether out_j depends on net_j alone, so that ∂out_j/∂net_j is the whole local derivative. */
        boolean elementwise() {
            return kind() != Activation.Kind.SOFTMAX;
        }

        /** W as a float64 copy, {@code [units, inputs]}, that records gradients. */
        Tensor weight64() {
            return linear.weight().to(DType.FLOAT64).copy().requiresGrad(true);
        }

        /** b as a float64 copy, {@code [units]}, that records gradients. */
        Tensor bias64() {
            return linear.bias().to(DType.FLOAT64).copy().requiresGrad(true);
        }
    }

    /** Whether {@code model} has the spec's shape. */
    static boolean matches(Module model) {
        try {
            of(model, "");
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /**
     * The layers of {@code model}.
     *
     * @param who the caller's name for messages, e.g. {@code "explain"}
     * @throws IllegalArgumentException naming what does not fit, when {@code model} is not spec-shaped
     */
    static List<Layer> of(Module model, String who) {
        String need = who + ": needs a network of Linear + Activation pairs, the shape a JSON network spec builds";
        if (!(model instanceof Sequential seq)) {
            throw new IllegalArgumentException(need + "; got a " + model.config().get("type") + " module");
        }
        List<Module> ms = seq.layers();
        if (ms.isEmpty() || ms.size() % 2 != 0) {
            throw new IllegalArgumentException(need + "; got a sequence of " + ms.size() + " modules");
        }
        List<Layer> out = new ArrayList<>();
        for (int i = 0; i < ms.size(); i += 2) {
            if (!(ms.get(i) instanceof Linear linear) || linear.bias() == null || !(ms.get(i + 1) instanceof Activation act)) {
                throw new IllegalArgumentException(need + "; modules " + i + " and " + (i + 1) + " are "
                        + ms.get(i).config().get("type") + " and " + ms.get(i + 1).config().get("type")
                        + " (expected a linear layer with bias, then an activation)");
            }
            if (!out.isEmpty() && out.getLast().units() != linear.inputs()) {
                throw new IllegalArgumentException(who + ": module " + i + " takes " + linear.inputs()
                        + " inputs but the layer before gives " + out.getLast().units());
            }
            out.add(new Layer(linear, act));
        }
        return out;
    }

    /** net = in·Wᵀ + b, {@code [batch, units]}. */
    static Tensor net(Tensor in, Tensor w, Tensor b) {
        return in.matmul(w, false, true).add(b);
    }

    /** The layers' sizes joined by dashes, the input first: {@code 2-2-2}. */
    static String shape(List<Layer> layers) {
        StringBuilder s = new StringBuilder().append(layers.getFirst().inputs());
        for (Layer l : layers) s.append('-').append(l.units());
        return s.toString();
    }

    /** {@code layers[1] (3→2, sigmoid)}: the spec's JSON path of the layer, its size and its activation. */
    static String name(List<Layer> layers, int k) {
        Layer l = layers.get(k);
        return String.format(Locale.ROOT, "layers[%d] (%d→%d, %s)", k, l.inputs(), l.units(), l.describe());
    }
}
