package dev.backprop.tensor;

import dev.backprop.tensor.blas.JavaKernels;
import dev.backprop.tensor.blas.OpenBlasKernels;

/** Holds the process-wide default kernels (chosen once, lazily) and the per-thread override of {@link Kernels#use}. */
final class KernelChoice {
    /** System property that selects the kernels: {@code native} (default) or {@code java}. */
    static final String PROPERTY = "backprop.kernels";

    private static final ThreadLocal<Kernels> OVERRIDE = new ThreadLocal<>();

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
            try {
                return OpenBlasKernels.load();
            } catch (RuntimeException | LinkageError e) {
                System.err.println("backprop: native OpenBLAS unavailable (" + e.getMessage()
                        + "); using the pure-Java kernels");
                return JavaKernels.INSTANCE;
            }
        }
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
