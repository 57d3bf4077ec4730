package dev.backprop.data;

import dev.backprop.tensor.DType;
import dev.backprop.tensor.Kernels;
import dev.backprop.tensor.Shape;
import dev.backprop.tensor.Tensor;
import dev.backprop.tensor.Workspace;
import dev.backprop.tensor.blas.OpenBlasKernels;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.NoSuchElementException;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class BatchPrefetcherTest {

    private static Dataset data(DType type, boolean classIndices, int n, int inputs) {
        SplittableRandom rng = new SplittableRandom(n);
        double[] x = new double[n * inputs];
        for (int i = 0; i < x.length; i++) x[i] = rng.nextDouble();
        double[] y = new double[classIndices ? n : 3 * n];
        for (int i = 0; i < y.length; i++) y[i] = classIndices ? rng.nextInt(5) : rng.nextGaussian();
        Tensor features = Tensor.of(type, x, n, inputs);
        Tensor targets = classIndices ? Tensor.of(type, y, n) : Tensor.of(type, y, n, 3);
        return new Dataset(features, targets, "test");
    }

    /** Runs a product big enough to be cut between steps, as a training step does, so that helpers gather too. */
    private static void step() {
        float[] a = new float[256 * 256], c = new float[256 * 256];
        Kernels.gemm(false, false, 256, 256, 256, a, a, c, false);
    }

    private static void same(Batch want, Batch got, int threads, DType type) {
        String where = threads + " threads, " + type + ", step " + want.step();
        assertEquals(want.x().shape(), got.x().shape(), where);
        assertEquals(want.y().shape(), got.y().shape(), where);
        assertArrayEquals(want.x().toDoubleArray(), got.x().toDoubleArray(), where);
        assertArrayEquals(want.y().toDoubleArray(), got.y().toDoubleArray(), where);
        assertEquals(want.step(), got.step(), where);
        assertEquals(want.epoch(), got.epoch(), where);
    }

    @Test
    void givesTheSameBatchesAsDatasetBatches() {
        OpenBlasKernels blas = OpenBlasKernels.load();
        int before = blas.threads();
        Workspace workspace = Workspace.create();
        try {
            for (int threads : new int[] {1, 2}) {
                blas.setThreads(threads);
                for (DType type : DType.values()) {
                    for (boolean indices : new boolean[] {true, false}) {
                        Dataset d = data(type, indices, 1003, 37);   // 1003 rows: the last batch is short
                        for (int epoch = 0; epoch < 2; epoch++) {
                            List<Batch> expected = d.batches(64, 9, epoch);
                            try (BatchPrefetcher batches = BatchPrefetcher.of(d, 64, 9, epoch)) {
                                assertEquals(expected.size(), batches.size());
                                Batch previous = null, previousWanted = null;
                                for (Batch want : expected) {
                                    // Inside a step's workspace scope, as Trainer takes them: the last batch still
                                    // holds its rows after a step, until the next one is fetched.
                                    try (Workspace.Scope ignored = workspace.enter()) {
                                        Tensor.zeros(type, Shape.of(64, 37)).fillInPlace(7);
                                        if (previous != null) same(previousWanted, previous, threads, type);
                                        Batch got = batches.next();
                                        step();
                                        same(want, got, threads, type);
                                        previous = got;
                                        previousWanted = want;
                                    }
                                }
                                assertThrows(NoSuchElementException.class, batches::next);
                            }
                        }
                    }
                }
            }
        } finally {
            blas.setThreads(before);
        }
        assertThrows(IllegalArgumentException.class, () -> BatchPrefetcher.of(data(DType.FLOAT32, true, 10, 2), 0, 1, 0));
    }
}
