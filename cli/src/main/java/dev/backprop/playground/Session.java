package dev.backprop.playground;

import dev.backprop.autograd.NoGrad;
import dev.backprop.data.BatchOrder;
import dev.backprop.data.DataFormatException;
import dev.backprop.data.DataSource;
import dev.backprop.data.LoadedData;
import dev.backprop.data.Table;
import dev.backprop.encode.ClassEncoder;
import dev.backprop.encode.Encoded;
import dev.backprop.encode.Scaling;
import dev.backprop.encode.TableEncoder;
import dev.backprop.explain.Explanation;
import dev.backprop.init.Init;
import dev.backprop.io.ModelFile;
import dev.backprop.io.Provenance;
import dev.backprop.io.SavedModel;
import dev.backprop.io.SavedOptimizer;
import dev.backprop.loss.CrossEntropy;
import dev.backprop.loss.Loss;
import dev.backprop.loss.MeanSquaredError;
import dev.backprop.nn.Activation;
import dev.backprop.nn.Linear;
import dev.backprop.nn.Module;
import dev.backprop.nn.Sequential;
import dev.backprop.optim.Optimizer;
import dev.backprop.optim.OptimizerState;
import dev.backprop.optim.OptimizerType;
import dev.backprop.tensor.Tensor;
import dev.backprop.train.Evaluation;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;

/**
 * One training run of the playground: the data (encoded as {@code train} encodes it), a network of
 * {@link Linear} + {@link Activation} pairs, its loss and optimizer, and the steps taken. Every step's batch comes
 * from (seed, epoch), so a run replays bit for bit: rewinding restores the nearest snapshot at or before the step
 * asked for and takes the steps after it again.
 */
public final class Session {
    /** Largest network the page takes: units per layer, layers, weights in all. */
    static final int MAX_UNITS = 512, MAX_LAYERS = 8, MAX_WEIGHTS = 1_000_000;
    /** A snapshot of weights and optimizer state every this many steps (rewinding replays at most this many). */
    static final int SNAPSHOT_EVERY = 50;
    /** Grid of the decision boundary (per side) and of each hidden unit's map. */
    static final int GRID = 40, UNIT_GRID = 12, MAX_UNIT_MAPS = 16;

    /**
     * What the page chose.
     *
     * @param data       {@code builtin:NAME}, or {@code upload} for the last uploaded CSV
     * @param target     the target column (null: the data's default, a CSV's last column)
     * @param layers     hidden layer sizes
     * @param activation hidden activation
     * @param loss       the loss name, or null for cross-entropy on classes and mse on numbers
     * @param optimizer  sgd, adam, ...
     * @param lr         learning rate
     * @param batch      rows per step
     * @param seed       seed of the weights and the batch order
     */
    public record Config(String data, String target, List<Integer> layers, String activation, String loss, String optimizer, double lr,
                  int batch, long seed) {}

    final Config config;
    final String description;
    final Table table;
    final TableEncoder encoder;
    final Tensor x, y;
    final int n, inputs, outputs;
    final boolean classes;
    final Sequential net;
    final Loss loss;
    final Optimizer optimizer;
    final List<Double> losses = new ArrayList<>();
    private final TreeMap<Long, Snapshot> snapshots = new TreeMap<>();
    private final float[] lo, hi;
    long step;

    private record Snapshot(Map<String, float[]> weights, OptimizerState optimizer, List<Double> losses) {}

    /** A run on {@code data} ({@code uploaded} when the config says {@code upload}). */
    static Session start(Config c, Table uploaded) throws IOException {
        return start(c, uploaded, null);
    }

