package dev.backprop.tensor;

/**
 * Element type of a tensor. {@link #FLOAT32} is what networks train in; {@link #FLOAT64} exists so that gradient
 * checks (and anyone who needs the precision) can run the very same ops in double precision.
 */
public enum DType {
    /** 32-bit IEEE float, 4 bytes ({@code F32} in safetensors): what networks train in. */
    FLOAT32(4, "F32"),
    /** 64-bit IEEE double, 8 bytes ({@code F64} in safetensors): for gradient checks and extra precision. */
    FLOAT64(8, "F64");

    private final int bytes;
    private final String safetensorsName;

    DType(int bytes, String safetensorsName) {
        this.bytes = bytes;
        this.safetensorsName = safetensorsName;
    }

    /** Bytes per element. */
    public int bytes() {
        return bytes;
    }

    /** The dtype's name in the safetensors format ({@code F32}, {@code F64}). */
    public String safetensorsName() {
        return safetensorsName;
    }

    /** The wider of two types: mixing float32 with float64 computes in float64. */
    public static DType promote(DType a, DType b) {
        return a == FLOAT64 || b == FLOAT64 ? FLOAT64 : FLOAT32;
    }
}
