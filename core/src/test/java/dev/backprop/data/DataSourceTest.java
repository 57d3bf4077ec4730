package dev.backprop.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.backprop.encode.Encoder;
import dev.backprop.encode.Scaling;
import dev.backprop.encode.TableEncoder;
import dev.backprop.encode.TargetKind;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DataSourceTest {
    private static LoadedData.Tabular tabular(String spec) throws IOException {
        return assertInstanceOf(LoadedData.Tabular.class, DataSource.load(spec));
    }

    @Test
    void builtinsAreListedWithDescriptions() {
        assertEquals(List.of("xor", "spirals", "iris", "seed003", "fashion-mnist"),
                DataSource.builtins().stream().map(DataSource.Builtin::name).toList());
        for (DataSource.Builtin b : DataSource.builtins()) {
            assertFalse(b.description().isBlank());
            assertFalse(b.description().contains("\n"), "one line");
        }
    }

    @Test
    void irisHas150RowsAndThreeClasses() throws IOException {
        LoadedData.Tabular d = tabular("builtin:iris");
        assertEquals(150, d.table().size());
        assertEquals(List.of("sepal_length", "sepal_width", "petal_length", "petal_width", "species"), d.table().columns());
        assertEquals(List.of("species"), d.defaultTargets());
        assertEquals(TargetKind.CLASSES, d.kind());
        assertEquals(Scaling.STANDARD, d.scaling());
        TableEncoder p = TableEncoder.builder().targets(d.defaultTargets()).fit(d.table(), 0.2, 42).encoder();
        assertEquals(List.of("setosa", "versicolor", "virginica"), p.classLabels());
        assertEquals(4, p.inputs());
        Dataset all = p.encode(d.table()).dataset("iris");
        assertEquals(150, all.size());
        int[] perClass = new int[3];
        for (float y : all.targets().toFloatArray()) perClass[(int) y]++;
        assertEquals(List.of(50, 50, 50), List.of(perClass[0], perClass[1], perClass[2]));
        assertTrue(d.description().startsWith("builtin:iris: "), d.description());
    }

    @Test
    void xorSpiralsAndSeed003AreTables() throws IOException {
        LoadedData.Tabular xor = tabular("builtin:xor");
        assertEquals(List.of("x1", "x2", "y"), xor.table().columns());
        assertEquals(4, xor.table().size());
        assertEquals(List.of("1", "0", "1"), List.of(xor.table().cell(2, 0), xor.table().cell(2, 1), xor.table().cell(2, 2)));
        assertEquals(TargetKind.NUMBERS, xor.kind());
        assertEquals(Scaling.NONE, xor.scaling(), "the seeds' networks take raw inputs");

        LoadedData.Tabular spirals = tabular("builtin:spirals");
        assertEquals(List.of("x", "y", "class"), spirals.table().columns());
        assertEquals(400, spirals.table().size());
        assertEquals(List.of("class"), spirals.defaultTargets());
        TableEncoder p = TableEncoder.builder().targets(List.of("class")).targetKind(TargetKind.CLASSES).scaling(Scaling.NONE)
                .fit(spirals.table()).encoder();
        assertEquals(List.of("0", "1"), p.classLabels());
        // the table holds the generator's floats exactly
        Dataset direct = Synthetic.spirals(DataSource.SPIRAL_POINTS, DataSource.SPIRAL_NOISE, DataSource.SPIRAL_SEED);
        assertArrayEquals(direct.features().toFloatArray(), p.encode(spirals.table()).features().toFloatArray());
        assertEquals(spirals.table().cell(0, 0), tabular("builtin:spirals").table().cell(0, 0), "fixed seed");

        LoadedData.Tabular seed = tabular("builtin:seed003");
        assertEquals(List.of("y1", "y2"), seed.defaultTargets());
        assertEquals(Scaling.NONE, seed.scaling(), "standardising one sample would zero it");
        TableEncoder s = TableEncoder.builder().targets(seed.defaultTargets()).targetKind(seed.kind()).scaling(seed.scaling())
                .fit(seed.table()).encoder();
        Dataset d = s.encode(seed.table()).dataset("seed003");
        assertArrayEquals(new float[] {0.1f, 0.2f}, d.features().toFloatArray());
        assertArrayEquals(new float[] {0.05f, 0.95f}, d.targets().toFloatArray());
    }

    @Test
    void unknownBuiltinsAndPathsAreExplained() {
        DataFormatException e = assertThrows(DataFormatException.class, () -> DataSource.load("builtin:mnist"));
        assertEquals("builtin:mnist: no such built-in data set (built-in: xor, spirals, iris, seed003, fashion-mnist)",
                e.getMessage());
        IOException p = assertThrows(IOException.class, () -> DataSource.load("iris"));
        assertEquals("iris: no such file or directory (did you mean builtin:iris?)", p.getMessage());
    }

    @Test
    void aCsvFileTargetsItsLastColumn(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("houses.csv");
        Files.writeString(f, "rooms,city,price\n3,\"Paris, FR\",100\n4,Lyon,150\n");
        LoadedData.Tabular d = tabular(f.toString());
        assertEquals(List.of("price"), d.defaultTargets());
        assertEquals(null, d.kind(), "a file's target kind is inferred when it is fitted");
        assertEquals("Paris, FR", d.table().cell(0, 1));
    }

    @Test
    void aDirectoryOfIdxFilesGivesImages(@TempDir Path dir) throws IOException {
        writeIdx(dir.resolve("train-images-idx3-ubyte"), new int[] {3, 2, 2}, new byte[] {0, (byte) 255, 51, 0, 1, 2, 3, 4, 5, 6, 7, 8});
        writeIdx(dir.resolve("train-labels-idx1-ubyte"), new int[] {3}, new byte[] {0, 2, 1});
        writeIdx(dir.resolve("t10k-images-idx3-ubyte"), new int[] {1, 2, 2}, new byte[] {9, 9, 9, 9});
        writeIdx(dir.resolve("t10k-labels-idx1-ubyte"), new int[] {1}, new byte[] {3});
        LoadedData.Images d = assertInstanceOf(LoadedData.Images.class, DataSource.load(dir.toString()));
        assertEquals(3, d.train().size());
        assertEquals(1, d.test().size());
        assertEquals(4, d.encoder().inputs());
        assertEquals(List.of("0", "1", "2", "3"), d.encoder().classLabels(), "numbered: the labels go up to 3");
        assertEquals(1f, d.train().features().toFloatArray()[1]);
        assertEquals(0.2f, d.train().features().toFloatArray()[2], 1e-7f);

        Path empty = Files.createDirectory(dir.resolve("empty"));
        DataFormatException e = assertThrows(DataFormatException.class, () -> DataSource.load(empty.toString()));
        assertTrue(e.getMessage().contains("a directory without IDX data"), e.getMessage());
    }

    private static void writeIdx(Path f, int[] dims, byte[] values) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeShort(0);
            out.writeByte(0x08);
            out.writeByte(dims.length);
            for (int d : dims) out.writeInt(d);
            out.write(values);
        }
        Files.write(f, bytes.toByteArray());
    }

    @Test
    void fashionMnistLoadsWhenInstalled() throws IOException {
        // Installed on the development machine (Debian's dataset-fashion-mnist); skipped where it is not.
        assumeTrue(FashionMnist.availableIn(FashionMnist.DEBIAN_DIR), "Fashion-MNIST is not installed");
        LoadedData.Images d = assertInstanceOf(LoadedData.Images.class, DataSource.load("builtin:fashion-mnist"));
        assertEquals(60_000, d.train().size());
        assertEquals(10_000, d.test().size());
        assertEquals(784, d.encoder().inputs());
        assertEquals("Ankle boot", d.encoder().classLabels().get(9));
        assertEquals(d.encoder(), Encoder.fromMap(d.encoder().toMap()));
    }
}