    /**
     * A run whose network is {@code spec}'s (a JSON spec's layers and weights; null: built from the config), on
     * {@code data} ({@code uploaded} when the config says {@code upload}).
     */
    static Session start(Config c, Table uploaded, dev.backprop.io.NetworkSpec spec) throws IOException {
        Table table;
        String description;
        List<String> targets;
        Scaling scaling = Scaling.STANDARD;
        if ("upload".equals(c.data())) {
            if (uploaded == null) throw new DataFormatException("no CSV uploaded yet");
            table = uploaded;
            description = uploaded.source();
            targets = List.of(c.target() != null ? c.target() : table.columns().getLast());
        } else {
            if (!c.data().startsWith(DataSource.BUILTIN) || c.data().endsWith("fashion-mnist")) {
                throw new DataFormatException("the playground takes the built-in tables (builtin:spirals, builtin:xor, builtin:iris, "
                        + "builtin:seed003) or an uploaded CSV, not " + c.data());
            }
            LoadedData d = DataSource.load(c.data());
            if (!(d instanceof LoadedData.Tabular t)) throw new DataFormatException(c.data() + ": not a table");
            table = t.table();
            description = t.description();
            targets = c.target() != null ? List.of(c.target()) : t.defaultTargets();
            scaling = t.scaling();
        }
        return new Session(c, table, description, targets, scaling, spec);
    }

    private Session(Config c, Table table, String description, List<String> targets, Scaling scaling, dev.backprop.io.NetworkSpec spec)
            throws IOException {
        check(c);
        this.config = c;
        this.description = description;
        this.table = table;
        TableEncoder.Fit fit = TableEncoder.builder().targets(targets).scaling(scaling).fit(table);
        this.encoder = fit.encoder();
        Encoded e = encoder.encode(table, fit.trainRows());
        this.x = e.features();
        this.y = e.targets();
        this.n = x.shape().dim(0);
        if (n == 0) throw new DataFormatException(description + ": no rows to train on");
        this.inputs = encoder.inputs();
        this.classes = encoder.target() instanceof ClassEncoder;
        this.outputs = classes ? encoder.classLabels().size() : encoder.targetNames().size();
        long weights = 0;
        int width = inputs;
        for (int u : c.layers()) {
            weights += (long) width * u;
            width = u;
        }
        weights += (long) width * outputs;
        if (weights > MAX_WEIGHTS || inputs > MAX_UNITS) {
            throw new IllegalArgumentException("a network of " + weights + " weights and " + inputs + " inputs is too large for the page "
                    + "(at most " + MAX_WEIGHTS + " weights and " + MAX_UNITS + " inputs)");
        }
        if (spec != null) {
            int specOutputs = ((Linear) spec.module().layers().get(spec.module().layers().size() - 2)).outputs();
            if (spec.inputs() != inputs || specOutputs != outputs) {
                throw new DataFormatException(spec.source() + ": the network takes " + spec.inputs() + " inputs and gives " + specOutputs
                        + " outputs; " + description + " has " + inputs + " and needs " + outputs);
            }
        }
        String lossName = c.loss() != null ? c.loss() : spec != null ? spec.loss() : null;
        this.loss = lossName != null ? Loss.byName(lossName) : classes ? new CrossEntropy() : new MeanSquaredError();
        this.net = spec != null ? spec.module() : network(c, inputs, outputs, classes && loss instanceof CrossEntropy);
        this.optimizer = Optimizer.create(OptimizerType.parse(c.optimizer()), Map.of("lr", c.lr()), net.namedParameters());
        this.lo = new float[inputs];
        this.hi = new float[inputs];
        for (int j = 0; j < inputs; j++) {
            lo[j] = Float.MAX_VALUE;
            hi[j] = -Float.MAX_VALUE;
            for (int i = 0; i < n; i++) {
                float v = x.floats()[i * inputs + j];
                lo[j] = Math.min(lo[j], v);
                hi[j] = Math.max(hi[j], v);
            }
        }
        snapshot();
    }

    private static void check(Config c) {
        if (c.layers().size() > MAX_LAYERS) throw new IllegalArgumentException("at most " + MAX_LAYERS + " hidden layers, got " + c.layers().size());
        for (int u : c.layers()) {
            if (u < 1 || u > MAX_UNITS) throw new IllegalArgumentException("a layer has 1 to " + MAX_UNITS + " units, got " + u);
        }
        if (!(c.lr() > 0 && c.lr() <= 10)) throw new IllegalArgumentException("the learning rate must be in (0, 10], got " + c.lr());
        if (c.batch() < 1 || c.batch() > 100_000) throw new IllegalArgumentException("the batch must be 1 to 100000 rows, got " + c.batch());
    }

