package dev.backprop.data;

import java.io.IOException;

/** Input data that cannot be read as what it claims to be; the message names the file and, where it can, the place. */
public final class DataFormatException extends IOException {
    /** An exception with {@code message}, which should name the file and, where known, the line or offset. */
    public DataFormatException(String message) {
        super(message);
    }
}
