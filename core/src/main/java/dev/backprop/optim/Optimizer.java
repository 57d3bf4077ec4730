package dev.backprop.optim;

import dev.backprop.tensor.DType;
import dev.backprop.tensor.Tensor;
import dev.backprop.tensor.blas.IdleWork;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.StringJoiner;

/**
 * Updates named parameters from their gradients. An optimizer never sees modules: it is built over an ordered map
 * of parameter names (such as {@code "0.weight"}) to the parameter tensors, and keeps its state (momentum buffers,
 * running averages) per parameter, under that parameter's name.
 *
 * <pre>{@code
 * Optimizer opt = Adam.builder().lr(1e-3).build(Map.of("0.weight", w, "0.bias", b));
 * opt.zeroGrad(); loss.backward(); opt.step();
 * }</pre>
 *
 * <p>{@link #step()} updates every parameter that {@link Tensor#requiresGrad() requires a gradient} and has one;
 * a frozen parameter ({@code requiresGrad(false)}) or one whose gradient is null is left alone, and its state does
 * not advance. Updates run in place on the parameter's own storage; the state buffers are allocated on a
 * parameter's first update, with the parameter's type (float32 or float64) and shape, and reused afterwards, so
 * a step allocates nothing in steady state. Each element's update is computed in double precision and rounded
 * once into a float32 parameter or buffer.
 *
 * <p>{@link #state()} exports a copy of everything a later step depends on: hyper-parameters (including the
 * current learning rate), the step count, and one tensor per parameter and state slot named
 * {@code <parameter>.<slot>}, e.g. {@code "0.weight.exp_avg"}, plus {@code <parameter>.step}, the number of
 * updates that parameter has received (a float64 scalar). {@link #loadState} restores it, and continuing from a
 * restored state gives bit-identical parameters to never having stopped. {@link #fromState} rebuilds the
 * optimizer a state came from.
 */
public abstract class Optimizer {
    private static final String STEP = "step";

    private final OptimizerType type;
    private final List<String> slotNames;
    private final ParamState[] params;
    private final Map<String, Integer> indexByName = new HashMap<>();
    private final Map<String, Tensor> parameters;
    private double learningRate;
    private long steps;

    /** One parameter and its state; {@code slots} stays null until the parameter's first update. */
    private static final class ParamState {
        final String name;
        final Tensor param;
        Tensor[] slots;
        // The slots' backing arrays, kept so that a step needs neither a lookup nor an allocation.
        float[][] f;
        double[][] d;
        long step;

        ParamState(String name, Tensor param) {
            this.name = name;
            this.param = param;
        }
    }

    /**
     * An optimizer of {@code type} over {@code parameters}, keeping one buffer per parameter for each of
     * {@code slotNames} (names without a dot, such as {@code "exp_avg"}), allocated on the parameter's first update.
     *
     * @throws IllegalArgumentException when there are no parameters, a name is empty, one tensor is given twice, or
     *                                  the learning rate is negative or not finite
     */
    protected Optimizer(OptimizerType type, Map<String, Tensor> parameters, double learningRate, List<String> slotNames) {
        Objects.requireNonNull(type, "type");
        for (String slot : slotNames) {
            if (slot.isEmpty() || slot.contains(".") || slot.equals(STEP)) {
                throw new IllegalArgumentException(type + ": slot name '" + slot + "' must be non-empty, have no dot and not be '" + STEP + "'");
            }
        }
        this.type = type;
        this.slotNames = List.copyOf(slotNames);
        this.learningRate = Check.nonNegative(type.toString(), "lr", learningRate);
        Objects.requireNonNull(parameters, "parameters");
        if (parameters.isEmpty()) throw new IllegalArgumentException(type + ": no parameters to optimize");
        Map<Tensor, String> seen = new IdentityHashMap<>();
        Map<String, Tensor> ordered = new LinkedHashMap<>();
        List<ParamState> states = new ArrayList<>();
        for (Map.Entry<String, Tensor> e : parameters.entrySet()) {
            String name = Objects.requireNonNull(e.getKey(), "parameter name");
            Tensor p = Objects.requireNonNull(e.getValue(), () -> "parameter '" + name + "'");
            if (name.isEmpty()) throw new IllegalArgumentException(type + ": a parameter has an empty name");
            String other = seen.put(p, name);
            if (other != null) {
                throw new IllegalArgumentException(type + ": parameters '" + other + "' and '" + name
                        + "' are the same tensor, which would be updated twice per step");
            }
            indexByName.put(name, states.size());
            states.add(new ParamState(name, p));
            ordered.put(name, p);
        }
        this.params = states.toArray(new ParamState[0]);
        this.parameters = Collections.unmodifiableMap(ordered);
    }

