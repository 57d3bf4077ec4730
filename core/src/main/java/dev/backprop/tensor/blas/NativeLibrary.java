package dev.backprop.tensor.blas;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.SymbolLookup;
import java.net.URL;
import java.net.URLConnection;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Finds the OpenBLAS shared library that {@code org.bytedeco:openblas:<platform>} bundles as class-path resources for
 * this {@linkplain NativePlatform platform}, copies it to a per-user cache directory once, checks that each file is a
 * library for this processor, and opens it for the Foreign Function API.
 *
 * <p>The cache is {@code $XDG_CACHE_HOME/backprop/native/openblas-<version>-<platform>/} (default
 * {@code ~/.cache}), or, when that is not writable, a private directory under {@code java.io.tmpdir}. Processes
 * starting together are safe: each extracts into a fresh directory beside the target and renames it into place
 * atomically; the losers of the race discard theirs and use the winner's. A directory already there is reused when
 * its files have the sizes of the resources.
 */
final class NativeLibrary {
    private static final String POM_PROPERTIES = "META-INF/maven/org.bytedeco/openblas/pom.properties";

    // Every glibc system has libgcc_s, and glibc may already have loaded it (pthread_cancel unwinds with it): a second
    // copy of the unwinder in the process is asking for trouble, so on Linux the bundled one is a last resort.
    private static final String GCC_S = "libgcc_s.so.1";

    private NativeLibrary() {}

    /**
     * Extracts (if needed) and opens libopenblas for the life of the JVM.
     *
     * @throws UnsupportedOperationException on a platform the bundle has no library for
     * @throws IllegalStateException if the resources are missing, cannot be extracted, are not libraries for this
     *     processor, or will not open
     */
    @SuppressWarnings("restricted")   // loading native code is the point; callers run with --enable-native-access
    static SymbolLookup openBlas() {
        NativePlatform platform = NativePlatform.current().orElseThrow(() -> new UnsupportedOperationException(
                "no OpenBLAS is bundled for " + System.getProperty("os.name") + " on " + System.getProperty("os.arch")));
        Map<String, URL> resources = resources(platform);
        Path dir = extract(resources, directoryName(platform));
        Arena global = Arena.global();
        SymbolLookup lookup = null;
        for (String file : platform.files) {
            if (file.equals(GCC_S)) {
                try {
                    SymbolLookup.libraryLookup(GCC_S, global);
                    continue;
                } catch (IllegalArgumentException notOnSystem) {
                    // fall through to the bundled copy
                }
            }
            Path path = dir.resolve(file);
            checkFormat(platform, path);
            try {
                lookup = SymbolLookup.libraryLookup(path, global);
            } catch (IllegalArgumentException e) {
                throw new IllegalStateException("cannot open " + path + ": " + e.getMessage(), e);
            }
        }
        return lookup;
    }