    /** Linear + activation pairs, as a JSON spec builds them: a softmax last for classes, identity for numbers. */
    private static Sequential network(Config c, int inputs, int outputs, boolean softmax) {
        SplittableRandom rng = new SplittableRandom(c.seed());
        Activation.Kind hidden = Activation.Kind.parse(c.activation());
        List<Module> layers = new ArrayList<>();
        int width = inputs;
        for (int u : c.layers()) {
            layers.add(new Linear(width, u, hidden.defaultInit(), rng.split()));
            layers.add(new Activation(hidden));
            width = u;
        }
        layers.add(new Linear(width, outputs, Init.xavierUniform(), rng.split()));
        layers.add(softmax ? Activation.softmax() : Activation.identity());
        return new Sequential(layers);
    }

    int stepsPerEpoch() {
        return (n + config.batch() - 1) / config.batch();
    }

    /** The rows of step {@code s}: its epoch's permutation from (seed, epoch), sliced. */
    int[] rows(long s) {
        int per = stepsPerEpoch();
        int epoch = (int) (s / per), k = (int) (s % per);
        int[] order = BatchOrder.permutation(n, BatchOrder.generator(config.seed(), epoch, 0));
        int from = k * config.batch(), to = Math.min(n, from + config.batch());
        return java.util.Arrays.copyOfRange(order, from, to);
    }

    Tensor rowsOf(Tensor t, int[] rows) {
        int w = t.rank() == 1 ? 1 : t.shape().dim(1);
        float[] out = new float[rows.length * w];
        for (int i = 0; i < rows.length; i++) System.arraycopy(t.floats(), rows[i] * w, out, i * w, w);
        return t.rank() == 1 ? Tensor.wrap(out, rows.length) : Tensor.wrap(out, rows.length, w);
    }

    /** Takes {@code count} steps. */
    synchronized void step(int count) {
        Module view = Evaluation.lossView(net, loss);
        for (int i = 0; i < count; i++) {
            int[] rows = rows(step);
            optimizer.zeroGrad();
            Tensor l = loss.apply(view.forward(rowsOf(x, rows)), rowsOf(y, rows));
            losses.add(l.item());
            l.backward();
            optimizer.step();
            step++;
            if (step % SNAPSHOT_EVERY == 0) snapshot();
        }
    }

    private void snapshot() {
        Map<String, float[]> w = new LinkedHashMap<>();
        net.stateDict().forEach((k, t) -> w.put(k, t.toFloatArray()));
        snapshots.put(step, new Snapshot(w, optimizer.state(), List.copyOf(losses)));
    }

    /** Back (or forward) to step {@code target}: the nearest snapshot at or before it, then the steps after it again. */
    synchronized void rewind(long target) {
        if (target < 0) throw new IllegalArgumentException("no step " + target);
        var e = snapshots.floorEntry(target);
        Snapshot s = e.getValue();
        Map<String, Tensor> state = net.stateDict();
        s.weights().forEach((k, v) -> System.arraycopy(v, 0, state.get(k).floats(), 0, v.length));
        optimizer.loadState(s.optimizer());
        losses.clear();
        losses.addAll(s.losses());
        snapshots.tailMap(e.getKey(), false).clear();
        step = e.getKey();
        step(Math.toIntExact(target - step));
    }

    /** Accuracy (classes) or RMSE (numbers) on all rows, and the mean loss. */
    synchronized Map<String, Object> metrics() {
        Evaluation ev = Evaluation.of(net, loss, new dev.backprop.data.Dataset(x, y, description));
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("loss", finite(ev.loss()));
        if (ev.classification() != null) m.put("accuracy", ev.classification().accuracy());
        if (ev.regression() != null) m.put("rmse", finite(ev.regression().rmse()));
        return m;
    }

