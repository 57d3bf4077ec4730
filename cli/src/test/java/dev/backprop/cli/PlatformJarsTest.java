package dev.backprop.cli;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import java.util.zip.ZipEntry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The runnable jars that packaging made, one per platform (tag 'packaged': run in the verify phase, after them): each
 * small enough to hand around, holding its own platform's OpenBLAS and no other's; the build machine's one runs with
 * the native kernels and prints no JDK warning.
 */
@Tag("packaged")
class PlatformJarsTest {
    private static final long MAX_BYTES = 40L * 1024 * 1024;
    private static final List<String> PLATFORMS =
            List.of("linux-x86_64", "linux-arm64", "macosx-x86_64", "macosx-arm64", "windows-x86_64");

    @ParameterizedTest
    @ValueSource(strings = {"linux-x86_64", "linux-arm64", "macosx-x86_64", "macosx-arm64", "windows-x86_64"})
    void eachPlatformsJarHoldsItsOwnOpenBlasOnly(String platform) throws IOException {
        Path jar = jar(platform);
        assertTrue(Files.size(jar) <= MAX_BYTES, jar + " is " + Files.size(jar) / (1024 * 1024) + " MiB");
        try (JarFile file = new JarFile(jar.toFile())) {
            List<String> natives = file.stream().map(ZipEntry::getName)
                    .filter(n -> n.startsWith("org/bytedeco/openblas/") && !n.endsWith("/")).toList();
            assertTrue(natives.stream().anyMatch(n -> n.startsWith("org/bytedeco/openblas/" + platform + "/libopenblas")),
                    platform + ": no libopenblas in " + natives);
            for (String n : natives) {
                assertTrue(n.startsWith("org/bytedeco/openblas/" + platform + "/lib"), platform + ": " + n);
                assertFalse(n.contains("jni"), platform + ": JavaCPP's JNI wrapper " + n);
            }
            for (String other : PLATFORMS) {
                if (!other.equals(platform)) assertTrue(file.getEntry("org/bytedeco/openblas/" + other + "/") == null
                        && natives.stream().noneMatch(n -> n.contains("/" + other + "/")), platform + " holds " + other);
            }
            Manifest manifest = file.getManifest();
            assertEquals("dev.backprop.cli.Main", manifest.getMainAttributes().getValue("Main-Class"));
            assertEquals("ALL-UNNAMED", manifest.getMainAttributes().getValue("Enable-Native-Access"));
        }
    }

    @Test
    void theBuildMachinesJarRunsTheNativeKernelsWithoutAWarning(@TempDir Path dir) throws Exception {
        Path jar = jar("linux-x86_64");   // the machines that build and test this project
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process p = new ProcessBuilder(java.toString(), "-jar", jar.toString(), "--verbose", "train",
                "--data", "builtin:xor", "--epochs", "1", "--out", dir.resolve("m.bpm").toString())
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), err);
        assertTrue(err.contains("using the native OpenBLAS kernels"), err);
        assertFalse(err.contains("WARNING"), err);
    }

    private static Path jar(String platform) {
        Path jar = Path.of("target", "backprop-" + platform + ".jar");
        assertTrue(Files.isRegularFile(jar), jar + " was not built");
        return jar;
    }
}
