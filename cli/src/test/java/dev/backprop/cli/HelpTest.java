package dev.backprop.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.backprop.io.Provenance;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The help as people read it: every command's fits 100 columns, says what the command does in one line, and ends
 * with examples; the version is the build's; a mistyped option or command gets the nearest names; plain progress
 * (output piped, as in CI) appears within a long epoch.
 */
class HelpTest {
    private static List<String> commands() {
        return new ArrayList<>(Main.newCommandLine().getSubcommands().keySet());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "demo", "train", "evaluate", "predict", "gradients", "explain", "gradcheck", "inspect",
            "export", "import", "playground", "datasets", "example"})
    void everyHelpFitsOneHundredColumnsAndEndsWithExamples(String command) {
        CommandsTest.Result r = command.isEmpty() ? CommandsTest.run("--help") : CommandsTest.run(command, "--help");
        assertEquals(0, r.code(), r.err());
        for (String line : r.out().split("\\R")) {
            assertTrue(line.length() <= Main.HELP_WIDTH, command + ": " + line.length() + " columns: " + line);
        }
        String[] lines = r.out().strip().split("\\R");
        assertTrue(lines[0].endsWith(".") && !lines[0].startsWith("Usage"), command + " starts with a one-line summary: " + lines[0]);
        assertTrue(r.out().contains("\nUsage: backprop" + (command.isEmpty() ? "" : " " + command)), r.out());
        int examples = r.out().indexOf("\nExamples:\n");
        assertTrue(examples > 0, command + " has examples: " + r.out());
        String first = r.out().substring(examples).split("\\R")[2];
        assertTrue(first.startsWith("  backprop "), first);
    }

    @Test
    void theCommandListGivesEachCommandOneWholeLine() {
        String out = CommandsTest.run("--help").out();
        String list = out.substring(out.indexOf("Commands:"), out.indexOf("Examples:"));
        for (String c : commands()) {
            String line = list.lines().filter(l -> l.startsWith("  " + c + " ")).findFirst().orElseThrow();
            String next = list.lines().dropWhile(l -> !l.equals(line)).skip(1).findFirst().orElse("");
            assertTrue(line.strip().endsWith("."), "a whole sentence: " + line);
            assertTrue(next.isBlank() || next.startsWith("  ") && !next.startsWith("   "), "no continuation line after: " + line);
        }
    }

    @Test
    void theVersionIsTheBuildsOwnAsModelFilesRecordIt() {
        CommandsTest.Result r = CommandsTest.run("--version");
        assertEquals("backprop " + Provenance.currentLibraryVersion(), r.out().strip());
        assertTrue(!Provenance.currentLibraryVersion().equals("unknown"), "the build filled the version in");
    }

    @Test
    void mistypedNamesGetTheNearestOnes() {
        CommandsTest.Result option = CommandsTest.run("train", "--data", "builtin:xor", "--epoch", "3");
        assertEquals(2, option.code());
        assertEquals("backprop train: unknown option '--epoch' (did you mean '--epochs'?) (see 'backprop train --help')",
                option.err().strip());
        CommandsTest.Result command = CommandsTest.run("evalute");
        assertEquals(2, command.code());
        assertTrue(command.err().startsWith("backprop: unknown command 'evalute' (did you mean 'evaluate'?)"), command.err());
        CommandsTest.Result nothingNear = CommandsTest.run("train", "--data", "builtin:xor", "--zzzzzz");
        assertEquals("backprop train: unknown option '--zzzzzz' (see 'backprop train --help')", nothingNear.err().strip());
    }

    @Test
    void theDatasetsTableIsAligned() {
        List<String> lines = CommandsTest.run("datasets").out().lines().toList();
        assertTrue(lines.size() >= 4, lines.toString());
        java.util.regex.Pattern name = java.util.regex.Pattern.compile("^builtin:\\S+\\s{2,}");
        List<Integer> starts = lines.stream().map(l -> {
            java.util.regex.Matcher m = name.matcher(l);
            assertTrue(m.find(), l);
            return m.end();
        }).distinct().toList();
        assertEquals(1, starts.size(), "every description starts in the same column: " + lines);
    }

    /**
     * {@code train} in a child JVM with stdout and stderr piped (so no terminal, as in CI) and a pace of 50 ms: within
     * the first epoch, which takes several times that, lines with the step and the running loss appear before the
     * epoch's own line.
     */
    @Test
    void pipedProgressShowsStepsWithinALongEpoch(@TempDir Path dir) throws IOException, InterruptedException {
        Path csv = dir.resolve("wide.csv");
        SplittableRandom rng = new SplittableRandom(1);
        StringBuilder sb = new StringBuilder();
        for (int j = 0; j < 32; j++) sb.append("x").append(j).append(',');
        sb.append("y\n");
        for (int i = 0; i < 12_000; i++) {
            double s = 0;
            for (int j = 0; j < 32; j++) {
                double v = rng.nextDouble(-1, 1);
                s += v * (j % 3 - 1);
                sb.append(String.format(java.util.Locale.ROOT, "%.4f,", v));
            }
            sb.append(String.format(java.util.Locale.ROOT, "%.4f%n", s));
        }
        Files.writeString(csv, sb);
        String java = ProcessHandle.current().info().command().orElse("java");
        Process p = new ProcessBuilder(java, "--enable-native-access=ALL-UNNAMED", "-Dbackprop.progress.seconds=0.05",
                "-cp", System.getProperty("java.class.path"), Main.class.getName(), "train", "--data", csv.toString(),
                "--target", "y", "--layers", "256,256", "--batch", "4", "--epochs", "1", "--threads", "1").start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(300, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), err);
        List<String> lines = err.lines().toList();
        int epochLine = -1;
        for (int i = 0; i < lines.size(); i++) if (lines.get(i).startsWith("epoch 1/1  loss ")) epochLine = i;
        assertTrue(epochLine >= 0, err);
        long steps = lines.subList(0, epochLine).stream().filter(l -> l.matches("epoch 1/1  step \\d+/2400  loss \\S+  \\d+ samples/s  epoch ends in \\d+:\\d\\d")).count();
        assertTrue(steps >= 2, "progress within the epoch: " + err + out);
    }
}
