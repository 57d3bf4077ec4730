package dev.backprop.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The one writer of files: whole or nothing, the usual permissions, links followed, devices refused, stale temps removed. */
class AtomicWriteTest {
    @TempDir
    Path dir;

    private List<String> names() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void aFailedWriteLeavesTheOldFileAndNoTemporaryOne() throws IOException {
        Path f = dir.resolve("out.csv");
        AtomicWrite.bytes(f, "old".getBytes(StandardCharsets.UTF_8));
        IOException e = assertThrows(IOException.class, () -> AtomicWrite.stream(f, out -> {
            out.write("half of the new".getBytes(StandardCharsets.UTF_8));
            throw new IOException("No space left on device");
        }));
        assertEquals("No space left on device", e.getMessage());
        assertEquals("old", Files.readString(f));
        assertEquals(List.of("out.csv"), names());
    }

    @Test
    void aNewFileHasTheUsualPermissionsAndAReplacedOneKeepsItsOwn() throws IOException {
        Path f = dir.resolve("p.csv");
        AtomicWrite.bytes(f, new byte[] {1});
        assertTrue(PosixFilePermissions.toString(Files.getPosixFilePermissions(f)).startsWith("rw-r"),
                "not owner-only: " + Files.getPosixFilePermissions(f));
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-rw-r--"));
        AtomicWrite.bytes(f, new byte[] {2});
        assertEquals("rw-rw-r--", PosixFilePermissions.toString(Files.getPosixFilePermissions(f)));
        assertArrayEquals(new byte[] {2}, Files.readAllBytes(f));
    }

    @Test
    void aSymbolicLinkIsFollowedAndKept() throws IOException {
        Path real = dir.resolve("real.bpm");
        Files.writeString(real, "v1");
        Path link = Files.createSymbolicLink(dir.resolve("link.bpm"), real);
        AtomicWrite.bytes(link, "v2".getBytes(StandardCharsets.UTF_8));
        assertTrue(Files.isSymbolicLink(link));
        assertEquals("v2", Files.readString(real));
        Path dangling = Files.createSymbolicLink(dir.resolve("dangling.bpm"), dir.resolve("nowhere/x"));
        assertEquals(dangling + ": a symbolic link to a file that does not exist",
                assertThrows(AtomicWrite.Unwritable.class, () -> AtomicWrite.bytes(dangling, new byte[0])).getMessage());
    }

    @Test
    void devicesDirectoriesAndMissingDirectoriesAreRefused() throws Exception {
        assertEquals("/dev/null: is not a regular file (a device, FIFO or socket); nothing is written to it",
                assertThrows(AtomicWrite.Unwritable.class, () -> AtomicWrite.target(Path.of("/dev/null"))).getMessage());
        Path fifo = dir.resolve("fifo");
        new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor();
        assertThrows(AtomicWrite.Unwritable.class, () -> AtomicWrite.bytes(fifo, new byte[0]));
        assertEquals(dir + ": is a directory", assertThrows(AtomicWrite.Unwritable.class, () -> AtomicWrite.target(dir)).getMessage());
        assertEquals(dir.resolve("no/x.bpm") + ": the directory " + dir.resolve("no") + " does not exist",
                assertThrows(AtomicWrite.Unwritable.class, () -> AtomicWrite.target(dir.resolve("no/x.bpm"))).getMessage());
    }

    @Test
    void temporaryFilesOfDeadProcessesAreRemovedAndLiveOnesKept() throws IOException {
        Path f = dir.resolve("m.bpm");
        long dead = deadPid(), live = ProcessHandle.current().parent().map(ProcessHandle::pid).orElseThrow();
        Path stale = Files.writeString(dir.resolve(".m.bpm." + dead + ".0123456789abcdef.tmp"), "a killed write");
        Path busy = Files.writeString(dir.resolve(".m.bpm." + live + ".0123456789abcdef.tmp"), "a write in progress");
        Path other = Files.writeString(dir.resolve(".other.bpm." + dead + ".0123456789abcdef.tmp"), "another file's");
        AtomicWrite.bytes(f, new byte[] {7});
        assertFalse(Files.exists(stale), "a dead process's temporary file is removed");
        assertTrue(Files.exists(busy), "a live process's is left alone");
        assertTrue(Files.exists(other), "only the target's own temporary files are looked at");
    }

    /** A process id that no process has now: a finished child's. */
    private static long deadPid() throws IOException {
        Process p = new ProcessBuilder("true").start();
        try {
            p.waitFor();
        } catch (InterruptedException e) {
            throw new IOException(e);
        }
        return p.pid();
    }
}
