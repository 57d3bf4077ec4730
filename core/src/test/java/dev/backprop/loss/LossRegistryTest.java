package dev.backprop.loss;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.backprop.tensor.ShapeException;
import dev.backprop.tensor.Tensor;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Names, configs for model files, and the errors every loss shares. */
class LossRegistryTest {
    private static final List<Loss> ALL = List.of(new HalfSumSquares(), new MeanSquaredError(), new MeanAbsoluteError(),
            new Huber(), new CrossEntropy(), new BinaryCrossEntropy());

    @Test
    void everyNameRoundTripsThroughByName() {
        assertEquals(Loss.NAMES, ALL.stream().map(Loss::name).toList());
        for (Loss loss : ALL) assertEquals(loss, Loss.byName(loss.name()), loss.name());
        assertInstanceOf(MeanSquaredError.class, Loss.byName(" MSE "));
    }

    @Test
    void anUnknownNameListsTheValidOnes() {
        String m = assertThrows(IllegalArgumentException.class, () -> Loss.byName("l2")).getMessage();
        assertEquals("unknown loss 'l2'; valid names: half-sse, mse, mae, huber, cross-entropy, bce", m);
    }

    @Test
    void everyConfigRoundTrips() {
        List<Loss> losses = List.of(new HalfSumSquares(), new MeanSquaredError(), new MeanAbsoluteError(), new Huber(),
                new Huber(0.25), new CrossEntropy(), new CrossEntropy(new double[] {0.5, 2, 1}), new BinaryCrossEntropy(),
                new BinaryCrossEntropy(4));
        for (Loss loss : losses) {
            assertEquals(loss, Loss.fromConfig(loss.config()), loss.toString());
            assertEquals(loss.name(), loss.config().get("name"));
        }
        assertEquals(Map.of("name", "mse"), new MeanSquaredError().config());
        assertEquals(List.of("name", "delta"), List.copyOf(new Huber(0.25).config().keySet()));
        assertEquals(List.of(0.5, 2.0, 1.0), new CrossEntropy(new double[] {0.5, 2, 1}).config().get("classWeights"));
        assertEquals(4.0, new BinaryCrossEntropy(4).config().get("posWeight"));
    }

    @Test
    void configsReadNumbersAsAJsonReaderGivesThem() {
        assertEquals(new Huber(2), Loss.fromConfig(Map.of("name", "huber", "delta", 2)));
        assertEquals(new Huber(), Loss.fromConfig(Map.of("name", "huber")));
        assertEquals(new CrossEntropy(new double[] {1, 3}),
                Loss.fromConfig(Map.of("name", "cross-entropy", "classWeights", List.of(1, 3.0))));
        assertEquals(new BinaryCrossEntropy(2), Loss.fromConfig(Map.of("name", "bce", "posWeight", 2L)));
        Map<String, Object> withNull = new LinkedHashMap<>();
        withNull.put("name", "cross-entropy");
        withNull.put("classWeights", null);
        assertEquals(new CrossEntropy(), Loss.fromConfig(withNull));
    }

    @Test
    void badConfigsSayWhatIsWrong() {
        String m = assertThrows(IllegalArgumentException.class,
                () -> Loss.fromConfig(Map.of("name", "huber", "detla", 2))).getMessage();
        assertEquals("huber: unknown config key 'detla'; known keys: delta, name", m);
        m = assertThrows(IllegalArgumentException.class, () -> Loss.fromConfig(Map.of("name", "mse", "delta", 2))).getMessage();
        assertTrue(m.startsWith("mse: unknown config key 'delta'"), m);
        m = assertThrows(IllegalArgumentException.class, () -> Loss.fromConfig(Map.of("delta", 2))).getMessage();
        assertTrue(m.contains("\"name\"") && m.contains("half-sse"), m);
        m = assertThrows(IllegalArgumentException.class,
                () -> Loss.fromConfig(Map.of("name", "huber", "delta", "big"))).getMessage();
        assertTrue(m.contains("'delta' must be a number"), m);
        m = assertThrows(IllegalArgumentException.class,
                () -> Loss.fromConfig(Map.of("name", "cross-entropy", "classWeights", List.of(1, "x")))).getMessage();
        assertTrue(m.contains("list of numbers"), m);
        assertThrows(IllegalArgumentException.class, () -> Loss.fromConfig(Map.of("name", "huber", "delta", -1)));
    }

    @Test
    void aShapeMismatchNamesTheLossAndBothShapes() {
        Tensor out = Tensor.zeros(4, 2), target = Tensor.zeros(4, 3);
        for (Loss loss : ALL) {
            ShapeException e = assertThrows(ShapeException.class, () -> loss.apply(out, target), loss.name());
            assertTrue(e.getMessage().startsWith(loss.name() + ": [4, 2] x [4, 3]"), e.getMessage());
        }
        assertEquals("mse: [4, 2] x [4, 3]",
                assertThrows(ShapeException.class, () -> new MeanSquaredError().apply(out, target)).getMessage());
        // No broadcasting: a column of targets against several outputs is an error, not a silently wrong loss.
        assertThrows(ShapeException.class, () -> new MeanSquaredError().apply(Tensor.zeros(4, 3), Tensor.zeros(4, 1)));
    }

    @Test
    void anEmptyBatchIsRefused() {
        for (Loss loss : ALL) {
            String m = assertThrows(ShapeException.class, () -> loss.apply(Tensor.zeros(0, 2), Tensor.zeros(0, 2)),
                    loss.name()).getMessage();
            assertTrue(m.startsWith(loss.name() + ": the output [0, 2] is empty"), m);
        }
    }

    @Test
    void huberDeltaMustBePositiveAndFinite() {
        assertThrows(IllegalArgumentException.class, () -> new Huber(0));
        assertThrows(IllegalArgumentException.class, () -> new Huber(Double.NaN));
        assertThrows(IllegalArgumentException.class, () -> new Huber(Double.POSITIVE_INFINITY));
    }
}
