package dev.backprop.tensor.blas;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ProductThreadsTest {

    @Test
    void theCutDependsOnShapeAndThreadCountOnly() {
        assertEquals(1, ProductThreads.parts(1, 1024, 1024, 1024, true));
        assertEquals(1, ProductThreads.parts(2, 64, 64, 64, true), "below MIN_SPLIT_MACS");
        assertEquals(2, ProductThreads.parts(2, 128, 256, 784, false));
        assertEquals(4, ProductThreads.parts(4, 128, 256, 784, true));
        assertEquals(2, ProductThreads.parts(8, 32, 4096, 4096, true), "parts at least MIN_PART rows wide");
        assertTrue(ProductThreads.byRows(true, false, 256, 784));
        assertTrue(ProductThreads.byRows(false, false, 128, 256));
        assertFalse(ProductThreads.byRows(false, true, 128, 256));
        assertTrue(ProductThreads.byRows(false, true, 256, 128));
        // Parts tile the width exactly, in order.
        for (int parts = 1; parts <= 7; parts++) {
            assertEquals(0, ProductThreads.start(0, parts, 100));
            assertEquals(100, ProductThreads.start(parts, parts, 100));
            for (int i = 0; i < parts; i++) {
                assertTrue(ProductThreads.start(i + 1, parts, 100) > ProductThreads.start(i, parts, 100));
            }
        }
    }

    @Test
    void everyPartRunsExactlyOnceWhicheverThreadTakesIt() {
        ProductThreads threads = new ProductThreads(3);
        try {
            for (int round = 0; round < 200; round++) {
                AtomicIntegerArray runs = new AtomicIntegerArray(5);
                threads.run(5, runs::incrementAndGet);
                for (int i = 0; i < 5; i++) assertEquals(1, runs.get(i), "part " + i + " in round " + round);
            }
        } finally {
            threads.close();
        }
    }

    @Test
    void theCallerTakesThePartsAStalledHelperLeaves() {
        ProductThreads threads = new ProductThreads(2);
        try {
            AtomicInteger byCaller = new AtomicInteger();
            String caller = Thread.currentThread().getName();
            threads.run(8, i -> {
                if (Thread.currentThread().getName().equals(caller)) {
                    byCaller.incrementAndGet();
                } else {
                    sleep(200);   // a helper that lost its core: it holds at most the one part it claimed
                }
            });
            assertTrue(byCaller.get() >= 7, "the caller ran " + byCaller.get() + " of 8 parts");
        } finally {
            threads.close();
        }
    }

    @Test
    void aFailingPartReachesTheCallerAndThePoolStaysUsable() {
        ProductThreads threads = new ProductThreads(2);
        try {
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> threads.run(2, i -> { throw new IllegalStateException("part " + i); }));
            assertTrue(e.getMessage().startsWith("part "), e.getMessage());
            AtomicIntegerArray runs = new AtomicIntegerArray(2);
            threads.run(2, runs::incrementAndGet);
            assertEquals(1, runs.get(0));
            assertEquals(1, runs.get(1));
        } finally {
            threads.close();
        }
    }

    @Test
    void aClosedPoolStillCompletesProductsOnTheCaller() {
        ProductThreads threads = new ProductThreads(2);
        threads.run(2, i -> { });   // starts the helper
        threads.close();
        AtomicIntegerArray runs = new AtomicIntegerArray(4);
        threads.run(4, runs::incrementAndGet);
        for (int i = 0; i < 4; i++) assertEquals(1, runs.get(i));
    }

    /** Every layout and a cut by rows and by columns, with offsets, padded leading dimensions and beta. */
    @Test
    void splitProductsAgreeWithJavaAndAreBitIdenticalFromAnyThread() throws Exception {
        OpenBlasKernels blas = OpenBlasKernels.load();
        int before = blas.threads();
        ExecutorService callers = Executors.newFixedThreadPool(4);
        try {
            for (int threadCount : new int[]{2, 3}) {
                blas.setThreads(threadCount);
                for (int[] shape : new int[][]{{150, 130, 170}, {64, 200, 96}, {200, 64, 96}}) {
                    for (boolean ta : new boolean[]{false, true}) {
                        for (boolean tb : new boolean[]{false, true}) {
                            check(blas, callers, shape[0], shape[1], shape[2], ta, tb);
                        }
                    }
                }
            }
        } finally {
            callers.shutdownNow();
            blas.setThreads(before);
        }
    }

    private static void check(OpenBlasKernels blas, ExecutorService callers, int m, int n, int k,
                              boolean ta, boolean tb) throws Exception {
        String what = m + "x" + n + "x" + k + (ta ? " T" : " N") + (tb ? "T" : "N") + ", " + blas.threads() + " threads";
        assertTrue(ProductThreads.parts(blas.threads(), m, n, k, ProductThreads.byRows(ta, tb, m, n)) > 1, what);
        SplittableRandom random = new SplittableRandom(m * 31L + n);
        int lda = (ta ? m : k) + 3, ldb = (tb ? k : n) + 5, ldc = n + 2;
        int aOff = 7, bOff = 11, cOff = 13;
        float[] a = randoms(random, aOff + (ta ? k : m) * lda);
        float[] b = randoms(random, bOff + (tb ? n : k) * ldb);
        float[] c0 = randoms(random, cOff + m * ldc);
        float[] expected = c0.clone();
        JavaKernels.INSTANCE.sgemm(ta, tb, m, n, k, 0.5f, a, aOff, lda, b, bOff, ldb, 0.25f, expected, cOff, ldc);
        float[] first = c0.clone();
        blas.sgemm(ta, tb, m, n, k, 0.5f, a, aOff, lda, b, bOff, ldb, 0.25f, first, cOff, ldc);
        assertArrayEquals(expected, first, 1e-3f, what);
        for (int i = 0; i < cOff; i++) assertEquals(c0[i], first[i], what + ": wrote before the offset");
        List<Future<float[]>> results = new ArrayList<>();
        for (int t = 0; t < 8; t++) {   // concurrent callers: some find the helpers busy and run all parts themselves
            results.add(callers.submit(() -> {
                float[] c = c0.clone();
                blas.sgemm(ta, tb, m, n, k, 0.5f, a, aOff, lda, b, bOff, ldb, 0.25f, c, cOff, ldc);
                return c;
            }));
        }
        for (Future<float[]> r : results) assertArrayEquals(first, r.get(), what + ": bits differ between runs");
    }

    private static float[] randoms(SplittableRandom random, int size) {
        float[] x = new float[size];
        for (int i = 0; i < size; i++) x[i] = (float) random.nextDouble(-1, 1);
        return x;
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
