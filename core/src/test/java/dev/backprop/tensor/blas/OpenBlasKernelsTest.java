package dev.backprop.tensor.blas;

import org.junit.jupiter.api.Test;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OpenBlasKernelsTest {

    @Test
    void loadsOnThisMachineAsOneInstance() {
        // The build machine is linux-x86_64: a failure here means users silently get the slow kernels.
        OpenBlasKernels blas = OpenBlasKernels.load();
        assertSame(blas, OpenBlasKernels.load());
        assertEquals("openblas", blas.name());
        String describe = blas.describe();
        assertTrue(describe.startsWith("OpenBLAS 0.3.31"), describe);
        assertTrue(describe.endsWith(blas.threads() == 1 ? ", 1 thread" : ", " + blas.threads() + " threads"), describe);
    }

    @Test
    void threadCountCanBeChanged() {
        OpenBlasKernels blas = OpenBlasKernels.load();
        int before = blas.threads();
        try {
            blas.setThreads(1);
            assertEquals(1, blas.threads());
            blas.setThreads(2);
            assertEquals(2, blas.threads());
        } finally {
            blas.setThreads(before);
        }
        assertThrows(IllegalArgumentException.class, () -> blas.setThreads(0));
    }

    @Test
    void arraysArePassedAsHeapSegmentsNotCopies() {
        float[] f = new float[10];
        MemorySegment s = OpenBlasKernels.heap(f, 3);
        assertFalse(s.isNative());
        assertSame(f, s.heapBase().orElseThrow());
        assertEquals(7L * Float.BYTES, s.byteSize());
        double[] d = new double[10];
        MemorySegment t = OpenBlasKernels.heap(d, 10);
        assertSame(d, t.heapBase().orElseThrow());
        assertEquals(0, t.byteSize());
    }

    @Test
    void multiThreadedProductsAgreeWithJavaFromManyCallers() throws Exception {
        OpenBlasKernels blas = OpenBlasKernels.load();
        int before = blas.threads();
        blas.setThreads(2);   // large enough for OpenBLAS to split the work
        int m = 150, n = 130, k = 170;
        SplittableRandom random = new SplittableRandom(7);
        float[] a = new float[m * k], b = new float[k * n];
        for (int i = 0; i < a.length; i++) a[i] = (float) random.nextDouble(-1, 1);
        for (int i = 0; i < b.length; i++) b[i] = (float) random.nextDouble(-1, 1);
        float[] expected = new float[m * n];
        JavaKernels.INSTANCE.sgemm(false, false, m, n, k, 1f, a, 0, k, b, 0, n, 0f, expected, 0, n);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<float[]>> results = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                results.add(pool.submit(() -> {
                    float[] c = new float[m * n];
                    blas.sgemm(false, false, m, n, k, 1f, a, 0, k, b, 0, n, 0f, c, 0, n);
                    return c;
                }));
            }
            for (Future<float[]> r : results) assertArrayEquals(expected, r.get(), 1e-4f);
        } finally {
            pool.shutdownNow();
            blas.setThreads(before);
        }
    }
}
