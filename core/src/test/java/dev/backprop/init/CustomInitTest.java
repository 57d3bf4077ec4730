package dev.backprop.init;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.backprop.nn.Linear;
import dev.backprop.tensor.Tensor;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;

/** An initialiser written outside the library goes where the built-in ones go. */
class CustomInitTest {
    /** Element k of a layer is (k + 1) / (fanIn · fanOut): no randomness, easy to check. */
    private record Ramp() implements Init {
        @Override
        public void fill(Tensor t, int fanIn, int fanOut, RandomGenerator rng) {
            for (int k = 0; k < t.size(); k++) t.setFlatInPlace(k, (k + 1.0) / ((double) fanIn * fanOut));
        }

        @Override
        public Map<String, Object> config() {
            return Map.of("type", "ramp");
        }
    }

    @Test
    void aLayerTakesAnInitialiserOfTheUsersOwn() {
        Linear layer = new Linear(2, 2, true, new Ramp(), Init.constant(0), new SplittableRandom(1));
        assertArrayEquals(new float[] {0.25f, 0.5f, 0.75f, 1f}, layer.weight().toFloatArray());
        assertThrows(IllegalArgumentException.class, () -> Init.fromConfig(new Ramp().config()), "only built-ins are read back");
        assertThrows(IllegalArgumentException.class, () -> Init.constant(Double.NaN));
    }
}
