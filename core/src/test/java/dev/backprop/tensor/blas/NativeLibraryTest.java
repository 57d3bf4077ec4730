package dev.backprop.tensor.blas;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class NativeLibraryTest {

    @Test
    void extractsOnceAndReusesTheCopy(@TempDir Path root) throws IOException {
        Path dir = NativeLibrary.extractInto(root);
        assertTrue(Files.size(dir.resolve("libopenblas.so.0")) > 1_000_000);
        long modified = Files.getLastModifiedTime(dir.resolve("libopenblas.so.0")).toMillis();
        assertEquals(dir, NativeLibrary.extractInto(root));
        assertEquals(modified, Files.getLastModifiedTime(dir.resolve("libopenblas.so.0")).toMillis());
        assertEquals(List.of(dir), entries(root), "no temporary directories left behind");
    }

    @Test
    void replacesADamagedCopy(@TempDir Path root) throws IOException {
        Path dir = NativeLibrary.extractInto(root);
        long size = Files.size(dir.resolve("libgfortran.so.5"));
        Files.write(dir.resolve("libgfortran.so.5"), new byte[10]);
        assertEquals(dir, NativeLibrary.extractInto(root));
        assertEquals(size, Files.size(dir.resolve("libgfortran.so.5")));
        assertEquals(List.of(dir), entries(root));
    }

    @Test
    void concurrentExtractionsAgree(@TempDir Path root) throws Exception {
        int racers = 3;
        CyclicBarrier start = new CyclicBarrier(racers);
        ExecutorService pool = Executors.newFixedThreadPool(racers);
        try {
            List<Future<Path>> results = new ArrayList<>();
            for (int i = 0; i < racers; i++) {
                Callable<Path> extract = () -> {
                    start.await();
                    return NativeLibrary.extractInto(root);
                };
                results.add(pool.submit(extract));
            }
            Path first = results.getFirst().get();
            for (Future<Path> r : results) assertEquals(first, r.get());
            assertEquals(List.of(first), entries(root));
        } finally {
            pool.shutdownNow();
        }
    }

    private static List<Path> entries(Path root) throws IOException {
        try (Stream<Path> s = Files.list(root)) {
            return s.toList();
        }
    }
}