    /** {@link #state(boolean)} with the data's points. */
    synchronized Map<String, Object> state() {
        return state(true);
    }

    /**
     * What the page draws: step, epoch, losses, metrics, weights, and for 2-D data the boundary and unit maps (their
     * values rounded to 3 decimals: they are colours), with the data's points when {@code points} (they do not
     * change during a run, so the page asks for them once).
     */
    synchronized Map<String, Object> state(boolean points) {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("step", step);
        s.put("epoch", step / stepsPerEpoch());
        s.put("steps_per_epoch", stepsPerEpoch());
        s.put("data", description);
        s.put("rows", n);
        s.put("inputs", encoder.featureNames());
        s.put("outputs", classes ? encoder.classLabels() : encoder.targetNames());
        s.put("task", classes ? "classification" : "regression");
        s.put("loss_name", loss.name());
        s.put("losses", thin(losses, 400).stream().map(v -> Math.round(v * 1e5) / 1e5).toList());
        s.put("metrics", metrics());
        List<Object> layers = new ArrayList<>();
        for (Module m : net.layers()) {
            if (m instanceof Linear l) {
                Map<String, Object> layer = new LinkedHashMap<>();
                layer.put("in", l.inputs());
                layer.put("out", l.outputs());
                layer.put("weights", shortest(l.weight().toFloatArray()));
                layer.put("biases", shortest(l.bias().toFloatArray()));
                layers.add(layer);
            } else if (m instanceof Activation a && !layers.isEmpty()) {
                @SuppressWarnings("unchecked")
                Map<String, Object> last = (Map<String, Object>) layers.getLast();
                last.put("activation", a.kind().id());
            }
        }
        s.put("layers", layers);
        if (inputs == 2) {
            s.put("plane", plane(points));
        } else {
            Evaluation ev = Evaluation.of(net, loss, new dev.backprop.data.Dataset(x, y, description));
            if (ev.classification() != null) s.put("confusion", ev.classification().confusion());
            if (ev.regression() != null && ev.regression().pairs() != null) {
                var p = ev.regression().pairs();
                int k = Math.min(300, p.actual().length);
                s.put("pairs", Map.of("actual", java.util.Arrays.copyOf(p.actual(), k), "predicted", java.util.Arrays.copyOf(p.predicted(), k)));
            }
        }
        return s;
    }

    /** The plane of a 2-D data set: the points, the network's output on a grid, and hidden units' maps. */
    private Map<String, Object> plane(boolean points) {
        Map<String, Object> p = new LinkedHashMap<>();
        float x0 = lo[0] - 0.1f * (hi[0] - lo[0]), x1 = hi[0] + 0.1f * (hi[0] - lo[0]);
        float y0 = lo[1] - 0.1f * (hi[1] - lo[1]), y1 = hi[1] + 0.1f * (hi[1] - lo[1]);
        p.put("box", new float[] {x0, x1, y0, y1});
        if (points) {
            p.put("points", x.toFloatArray());
            p.put("labels", y.toFloatArray());
        }
        p.put("grid", GRID);
        p.put("values", grid(GRID, x0, x1, y0, y1, -1));
        List<Object> units = new ArrayList<>();
        int linear = 0;
        for (int i = 0; i < net.layers().size() - 2; i++) {
            if (!(net.layers().get(i) instanceof Linear l)) continue;
            List<double[]> maps = new ArrayList<>();
            double[] all = grid(UNIT_GRID, x0, x1, y0, y1, i + 1);
            int shown = Math.min(l.outputs(), MAX_UNIT_MAPS);
            for (int u = 0; u < shown; u++) {
                double[] map = new double[UNIT_GRID * UNIT_GRID];
                for (int k = 0; k < map.length; k++) map[k] = all[k * l.outputs() + u];
                maps.add(map);
            }
            units.add(Map.of("layer", linear++, "units", l.outputs(), "maps", maps));
        }
        p.put("unit_grid", UNIT_GRID);
        p.put("hidden", units);
        return p;
    }

