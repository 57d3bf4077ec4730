package dev.backprop.extension;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.backprop.data.Dataset;
import dev.backprop.data.Synthetic;
import dev.backprop.loss.CrossEntropy;
import dev.backprop.nn.Linear;
import dev.backprop.nn.Sequential;
import dev.backprop.nn.Activation;
import dev.backprop.optim.HyperParameters;
import dev.backprop.optim.Optimizer;
import dev.backprop.optim.OptimizerState;
import dev.backprop.optim.OptimizerType;
import dev.backprop.optim.OptimizerTypes;
import dev.backprop.tensor.Tensor;
import dev.backprop.train.Callback;
import dev.backprop.train.Checkpoints;
import dev.backprop.train.EpochRecord;
import dev.backprop.train.History;
import dev.backprop.train.Trainer;
import dev.backprop.train.TrainingContext;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An optimizer written outside the library's package, as a user would: it extends {@code Optimizer}, registers its
 * type, trains, and checkpoints and resumes bit-identically; an unregistered name is refused naming it.
 */
class CustomOptimizerTest {
    /**
     * Lion (Chen et al., 2023): the sign of an interpolated momentum, with decoupled weight decay.
     * {@code c = β₁·m + (1 − β₁)·g;  w ← w − α·(sign(c) + λ·w);  m ← β₂·m + (1 − β₂)·g}.
     */
    static final class Lion extends Optimizer {
        static final OptimizerType TYPE = OptimizerType.of("test.lion", (h, params) -> new Lion(params,
                h.get("lr", 1e-4), h.get("beta1", 0.9), h.get("beta2", 0.99), h.get("weight_decay", 0)));

        private final double beta1, beta2, weightDecay;

        Lion(Map<String, Tensor> parameters, double lr, double beta1, double beta2, double weightDecay) {
            super(TYPE, parameters, lr, List.of("exp_avg"));
            this.beta1 = beta1;
            this.beta2 = beta2;
            this.weightDecay = weightDecay;
        }

        @Override
        protected void update(float[] w, float[] g, float[][] slots, long t, double lr) {
            float[] m = slots[0];
            for (int i = 0; i < w.length; i++) {
                double c = beta1 * m[i] + (1 - beta1) * g[i];
                w[i] = (float) (w[i] - lr * (Math.signum(c) + weightDecay * w[i]));
                m[i] = (float) (beta2 * m[i] + (1 - beta2) * g[i]);
            }
        }

        @Override
        protected void update(double[] w, double[] g, double[][] slots, long t, double lr) {
            double[] m = slots[0];
            for (int i = 0; i < w.length; i++) {
                double c = beta1 * m[i] + (1 - beta1) * g[i];
                w[i] -= lr * (Math.signum(c) + weightDecay * w[i]);
                m[i] = beta2 * m[i] + (1 - beta2) * g[i];
            }
        }

        @Override
        protected void putHyperParameters(Map<String, Double> out) {
            out.put("beta1", beta1);
            out.put("beta2", beta2);
            out.put("weight_decay", weightDecay);
        }
    }

    private static final Dataset SPIRALS = Synthetic.spirals(100, 0.05, 3);

    private static Sequential net(long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        return new Sequential(new Linear(2, 16, rng), Activation.tanh(), new Linear(16, 2, rng));
    }

    private static Trainer.Builder trainer(Sequential net) {
        Lion lion = new Lion(net.namedParameters(), 3e-3, 0.9, 0.99, 0.01);
        return Trainer.builder(net, new CrossEntropy(), lion).epochs(6).batchSize(16).seed(3).validationSplit(0.2);
    }

    @Test
    void aRegisteredOptimizerTrainsCheckpointsAndResumes(@TempDir Path dir) {
        OptimizerTypes.register(Lion.TYPE);
        OptimizerTypes.register(Lion.TYPE);   // the same instance again: nothing happens

        Sequential whole = net(5);
        History history = trainer(whole).build().fit(SPIRALS);
        List<EpochRecord> epochs = history.epochs();
        assertTrue(epochs.get(epochs.size() - 1).trainLoss() < epochs.get(0).trainLoss(), "Lion trains: " + epochs);

        Sequential firstHalf = net(5);
        trainer(firstHalf).callback(new Checkpoints(dir.resolve("ck"), 1, false)).callback(new StopAfter(3)).build().fit(SPIRALS);
        Sequential resumed = net(99);
        trainer(resumed).resumeFrom(dir.resolve("ck").resolve(Checkpoints.LAST)).build().fit(SPIRALS);
        for (var e : whole.namedParameters().entrySet()) {
            assertArrayEquals(e.getValue().toFloatArray(), resumed.namedParameters().get(e.getKey()).toFloatArray(), e.getKey());
        }
    }

    @Test
    void itsStateRebuildsIt() {
        OptimizerTypes.register(Lion.TYPE);
        Tensor w = Tensor.ones(3).requiresGrad(true);
        Lion lion = new Lion(Map.of("w", w), 0.1, 0.8, 0.95, 0);
        w.setGrad(Tensor.of(new float[] {1, -2, 0}, 3));
        lion.step();
        OptimizerState state = lion.state();
        assertEquals(Lion.TYPE, OptimizerType.parse("test.lion"));
        Optimizer rebuilt = Optimizer.fromState(state, Map.of("w", Tensor.ones(3).requiresGrad(true)));
        assertInstanceOf(Lion.class, rebuilt);
        assertEquals(Map.of("lr", 0.1, "beta1", 0.8, "beta2", 0.95, "weight_decay", 0.0), rebuilt.hyperParameters());
        assertEquals(1, rebuilt.steps());
        assertArrayEquals(new float[] {0.9f, 1.1f, 1f}, w.toFloatArray());
    }

    @Test
    void namesAreCheckedAndAnUnregisteredOneIsRefused() {
        assertThrows(IllegalArgumentException.class,
                () -> OptimizerTypes.register(OptimizerType.of("adam", (h, p) -> null)), "a built-in name cannot be taken");
        assertThrows(IllegalArgumentException.class, () -> OptimizerType.of("Com.Evil.Optimizer", (h, p) -> null));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> OptimizerType.parse("test.never_registered"));
        assertTrue(e.getMessage().startsWith("unknown optimizer type 'test.never_registered'; known: ["), e.getMessage());
        HyperParameters.class.getName();   // public: a factory reads saved settings with it
    }

    /** Requests a stop after N epochs, as a crash would interrupt a run. */
    private record StopAfter(int epochs) implements Callback {
        @Override
        public void onEpochEnd(TrainingContext context, EpochRecord record) {
            if (record.epoch() + 1 >= epochs) context.requestStop("stopped by test");
        }
    }
}
