package dev.backprop.nn;

import dev.backprop.tensor.Tensor;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Inverted dropout: in training, each element is zeroed with probability p and the survivors are scaled by
 * 1/(1 − p), so evaluation (an identity) needs no rescaling. The mask comes from the pass's {@link Mode#rng()}.
 */
public final class Dropout extends Module {
    /** Saved as {@code {"type": "dropout", "p": 0.5}}; holds no tensors. */
    public static final ModuleType TYPE = ModuleType.of("dropout", c -> new Dropout(c.number("p")));

    private final double p;

    /**
     * Dropout that zeroes each element with probability {@code p} in training.
     *
     * @throws IllegalArgumentException if {@code p} is outside [0, 1)
     */
    public Dropout(double p) {
        if (!(p >= 0 && p < 1)) throw new IllegalArgumentException("dropout: p must be in [0, 1), got " + p);
        this.p = p;
    }

    /** The probability, in [0, 1), that an element is zeroed in training. */
    public double p() {
        return p;
    }

    @Override
    public Tensor forward(Tensor x, Mode mode) {
        if (!mode.training() || p == 0) return x;
        Tensor mask = Tensor.zeros(x.dtype(), x.shape());
        double keep = 1 / (1 - p);
        for (int i = 0; i < mask.size(); i++) {
            if (mode.rng().nextDouble() >= p) mask.setFlatInPlace(i, keep);
        }
        return x.mul(mask);
    }

    @Override
    public Map<String, Object> config() {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("type", "dropout");
        c.put("p", p);
        return c;
    }
}
