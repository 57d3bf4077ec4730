package dev.backprop.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.backprop.io.ModelFile;
import dev.backprop.io.SavedModel;
import dev.backprop.tensor.Tensor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Training in a separate JVM, killed with SIGKILL at random moments (during steps and during checkpoint writes),
 * resumed from its newest checkpoint each time: every checkpoint left behind loads, and the run ends with exactly the
 * weights of one never interrupted. Then Ctrl-C (SIGINT): once saves and exits 130; twice stops at once. Slow.
 */
@Tag("slow")
class CrashSafetyTest {
    @TempDir
    Path dir;

    private static final int EPOCHS = 30;

    private Path data() throws IOException {
        StringBuilder b = new StringBuilder("a,b,c,d,y\n");
        SplittableRandom rng = new SplittableRandom(5);
        for (int i = 0; i < 3000; i++) {
            double a = rng.nextDouble(-1, 1), bb = rng.nextDouble(-1, 1), c = rng.nextDouble(-1, 1), d = rng.nextDouble(-1, 1);
            b.append(String.format(Locale.ROOT, "%.4f,%.4f,%.4f,%.4f,%s%n", a, bb, c, d, a * bb + c - d > 0 ? "yes" : "no"));
        }
        return Files.writeString(dir.resolve("data.csv"), b.toString());
    }

    /** The training command, in a JVM of its own: wide enough that a checkpoint takes a while to write. */
    private Process start(Path data, Path checkpoints, Path resume, Path out) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"),
                "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"), Main.class.getName(),
                "train", "--data", data.toString(), "--layers", "384,384", "--epochs", Integer.toString(EPOCHS), "--batch", "64",
                "--threads", "1", "--seed", "3", "--checkpoint-dir", checkpoints.toString(), "--quiet"));
        if (resume != null) cmd.addAll(List.of("--resume", resume.toString()));
        if (out != null) cmd.addAll(List.of("--out", out.toString()));
        return new ProcessBuilder(cmd).redirectOutput(dir.resolve("child.out").toFile())
                .redirectError(dir.resolve("child.err").toFile()).start();
    }

    private static Map<String, Tensor> weights(Path file) throws IOException {
        return ModelFile.load(file).module().stateDict();
    }

    @Test
    void killedAtRandomAndResumedEndsAsIfNeverKilled() throws Exception {
        Path data = data();
        Path reference = dir.resolve("reference");
        long begin = System.nanoTime();
        Process ref = start(data, reference, null, null);
        assertTrue(ref.waitFor(300, TimeUnit.SECONDS) && ref.exitValue() == 0, Files.readString(dir.resolve("child.err")));
        long whole = (System.nanoTime() - begin) / 1_000_000;       // ms for the whole run, JVM start-up included

        Path ck = dir.resolve("ck");
        SplittableRandom rng = new SplittableRandom(11);
        int kills = 0, attempts = 0;
        while (true) {
            Path last = ck.resolve("last.bpm");
            Process p = start(data, ck, Files.exists(last) ? last : null, null);
            attempts++;
            if (kills < 6 && attempts < 20) {
                // Anywhere from JVM start-up to late in the run: some kills land inside a checkpoint write.
                boolean ended = p.waitFor(200 + rng.nextLong(Math.max(1, whole * 3 / 4)), TimeUnit.MILLISECONDS);
                if (!ended) {
                    p.destroyForcibly().waitFor();        // SIGKILL
                    kills++;
                    if (Files.exists(last)) {
                        SavedModel checkpoint = ModelFile.load(last);    // whatever moment it died, the newest checkpoint loads
                        assertTrue(checkpoint.trainer() != null);
                    }
                    continue;
                }
                if (kills < 3 && attempts < 20) {
                    // A resumed run is shorter than the first, so it may finish before the next kill: start the chain
                    // afresh, so that the run compared at the end has been killed at least three times.
                    assertEquals(0, p.exitValue(), Files.readString(dir.resolve("child.err")));
                    try (Stream<Path> files = Files.walk(ck)) {
                        for (Path f : files.sorted(java.util.Comparator.reverseOrder()).toList()) Files.delete(f);
                    }
                    kills = 0;
                    continue;
                }
            } else {
                assertTrue(p.waitFor(300, TimeUnit.SECONDS), "the last run ends");
            }
            assertEquals(0, p.exitValue(), Files.readString(dir.resolve("child.err")));
            break;
        }
        assertTrue(kills >= 3, kills + " kills in " + attempts + " runs of " + whole + " ms");
        Map<String, Tensor> expected = weights(reference.resolve("last.bpm")), actual = weights(ck.resolve("last.bpm"));
        assertEquals(expected.keySet(), actual.keySet());
        for (String k : expected.keySet()) assertArrayEquals(expected.get(k).toFloatArray(), actual.get(k).toFloatArray(), k);
        try (Stream<Path> files = Files.list(ck)) {
            for (Path f : files.filter(f -> !f.getFileName().toString().startsWith(".")).toList()) ModelFile.load(f);
        }
    }

    private static void signal(Process p, String name) throws Exception {
        new ProcessBuilder("kill", "-" + name, Long.toString(p.pid())).start().waitFor();
    }

    /** Waits until the child has trained at least one epoch (its first checkpoint exists). */
    private static void awaitFirstEpoch(Process p, Path checkpoints) throws InterruptedException {
        for (int i = 0; i < 600 && p.isAlive() && !Files.exists(checkpoints.resolve("last.bpm")); i++) Thread.sleep(100);
    }

    @Test
    void ctrlCSavesWhatItHasAndExits130() throws Exception {
        Path data = data(), ck = dir.resolve("ck"), out = dir.resolve("m.bpm");
        Process p = start(data, ck, null, out);
        awaitFirstEpoch(p, ck);
        signal(p, "INT");
        assertTrue(p.waitFor(120, TimeUnit.SECONDS));
        String err = Files.readString(dir.resolve("child.err"));
        assertEquals(Interrupts.EXIT_CODE, p.exitValue(), err);
        assertTrue(err.contains("stopping after this step"), err);
        assertTrue(Files.readString(dir.resolve("child.out")).contains("interrupted at epoch"), Files.readString(dir.resolve("child.out")));
        ModelFile.load(out);
        ModelFile.load(ck.resolve("last.bpm"));
    }

    @Test
    void aSecondCtrlCStopsAtOnceAndLeavesNoBrokenFile() throws Exception {
        Path data = data(), ck = dir.resolve("ck"), out = dir.resolve("m.bpm");
        Process p = start(data, ck, null, out);
        awaitFirstEpoch(p, ck);
        signal(p, "TERM");
        signal(p, "INT");
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        assertEquals(Interrupts.EXIT_CODE, p.exitValue());
        try (Stream<Path> files = Stream.concat(Files.list(ck), Files.list(dir))) {
            for (Path f : files.filter(f -> f.getFileName().toString().endsWith(".bpm")).toList()) ModelFile.load(f);
        }
    }
}
