package dev.backprop.init;

import dev.backprop.tensor.Tensor;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.random.RandomGenerator;

/**
 * How a parameter's first values are drawn. Every initialiser takes the random generator explicitly, so the same
 * seed gives the same network.
 *
 * <pre>{@code
 * Init.heNormal().fill(weight, 784, 256, new SplittableRandom(42));   // N(0, 2/784), for ReLU layers
 * Init.uniform(0, 1).fill(weight, 2, 2, rng);                          // the seeds' choice
 * }</pre>
 *
 * {@code fanIn} is the number of inputs of a unit, {@code fanOut} the number of units.
 *
 * <p>An initialiser of your own implements {@link #fill} and {@link #config} and goes wherever these do
 * ({@code new Linear(in, out, myInit, rng)}); {@link #fromConfig} reads back only the built-in ones, which are the
 * ones a JSON network spec can name.
 */
public interface Init {

    /** Overwrites every element of {@code t} with a draw from this initialiser. */
    void fill(Tensor t, int fanIn, int fanOut, RandomGenerator rng);

    /** {@code {"type": ..., parameters}} for model files; {@link #fromConfig} reads it back. */
    Map<String, Object> config();

    /** Uniform on [lo, hi): the seeds draw weights from uniform(0, 1). */
    static Init uniform(double lo, double hi) {
        return new Uniform(lo, hi);
    }

    /** Normal with the given mean and standard deviation. */
    static Init normal(double mean, double std) {
        return new Normal(mean, std);
    }

    /** Glorot/Xavier uniform: U(−a, a), a = √(6 / (fanIn + fanOut)); keeps variance for tanh and sigmoid layers. */
    static Init xavierUniform() {
        return new XavierUniform();
    }

    /** Glorot/Xavier normal: N(0, 2 / (fanIn + fanOut)). */
    static Init xavierNormal() {
        return new XavierNormal();
    }

    /** He/Kaiming uniform: U(−a, a), a = √(6 / fanIn); keeps variance through ReLU layers. */
    static Init heUniform() {
        return new HeUniform();
    }

    /** He/Kaiming normal: N(0, 2 / fanIn). */
    static Init heNormal() {
        return new HeNormal();
    }

    /** Every element {@code value} (zeros for biases). */
    static Init constant(double value) {
        return new Constant(value);
    }

    /**
     * Uniform on [lo, hi); see {@link Init#uniform}.
     *
     * @param lo the least value
     * @param hi the bound the values stay below (equal to {@code lo} for a constant)
     */
    record Uniform(double lo, double hi) implements Init {
        /** Rejects bounds that are not finite, or lo > hi, with an {@link IllegalArgumentException}. */
        public Uniform {
            if (!(lo <= hi) || !Double.isFinite(lo) || !Double.isFinite(hi)) {
                throw new IllegalArgumentException("uniform init: need finite lo <= hi, got " + lo + ", " + hi);
            }
        }

        @Override
        public void fill(Tensor t, int fanIn, int fanOut, RandomGenerator rng) {
            for (int i = 0; i < t.size(); i++) t.setFlatInPlace(i, lo + (hi - lo) * rng.nextDouble());
        }

        @Override
        public Map<String, Object> config() {
            return cfg("uniform", "lo", lo, "hi", hi);
        }
    }

    /**
     * Normal with a fixed mean and standard deviation; see {@link Init#normal}.
     *
     * @param mean the mean
     * @param std  the standard deviation, ≥ 0 (0 gives a constant)
     */
    record Normal(double mean, double std) implements Init {
        /** Rejects a mean or std that is not finite, or a negative std, with an {@link IllegalArgumentException}. */
        public Normal {
            if (!(std >= 0) || !Double.isFinite(mean) || !Double.isFinite(std)) {
                throw new IllegalArgumentException("normal init: need finite mean and std >= 0, got " + mean + ", " + std);
            }
        }

        @Override
        public void fill(Tensor t, int fanIn, int fanOut, RandomGenerator rng) {
            for (int i = 0; i < t.size(); i++) t.setFlatInPlace(i, mean + std * rng.nextGaussian());
        }