    /**
     * The network's values on a g × g grid (row by row, y from top): through layer {@code upTo} (its activation's
     * outputs), or for {@code upTo} −1 the class-1 probability / the first output (a class index plus confidence
     * for more than two classes is left to the page: the probability of each class is sent).
     */
    private double[] grid(int g, float x0, float x1, float y0, float y1, int upTo) {
        float[] pts = new float[g * g * 2];
        for (int r = 0; r < g; r++) {
            for (int c = 0; c < g; c++) {
                pts[(r * g + c) * 2] = x0 + (x1 - x0) * (c + 0.5f) / g;
                pts[(r * g + c) * 2 + 1] = y1 - (y1 - y0) * (r + 0.5f) / g;
            }
        }
        try (NoGrad ignored = NoGrad.enter()) {
            Module m = upTo < 0 ? net : new Sequential(net.layers().subList(0, upTo + 1));
            float[] v = m.forward(Tensor.wrap(pts, g * g, 2)).toFloatArray();
            double[] out = new double[v.length];
            for (int i = 0; i < v.length; i++) out[i] = Math.round(v[i] * 1000.0) / 1000.0;
            return out;
        }
    }

    /**
     * One weight's gradient for the batch of the next step, written out as the tutorials write it: for each row of
     * the batch, δ of the unit it feeds, f′(net) there, and the input activation; their products summed (and divided
     * by the batch size: the loss is the batch mean). With the optimizer's update from the batch gradient, and a
     * finite-difference check of that one weight.
     *
     * @param layer index of the Linear layer (0 = first)
     * @param to    the unit it feeds (row of the weight matrix)
     * @param from  the input it comes from (column); -1 for the unit's bias
     */
    synchronized Map<String, Object> weight(int layer, int to, int from) {
        List<Linear> linears = net.layers().stream().filter(m -> m instanceof Linear).map(m -> (Linear) m).toList();
        if (layer < 0 || layer >= linears.size()) throw new IllegalArgumentException("no layer " + layer);
        Linear l = linears.get(layer);
        if (to < 0 || to >= l.outputs() || from < -1 || from >= l.inputs()) {
            throw new IllegalArgumentException("no weight " + to + "," + from + " in layer " + layer + " (" + l.outputs() + " × " + l.inputs() + ")");
        }
        int[] rows = rows(step);
        double sum = 0;
        List<Object> terms = new ArrayList<>();
        String name = null;
        double value = from < 0 ? l.bias().getFlat(to) : l.weight().getFlat(to * l.inputs() + from);
        for (int r : rows) {
            Explanation e = explain(r);
            Explanation.Layer el = e.layers().get(layer);
            List<Explanation.Factor> factors;
            double g;
            if (from < 0) {
                Explanation.Bias bias = el.bias(to);
                factors = bias.factors();
                g = bias.gradient();
                name = "b(" + bias.unit() + ")";
            } else {
                Explanation.Weight w = el.weight(to, from);
                factors = w.factors();
                g = w.gradient();
                name = "w(" + w.from() + "→" + w.to() + ")";
            }
            sum += g;
            if (terms.size() < 16) {
                Map<String, Object> t = new LinkedHashMap<>();
                t.put("row", r);
                t.put("x", java.util.Arrays.copyOfRange(x.floats(), r * inputs, (r + 1) * inputs));
                t.put("y", y.rank() == 1 ? new float[] {y.floats()[r]}
                        : java.util.Arrays.copyOfRange(y.floats(), r * y.shape().dim(1), (r + 1) * y.shape().dim(1)));
                t.put("factors", factors.stream().map(f -> Map.of("symbol", f.symbol(), "value", f.value())).toList());
                t.put("product", g);
                terms.add(t);
            }
        }
        double gradient = sum / rows.length;
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("name", name);
        out.put("value", value);
        out.put("batch", rows.length);
        out.put("terms", terms);
        out.put("gradient", gradient);
        Map<String, Tensor> grads = batchGradients(rows);
        String key = null;
        for (var e : net.namedParameters().entrySet()) if (e.getValue() == (from < 0 ? l.bias() : l.weight())) key = e.getKey();
        int k = from < 0 ? to : to * l.inputs() + from;
        out.put("autograd", grads.containsKey(key) ? grads.get(key).getFlat(k) : 0.0);
        out.put("finite_difference", finiteDifference(l, to, from, rows));
        out.put("update", update(grads, key, k));
        out.put("optimizer", optimizer.state().type().name());
        return out;
    }

