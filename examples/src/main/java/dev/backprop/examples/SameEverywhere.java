package dev.backprop.examples;

import dev.backprop.tensor.Kernels;
import dev.backprop.tensor.blas.JavaKernels;
import java.util.function.Supplier;

/**
 * Runs an example's computation on the pure-Java kernels. OpenBLAS picks its kernel for the CPU it finds, so its
 * float rounding, and after hundreds of epochs a table's last digits, could differ between machines; the guide,
 * which a test compares with the committed docs/seeds.md, must come out the same on every one.
 */
final class SameEverywhere {
    private SameEverywhere() {}

    static <T> T compute(Supplier<T> work) {
        try (Kernels.Scope ignored = Kernels.use(JavaKernels.INSTANCE)) {
            return work.get();
        }
    }
}