        @Override
        public Map<String, Object> config() {
            return cfg("normal", "mean", mean, "std", std);
        }
    }

    /** Glorot/Xavier uniform, U(−a, a) with a = √(6 / (fanIn + fanOut)); see {@link Init#xavierUniform}. */
    record XavierUniform() implements Init {
        @Override
        public void fill(Tensor t, int fanIn, int fanOut, RandomGenerator rng) {
            double a = Math.sqrt(6.0 / Math.max(1, fanIn + fanOut));
            new Uniform(-a, a).fill(t, fanIn, fanOut, rng);
        }

        @Override
        public Map<String, Object> config() {
            return cfg("xavier_uniform");
        }
    }

    /** Glorot/Xavier normal, N(0, 2 / (fanIn + fanOut)); see {@link Init#xavierNormal}. */
    record XavierNormal() implements Init {
        @Override
        public void fill(Tensor t, int fanIn, int fanOut, RandomGenerator rng) {
            new Normal(0, Math.sqrt(2.0 / Math.max(1, fanIn + fanOut))).fill(t, fanIn, fanOut, rng);
        }

        @Override
        public Map<String, Object> config() {
            return cfg("xavier_normal");
        }
    }

    /** He/Kaiming uniform, U(−a, a) with a = √(6 / fanIn); see {@link Init#heUniform}. */
    record HeUniform() implements Init {
        @Override
        public void fill(Tensor t, int fanIn, int fanOut, RandomGenerator rng) {
            double a = Math.sqrt(6.0 / Math.max(1, fanIn));
            new Uniform(-a, a).fill(t, fanIn, fanOut, rng);
        }

        @Override
        public Map<String, Object> config() {
            return cfg("he_uniform");
        }
    }

    /** He/Kaiming normal, N(0, 2 / fanIn); see {@link Init#heNormal}. */
    record HeNormal() implements Init {
        @Override
        public void fill(Tensor t, int fanIn, int fanOut, RandomGenerator rng) {
            new Normal(0, Math.sqrt(2.0 / Math.max(1, fanIn))).fill(t, fanIn, fanOut, rng);
        }

        @Override
        public Map<String, Object> config() {
            return cfg("he_normal");
        }
    }

    /**
     * Every element the same value; see {@link Init#constant}.
     *
     * @param value what every element is set to
     */
    record Constant(double value) implements Init {
        /** @throws IllegalArgumentException if {@code value} is NaN or infinite */
        public Constant {
            if (!Double.isFinite(value)) throw new IllegalArgumentException("constant initialiser: value must be finite, got " + value);
        }

        @Override
        public void fill(Tensor t, int fanIn, int fanOut, RandomGenerator rng) {
            t.fillInPlace(value);
        }

        @Override
        public Map<String, Object> config() {
            return cfg("constant", "value", value);
        }
    }

    /** Reads what {@link #config()} wrote. */
    static Init fromConfig(Map<String, ?> config) {
        Object type = config.get("type");
        return switch (String.valueOf(type)) {
            case "uniform" -> uniform(num(config, "lo"), num(config, "hi"));
            case "normal" -> normal(num(config, "mean"), num(config, "std"));
            case "xavier_uniform" -> xavierUniform();
            case "xavier_normal" -> xavierNormal();
            case "he_uniform" -> heUniform();
            case "he_normal" -> heNormal();
            case "constant" -> constant(num(config, "value"));
            default -> throw new IllegalArgumentException("unknown initialiser '" + type + "'; expected one of uniform, "
                    + "normal, xavier_uniform, xavier_normal, he_uniform, he_normal, constant");
        };
    }

    private static double num(Map<String, ?> config, String key) {
        if (!(config.get(key) instanceof Number n)) {
            throw new IllegalArgumentException("initialiser '" + config.get("type") + "': '" + key + "' must be a number");
        }
        return n.doubleValue();
    }

    private static Map<String, Object> cfg(String type, Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("type", type);
        for (int i = 0; i < kv.length; i += 2) m.put((String) kv[i], kv[i + 1]);
        return m;
    }
}