    /** Every number of backpropagation on row {@code r} alone, as {@code backprop explain} computes it. */
    Explanation explain(int r) {
        Explanation.Builder b = Explanation.builder(net, loss).detail(Explanation.Detail.FULL).learningRate(config.lr());
        double[] in = new double[inputs];
        for (int j = 0; j < inputs; j++) in[j] = x.floats()[r * inputs + j];
        b.input(in);
        if (classes && loss instanceof CrossEntropy) {
            b.targetClass((int) y.floats()[r]);
        } else {
            int w = y.rank() == 1 ? 1 : y.shape().dim(1);
            double[] t = new double[w];
            for (int j = 0; j < w; j++) t[j] = y.floats()[r * w + j];
            b.target(t);
        }
        return b.build();
    }

    /**
     * A unit's δ = ∂E/∂net for the rows of the next step: for each row, f′(net) and, for a hidden unit, the sum over
     * the units it feeds of w·δ (the terms listed); for an output unit, ∂E/∂out (or out − y where the loss takes the
     * logits). And the batch mean.
     */
    synchronized Map<String, Object> unit(int layer, int unit) {
        List<Linear> linears = net.layers().stream().filter(m -> m instanceof Linear).map(m -> (Linear) m).toList();
        if (layer < 0 || layer >= linears.size() || unit < 0 || unit >= linears.get(layer).outputs()) {
            throw new IllegalArgumentException("no unit " + unit + " in layer " + layer);
        }
        int[] rows = rows(step);
        double sum = 0;
        String name = null;
        List<Object> out = new ArrayList<>();
        for (int r : rows) {
            Explanation e = explain(r);
            Explanation.Layer el = e.layers().get(layer);
            Explanation.Unit u = el.unit(unit);
            name = u.name();
            sum += u.delta();
            if (out.size() >= 8) continue;
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("row", r);
            row.put("net", u.net());
            row.put("f_prime", u.dOutDNet());
            row.put("dE_dout", u.dErrorDOut());
            row.put("delta", u.delta());
            if (layer + 1 < e.layers().size()) {
                Explanation.Layer next = e.layers().get(layer + 1);
                double[][] w = next.weightMatrix();
                List<Object> terms = new ArrayList<>();
                for (int k = 0; k < next.size() && terms.size() < 16; k++) {
                    Explanation.Unit fed = next.unit(k);
                    terms.add(Map.of("unit", fed.name(), "weight", w[k][unit], "delta", fed.delta(), "product", w[k][unit] * fed.delta()));
                }
                row.put("terms", terms);
                row.put("fed", next.size());
            }
            out.add(row);
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", name);
        m.put("batch", rows.length);
        m.put("rows", out);
        m.put("mean_delta", sum / rows.length);
        return m;
    }

    private float[] param(Linear l, int from) {
        return from < 0 ? l.bias().floats() : l.weight().floats();
    }

    private double batchLoss(int[] rows) {
        try (NoGrad ignored = NoGrad.enter()) {
            return loss.apply(Evaluation.lossView(net, loss).forward(rowsOf(x, rows)), rowsOf(y, rows)).item();
        }
    }

    /** Every parameter's ∂E/∂p for the batch {@code rows}, from the tensor autodiff, as the step will compute it. */
    private Map<String, Tensor> batchGradients(int[] rows) {
        net.zeroGrad();
        loss.apply(Evaluation.lossView(net, loss).forward(rowsOf(x, rows)), rowsOf(y, rows)).backward();
        Map<String, Tensor> grads = new LinkedHashMap<>();
        net.namedParameters().forEach((k, t) -> {
            if (t.grad() != null) grads.put(k, Tensor.wrap(t.grad().toFloatArray(), t.shape()));
        });
        net.zeroGrad();
        return grads;
    }

    private double finiteDifference(Linear l, int to, int from, int[] rows) {
        float[] p = param(l, from);
        int k = from < 0 ? to : to * l.inputs() + from;
        float keep = p[k];
        double h = 1e-2 * Math.max(1, Math.abs(keep));     // float32 losses: a smaller step drowns in rounding
        p[k] = (float) (keep + h);
        double up = batchLoss(rows);
        p[k] = (float) (keep - h);
        double down = batchLoss(rows);
        p[k] = keep;
        return (up - down) / (2 * h);
    }

    /** The change the optimizer makes to element {@code k} of parameter {@code key} at the next step, on a copy of its state. */
    private double update(Map<String, Tensor> grads, String key, int k) {
        Map<String, Tensor> copies = new LinkedHashMap<>();
        net.namedParameters().forEach((name, t) -> copies.put(name, Tensor.wrap(t.toFloatArray(), t.shape()).requiresGrad(true)));
        OptimizerState s = optimizer.state();
        Optimizer copy = Optimizer.create(s.type(), s.hyperParameters(), copies);
        copy.loadState(s);
        grads.forEach((name, g) -> copies.get(name).setGrad(g));
        double before = copies.get(key).getFlat(k);
        copy.step();
        return copies.get(key).getFlat(k) - before;
    }

    /** The model file of the run as it stands: what {@code backprop train --out} writes. */
    synchronized void save(Path file) throws IOException {
        OptimizerState s = optimizer.state();
        Map<String, Object> training = new LinkedHashMap<>();
        training.put("trainer", "playground");
        training.put("steps", step);
        training.put("command", command());
        ModelFile.save(file, SavedModel.builder(net, Provenance.now(config.seed(), description)).loss(loss.config())
                .preprocessing(encoder.toMap()).training(training)
                .optimizer(new SavedOptimizer(s.type().name(), s.hyperParameters(), s.steps(), s.tensors())).build());
    }

    /** The {@code backprop train} line that trains this network on this data. */
    String command() {
        String data = "upload".equals(config.data()) ? "YOUR.csv" : config.data();
        StringBuilder sb = new StringBuilder("./backprop train --data ").append(data);
        sb.append(" --target ").append(String.join(",", encoder.targetNames()));
        if (!config.layers().isEmpty()) {
            sb.append(" --layers ").append(String.join(",", config.layers().stream().map(String::valueOf).toList()));
        }
        sb.append(" --activation ").append(config.activation()).append(" --loss ").append(loss.name())
                .append(" --optimizer ").append(config.optimizer()).append(" --lr ").append(fmt(config.lr()))
                .append(" --batch ").append(config.batch()).append(" --seed ").append(config.seed())
                .append(" --val 0 --epochs ").append(Math.max(1, (step + stepsPerEpoch() - 1) / stepsPerEpoch()));
        return sb.toString();
    }

    private static String fmt(double v) {
        return String.format(Locale.ROOT, "%s", v);
    }

    /**
     * The values as doubles that print as the shortest decimal reading back as the same float (JSON would otherwise
     * write each float widened to a double, 17 digits): a third of the bytes, the same bits in the page.
     */
    private static double[] shortest(float[] v) {
        double[] out = new double[v.length];
        for (int i = 0; i < v.length; i++) out[i] = Double.parseDouble(Float.toString(v[i]));
        return out;
    }

    private static Object finite(double v) {
        return Double.isFinite(v) ? v : null;
    }

    private static List<Double> thin(List<Double> v, int max) {
        if (v.size() <= max) return List.copyOf(v);
        List<Double> out = new ArrayList<>(max);
        for (int i = 0; i < max; i++) out.add(v.get((int) ((long) i * v.size() / max)));
        return out;
    }
}
