package dev.backprop.train;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.backprop.data.Dataset;
import dev.backprop.data.Synthetic;
import dev.backprop.init.Init;
import dev.backprop.loss.CrossEntropy;
import dev.backprop.loss.HalfSumSquares;
import dev.backprop.nn.Activation;
import dev.backprop.nn.Linear;
import dev.backprop.nn.Sequential;
import dev.backprop.optim.Adam;
import dev.backprop.optim.Sgd;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Networks that must learn: thresholds on loss and accuracy, never exact values. */
class LearningTest {

    @Test
    void xorIsLearnedByA221SigmoidNetworkWithPlainSgd() throws Exception {
        SplittableRandom rng = new SplittableRandom(3);
        Sequential net = new Sequential(new Linear(2, 2, Init.uniform(-1, 1), rng), Activation.sigmoid(),
                new Linear(2, 1, Init.uniform(-1, 1), rng), Activation.sigmoid());
        Dataset xor = Synthetic.xor();
        History h = Trainer.builder(net, new HalfSumSquares(), Sgd.builder().lr(2.0).build(net.namedParameters()))
                .epochs(3000).batchSize(4).seed(1).task(Task.REGRESSION).build().fit(xor);
        assertTrue(h.last().trainLoss() < 0.01, "loss " + h.last().trainLoss());
        double[] out = net.forward(xor.features()).toDoubleArray();
        double[] want = xor.targets().toDoubleArray();
        for (int i = 0; i < 4; i++) assertTrue(Math.abs(out[i] - want[i]) < 0.2, "sample " + i + ": " + out[i]);
    }

    @Test
    void reluNetworkWithAdamSeparatesTwoSpirals() throws Exception {
        Dataset data = Synthetic.spirals(300, 0.02, 7);
        Dataset.Split split = data.split(0.25, 7);
        SplittableRandom rng = new SplittableRandom(11);
        Sequential net = new Sequential(new Linear(2, 64, Init.heNormal(), rng), Activation.relu(),
                new Linear(64, 64, Init.heNormal(), rng), Activation.relu(), new Linear(64, 2, rng));
        Trainer.builder(net, new CrossEntropy(), Adam.builder().lr(0.01).build(net.namedParameters()))
                .epochs(150).batchSize(32).seed(5).build().fit(split.train());
        double accuracy = Evaluation.of(net, new CrossEntropy(), split.validation(), Task.CLASSIFICATION, 256)
                .classification().accuracy();
        assertTrue(accuracy > 0.95, "held-out accuracy " + accuracy);
    }

    @Test
    void aFinalSoftmaxIsFusedIntoCrossEntropyNotAppliedTwice() throws Exception {
        Dataset data = Synthetic.spirals(100, 0.02, 2);
        SplittableRandom rng = new SplittableRandom(4);
        Sequential net = new Sequential(new Linear(2, 64, Init.heNormal(), rng), Activation.relu(),
                new Linear(64, 64, Init.heNormal(), rng), Activation.relu(), new Linear(64, 2, rng), Activation.softmax());
        CrossEntropy ce = new CrossEntropy();
        // The loss is taken on the logits, before the softmax. Had the softmax run twice, probabilities squashed
        // into [1/(1+e), e/(1+e)] could never bring the loss below ln(1 + 1/e) ≈ 0.31.
        double before = Evaluation.of(net, ce, data, Task.CLASSIFICATION, 64).loss();
        Sequential logits = new Sequential(net.layers().subList(0, 5));
        assertTrue(Math.abs(before - ce.apply(logits.forward(data.features()), data.targets()).item()) < 1e-5);
        History h = Trainer.builder(net, ce, Adam.builder().lr(0.01).build(net.namedParameters()))
                .epochs(150).batchSize(32).seed(1).build().fit(data);
        assertTrue(h.last().trainLoss() < 0.2, "loss " + h.last().trainLoss());
        double[] p = net.forward(data.features().sliceRows(0, 1)).toDoubleArray(); // the model still outputs probabilities
        assertTrue(Math.abs(p[0] + p[1] - 1) < 1e-5);
    }
}
