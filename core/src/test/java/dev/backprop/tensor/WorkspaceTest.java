package dev.backprop.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.backprop.loss.CrossEntropy;
import dev.backprop.loss.Loss;
import dev.backprop.nn.Activation;
import dev.backprop.nn.BatchNorm1d;
import dev.backprop.nn.Dropout;
import dev.backprop.nn.Linear;
import dev.backprop.nn.Mode;
import dev.backprop.nn.Sequential;
import dev.backprop.optim.Adam;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class WorkspaceTest {
    private static Sequential net(long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        return new Sequential(new Linear(40, 64, rng), new BatchNorm1d(64), new Activation(Activation.Kind.RELU),
                new Dropout(0.2), new Linear(64, 32, rng), new Activation(Activation.Kind.TANH), new Linear(32, 5, rng));
    }

    private static Tensor batch(int step, int rows) {
        SplittableRandom rng = new SplittableRandom(1000 + step);
        float[] x = new float[rows * 40];
        for (int i = 0; i < x.length; i++) x[i] = (float) rng.nextGaussian();
        return Tensor.wrap(x, rows, 40);
    }

    private static Tensor labels(int step, int rows) {
        SplittableRandom rng = new SplittableRandom(2000 + step);
        float[] y = new float[rows];
        for (int i = 0; i < rows; i++) y[i] = rng.nextInt(5);
        return Tensor.wrap(y, rows);
    }

    /** Trains 12 steps (the last one a smaller batch), with or without a workspace; returns the final losses. */
    private static double[] train(Sequential net, Workspace workspace) {
        Loss loss = new CrossEntropy();
        Adam adam = Adam.builder().lr(1e-2).build(net.namedParameters());
        double[] losses = new double[12];
        for (int step = 0; step < 12; step++) {
            int rows = step == 11 ? 17 : 64;
            Workspace.Scope scope = workspace == null ? null : workspace.enter();
            try {
                Tensor l = loss.apply(net.forward(batch(step, rows), Mode.training(new SplittableRandom(step))), labels(step, rows));
                losses[step] = l.item();
                adam.zeroGrad();
                l.backward();
                adam.step();
            } finally {
                if (scope != null) scope.close();
            }
        }
        return losses;
    }

    @Test
    void trainingWithAWorkspaceIsBitIdenticalAndStopsAllocatingAfterTheFirstStep() {
        Sequential plain = net(7), pooled = net(7);
        double[] expected = train(plain, null);
        Workspace workspace = Workspace.create();
        double[] actual = train(pooled, workspace);
        assertArrayEquals(expected, actual, 0.0);
        for (var e : plain.namedParameters().entrySet()) {
            assertArrayEquals(e.getValue().floats(), pooled.namedParameters().get(e.getKey()).floats(), 0f, e.getKey());
        }
        for (var e : plain.namedBuffers().entrySet()) {
            assertArrayEquals(e.getValue().floats(), pooled.namedBuffers().get(e.getKey()).floats(), 0f, e.getKey());
        }
        assertTrue(workspace.reusedArrays() > 10 * workspace.createdArrays() / 2,
                "reused " + workspace.reusedArrays() + ", created " + workspace.createdArrays());
    }

    @Test
    void aSteadyStepCreatesNoArrays() {
        Sequential net = net(3);
        Loss loss = new CrossEntropy();
        Adam adam = Adam.builder().build(net.namedParameters());
        Workspace workspace = Workspace.create();
        long createdAfterFirst = -1;
        for (int step = 0; step < 5; step++) {
            try (Workspace.Scope ignored = workspace.enter()) {
                Tensor l = loss.apply(net.forward(batch(step, 64), Mode.training(new SplittableRandom(step))), labels(step, 64));
                adam.zeroGrad();
                l.backward();
                adam.step();
            }
            if (step == 0) createdAfterFirst = workspace.createdArrays();
        }
        assertTrue(createdAfterFirst > 0);
        assertEquals(createdAfterFirst, workspace.createdArrays(), "arrays created after the first step");
    }

    @Test
    void onlyOpsDrawFromTheWorkspaceAndParameterGradientsAreTheirOwn() {
        Workspace workspace = Workspace.create();
        Tensor w = Tensor.zeros(32, 64).requiresGrad(true);
        Tensor made, grad;
        try (Workspace.Scope ignored = workspace.enter()) {
            made = Tensor.zeros(32, 64);                       // outside an op: an ordinary array
            Tensor product = Tensor.ones(64, 64).matmul(w, false, true);
            product.sum().backward();
            grad = w.grad();
        }
        long created = workspace.createdArrays();
        assertEquals(2, created, "the product and the gradient of the sum came from the workspace");
        assertEquals(0, workspace.reusedArrays());
        try (Workspace.Scope ignored = workspace.enter()) {
            Tensor again = Tensor.ones(64, 64).matmul(w, false, true);
            assertEquals(1, workspace.reusedArrays(), "the next scope reuses an array");
            assertNotSame(made.floats(), again.floats());
            assertNotSame(grad.floats(), again.floats());
            w.grad().fillInPlace(0);
            again.sum().backward();
            assertSame(grad, w.grad(), "the gradient buffer is kept, not replaced");
        }
        assertEquals(created, workspace.createdArrays());
        for (float v : w.grad().floats()) assertEquals(64f, v);
        Tensor outside = Tensor.ones(64, 64).matmul(w, false, true);
        assertEquals(2, workspace.reusedArrays(), "no scope open: nothing drawn");
        assertEquals(created, workspace.createdArrays());
        assertEquals(64 * 32, outside.size());
    }

    @Test
    void aScopeCannotBeOpenedTwice() {
        Workspace workspace = Workspace.create();
        try (Workspace.Scope ignored = workspace.enter()) {
            assertThrows(IllegalStateException.class, workspace::enter);
        }
        workspace.enter().close();
    }
}