    /** A library for another processor fails to open with a message that does not say so; this one does. */
    private static void checkFormat(NativePlatform platform, Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            String wrong = platform.mismatch(in);
            if (wrong != null) throw new IllegalStateException(file + " is " + wrong);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    private static Map<String, URL> resources(NativePlatform platform) {
        ClassLoader loader = NativeLibrary.class.getClassLoader();
        Map<String, URL> urls = new LinkedHashMap<>();
        for (String file : platform.files) {
            URL url = loader.getResource(platform.resources() + file);
            if (url == null) {
                throw new IllegalStateException(platform.resources() + file + " is not on the class path (add "
                        + "org.bytedeco:openblas:" + expectedVersion() + ":" + platform.id + " to the dependencies)");
            }
            urls.put(file, url);
        }
        return urls;
    }

    /** The bundle's Maven version names the cache directory, so an upgrade extracts afresh instead of clashing. */
    private static String directoryName(NativePlatform platform) {
        return "openblas-" + version() + "-" + platform.id;
    }

    /** The OpenBLAS bundle version this library was built with. */
    private static String expectedVersion() {
        try (InputStream in = NativeLibrary.class.getResourceAsStream("openblas.properties")) {
            if (in == null) return "VERSION";
            Properties p = new Properties();
            p.load(in);
            String v = p.getProperty("version", "VERSION");
            return v.startsWith("${") ? "VERSION" : v;
        } catch (IOException e) {
            return "VERSION";
        }
    }

    private static String version() {
        try (InputStream in = NativeLibrary.class.getClassLoader().getResourceAsStream(POM_PROPERTIES)) {
            if (in == null) return "unknown";
            Properties p = new Properties();
            p.load(in);
            return p.getProperty("version", "unknown").replaceAll("[^A-Za-z0-9._-]", "_");
        } catch (IOException e) {
            return "unknown";
        }
    }

    private static Path extract(Map<String, URL> resources, String name) {
        List<String> problems = new ArrayList<>();
        for (Path root : cacheRoots()) {
            try {
                return extractInto(root, name, resources);
            } catch (IOException | UncheckedIOException | SecurityException e) {
                problems.add(root + ": " + e.getMessage());
            }
        }
        throw new IllegalStateException("cannot extract OpenBLAS (" + String.join("; ", problems) + ")");
    }

    /** Extracts the bundle under {@code root} (or finds it there) and returns its directory; for tests. */
    static Path extractInto(Path root) throws IOException {
        NativePlatform platform = NativePlatform.current().orElseThrow();
        return extractInto(root, directoryName(platform), resources(platform));
    }

    /** Candidate parents of the cache directory, best first. */
    private static List<Path> cacheRoots() {
        List<Path> roots = new ArrayList<>();
        String xdg = System.getenv("XDG_CACHE_HOME");
        if (xdg != null && !xdg.isBlank() && Path.of(xdg).isAbsolute()) {
            roots.add(Path.of(xdg, "backprop", "native"));
        } else {
            String home = System.getProperty("user.home");
            if (home != null && !home.isBlank() && !home.equals("?")) {
                roots.add(Path.of(home, ".cache", "backprop", "native"));
            }
        }
        String user = System.getProperty("user.name", "user").replaceAll("[^A-Za-z0-9._-]", "_");
        // Directly under the temp directory, so that the directory whose owner requirePrivate checks is the only one
        // between us and the sticky /tmp: a parent made by someone else could have our directory swapped out.
        roots.add(Path.of(System.getProperty("java.io.tmpdir"), "backprop-native-" + user));
        return roots;
    }

    private static Path extractInto(Path root, String name, Map<String, URL> resources) throws IOException {
        Map<String, Long> sizes = new LinkedHashMap<>();
        resources.forEach((file, url) -> sizes.put(file, size(url)));
        Files.createDirectories(root);
        requirePrivate(root);
        Path target = root.resolve(name);
        if (complete(target, sizes)) return target;
        Path fresh = Files.createTempDirectory(root, name + ".part-");
        try {
            for (Map.Entry<String, URL> e : resources.entrySet()) {
                try (InputStream in = e.getValue().openStream()) {
                    Files.copy(in, fresh.resolve(e.getKey()));
                }
            }
            if (!complete(fresh, sizes)) throw new IOException("extracted files have unexpected sizes in " + fresh);
            install(fresh, target, sizes);
            return target;
        } finally {
            deleteTree(fresh);
        }
    }

    /** Renames {@code fresh} to {@code target}, or accepts a complete {@code target} that another process put there. */
    private static void install(Path fresh, Path target, Map<String, Long> sizes) throws IOException {
        for (int attempt = 0; attempt < 3; attempt++) {
            try {
                Files.move(fresh, target, StandardCopyOption.ATOMIC_MOVE);
                return;
            } catch (IOException taken) {
                if (complete(target, sizes)) return;
                // A damaged or outdated copy (a file deleted by hand, or from a bundle of the same version with other
                // contents): move it aside, atomically too, so the next attempt can take its place. Processes that
                // have it mapped keep working, since Linux keeps unlinked files alive.
                Path stale = target.resolveSibling(target.getFileName() + ".stale-" + ProcessHandle.current().pid()
                        + "-" + System.nanoTime());
                try {
                    Files.move(target, stale, StandardCopyOption.ATOMIC_MOVE);
                    deleteTree(stale);
                } catch (NoSuchFileException | FileAlreadyExistsException raced) {
                    // someone else moved it first; try again
                }
            }
        }
        throw new IOException("could not install " + target);
    }

    private static boolean complete(Path dir, Map<String, Long> sizes) {
        try {
            for (Map.Entry<String, Long> e : sizes.entrySet()) {
                long actual = Files.size(dir.resolve(e.getKey()));
                if (e.getValue() >= 0 ? actual != e.getValue() : actual == 0) return false;
            }
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** The uncompressed size of a resource (jar entry or file) without reading it; -1 when unknown. */
    private static long size(URL url) {
        try {
            URLConnection connection = url.openConnection();
            return connection.getContentLengthLong();
        } catch (IOException e) {
            return -1;
        }
    }

    /**
     * A shared temp directory lets another user plant a library we would then load, so a cache root there must be
     * ours alone. Under the home directory this holds anyway.
     */
    private static void requirePrivate(Path root) throws IOException {
        if (!root.getFileSystem().supportedFileAttributeViews().contains("posix")) return;
        Path probe = Files.createTempFile(root, ".owner-", "");
        try {
            if (!Files.getOwner(root).equals(Files.getOwner(probe))) {
                throw new IOException("not owned by " + System.getProperty("user.name"));
            }
        } finally {
            Files.deleteIfExists(probe);
        }
        Set<PosixFilePermission> perms = Files.getPosixFilePermissions(root);
        if (perms.contains(PosixFilePermission.GROUP_WRITE) || perms.contains(PosixFilePermission.OTHERS_WRITE)) {
            Files.setPosixFilePermissions(root, PosixFilePermissions.fromString("rwx------"));
        }
    }

    private static void deleteTree(Path dir) {
        if (!Files.exists(dir)) return;
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        } catch (IOException | UncheckedIOException e) {
            // Leftovers are harmless: named *.part-* or *.stale-*, never mistaken for the cache itself.
        }
    }
}
