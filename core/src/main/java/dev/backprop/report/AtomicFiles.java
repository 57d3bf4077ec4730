package dev.backprop.report;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Writes a whole file or nothing: the bytes go to a hidden temporary file in the same directory, which is then
 * renamed over the target. A reader (a browser refreshing the report, a CI artifact upload) therefore never sees
 * half a file, and a failed write leaves the previous version in place.
 */
final class AtomicFiles {
    private AtomicFiles() {
    }

    static void write(Path file, byte[] bytes) throws IOException {
        Path name = file.getFileName();
        if (name == null) throw new IOException("cannot write to " + file + ": not a file name");
        if (Files.isDirectory(file)) throw new IOException("cannot write to " + file + ": it is a directory");
        Path dir = file.toAbsolutePath().getParent();
        // Same directory as the target: a rename within one file system is atomic, across file systems it is a copy.
        Path temp = createTemp(dir, name.toString());
        boolean done = false;
        try {
            Files.write(temp, bytes, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.SYNC);
            try {
                Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
            }
            done = true;
        } finally {
            if (!done) Files.deleteIfExists(temp);
        }
    }

    /**
     * A new empty file {@code .<name>.<random>.tmp}. Created with the ordinary permissions (not the owner-only ones of
     * {@link Files#createTempFile}), since it becomes the report that others may read.
     */
    private static Path createTemp(Path dir, String name) throws IOException {
        for (int attempt = 0; ; attempt++) {
            Path temp = dir.resolve("." + name + "." + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong()) + ".tmp");
            try {
                Files.newByteChannel(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE).close();
                return temp;
            } catch (FileAlreadyExistsException e) {
                if (attempt >= 16) throw e;
            }
        }
    }
}
