package dev.backprop.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.backprop.loss.CrossEntropy;
import dev.backprop.tensor.Tensor;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DataTest {
    private static final Dataset TEN = new Dataset(Tensor.of(new double[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9}, 10, 1),
            Tensor.of(new double[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9}, 10), "ten");

    @Test
    void batchesCoverEverySampleOnceInASeededOrder() {
        List<Batch> a = TEN.batches(3, 7, 0), b = TEN.batches(3, 7, 0), c = TEN.batches(3, 7, 1);
        assertEquals(4, a.size());
        assertEquals(1, a.get(3).size());
        Set<Float> seen = new HashSet<>();
        for (Batch x : a) for (float v : x.x().toFloatArray()) seen.add(v);
        assertEquals(10, seen.size());
        for (int i = 0; i < a.size(); i++) assertArrayEquals(a.get(i).x().toFloatArray(), b.get(i).x().toFloatArray());
        assertFalse(Arrays.equals(a.get(0).x().toFloatArray(), c.get(0).x().toFloatArray()), "a new epoch reshuffles");
        // features and targets stay paired
        for (Batch x : a) assertArrayEquals(x.x().toFloatArray(), x.y().toFloatArray());
        assertThrows(IllegalArgumentException.class, () -> TEN.batches(0, 1, 0));
    }

    @Test
    void splitHoldsOutAFractionDisjointly() {
        Dataset.Split s = TEN.split(0.3, 1);
        assertEquals(3, s.validation().size());
        assertEquals(7, s.train().size());
        Set<Float> all = new HashSet<>();
        for (float v : s.train().features().toFloatArray()) all.add(v);
        for (float v : s.validation().features().toFloatArray()) assertTrue(all.add(v));
        assertThrows(IllegalArgumentException.class, () -> TEN.split(1.0, 1));
    }

    @Test
    void classIndexTargetsAreSplitStratified() {
        int[] classes = new int[100];
        for (int i = 0; i < 100; i++) classes[i] = i < 70 ? 0 : i < 95 ? 1 : i < 99 ? 2 : 3;   // 70, 25, 4, 1
        Dataset.SplitRows s = Dataset.stratifiedSplitRows(classes, 0.2, 3);
        int[] held = new int[4];
        for (int r : s.validation()) held[classes[r]]++;
        assertArrayEquals(new int[] {14, 5, 1, 0}, held, "each class's share; a class of one stays in training");
        assertEquals(100, s.train().length + s.validation().length);
        assertArrayEquals(s.validation(), Dataset.stratifiedSplitRows(classes, 0.2, 3).validation(), "the seed decides");
        Dataset d = new Dataset(Tensor.zeros(100, 1), CrossEntropy.classIndices(classes), "classes");
        assertEquals(20, d.split(0.2, 3).validation().size());
        assertEquals(3, TEN.split(0.3, 1).validation().size(), "every class a single sample: a plain split");
    }

    @Test
    void generatorsDependOnlyOnTheirTriple() {
        assertEquals(BatchOrder.generator(1, 2, 3).nextLong(), BatchOrder.generator(1, 2, 3).nextLong());
        assertTrue(BatchOrder.generator(1, 2, 3).nextLong() != BatchOrder.generator(1, 2, 4).nextLong());
        assertTrue(BatchOrder.generator(1, 2, 0).nextLong() != BatchOrder.generator(1, 3, 0).nextLong());
    }

    @Test
    void datasetRejectsMismatchedRows() {
        assertThrows(IllegalArgumentException.class, () -> new Dataset(Tensor.zeros(3, 2), Tensor.zeros(4), "x"));
    }

    private static byte[] idx(int[] dims, int values) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        out.writeShort(0);
        out.writeByte(8);
        out.writeByte(dims.length);
        for (int d : dims) out.writeInt(d);
        for (int i = 0; i < values; i++) out.writeByte(i * 37);
        return bytes.toByteArray();
    }

    @Test
    void idxReadsPlainAndGzippedFiles(@TempDir Path dir) throws IOException {
        byte[] data = idx(new int[] {2, 3}, 6);
        Files.write(dir.resolve("a.idx"), data);
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(dir.resolve("a.idx.gz")))) {
            out.write(data);
        }
        for (String f : new String[] {"a.idx", "a.idx.gz"}) {
            Tensor t = Idx.read(dir.resolve(f));
            assertEquals(dev.backprop.tensor.Shape.of(2, 3), t.shape());
            assertEquals((5 * 37) & 0xFF, t.get(1, 2));
        }
    }

    @Test
    void idxErrorsNameTheFileAndTheProblem(@TempDir Path dir) throws IOException {
        Path truncated = dir.resolve("cut.idx");
        Files.write(truncated, Arrays.copyOf(idx(new int[] {2, 3}, 6), 14));
        DataFormatException e = assertThrows(DataFormatException.class, () -> Idx.read(truncated));
        assertTrue(e.getMessage().startsWith(truncated.toString()) && e.getMessage().contains("truncated"), e.getMessage());

        Path huge = dir.resolve("huge.idx");
        Files.write(huge, idx(new int[] {1 << 20, 1 << 20}, 0));
        e = assertThrows(DataFormatException.class, () -> Idx.read(huge));
        assertTrue(e.getMessage().contains("more than"), e.getMessage());

        Path text = dir.resolve("text.idx");
        Files.writeString(text, "hello, world");
        e = assertThrows(DataFormatException.class, () -> Idx.read(text));
        assertTrue(e.getMessage().contains("not an IDX file"), e.getMessage());

        Path header = dir.resolve("short.idx");
        Files.write(header, new byte[] {0, 0, 8});
        e = assertThrows(DataFormatException.class, () -> Idx.read(header));
        assertTrue(e.getMessage().contains("truncated IDX header"), e.getMessage());

        Path badGzip = dir.resolve("bad.gz");
        Files.write(badGzip, new byte[] {0x1f, (byte) 0x8b, 8, 0, 0, 0, 0, 0, 0, 0, 1, 2, 3});
        assertThrows(IOException.class, () -> Idx.read(badGzip));
    }

    @Test
    void syntheticSets() {
        Dataset s = Synthetic.spirals(50, 0.0, 1);
        assertEquals(100, s.size());
        assertEquals(2, s.inputs());
        assertEquals(4, Synthetic.xor().size());
    }
}
