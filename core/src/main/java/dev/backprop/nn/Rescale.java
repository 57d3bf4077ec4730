package dev.backprop.nn;

import dev.backprop.tensor.ShapeException;
import dev.backprop.tensor.Tensor;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A fixed affine map of each feature, {@code y = x·scale + shift}, whose {@code scale} and {@code shift} are buffers
 * (saved, never trained). It ends a regression network whose targets were standardised: the layers before it learn
 * {@code (y − mean)/std}, numbers near 0 and 1 whatever the target's units, and it turns them back into the target's
 * own units, so that predictions, losses and metrics read in those units.
 *
 * <p>{@link dev.backprop.train.Trainer} sees a network that ends in a {@code Rescale} as the layers before it, and the
 * targets through {@link #inverse}: the loss it minimises is the loss of the standardised targets, whose gradients
 * have the same size for prices in dollars as for prices in thousands, so the optimiser's learning rate means the
 * same for both. The losses it reports are those of the whole network, in the target's units.
 *
 * <pre>{@code
 * Rescale r = Rescale.standardising(new double[] {180_000}, new double[] {75_000});   // price ≈ 180k ± 75k
 * r.forward(Tensor.of(new double[] {1.0}, 1, 1));                                   // [[255000]]
 * }</pre>
 */
public final class Rescale extends Module {
    /** Saved as {@code {"type": "rescale", "features": 1}}; holds the buffers {@code scale} and {@code shift}, {@code [features]}. */
    public static final ModuleType TYPE = ModuleType.of("rescale", c -> new Rescale((int) c.whole("features", 1, Linear.MAX_UNITS)),
            c -> BatchNorm1d.vectors(c, "scale", "shift"));

    private final int features;

    /** {@code features} outputs, scale 1 and shift 0 (a model file then loads its values). */
    public Rescale(int features) {
        if (features < 1) throw new IllegalArgumentException("rescale: features must be at least 1, got " + features);
        this.features = features;
        registerBuffer("scale", Tensor.ones(features));
        registerBuffer("shift", Tensor.zeros(features));
    }

    /**
     * Undoes standardisation by {@code mean} and {@code std} (one per feature): {@code y = x·std + mean}. A std of 0 (a
     * constant target) is taken as 1.
     */
    public static Rescale standardising(double[] mean, double[] std) {
        if (mean.length != std.length) throw new IllegalArgumentException("rescale: " + mean.length + " means, " + std.length + " deviations");
        Rescale r = new Rescale(mean.length);
        for (int j = 0; j < mean.length; j++) {
            if (!Double.isFinite(mean[j]) || !(std[j] >= 0) || Double.isInfinite(std[j])) {
                throw new IllegalArgumentException("rescale: feature " + j + ": mean " + mean[j] + ", std " + std[j] + " are not finite");
            }
            r.buffer("scale").setFlatInPlace(j, std[j] == 0 ? 1 : std[j]);
            r.buffer("shift").setFlatInPlace(j, mean[j]);
        }
        return r;
    }

    /** The number of features it maps. */
    public int features() {
        return features;
    }

    /** The scale of each feature, {@code [features]}. */
    public Tensor scale() {
        return buffer("scale");
    }

    /** The shift of each feature, {@code [features]}. */
    public Tensor shift() {
        return buffer("shift");
    }

    @Override
    public Tensor forward(Tensor x, Mode mode) {
        check(x);
        return x.mul(buffer("scale")).add(buffer("shift"));
    }

    /** The inverse map, {@code (y − shift)/scale}: targets in the units the layers before this one learn. */
    public Tensor inverse(Tensor y) {
        check(y);
        return y.sub(buffer("shift")).div(buffer("scale"));
    }

    private void check(Tensor x) {
        if (x.rank() != 2 || x.shape().dim(1) != features) {
            throw new ShapeException("rescale(" + features + "): input " + x.shape() + ", expected [batch, " + features + "]");
        }
    }

    /**
     * The {@code Rescale} that ends {@code model} (the last layer of a {@link Sequential}), with the network before
     * it; null when the model does not end in one.
     */
    public static Ending ending(Module model) {
        if (!(model instanceof Sequential seq) || seq.layers().size() < 2) return null;
        List<Module> layers = seq.layers();
        if (!(layers.getLast() instanceof Rescale r)) return null;
        return new Ending(new Sequential(layers.subList(0, layers.size() - 1)), r);
    }

    /**
     * A network split before its final {@link Rescale}.
     *
     * @param before  the layers before it (sharing the parameters)
     * @param rescale the final layer
     */
    public record Ending(Module before, Rescale rescale) {}

    @Override
    public Map<String, Object> config() {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("type", "rescale");
        c.put("features", features);
        return c;
    }
}
