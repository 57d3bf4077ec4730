package dev.backprop.nn;

import dev.backprop.tensor.Tensor;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A piece of a network: it owns named parameters (trained), buffers (state that is saved but not trained, such as
 * batch normalisation's running statistics) and child modules, and computes its output from its input. It never
 * updates itself: an optimizer updates the {@link #parameters()}, and a loss is computed outside.
 *
 * <p>Names are dotted paths through the children, as in PyTorch: {@code "0.weight"}, {@code "2.bias"}.
 *
 * <pre>{@code
 * Module net = new Sequential(new Linear(784, 256, rng), Activation.relu(), new Linear(256, 10, rng));
 * Tensor logits = net.forward(x);                      // [batch, 10]
 * Optimizer opt = Adam.builder().build(net.namedParameters());
 * }</pre>
 */
public abstract class Module {
    private final Map<String, Tensor> parameters = new LinkedHashMap<>();
    private final Map<String, Tensor> buffers = new LinkedHashMap<>();
    private final Map<String, Module> children = new LinkedHashMap<>();

    /** A module with no parameters, buffers or children yet; a subclass registers its own in its constructor. */
    public Module() {}

    /** Computes the output for a batch {@code x} (one sample per row unless the module says otherwise). */
    public abstract Tensor forward(Tensor x, Mode mode);

    /** Evaluation-mode forward pass. */
    public final Tensor forward(Tensor x) {
        return forward(x, Mode.EVAL);
    }

    /**
     * What rebuilds this module without its values: {@code {"type": "linear", "in": 784, "out": 256, ...}};
     * its {@link ModuleType} reads it back ({@link ModuleTypes#fromConfig}). Values are numbers, strings, booleans, lists and maps.
     */
    public abstract Map<String, Object> config();

    /** Registers a parameter; it is marked {@code requiresGrad(true)}. */
    protected final Tensor registerParameter(String name, Tensor value) {
        checkName(name);
        parameters.put(name, value.requiresGrad(true));
        return value;
    }

    /** Registers a buffer: saved with the model, never trained. */
    protected final Tensor registerBuffer(String name, Tensor value) {
        checkName(name);
        buffers.put(name, value);
        return value;
    }

    /** Registers a child module. */
    protected final <M extends Module> M registerModule(String name, M module) {
        checkName(name);
        children.put(name, module);
        return module;
    }

    private void checkName(String name) {
        if (name.isEmpty() || name.contains(".")) throw new IllegalArgumentException("bad name '" + name + "' (no dots)");
        if (parameters.containsKey(name) || buffers.containsKey(name) || children.containsKey(name)) {
            throw new IllegalArgumentException("name '" + name + "' is already registered");
        }
    }

    /** This module's own parameter {@code name} (subclasses read parameters here, so they can be replaced). */
    protected final Tensor parameter(String name) {
        return parameters.get(name);
    }

    /** This module's own buffer {@code name}. */
    protected final Tensor buffer(String name) {
        return buffers.get(name);
    }

    /**
     * Puts the given tensors in place of the parameters of the same dotted names (the tensors themselves, not
     * copies of their values): a functional call, as used by gradient checks and by workers that receive weights.
     * Shapes must match.
     */
    public final void setParameters(Map<String, Tensor> values) {
        for (var e : values.entrySet()) {
            String name = e.getKey();
            Module owner = this;
            int dot;
            while ((dot = name.indexOf('.')) >= 0) {
                owner = owner.children.get(name.substring(0, dot));
                if (owner == null) throw new IllegalArgumentException("no parameter '" + e.getKey() + "'");
                name = name.substring(dot + 1);
            }
            Tensor old = owner.parameters.get(name);
            if (old == null) throw new IllegalArgumentException("no parameter '" + e.getKey() + "'");
            if (!old.shape().equals(e.getValue().shape())) {
                throw new IllegalArgumentException("parameter '" + e.getKey() + "' has shape " + old.shape()
                        + ", got " + e.getValue().shape());
            }
            owner.parameters.put(name, e.getValue());
        }
    }

    /** The direct children, in registration order. */
    public final Map<String, Module> children() {
        return Collections.unmodifiableMap(children);
    }

    /** Every parameter of this module and its descendants, by dotted name, in registration order. */
    public final Map<String, Tensor> namedParameters() {
        Map<String, Tensor> out = new LinkedHashMap<>();
        collect(this, "", out, true);
        return out;
    }

    /** Every buffer of this module and its descendants, by dotted name. */
    public final Map<String, Tensor> namedBuffers() {
        Map<String, Tensor> out = new LinkedHashMap<>();
        collect(this, "", out, false);
        return out;
    }

    /** The parameters, in the order of {@link #namedParameters()}. */
    public final List<Tensor> parameters() {
        return new ArrayList<>(namedParameters().values());
    }

    /** Number of parameter elements (trainable or frozen). */
    public final long parameterCount() {
        long n = 0;
        for (Tensor t : namedParameters().values()) n += t.size();
        return n;
    }

    private static void collect(Module m, String prefix, Map<String, Tensor> out, boolean params) {
        for (var e : (params ? m.parameters : m.buffers).entrySet()) out.put(prefix + e.getKey(), e.getValue());
        for (var e : m.children.entrySet()) collect(e.getValue(), prefix + e.getKey() + ".", out, params);
    }

    /** Parameters and buffers together, by name: everything a model file stores. */
    public final Map<String, Tensor> stateDict() {
        Map<String, Tensor> out = namedParameters();
        out.putAll(namedBuffers());
        return out;
    }

    /**
     * Copies values into the parameters and buffers of the same names. Every name must be present with the same
     * shape; nothing is changed unless all are.
     */
    public final void loadStateDict(Map<String, Tensor> values) {
        Map<String, Tensor> own = stateDict();
        for (var e : own.entrySet()) {
            Tensor v = values.get(e.getKey());
            if (v == null) throw new IllegalArgumentException("state: missing tensor '" + e.getKey() + "'");
            if (!v.shape().equals(e.getValue().shape())) {
                throw new IllegalArgumentException("state: tensor '" + e.getKey() + "' has shape " + v.shape()
                        + ", the model expects " + e.getValue().shape());
            }
        }
        for (String name : values.keySet()) {
            if (!own.containsKey(name)) throw new IllegalArgumentException("state: unexpected tensor '" + name + "'");
        }
        for (var e : own.entrySet()) e.getValue().copyFromInPlace(values.get(e.getKey()));
    }

    /** Stops training this module's parameters (they keep their values and get no gradient); returns this. */
    public final Module freeze() {
        for (Tensor t : namedParameters().values()) t.requiresGrad(false);
        return this;
    }

    /** Trains this module's parameters again; returns this. */
    public final Module unfreeze() {
        for (Tensor t : namedParameters().values()) t.requiresGrad(true);
        return this;
    }

    /** Sets every parameter's gradient to zero. */
    public final void zeroGrad() {
        for (Tensor t : namedParameters().values()) t.zeroGrad();
    }

    @Override
    public String toString() {
        return config().toString();
    }
}