    /** Names the parameters of a list by their index: {@code "0"}, {@code "1"}, ... */
    static Map<String, Tensor> byIndex(List<Tensor> parameters) {
        Objects.requireNonNull(parameters, "parameters");
        Map<String, Tensor> named = new LinkedHashMap<>();
        for (int i = 0; i < parameters.size(); i++) named.put(Integer.toString(i), parameters.get(i));
        return named;
    }

    // ---------------------------------------------------------------- the update, per optimizer

    /**
     * Updates one float32 parameter {@code w} in place from its gradient {@code g}; {@code slots} are its state
     * buffers in the order of the slot names, {@code t} is this parameter's update count (1 on its first update).
     */
    protected abstract void update(float[] w, float[] g, float[][] slots, long t, double lr);

    /**
     * The same update for a float64 parameter. Each optimizer writes its loop once per element type: Java has no
     * generics over primitive arrays, and a per-element virtual call would cost more than the update itself.
     */
    protected abstract void update(double[] w, double[] g, double[][] slots, long t, double lr);

    /**
     * The float32 update of elements {@code from} (inclusive) to {@code to} (exclusive) only. Called instead of the
     * whole update when {@link #elementwise()} says an element's update reads and writes that element alone; then
     * {@link #step()} cuts large parameters into ranges that several threads update at once, with the same bits as
     * one whole update. The default is never called.
     */
    protected void update(float[] w, float[] g, float[][] slots, int from, int to, long t, double lr) {
        throw new UnsupportedOperationException(type + " updates whole parameters only");
    }

    /** Whether the ranged {@link #update(float[], float[], float[][], int, int, long, double)} is implemented. */
    protected boolean elementwise() {
        return false;
    }

    /** The value a state slot starts at; zero unless an optimizer says otherwise. */
    protected double initialValue(int slot) {
        return 0;
    }

    /**
     * Adds every hyper-parameter except the learning rate, in a fixed order, under the names the type's
     * {@link OptimizerType.Factory} reads (flags as {@link HyperParameters#flag(boolean)}).
     */
    protected abstract void putHyperParameters(Map<String, Double> out);

    // ---------------------------------------------------------------- public API

    /** Which optimizer this is. */
    public final OptimizerType type() {
        return type;
    }

    /** The parameters, by name, in the order given at construction (unmodifiable). */
    public final Map<String, Tensor> parameters() {
        return parameters;
    }

    /**
     * Updates every parameter that requires a gradient and has a non-null one, in place. A gradient of another
     * type than its parameter (a float32 parameter used in a float64 computation) is converted once and set as
     * the parameter's gradient, so that later backward passes accumulate into the converted buffer.
     */
    public final void step() {
        step(false);
    }

    /**
     * {@link #step()}, then {@link #zeroGrad()} for the parameters it updated, in one pass: each range of a gradient
     * is zeroed by the thread that has just read it, while it is still in that core's cache. The same values as the
     * two calls; a training loop that calls this needs no {@code zeroGrad()} before its next backward pass (but one
     * before its first).
     */
    public final void stepAndZeroGrad() {
        step(true);
    }

    private void step(boolean zero) {
        zeroing = zero;
        if (cuts == null) cuts = cuts();
        int cut = 0;
        for (ParamState s : params) {
            Tensor p = s.param;
            if (!p.requiresGrad()) continue;
            Tensor g = p.grad();
            if (g == null) continue;
            if (g.dtype() != p.dtype()) {
                g = g.to(p.dtype());
                p.setGrad(g);
            }
            if (s.slots == null) allocate(s);
            s.step++;
            if (p.dtype() == DType.FLOAT64) {
                update(p.doubles(), g.doubles(), s.d, s.step, learningRate);
                if (zero) java.util.Arrays.fill(g.doubles(), 0);
            } else if (cuts) {
                cut = addRanges(s, cut);
            } else {
                update(p.floats(), g.floats(), s.f, s.step, learningRate);
                if (zero) java.util.Arrays.fill(g.floats(), 0);
            }
        }
        if (cut > 0) updateRanges(cut);
        steps++;
    }

    /** Elements per range when {@link #step()} cuts float32 parameters: about 7 µs of Adam on one core. */
    static final int RANGE = 16_384;
    /** An optimizer over fewer float32 elements than this updates each parameter whole, on the calling thread. */
    static final int MIN_CUT = 4 * RANGE;

    // The ranges of the current step: parameter, first element, end; reused from step to step.
    private ParamState[] rangeOwner = new ParamState[0];
    private int[] rangeFrom = new int[0], rangeTo = new int[0];
    private boolean zeroing;
    private Boolean cuts;   // decided at the first step (elementwise() is the subclass's)

