package dev.backprop.encode;

import dev.backprop.io.Messages;
import dev.backprop.data.DataFormatException;
import dev.backprop.io.ModelFileException;
import dev.backprop.io.SavedMap;
import dev.backprop.tensor.Tensor;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Images as features: each image flattened to {@code pixels} values, each multiplied by {@code scale} (1/255 for
 * bytes); the class of each image is its label's index.
 *
 * <pre>{@code
 * PixelEncoder p = PixelEncoder.of(784, 1 / 255.0, List.of(FashionMnist.CLASSES));
 * Tensor x = p.features(rawImages);                  // [n, 28, 28] bytes -> [n, 784] in [0, 1]
 * }</pre>
 *
 * @param pixels values per image
 * @param scale  what each value is multiplied by
 * @param target the class labels
 */
public record PixelEncoder(int pixels, double scale, ClassEncoder target) implements Encoder {
    /**
     * Checks the settings.
     *
     * @throws IllegalArgumentException if {@code pixels < 1} or {@code scale} is not a finite number &gt; 0
     * @throws NullPointerException     if {@code target} is null
     */
    public PixelEncoder {
        if (pixels < 1) throw new IllegalArgumentException("pixels: at least 1 per image, got " + pixels);
        if (!(Double.isFinite(scale) && scale > 0)) throw new IllegalArgumentException("pixels: scale must be a positive number, got " + scale);
        Objects.requireNonNull(target, "target");
    }

    /** Images of {@code pixels} values scaled by {@code scale}, classes named by {@code labels} (by index). */
    public static PixelEncoder of(int pixels, double scale, List<String> labels) {
        if (labels.size() < 2) throw new IllegalArgumentException("class labels: at least two needed, got " + labels);
        return new PixelEncoder(pixels, scale, new ClassEncoder("label", labels, false));
    }

    /**
     * {@code raw} images of any shape whose first dimension is the sample count and whose other dimensions hold
     * {@link #pixels()} values (e.g. {@code [n, 28, 28]} raw bytes), flattened to {@code [n, pixels]} and scaled. A
     * new tensor; the argument is unchanged.
     */
    public Tensor features(Tensor raw) throws DataFormatException {
        int n = raw.rank() == 0 ? 0 : raw.shape().dim(0);
        if (raw.rank() < 2 || (long) raw.size() != (long) n * pixels) {
            throw new DataFormatException("images of shape " + raw.shape() + ": expected [n, ...] with " + pixels + " pixels per image");
        }
        float[] x = new float[raw.size()];
        for (int i = 0; i < x.length; i++) x[i] = (float) (raw.getFlat(i) * scale);
        return Tensor.wrap(x, n, pixels);
    }

    @Override
    public int inputs() {
        return pixels;
    }

    @Override
    public List<String> featureNames() {
        List<String> out = new ArrayList<>(pixels);
        for (int i = 0; i < pixels; i++) out.add("pixel" + i);
        return List.copyOf(out);
    }

    @Override
    public List<String> describe() {
        return List.of(pixels + " pixels per image, each multiplied by " + Messages.number(scale), target.describe());
    }

    /** {@code {"version": 2, "type": "pixels", "features": 784, "scale": 0.0039…, "target": {"kind": "classes", ...}}}. */
    @Override
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("version", VERSION);
        m.put("type", "pixels");
        m.put("features", pixels);
        m.put("scale", scale);
        m.put("target", target.toMap());
        return m;
    }

    static PixelEncoder fromMap(SavedMap f) throws ModelFileException {
        long features = f.whole("features");
        if (features < 1 || features > Integer.MAX_VALUE - 8) throw f.bad("features must be a whole number >= 1, got " + features);
        double scale = f.number("scale");
        if (!(scale > 0)) throw f.bad("scale must be a positive number, got " + scale);
        if (!(Encoder.targetFromMap(f.object("target")) instanceof ClassEncoder target)) throw f.bad("target of images must be classes");
        try {
            return new PixelEncoder((int) features, scale, target);
        } catch (IllegalArgumentException e) {
            throw f.bad(e.getMessage());
        }
    }
}
