package dev.backprop.tensor.blas;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A CLI must not greet its user with library log lines: loading both kernels in a fresh JVM writes nothing to stderr. */
class QuietStartupTest {

    /** Run in the child JVM. */
    public static void main(String[] args) {
        if (args.length > 0) {   // which kernels a plain product gets
            System.out.print(dev.backprop.tensor.Kernels.active().getClass().getSimpleName());
            return;
        }
        float[] c = new float[1];
        JavaKernels.INSTANCE.sgemm(false, false, 1, 1, 1, 1f, new float[]{2}, 0, 1, new float[]{3}, 0, 1, 0f, c, 0, 1);
        OpenBlasKernels.load().sgemm(false, false, 1, 1, 1, 1f, new float[]{2}, 0, 1, new float[]{c[0]}, 0, 1, 0f, c, 0, 1);
        System.out.print(c[0]);
    }

    @Test
    void loadingTheKernelsPrintsNothing() throws IOException, InterruptedException {
        String java = ProcessHandle.current().info().command().orElse("java");
        Process p = new ProcessBuilder(List.of(java, "--enable-native-access=ALL-UNNAMED",
                "-cp", System.getProperty("java.class.path"), QuietStartupTest.class.getName())).start();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "child JVM timed out");
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals("", err);
        assertEquals("12.0", out);
        assertEquals(0, p.exitValue());
    }

    private static String[] child(boolean nativeAccess) throws IOException, InterruptedException {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> cmd = new java.util.ArrayList<>(List.of(java));
        if (nativeAccess) cmd.add("--enable-native-access=ALL-UNNAMED");
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), QuietStartupTest.class.getName(), "which"));
        Process p = new ProcessBuilder(cmd).start();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "child JVM timed out");
        return new String[] {new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8),
                new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8)};
    }

    /**
     * A library user who did not enable native access gets the pure-Java kernels and no JDK warning on stderr (only
     * the INFO line of the logger, which says how to get OpenBLAS); one who did gets OpenBLAS, silently.
     */
    @Test
    void withoutNativeAccessTheJavaKernelsRunAndTheJdkDoesNotWarn() throws IOException, InterruptedException {
        String[] without = child(false);
        assertEquals("JavaKernels", without[0]);
        assertFalse(without[1].contains("WARNING: A restricted method"), without[1]);
        assertTrue(without[1].contains("give the JVM --enable-native-access=ALL-UNNAMED for OpenBLAS"), without[1]);
        String[] with = child(true);
        assertEquals("OpenBlasKernels", with[0]);
        assertEquals("", with[1]);
    }
}
