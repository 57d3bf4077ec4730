package dev.backprop.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.backprop.loss.CrossEntropy;
import dev.backprop.loss.Loss;
import dev.backprop.loss.MeanSquaredError;
import dev.backprop.nn.Activation;
import dev.backprop.nn.Linear;
import dev.backprop.nn.Module;
import dev.backprop.nn.Sequential;
import dev.backprop.tensor.Tensor;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Which final activation a loss takes over is said by its type ({@link Loss#input()}), whatever its name. */
class LossViewTest {
    /** A cross-entropy of the user's own, under another name: it takes logits, as the built-in one does. */
    private static final Loss MINE = new Loss() {
        private final CrossEntropy inner = new CrossEntropy();

        @Override
        public Tensor apply(Tensor output, Tensor target) {
            return inner.apply(output, target);
        }

        @Override
        public String name() {
            return "my-cross-entropy";
        }

        @Override
        public Input input() {
            return Input.SOFTMAX_LOGITS;
        }

        @Override
        public Map<String, Object> config() {
            return Map.of("name", name());
        }
    };

    @Test
    void theFusedActivationIsLeftOutByTypeNotName() {
        SplittableRandom rng = new SplittableRandom(1);
        Sequential net = new Sequential(new Linear(2, 3, rng), Activation.softmax());
        Module view = Evaluation.lossView(net, MINE);
        assertEquals(1, ((Sequential) view).layers().size(), "the softmax is inside the loss");
        assertSame(net, Evaluation.lossView(net, new MeanSquaredError()), "a regression loss takes the outputs as they are");
        Sequential sigmoid = new Sequential(new Linear(2, 1, rng), Activation.sigmoid());
        assertSame(sigmoid, Evaluation.lossView(sigmoid, MINE), "a softmax loss does not take over a sigmoid");
        assertEquals(Task.CLASSIFICATION, Task.forLoss(MINE));
        assertEquals(Task.REGRESSION, Task.forLoss(new MeanSquaredError()));
    }
}