    private int addRanges(ParamState s, int count) {
        int size = s.param.size();
        int parts = (size + RANGE - 1) / RANGE;
        if (count + parts > rangeOwner.length) {
            int capacity = Math.max(2 * rangeOwner.length, count + parts);
            rangeOwner = java.util.Arrays.copyOf(rangeOwner, capacity);
            rangeFrom = java.util.Arrays.copyOf(rangeFrom, capacity);
            rangeTo = java.util.Arrays.copyOf(rangeTo, capacity);
        }
        for (int i = 0; i < parts; i++) {
            rangeOwner[count] = s;
            rangeFrom[count] = i * RANGE;
            rangeTo[count] = Math.min(size, (i + 1) * RANGE);
            count++;
        }
        return count;
    }

    /**
     * Updates the step's float32 ranges, offered to the product threads as idle work: each range is updated by one
     * thread, and an elementwise update gives the same bits however it is cut. With one thread, all run here.
     */
    private void updateRanges(int count) {
        IdleWork.offer(count, this::updateRange).finish();
        java.util.Arrays.fill(rangeOwner, 0, count, null);   // no parameter kept alive by the last step
    }

    /**
     * Whether steps cut float32 parameters into ranges: the update is elementwise and the parameters hold at least
     * {@link #MIN_CUT} float32 elements (a small network's step stays as it was, on the calling thread).
     */
    private boolean cuts() {
        if (!elementwise()) return false;
        long elements = 0;
        for (ParamState s : params) if (s.param.dtype() == DType.FLOAT32) elements += s.param.size();
        return elements >= MIN_CUT;
    }

    private void updateRange(int i) {
        ParamState s = rangeOwner[i];
        float[] g = s.param.grad().floats();
        update(s.param.floats(), g, s.f, rangeFrom[i], rangeTo[i], s.step, learningRate);
        if (zeroing) java.util.Arrays.fill(g, rangeFrom[i], rangeTo[i], 0);
    }

    /** Sets every parameter's gradient to zero, keeping its buffer (PyTorch's {@code zero_grad(set_to_none=False)}). */
    public final void zeroGrad() {
        for (ParamState s : params) s.param.zeroGrad();
    }

    /** The learning rate the next step uses. */
    public final double learningRate() {
        return learningRate;
    }

    /** Sets the learning rate for the following steps (schedules call this between epochs). */
    public final void setLearningRate(double lr) {
        learningRate = Check.nonNegative(type.toString(), "lr", lr);
    }

    /** The number of {@link #step()} calls so far (restored by {@link #loadState}). */
    public final long steps() {
        return steps;
    }

    /** The hyper-parameters under their PyTorch names, {@code "lr"} (the current learning rate) first; flags are 0 or 1. */
    public final Map<String, Double> hyperParameters() {
        Map<String, Double> out = new LinkedHashMap<>();
        out.put("lr", learningRate);
        putHyperParameters(out);
        return Collections.unmodifiableMap(out);
    }

    /** A copy of everything later steps depend on; further steps do not change it. */
    public final OptimizerState state() {
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        for (ParamState s : params) {
            if (s.slots == null) continue;
            for (int k = 0; k < s.slots.length; k++) tensors.put(s.name + "." + slotNames.get(k), s.slots[k].copy());
            tensors.put(s.name + "." + STEP, Tensor.scalar(DType.FLOAT64, s.step));
        }
        return new OptimizerState(type, hyperParameters(), steps, tensors);
    }

