package dev.backprop.tensor;

import dev.backprop.tensor.blas.JavaKernels;
import dev.backprop.tensor.blas.OpenBlasKernels;

/**
 * Holds the process-wide default kernels (chosen once, lazily) and the per-thread override of {@link Kernels#use}.
 *
 * <p>The native kernels need native access for this library's module ({@code --enable-native-access=ALL-UNNAMED} on
 * the class path, {@code =dev.backprop.core} on the module path, or {@code Enable-Native-Access} in an executable
 * jar's manifest). Without it the JDK would print a warning on the first native call, so the pure-Java kernels are
 * used instead. The choice and its reason go to the {@code dev.backprop.kernels} {@link System.Logger}: native
 * kernels at {@code DEBUG}; the pure-Java ones for want of native access, or on a platform with no bundled OpenBLAS,
 * at {@code INFO}; a native library that failed to load (a platform's jar missing, a damaged file) at
 * {@code WARNING}. Raise that logger's level to silence them.
 */
final class KernelChoice {
    /** System property that selects the kernels: {@code native} (default) or {@code java}. */
    static final String PROPERTY = "backprop.kernels";

    private static final ThreadLocal<Kernels> OVERRIDE = new ThreadLocal<>();

    /** Where the choice of kernels is said. */
    static final System.Logger LOG = System.getLogger("dev.backprop.kernels");

    private KernelChoice() {}

    private static final class Default {
        static final Kernels INSTANCE = choose();

        private static Kernels choose() {
            String wanted = System.getProperty(PROPERTY, "native").trim().toLowerCase(java.util.Locale.ROOT);
            switch (wanted) {
                case "java":
                    return JavaKernels.INSTANCE;
                case "native":
                    break;
                default:
                    throw new IllegalArgumentException(
                            "-D" + PROPERTY + "=" + wanted + " is not a kernel choice; use 'native' or 'java'");
            }
            if (!KernelChoice.class.getModule().isNativeAccessEnabled()) {
                LOG.log(System.Logger.Level.INFO, "native access is not enabled for " + describe(KernelChoice.class.getModule())
                        + ": using the pure-Java kernels (give the JVM --enable-native-access=" + moduleFlag() + " for OpenBLAS)");
                return JavaKernels.INSTANCE;
            }
            try {
                Kernels k = OpenBlasKernels.load();
                LOG.log(System.Logger.Level.DEBUG, "using the native OpenBLAS kernels");
                return k;
            } catch (UnsupportedOperationException e) {
                LOG.log(System.Logger.Level.INFO, e.getMessage() + ": using the pure-Java kernels");
                return JavaKernels.INSTANCE;
            } catch (RuntimeException | LinkageError e) {
                LOG.log(System.Logger.Level.WARNING, "native OpenBLAS unavailable (" + e.getMessage() + "); using the pure-Java kernels");
                return JavaKernels.INSTANCE;
            }
        }
    }

    private static String describe(Module m) {
        return m.isNamed() ? "module " + m.getName() : "the class path";
    }

    private static String moduleFlag() {
        Module m = KernelChoice.class.getModule();
        return m.isNamed() ? m.getName() : "ALL-UNNAMED";
    }

    static Kernels defaultKernels() {
        return Default.INSTANCE;
    }

    static Kernels active() {
        Kernels k = OVERRIDE.get();
        return k != null ? k : Default.INSTANCE;
    }

    static Kernels.Scope use(Kernels kernels) {
        java.util.Objects.requireNonNull(kernels, "kernels");
        Kernels previous = OVERRIDE.get();
        OVERRIDE.set(kernels);
        return () -> {
            if (previous == null) OVERRIDE.remove();
            else OVERRIDE.set(previous);
        };
    }
}
