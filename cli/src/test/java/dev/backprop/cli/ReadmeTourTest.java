package dev.backprop.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's tour, as a newcomer pastes it: every {@code ./backprop} line of the block after the {@code <!-- tour}
 * marker, in order, each in a fresh JVM whose working directory is a scratch copy of what a clone has there
 * ({@code examples/data}), must succeed. What one command writes, the next reads (a model, a checkpoint).
 */
class ReadmeTourTest {
    private static final Path README = Path.of("..", "README.md");

    /** The tour's commands, each as its arguments after {@code ./backprop}; continuation lines joined, comments cut. */
    static List<List<String>> tour() throws IOException {
        String text = Files.readString(README);
        int marker = text.indexOf("<!-- tour");
        assertTrue(marker >= 0, "the README marks its tour");
        int open = text.indexOf("```\n", marker) + 4;
        String block = text.substring(open, text.indexOf("```", open));
        List<List<String>> commands = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String line : block.split("\n")) {
            String code = line.replaceAll("\\s+#.*$", "").strip();
            if (code.endsWith("\\")) {
                current.append(code, 0, code.length() - 1).append(' ');
                continue;
            }
            current.append(code);
            String command = current.toString().strip();
            current.setLength(0);
            if (command.isEmpty()) continue;
            assertTrue(command.startsWith("./backprop "), "a tour line that is not a command: " + command);
            commands.add(Arrays.asList(command.substring("./backprop ".length()).strip().split("\\s+")));
        }
        return commands;
    }

    @Test
    void everyCommandOfTheTourRunsAsWrittenInOrder(@TempDir Path scratch) throws Exception {
        copy(Path.of("..", "examples", "data"), scratch.resolve("examples").resolve("data"));
        List<List<String>> commands = tour();
        assertTrue(commands.size() >= 10, "the tour: " + commands);
        String java = ProcessHandle.current().info().command().orElse("java");
        for (List<String> args : commands) {
            List<String> cmd = new ArrayList<>(List.of(java, "--enable-native-access=ALL-UNNAMED", "-cp",
                    System.getProperty("java.class.path"), Main.class.getName()));
            cmd.addAll(args);
            Path log = scratch.resolve("last-command.log");
            Process p = new ProcessBuilder(cmd).directory(scratch.toFile()).redirectErrorStream(true)
                    .redirectOutput(log.toFile()).start();
            assertTrue(p.waitFor(300, TimeUnit.SECONDS), "timed out: " + args);
            String output = Files.readString(log, StandardCharsets.UTF_8);
            assertEquals(0, p.exitValue(), "./backprop " + String.join(" ", args) + "\n" + output);
        }
        for (String written : List.of("iris.bpm", "iris.html", "iris.png", "iris-predictions.csv", "houses.bpm", "spirals.bpm",
                "runs/last.bpm", "backprop-out")) {
            assertTrue(Files.exists(scratch.resolve(written)), written + " was written");
        }
    }

    private static void copy(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path f : files.toList()) {
                Path target = to.resolve(from.relativize(f).toString());
                if (Files.isDirectory(f)) Files.createDirectories(target);
                else Files.copy(f, target);
            }
        }
    }
}
