package dev.backprop.io;

import java.io.IOException;

/**
 * A model file, safetensors file or JSON network spec could not be read or written. The message is one line that
 * names the file and what is wrong, e.g. {@code model.bp: truncated: header says 1048 bytes of tensor data, file
 * has 512}, or for JSON {@code net.json: line 3, column 14: unexpected character ...}, or for a spec's content
 * {@code net.json: layers[1].weights: expected 2 rows of 2 numbers (units x inputs), got 3 rows}.
 *
 * <p>It is the only checked exception of {@link dev.backprop.io}: a bad file (corrupt, truncated, hostile, or simply
 * not a model) and an I/O failure both end here, never as an {@code OutOfMemoryError} or a runtime exception, so a
 * command-line tool can print {@link #getMessage()} and exit.
 *
 * <pre>{@code
 * try { SavedModel m = ModelFile.load(path); }
 * catch (ModelFileException e) { System.err.println(e.getMessage()); }
 * }</pre>
 */
public final class ModelFileException extends IOException {
    private final String file;
    private final String problem;

    /** {@code file} as the user named it, {@code problem} what is wrong with it (one line). */
    public ModelFileException(String file, String problem) {
        this(file, problem, null);
    }

    /** As {@link #ModelFileException(String, String)}, with the exception that caused it (an I/O failure, a parse error). */
    public ModelFileException(String file, String problem, Throwable cause) {
        super(file + ": " + problem, cause);
        this.file = file;
        this.problem = problem;
    }

    /** The file, as it was named when opened. */
    public String file() {
        return file;
    }

    /** What is wrong, without the file name. */
    public String problem() {
        return problem;
    }
}
