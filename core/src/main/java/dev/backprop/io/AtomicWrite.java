package dev.backprop.io;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one way this library writes a file: whole or not at all. The bytes go to a hidden temporary file in the
 * target's directory ({@code .NAME.PID.RANDOM.tmp}, created with the usual permissions, or the existing file's), are
 * forced to disk, and the temporary file is renamed over the target; a crash or a failure at any moment leaves the
 * previous file as it was, and a reader never sees half a file.
 *
 * <p>What is refused, before anything is written: a target that is a directory, a device or a FIFO (renaming over
 * {@code /dev/null} would turn the device into a plain file), a directory that does not exist or cannot be written. A
 * symbolic link is followed: the file it names is replaced, and the link stays. Temporary files that an earlier,
 * killed process of ours left beside the target (its process no longer runs) are removed.
 *
 * <pre>{@code
 * AtomicWrite.bytes(Path.of("report.html"), html.getBytes(UTF_8));
 * AtomicWrite.stream(Path.of("predictions.csv"), out -> out.write(...));
 * }</pre>
 */
public final class AtomicWrite {
    private static final Pattern TEMP = Pattern.compile("\\.(.+)\\.(\\d+)\\.[0-9a-f]{16}\\.tmp");

    private AtomicWrite() {}

    /** What goes into the file, written to a channel positioned at its start. */
    @FunctionalInterface
    public interface ChannelContent {
        /**
         * Writes the file's whole content to {@code channel}, a temporary file that replaces the target only if this
         * returns normally; an exception leaves the target as it was.
         */
        void writeTo(FileChannel channel) throws IOException;
    }

    /** What goes into the file, written to a buffered stream (closing it is not needed). */
    @FunctionalInterface
    public interface StreamContent {
        /**
         * Writes the file's whole content to {@code out}, which goes to a temporary file that replaces the target only
         * if this returns normally; an exception leaves the target as it was.
         */
        void writeTo(OutputStream out) throws IOException;
    }

    /** Writes {@code bytes} as the whole of {@code file}. */
    public static void bytes(Path file, byte[] bytes) throws IOException {
        channel(file, ch -> {
            ByteBuffer b = ByteBuffer.wrap(bytes);
            while (b.hasRemaining()) ch.write(b);
        });
    }

    /** Writes what {@code content} writes to a stream as the whole of {@code file}. */
    public static void stream(Path file, StreamContent content) throws IOException {
        channel(file, ch -> {
            OutputStream out = new BufferedOutputStream(Channels.newOutputStream(ch), 1 << 16);
            content.writeTo(out);
            out.flush();
        });
    }

    /** Writes what {@code content} writes to a channel as the whole of {@code file}. */
    public static void channel(Path file, ChannelContent content) throws IOException {
        Path target = target(file);
        Path dir = target.getParent();
        String name = target.getFileName().toString();
        removeStale(dir, name);
        Path temp = createTemp(dir, name);
        boolean done = false;
        try {
            copyPermissions(target, temp);
            try (FileChannel ch = FileChannel.open(temp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                content.writeTo(ch);
                ch.force(true);
            }
            try {
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
            }
            done = true;
            syncDirectory(dir);
        } finally {
            if (!done) {
                try {
                    Files.deleteIfExists(temp);
                } catch (IOException ignored) {
                    // The write has already failed and says so; a stray temporary file is the lesser problem.
                }
            }
        }
    }

    /**
     * The file a write to {@code file} replaces: {@code file} itself as an absolute path, or the file a symbolic link
     * names. Checks what {@link #channel} would refuse, so that a caller can refuse an output before any work.
     *
     * @throws Unwritable one line naming {@code file} and the reason: a directory, a device or FIFO, a link to
     *                    nowhere, a missing or read-only directory
     */
    public static Path target(Path file) throws Unwritable {
        Path abs = file.toAbsolutePath().normalize();
        if (abs.getFileName() == null) throw new Unwritable(file, "not a file name");
        Path target = abs;
        if (Files.isSymbolicLink(abs)) {
            try {
                target = abs.toRealPath();
            } catch (IOException e) {
                throw new Unwritable(file, "a symbolic link to a file that does not exist");
            }
        }
        if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
            if (Files.isDirectory(target)) throw new Unwritable(file, "is a directory");
            if (!Files.isRegularFile(target)) {
                throw new Unwritable(file, "is not a regular file (a device, FIFO or socket); nothing is written to it");
            }
        }
        Path dir = target.getParent();
        if (!Files.isDirectory(dir)) throw new Unwritable(file, "the directory " + Messages.clean(dir.toString(), 200) + " does not exist");
        if (!Files.isWritable(dir)) throw new Unwritable(file, "the directory " + Messages.clean(dir.toString(), 200) + " is not writable");
        return target;
    }

    /** A file this class will not write, and why; the message is {@code FILE: reason}. */
    public static final class Unwritable extends IOException {
        private final String reason;

        Unwritable(Path file, String reason) {
            super(Messages.clean(file.toString(), 300) + ": " + reason);
            this.reason = reason;
        }

        /** Why, without the file's name. */
        public String reason() {
            return reason;
        }
    }

    /** Removes {@code .NAME.PID.*.tmp} files beside {@code name} whose process no longer runs (ours, killed mid-write). */
    static void removeStale(Path dir, String name) {
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "." + globEscape(name) + ".*.tmp")) {
            for (Path p : files) {
                Matcher m = TEMP.matcher(p.getFileName().toString());
                if (!m.matches() || !m.group(1).equals(name)) continue;
                long pid = Long.parseLong(m.group(2));
                if (pid == ProcessHandle.current().pid()) continue;                               // being written now
                if (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) continue;    // by another live process
                Files.deleteIfExists(p);
            }
        } catch (IOException | NumberFormatException | SecurityException ignored) {
            // Cleaning up is a courtesy: the write itself does not depend on it.
        }
    }

    private static String globEscape(String s) {
        return s.replaceAll("([\\\\*?\\[\\]{},])", "\\\\$1");
    }

    /** A new empty file beside the target, {@code .NAME.PID.RANDOM.tmp}, with the default (umask's) permissions. */
    private static Path createTemp(Path dir, String name) throws IOException {
        for (int attempt = 0; ; attempt++) {
            String suffix = HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong());
            Path temp = dir.resolve("." + name + "." + ProcessHandle.current().pid() + "." + suffix + ".tmp");
            try {
                Files.newByteChannel(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE).close();
                return temp;
            } catch (FileAlreadyExistsException e) {
                if (attempt >= 16) throw e;
            }
        }
    }

    /** A file replaced keeps its permissions; a new one has the umask's. */
    private static void copyPermissions(Path from, Path to) {
        if (!Files.isRegularFile(from)) return;
        PosixFileAttributeView src = Files.getFileAttributeView(from, PosixFileAttributeView.class);
        PosixFileAttributeView dst = Files.getFileAttributeView(to, PosixFileAttributeView.class);
        if (src == null || dst == null) return;
        try {
            dst.setPermissions(src.readAttributes().permissions());
        } catch (IOException ignored) {
            // Keeping the default permissions is not worth failing the write for.
        }
    }

    /** Makes the rename itself durable; not every platform can open a directory, which is then not an error. */
    private static void syncDirectory(Path dir) {
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        } catch (IOException | UnsupportedOperationException ignored) {
            // Windows cannot open a directory as a channel; the file itself is already forced to disk.
        }
    }
}
