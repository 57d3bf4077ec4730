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
        if (args.length > 0 && args[0].equals("java")) {   // which pure-Java BLAS runs, and how close it is
            System.out.print(JavaKernels.INSTANCE + " " + javaProductError());
            return;
        }
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

    /** The largest error of a 37×53 by 53×29 float product against the same in double, relative to its scale. */
    private static double javaProductError() {
        int m = 37, k = 53, n = 29;
        java.util.SplittableRandom r = new java.util.SplittableRandom(7);
        float[] a = new float[m * k], b = new float[k * n], c = new float[m * n];
        for (int i = 0; i < a.length; i++) a[i] = (float) r.nextDouble(-1, 1);
        for (int i = 0; i < b.length; i++) b[i] = (float) r.nextDouble(-1, 1);
        JavaKernels.INSTANCE.sgemm(false, false, m, n, k, 1f, a, 0, k, b, 0, n, 0f, c, 0, n);
        double worst = 0;
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double sum = 0;
                for (int p = 0; p < k; p++) sum += (double) a[i * k + p] * b[p * n + j];
                worst = Math.max(worst, Math.abs(sum - c[i * n + j]));
            }
        }
        return worst;
    }

    /**
     * The Vector API kernel is an opt-in: without the incubator module the plain-Java one runs (and nothing is
     * printed); with {@code --add-modules jdk.incubator.vector} the Vector one does, with the same results to float
     * rounding. The only line on stderr is then the JDK's own notice of the incubator module the user asked for.
     */
    @Test
    void theVectorApiKernelRunsWhenItsModuleIsAdded() throws IOException, InterruptedException {
        String java = ProcessHandle.current().info().command().orElse("java");
        for (boolean vector : new boolean[] {false, true}) {
            List<String> cmd = new java.util.ArrayList<>(List.of(java));
            if (vector) cmd.add("--add-modules=jdk.incubator.vector");
            cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), QuietStartupTest.class.getName(), "java"));
            Process p = new ProcessBuilder(cmd).start();
            assertTrue(p.waitFor(60, TimeUnit.SECONDS), "child JVM timed out");
            String[] out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).split(" ");
            String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
            assertEquals(0, p.exitValue(), err);
            assertEquals(vector ? "(VectorBLAS)" : "(Java11BLAS)", out[1]);
            assertTrue(Double.parseDouble(out[2]) < 1e-5, "error " + out[2]);
            assertEquals(vector ? "WARNING: Using incubator modules: jdk.incubator.vector" : "", err.strip());
        }
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
