package dev.backprop.nn;

import dev.backprop.init.Init;
import dev.backprop.io.ModelFileException;
import dev.backprop.io.SavedMap;
import dev.backprop.tensor.Shape;
import dev.backprop.tensor.ShapeException;
import dev.backprop.tensor.Tensor;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;

/**
 * A fully connected layer, z = x·Wᵀ + b: {@code weight} is {@code [out, in]} (row j holds the weights into unit j,
 * as PyTorch and seed 001 lay them out) and {@code bias} is {@code [out]}. Input {@code [batch, in]}, output
 * {@code [batch, out]}.
 *
 * <pre>{@code
 * Linear layer = new Linear(784, 256, Init.heNormal(), rng);   // weights N(0, 2/784), bias 0
 * Tensor z = layer.forward(x);                                 // [batch, 256]
 * }</pre>
 */
public final class Linear extends Module {
    /** Saved as {@code {"type": "linear", "in": 784, "out": 256, "bias": true}}; holds {@code weight [out, in]}, {@code bias [out]}. */
    public static final ModuleType TYPE = ModuleType.of("linear", c -> {
        shapes(c);   // the sizes checked before anything is allocated
        return new Linear((int) c.whole("in"), (int) c.whole("out"), c.bool("bias", true), Init.constant(0), Init.constant(0),
                new SplittableRandom(0));
    }, Linear::shapes);

    private static Map<String, Shape> shapes(SavedMap c) throws ModelFileException {
        int in = (int) c.whole("in", 1, MAX_UNITS), out = (int) c.whole("out", 1, MAX_UNITS);
        if ((long) in * out > Integer.MAX_VALUE - 8) throw c.bad(in + " x " + out + " weights are more than a tensor holds");
        Map<String, Shape> shapes = new LinkedHashMap<>();
        shapes.put("weight", Shape.of(out, in));
        if (c.bool("bias", true)) shapes.put("bias", Shape.of(out));
        return shapes;
    }

    /** Most units a saved layer may have on either side. */
    static final int MAX_UNITS = 1 << 24;

    private final int in;
    private final int out;
    private final boolean hasBias;

    /** A layer with Xavier-uniform weights (a neutral default) and zero biases. */
    public Linear(int in, int out, RandomGenerator rng) {
        this(in, out, true, Init.xavierUniform(), Init.constant(0), rng);
    }

    /** A layer with the given weight initialiser and zero biases. */
    public Linear(int in, int out, Init weightInit, RandomGenerator rng) {
        this(in, out, true, weightInit, Init.constant(0), rng);
    }

    /** A layer with every choice explicit; {@code hasBias = false} leaves out b. */
    public Linear(int in, int out, boolean hasBias, Init weightInit, Init biasInit, RandomGenerator rng) {
        if (in <= 0 || out <= 0) throw new IllegalArgumentException("linear: sizes must be positive, got " + in + " → " + out);
        this.in = in;
        this.out = out;
        this.hasBias = hasBias;
        weightInit.fill(registerParameter("weight", Tensor.zeros(out, in)), in, out, rng);
        if (hasBias) biasInit.fill(registerParameter("bias", Tensor.zeros(out)), in, out, rng);
    }

    /** Features per input row ({@code in}). */
    public int inputs() {
        return in;
    }

    /** Units, the features per output row ({@code out}). */
    public int outputs() {
        return out;
    }

    /** W, {@code [out, in]}. */
    public Tensor weight() {
        return parameter("weight");
    }

    /** b, {@code [out]}, or null without a bias. */
    public Tensor bias() {
        return hasBias ? parameter("bias") : null;
    }

    @Override
    public Tensor forward(Tensor x, Mode mode) {
        if (x.rank() != 2 || x.shape().dim(1) != in) {
            throw new ShapeException("linear(" + in + " → " + out + "): input " + x.shape() + ", expected [batch, " + in + "]");
        }
        return x.linear(weight(), bias());
    }

    @Override
    public Map<String, Object> config() {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("type", "linear");
        c.put("in", in);
        c.put("out", out);
        c.put("bias", hasBias);
        return c;
    }
}