    /**
     * Replaces this optimizer's state with a copy of {@code state}: the learning rate, the step count and every
     * parameter's buffers (a parameter absent from the state starts afresh). The state must come from the same
     * kind of optimizer with the same other hyper-parameters, name only parameters this optimizer has, with
     * their shapes, and hold every slot for each parameter it names; otherwise nothing changes and the error says
     * what differs.
     */
    public final void loadState(OptimizerState state) {
        Objects.requireNonNull(state, "state");
        if (state.type() != type) {
            throw new IllegalArgumentException(type + ": cannot load the state of " + state.type()
                    + "; use Optimizer.fromState(state, parameters) to rebuild the optimizer it came from");
        }
        Map<String, Double> mine = hyperParameters();
        for (Map.Entry<String, Double> e : state.hyperParameters().entrySet()) {
            String key = e.getKey();
            Double v = mine.get(key);
            if (v == null) {
                throw new IllegalArgumentException(type + ": the state has hyper-parameter '" + key
                        + "', which this optimizer does not have; known: " + mine.keySet());
            }
            if (!key.equals("lr") && Double.compare(v, e.getValue()) != 0) {
                throw new IllegalArgumentException(type + ": the state was saved with " + key + " = " + e.getValue()
                        + ", this optimizer has " + key + " = " + v
                        + "; use Optimizer.fromState(state, parameters) to take the saved settings");
            }
        }
        double lr = Check.nonNegative(type.toString(), "lr", state.hyperParameters().getOrDefault("lr", learningRate));

        Tensor[][] slots = new Tensor[params.length][];
        long[] paramSteps = new long[params.length];
        for (Map.Entry<String, Tensor> e : state.tensors().entrySet()) {
            String key = e.getKey();
            Tensor t = e.getValue();
            // Slot names contain no dot, so the last dot separates the parameter's name (which may have dots).
            int dot = key.lastIndexOf('.');
            if (dot <= 0) {
                throw new IllegalArgumentException(type + ": state tensor '" + key + "' is not named <parameter>.<slot>");
            }
            String name = key.substring(0, dot), slot = key.substring(dot + 1);
            Integer i = indexByName.get(name);
            if (i == null) {
                throw new IllegalArgumentException(type + ": state tensor '" + key + "' belongs to parameter '" + name
                        + "', which this optimizer does not have; its parameters: " + parameters.keySet());
            }
            if (slot.equals(STEP)) {
                double v = t.size() == 1 ? t.getFlat(0) : Double.NaN;
                if (!(v >= 1 && v <= 0x1p53 && v == Math.rint(v))) {
                    throw new IllegalArgumentException(type + ": state tensor '" + key
                            + "' must be one whole number >= 1, got " + t);
                }
                paramSteps[i] = (long) v;
                continue;
            }
            int k = slotNames.indexOf(slot);
            if (k < 0) {
                throw new IllegalArgumentException(type + ": state tensor '" + key + "' has unknown slot '" + slot
                        + "'; " + type + " keeps " + slotNames + " and " + STEP);
            }
            Tensor p = params[i].param;
            if (!t.shape().equals(p.shape())) {
                throw new IllegalArgumentException(type + ": state tensor '" + key + "' has shape " + t.shape()
                        + ", parameter '" + name + "' has shape " + p.shape());
            }
            if (slots[i] == null) slots[i] = new Tensor[slotNames.size()];
            slots[i][k] = t;
        }
        for (int i = 0; i < params.length; i++) {
            if (paramSteps[i] == 0 && slots[i] == null) continue;
            String name = params[i].name;
            if (paramSteps[i] == 0) {
                throw new IllegalArgumentException(type + ": the state lacks '" + name + "." + STEP + "'");
            }
            for (int k = 0; k < slotNames.size(); k++) {
                if (slots[i] == null || slots[i][k] == null) {
                    throw new IllegalArgumentException(type + ": the state lacks '" + name + "." + slotNames.get(k) + "'");
                }
            }
        }

        for (int i = 0; i < params.length; i++) {
            ParamState s = params[i];
            if (paramSteps[i] == 0) {
                s.slots = null;
                s.f = null;
                s.d = null;
                s.step = 0;
                continue;
            }
            if (s.slots == null) allocate(s);
            for (int k = 0; k < slotNames.size(); k++) s.slots[k].copyFromInPlace(slots[i][k]);
            s.step = paramSteps[i];
        }
        learningRate = lr;
        steps = state.steps();
    }

    /** An optimizer of the given type over {@code parameters}; a hyper-parameter missing from the map takes its default. */
    public static Optimizer create(OptimizerType type, Map<String, Double> hyperParameters, Map<String, Tensor> parameters) {
        return Objects.requireNonNull(type, "type").create(hyperParameters, parameters);
    }

    /** The optimizer that {@code state} came from, over {@code parameters}, with the state loaded. */
    public static Optimizer fromState(OptimizerState state, Map<String, Tensor> parameters) {
        Objects.requireNonNull(state, "state");
        Optimizer opt = create(state.type(), state.hyperParameters(), parameters);
        opt.loadState(state);
        return opt;
    }

    private void allocate(ParamState s) {
        int n = slotNames.size();
        DType dtype = s.param.dtype();
        s.slots = new Tensor[n];
        s.f = dtype == DType.FLOAT32 ? new float[n][] : null;
        s.d = dtype == DType.FLOAT64 ? new double[n][] : null;
        for (int k = 0; k < n; k++) {
            Tensor buf = Tensor.zeros(dtype, s.param.shape());
            double init = initialValue(k);
            if (init != 0) buf.fillInPlace(init);
            s.slots[k] = buf;
            if (s.f != null) s.f[k] = buf.floats();
            else s.d[k] = buf.doubles();
        }
    }

    /** E.g. {@code Adam(lr=0.001, beta1=0.9, beta2=0.999, eps=1.0E-8, weight_decay=0.0; 4 parameters, 10 steps)}. */
    @Override
    public String toString() {
        StringJoiner j = new StringJoiner(", ", getClass().getSimpleName() + "(", "; " + params.length + " parameters, "
                + steps + " steps)");
        hyperParameters().forEach((k, v) -> j.add(k + "=" + v));
        return j.toString();
    }
}
