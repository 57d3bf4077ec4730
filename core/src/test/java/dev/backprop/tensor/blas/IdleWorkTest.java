package dev.backprop.tensor.blas;

import org.junit.jupiter.api.Test;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicIntegerArray;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class IdleWorkTest {

    /** A product large enough to be cut, so that the helpers run and take idle work. */
    private static void cutProduct(OpenBlasKernels blas) {
        int n = 256;
        float[] a = new float[n * n], b = new float[n * n], c = new float[n * n];
        blas.sgemm(false, false, n, n, n, 1, a, 0, n, b, 0, n, 0, c, 0, n);
    }

    @Test
    void everyPartRunsOnceAndFinishWaitsForAll() {
        OpenBlasKernels blas = OpenBlasKernels.load();
        int before = blas.threads();
        try {
            for (int threads : new int[] {1, 2, 3}) {
                blas.setThreads(threads);
                for (int round = 0; round < 100; round++) {
                    if (round % 10 == 0) cutProduct(blas);
                    AtomicIntegerArray runs = new AtomicIntegerArray(37);
                    IdleWork work = IdleWork.offer(37, runs::incrementAndGet);
                    if (round % 2 == 0) cutProduct(blas);   // the helpers may take parts while they wait
                    work.finish();
                    for (int i = 0; i < 37; i++) assertEquals(1, runs.get(i), threads + " threads, part " + i);
                }
            }
        } finally {
            blas.setThreads(before);
        }
    }

    @Test
    void helpersTakePartsWhileTheyWait() throws InterruptedException {
        OpenBlasKernels blas = OpenBlasKernels.load();
        int before = blas.threads();
        try {
            blas.setThreads(2);
            cutProduct(blas);   // starts the helper
            ConcurrentHashMap<String, Boolean> ranOn = new ConcurrentHashMap<>();
            IdleWork work = IdleWork.offer(64, part -> ranOn.put(Thread.currentThread().getName(), true));
            long deadline = System.nanoTime() + 2_000_000_000L;
            while (ranOn.isEmpty() && System.nanoTime() < deadline) Thread.sleep(1);   // the caller does nothing
            work.finish();
            assertTrue(ranOn.keySet().stream().anyMatch(n -> n.startsWith("backprop-gemm-")),
                    "a helper took parts offered while the caller slept: " + ranOn.keySet());
        } finally {
            blas.setThreads(before);
        }
    }

    @Test
    void workDisplacedByALaterOfferIsOfferedAgainWhenThatIsFinished() throws InterruptedException {
        OpenBlasKernels blas = OpenBlasKernels.load();
        int before = blas.threads();
        try {
            blas.setThreads(2);
            cutProduct(blas);
            java.util.concurrent.CountDownLatch hold = new java.util.concurrent.CountDownLatch(1);
            ConcurrentHashMap<String, Boolean> ranOn = new ConcurrentHashMap<>();
            // The first piece's first part waits until the second piece is offered and finished, so that its other
            // parts can only run on a helper if the first piece is offered again.
            IdleWork first = IdleWork.offer(40, part -> {
                if (part == 0) {
                    try {
                        hold.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
                ranOn.put(part + "@" + Thread.currentThread().getName(), true);
            });
            Thread.sleep(20);   // a helper takes part 0 and waits in it
            IdleWork second = IdleWork.offer(3, part -> {});
            second.finish();
            hold.countDown();
            long deadline = System.nanoTime() + 2_000_000_000L;
            while (ranOn.size() < 40 && System.nanoTime() < deadline) Thread.sleep(1);   // the caller does nothing
            first.finish();
            assertEquals(40, ranOn.size());
            assertTrue(ranOn.keySet().stream().filter(k -> !k.startsWith("0@")).anyMatch(k -> k.contains("backprop-gemm-")),
                    "a helper took the first piece's parts after the second was finished: " + ranOn.keySet());
        } finally {
            blas.setThreads(before);
        }
    }

    @Test
    void aPartsFailureIsRethrownByFinishAfterTheOthersRan() {
        AtomicIntegerArray runs = new AtomicIntegerArray(8);
        IllegalStateException boom = new IllegalStateException("part 3 failed");
        IdleWork work = IdleWork.offer(8, i -> {
            runs.incrementAndGet(i);
            if (i == 3) throw boom;
        });
        assertSame(boom, assertThrows(IllegalStateException.class, work::finish));
        for (int i = 0; i < 8; i++) assertEquals(1, runs.get(i));
        assertThrows(IllegalArgumentException.class, () -> IdleWork.offer(-1, i -> {}));
        IdleWork.offer(0, i -> {}).finish();
    }
}
