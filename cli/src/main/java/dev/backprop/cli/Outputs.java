package dev.backprop.cli;

import dev.backprop.io.AtomicWrite;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;

/**
 * Checks a command's outputs before it does any work, so that a run is never lost at its end and nothing is
 * destroyed: each output's directory exists and can be written, the output is not a directory, device or FIFO, no
 * two outputs name one file, and no output is one of the command's inputs ({@code train --data d.csv --out d.csv}
 * would replace the data with the model). A refusal is a usage error (exit code 2) naming the option.
 *
 * <pre>{@code
 * new Outputs(spec).input("--data", dataPath).output("--out", out).output("--report", report).check();
 * }</pre>
 */
final class Outputs {
    private final CommandSpec spec;
    private final Map<String, Path> outputs = new LinkedHashMap<>();
    private final Map<String, Path> inputs = new LinkedHashMap<>();
    private final Map<String, Path> directories = new LinkedHashMap<>();

    Outputs(CommandSpec spec) {
        this.spec = spec;
    }

    /** A file the command will write; null when the option was not given. */
    Outputs output(String option, Path file) {
        if (file != null) outputs.put(option, file);
        return this;
    }

    /** A file the command reads; null, a built-in name or a directory are ignored. */
    Outputs input(String option, Path file) {
        if (file != null && Files.isRegularFile(file)) inputs.put(option, file);
        return this;
    }

    /** {@link #input(String, Path)} for an option that may also name a built-in set ({@code builtin:iris}). */
    Outputs input(String option, String spec) {
        if (spec == null || spec.regionMatches(true, 0, "builtin:", 0, 8)) return this;
        try {
            return input(option, Path.of(spec));
        } catch (java.nio.file.InvalidPathException e) {
            return this;
        }
    }

    /** A directory the command will write files into (created when missing; its parent must exist). */
    Outputs directory(String option, Path dir) {
        if (dir != null) directories.put(option, dir);
        return this;
    }

    /** Refuses, as a usage error, the first output that cannot or must not be written. */
    void check() {
        Map<String, Path> targets = new LinkedHashMap<>();
        for (var e : outputs.entrySet()) {
            // As typed: a Path has already dropped a trailing '/', and an empty one reads as the current directory.
            var typed = spec.commandLine().getParseResult() == null ? null : spec.commandLine().getParseResult().matchedOption(e.getKey());
            String raw = typed == null || typed.stringValues().isEmpty() ? e.getValue().toString() : typed.stringValues().getLast();
            if (raw.isEmpty()) throw refuse(e.getKey() + ": an empty path names no file");
            if (raw.endsWith("/")) throw refuse(e.getKey() + " " + raw + ": ends with '/', so it names a directory, not a file");
            Path target;
            try {
                target = AtomicWrite.target(e.getValue());
            } catch (AtomicWrite.Unwritable u) {
                throw refuse(e.getKey() + " " + u.getMessage());
            }
            for (var earlier : targets.entrySet()) {
                if (earlier.getValue().equals(target)) {
                    throw refuse(earlier.getKey() + " and " + e.getKey() + " name the same file, " + e.getValue());
                }
            }
            for (var in : inputs.entrySet()) {
                if (same(in.getValue(), target)) {
                    throw refuse(e.getKey() + " " + e.getValue() + " is the " + in.getKey() + " file; writing it would destroy it");
                }
            }
            targets.put(e.getKey(), target);
        }
        for (var e : directories.entrySet()) {
            Path dir = e.getValue().toAbsolutePath().normalize();
            if (Files.exists(dir)) {
                if (!Files.isDirectory(dir)) throw refuse(e.getKey() + " " + e.getValue() + ": is not a directory");
                if (!Files.isWritable(dir)) throw refuse(e.getKey() + " " + e.getValue() + ": the directory is not writable");
            } else {
                Path parent = dir.getParent();
                if (parent == null || !Files.isDirectory(parent)) {
                    throw refuse(e.getKey() + " " + e.getValue() + ": its parent directory does not exist");
                }
                if (!Files.isWritable(parent)) throw refuse(e.getKey() + " " + e.getValue() + ": cannot be created (" + parent + " is not writable)");
            }
        }
    }

    private static boolean same(Path input, Path target) {
        try {
            return Files.exists(target) ? Files.isSameFile(input, target) : input.toRealPath().equals(target);
        } catch (IOException e) {
            return false;
        }
    }

    private ParameterException refuse(String message) {
        return new ParameterException(spec.commandLine(), message);
    }
}
