package dev.backprop.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class MainTest {
    private record Result(int code, String out, String err) {}

    private static Result run(String... args) {
        CommandLine cl = Main.newCommandLine();
        StringWriter out = new StringWriter(), err = new StringWriter();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int code = cl.execute(args);
        return new Result(code, out.toString(), err.toString());
    }

    @Test
    void demoPrintsSeed003ForwardAndBackward(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) {
        Result r = run("demo", "--out-dir", dir.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("net(h1) = w(x1→h1)·x1 + w(x2→h1)·x2 + b(h1) = 0.25·0.1 + 0.15·0.2 + 0.45 = 0.505000"), r.out());
        assertTrue(r.out().contains("out(h1) = σ(net(h1)) = 1 / (1 + e^−0.505000) = 0.623634"), r.out());
        assertTrue(r.out().contains("= 0.844681   (the tutorial prints 0.794609"), r.out());
        assertTrue(r.out().contains("∂E/∂w(h1→o1) = ∂E/∂out(o1) · ∂out(o1)/∂net(o1) · out(h1) = 0.649450 · 0.210220 · 0.623634 = 0.085143"), r.out());
        assertTrue(r.out().contains("δ(o1) = ∂E/∂net(o1) = ∂E/∂out(o1) · ∂out(o1)/∂net(o1) = 0.649450 · 0.210220 = 0.136527"), r.out());
        assertTrue(r.out().contains("E = ½(y1 − out(o1))² + ½(y2 − out(o2))² = "), r.out());
        assertTrue(r.out().contains(" = 0.233453\n"), r.out());
        assertTrue(r.out().contains("E after the step"), r.out());
        // Then a classifier, trained, saved and reported.
        double accuracy = Double.parseDouble(r.out().replaceAll("(?s).*accuracy ([0-9.]+).*", "$1"));
        assertTrue(accuracy > 0.9, r.out());
        assertTrue(java.nio.file.Files.exists(dir.resolve("spirals.bpm")) && java.nio.file.Files.exists(dir.resolve("spirals-report.html")));
        assertTrue(r.out().contains("model saved to " + dir.resolve("spirals.bpm")), r.out());
    }

    @Test
    void unknownCommandIsAUsageError() {
        Result r = run("no-such-command");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("no-such-command"), r.err());
    }

    @Test
    void helpAndVersion() {
        assertEquals(0, run("--help").code());
        assertTrue(run("--version").out().startsWith("backprop "));
        assertTrue(run("demo", "--help").out().contains("seed 003"));
    }

    @Test
    void fileSystemErrorsNameTheFileAndTheReason() {
        // Root reads every file, so an unreadable file cannot be made in a test run as root: the message is checked here.
        assertEquals("noperm.csv: permission denied", Main.message(new java.nio.file.AccessDeniedException("noperm.csv")));
        assertEquals("x.csv: no such file or directory", Main.message(new java.nio.file.NoSuchFileException("x.csv")));
        assertEquals("d: Read-only file system", Main.message(new java.nio.file.FileSystemException("d", null, "Read-only file system")));
        assertTrue(Main.message(new OutOfMemoryError("Java heap space")).startsWith("out of memory (the heap holds "));
        assertEquals("a\\u001b[31mb", Main.message(new IllegalArgumentException("a\u001b[31mb")), "escaped for a terminal");
    }
}
