package dev.backprop.train;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.backprop.data.FashionMnist;
import dev.backprop.init.Init;
import dev.backprop.loss.CrossEntropy;
import dev.backprop.nn.Activation;
import dev.backprop.nn.Linear;
import dev.backprop.nn.Sequential;
import dev.backprop.optim.Adam;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Fashion-MNIST with a 784-256-128-10 ReLU network: at least 87% test accuracy in 5 epochs. Slow (tens of
 * seconds), so it runs in the {@code slow} profile ({@code ./test -Pslow}, which CI runs); it needs Debian's
 * {@code dataset-fashion-mnist}, which {@code .ci/run} installs.
 */
@Tag("slow")
class FashionMnistTest {

    @Test
    void mlpReaches87PercentTestAccuracyIn5Epochs() throws Exception {
        FashionMnist.Parts data = FashionMnist.load(FashionMnist.DEBIAN_DIR);
        SplittableRandom rng = new SplittableRandom(42);
        Sequential net = new Sequential(new Linear(784, 256, Init.heNormal(), rng), Activation.relu(),
                new Linear(256, 128, Init.heNormal(), rng), Activation.relu(), new Linear(128, 10, rng));
        Trainer.builder(net, new CrossEntropy(), Adam.builder().lr(1e-3).build(net.namedParameters()))
                .epochs(5).batchSize(128).seed(42).progress(Progress.lines(System.err)).build().fit(data.train());
        double accuracy = Evaluation.of(net, new CrossEntropy(), data.test(), Task.CLASSIFICATION, 1000)
                .classification().accuracy();
        assertTrue(accuracy >= 0.87, "test accuracy " + accuracy);
    }
}
