package dev.backprop.data;

import dev.backprop.tensor.Tensor;
import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;

/**
 * Reads IDX files, the format of MNIST and Fashion-MNIST, gzipped or not: a magic number {@code 0x00 0x00 type
 * rank}, {@code rank} big-endian 32-bit dimensions, then the values. Only unsigned bytes (type 0x08), the type of
 * those data sets, are read. The header is checked before anything is allocated.
 *
 * <pre>{@code
 * Tensor images = Idx.read(Path.of("train-images-idx3-ubyte.gz"));   // [60000, 28, 28], values 0..255
 * }</pre>
 */
public final class Idx {
    /** The most values one file may declare: far above MNIST's 47 million, far below what would exhaust memory. */
    static final long MAX_VALUES = 1L << 30;

    private Idx() {}

    /** Deflate's largest expansion: a gzipped file of n bytes holds at most about 1,032 n bytes. */
    static final long GZIP_MAX_RATIO = 1032;

    /**
     * The file as a float32 tensor of its declared shape, values as stored (0..255). The declared size is checked,
     * before anything is allocated, against what the file can hold (its length, or for gzip what its length can
     * expand to) and against the free heap.
     */
    public static Tensor read(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new DataFormatException(file + ": " + (Files.exists(file) ? "not a regular file" : "no such file"));
        }
        long length = Files.size(file);
        try (InputStream raw = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
            raw.mark(2);
            int b0 = raw.read(), b1 = raw.read();
            raw.reset();
            boolean gzip = b0 == 0x1f && b1 == 0x8b;
            InputStream in = gzip ? new BufferedInputStream(new GZIPInputStream(raw, 1 << 16), 1 << 16) : raw;
            long most = !gzip ? length : length > Long.MAX_VALUE / GZIP_MAX_RATIO ? Long.MAX_VALUE : length * GZIP_MAX_RATIO;
            return read(new DataInputStream(in), file.toString(), most);
        } catch (java.util.zip.ZipException e) {
            throw new DataFormatException(file + ": corrupt gzip data (" + e.getMessage() + ")");
        } catch (EOFException e) {
            // A gzip header or stream cut short: found by fuzzing (a file of the gzip magic and a few bytes).
            throw new DataFormatException(file + ": truncated: the file ends before its data does");
        }
    }

    private static Tensor read(DataInputStream in, String name, long maxBytes) throws IOException {
        int[] dims;
        long total = 1;
        try {
            int zero = in.readUnsignedShort();
            int type = in.readUnsignedByte();
            int rank = in.readUnsignedByte();
            if (zero != 0) throw new DataFormatException(name + ": not an IDX file (bad magic number)");
            if (type != 0x08) {
                throw new DataFormatException(name + ": IDX value type 0x" + Integer.toHexString(type)
                        + " is not supported (only unsigned bytes, 0x08)");
            }
            if (rank < 1 || rank > 8) throw new DataFormatException(name + ": IDX rank " + rank + " is out of range 1..8");
            dims = new int[rank];
            for (int i = 0; i < rank; i++) {
                dims[i] = in.readInt();
                if (dims[i] < 0) throw new DataFormatException(name + ": IDX dimension " + i + " is negative");
                total *= dims[i];
                if (total > MAX_VALUES) {
                    throw new DataFormatException(name + ": IDX header declares more than " + MAX_VALUES + " values");
                }
            }
        } catch (EOFException e) {
            throw new DataFormatException(name + ": truncated IDX header");
        }
        if (total > maxBytes) {
            throw new DataFormatException(name + ": truncated: the header declares " + total + " values, more than the file's "
                    + maxBytes + " bytes can hold");
        }
        // Three float copies at the most: the values read, a training part and a validation part of them.
        String no = dev.backprop.tensor.Memory.shortfall(3 * 4 * total, "reading " + total + " values");
        if (no != null) throw new DataFormatException(name + ": " + no);
        float[] values = new float[(int) total];
        byte[] buf = new byte[1 << 16];
        int done = 0;
        while (done < values.length) {
            int n = in.read(buf, 0, Math.min(buf.length, values.length - done));
            if (n < 0) {
                throw new DataFormatException(name + ": truncated: header declares " + total + " values, file has " + done);
            }
            for (int i = 0; i < n; i++) values[done + i] = buf[i] & 0xFF;
            done += n;
        }
        return Tensor.wrap(values, dims);
    }
}
