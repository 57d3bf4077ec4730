package dev.backprop.data;

import dev.backprop.encode.PixelEncoder;
import dev.backprop.encode.Scaling;
import dev.backprop.encode.TargetKind;
import dev.backprop.tensor.Tensor;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.IntStream;

/**
 * Where data comes from, named by one string: {@code builtin:NAME} (see {@link #builtins()}), a directory of IDX
 * files in Fashion-MNIST's layout, or a CSV file.
 *
 * <pre>{@code
 * DataSource.builtins();                                // xor, spirals, iris, seed003, fashion-mnist, each described
 * LoadedData d = DataSource.load("builtin:iris");       // a Tabular: the table, target "species", classes
 * LoadedData e = DataSource.load("data/prices.csv");    // a Tabular: target the last column, its kind inferred
 * LoadedData f = DataSource.load("/usr/share/datasets/fashion-mnist");   // Images: train and test, scaled
 * }</pre>
 *
 * <p>A directory must hold {@code train-images-idx3-ubyte}, {@code train-labels-idx1-ubyte},
 * {@code t10k-images-idx3-ubyte} and {@code t10k-labels-idx1-ubyte}, each gzipped ({@code .gz}) or not. Its pixels are
 * divided by 255. Its classes are named as Fashion-MNIST's when there are ten and the directory's name mentions
 * "fashion" (any case), and by number ({@code "0"}, {@code "1"}, …) otherwise, since IDX files carry no names.
 */
public final class DataSource {
    /** The prefix that names a built-in data set. */
    public static final String BUILTIN = "builtin:";

    /** Points of {@code builtin:spirals} per class, its noise and its seed: fixed, so the data set never changes. */
    static final int SPIRAL_POINTS = 200;
    static final double SPIRAL_NOISE = 0.02;
    static final long SPIRAL_SEED = 7;

    /**
     * A built-in data set.
     *
     * @param name        what follows {@code builtin:}
     * @param description one line for a listing
     */
    public record Builtin(String name, String description) {}

    private static final List<Builtin> BUILTINS = List.of(
            new Builtin("xor", "XOR: the 4 points of {0,1}², y = x1 xor x2 (columns x1, x2, y; target y, numbers)"),
            new Builtin("spirals", "two interleaved spirals: " + 2 * SPIRAL_POINTS + " points in the plane, 2 classes "
                    + "(columns x, y, class; target class)"),
            new Builtin("iris", "Fisher's iris flowers: 150 rows, 4 measurements in cm, 3 species (target species)"),
            new Builtin("seed003", "seed 003's single sample: x1=0.1, x2=0.2 -> y1=0.05, y2=0.95 (targets y1, y2)"),
            new Builtin("fashion-mnist", "Zalando's Fashion-MNIST: 28x28 grey images of clothing, 10 classes, 60,000 "
                    + "train + 10,000 test (from " + FashionMnist.DEBIAN_DIR + ")"));

    private DataSource() {}

    /** The built-in data sets, in listing order. */
    public static List<Builtin> builtins() {
        return BUILTINS;
    }

    /**
     * Loads {@code spec}: {@code builtin:NAME}, a directory of IDX files, or a CSV file.
     *
     * @throws DataFormatException an unknown built-in (listing the names), a file that is not valid data (naming the
     *                             file, line and column), Fashion-MNIST not installed (saying how to get it)
     * @throws IOException         a path that does not exist or cannot be read
     */
    public static LoadedData load(String spec) throws IOException {
        return load(spec, null);
    }

    /**
     * {@link #load(String)}, a CSV file's fields separated by {@code delimiter} (null: detected from the file, see
     * {@link Table#detectDelimiter}).
     */
    public static LoadedData load(String spec, Character delimiter) throws IOException {
        if (spec.regionMatches(true, 0, BUILTIN, 0, BUILTIN.length())) return builtin(spec.substring(BUILTIN.length()));
        Path path;
        try {
            path = Path.of(spec);
        } catch (InvalidPathException e) {
            throw new IOException(spec + ": not a valid path (" + e.getReason() + ")", e);
        }
        if (Files.isDirectory(path)) return images(path, spec);
        if (Files.exists(path) && !Files.isRegularFile(path)) {
            throw new DataFormatException(spec + ": not a regular file (a device, FIFO or socket); give a CSV file or a directory");
        }
        if (Files.isRegularFile(path)) {
            Table t = Table.readCsv(path, delimiter);
            int last = t.columns().size() - 1;
            String sep = t.delimiter() == ',' ? "" : t.delimiter() == '\t' ? ", tab-separated" : ", '" + t.delimiter() + "'-separated";
            return new LoadedData.Tabular(t, List.of(t.columns().get(last)), null, Scaling.STANDARD,
                    "CSV file " + spec + ": " + t.size() + " rows, " + t.columns().size() + " columns" + sep);
        }
        String hint = "";
        for (Builtin b : BUILTINS) if (b.name().equalsIgnoreCase(spec)) hint = " (did you mean " + BUILTIN + b.name() + "?)";
        throw new IOException(spec + ": no such file or directory" + hint);
    }

    private static LoadedData builtin(String name) throws IOException {
        return switch (name.strip().toLowerCase(Locale.ROOT)) {
            case "xor" -> tabular("xor", List.of("y"), TargetKind.NUMBERS, Scaling.NONE,
                    numbers("builtin:xor", List.of("x1", "x2", "y"), Synthetic.xor()));
            case "spirals" -> tabular("spirals", List.of("class"), TargetKind.CLASSES, Scaling.STANDARD,
                    numbers("builtin:spirals", List.of("x", "y", "class"), Synthetic.spirals(SPIRAL_POINTS, SPIRAL_NOISE, SPIRAL_SEED)));
            case "iris" -> tabular("iris", List.of("species"), TargetKind.CLASSES, Scaling.STANDARD, iris());
            case "seed003" -> tabular("seed003", List.of("y1", "y2"), TargetKind.NUMBERS, Scaling.NONE, Table.of("builtin:seed003",
                    List.of("x1", "x2", "y1", "y2"), List.of(List.of("0.1", "0.2", "0.05", "0.95"))));
            case "fashion-mnist" -> {
                if (!FashionMnist.availableIn(FashionMnist.DEBIAN_DIR)) {
                    throw new DataFormatException(BUILTIN + "fashion-mnist: not installed in " + FashionMnist.DEBIAN_DIR
                            + "; install Debian's dataset-fashion-mnist (apt-get install dataset-fashion-mnist) or pass "
                            + "--data DIR, a directory with the four IDX files");
                }
                FashionMnist.Parts p = FashionMnist.load(FashionMnist.DEBIAN_DIR);
                yield new LoadedData.Images(p.train(), p.test(), PixelEncoder.of(p.train().inputs(), 1 / 255.0,
                        List.of(FashionMnist.CLASSES)), describe("fashion-mnist"));
            }
            default -> {
                List<String> names = BUILTINS.stream().map(Builtin::name).toList();
                throw new DataFormatException(BUILTIN + name + ": no such built-in data set (built-in: "
                        + String.join(", ", names) + ")");
            }
        };
    }

    private static LoadedData.Tabular tabular(String name, List<String> targets, TargetKind kind,
                                              Scaling scaling, Table table) {
        return new LoadedData.Tabular(table, targets, kind, scaling, describe(name));
    }

    private static String describe(String name) {
        for (Builtin b : BUILTINS) if (b.name().equals(name)) return BUILTIN + name + ": " + b.description();
        throw new IllegalArgumentException(name);
    }

    /** A generated data set as a table; the numbers are written as the shortest text that reads back the same float. */
    private static Table numbers(String source, List<String> columns, Dataset d) throws DataFormatException {
        float[] x = d.features().toFloatArray(), y = d.targets().toFloatArray();
        int in = d.inputs(), out = y.length / d.size();
        List<List<String>> rows = new ArrayList<>(d.size());
        for (int r = 0; r < d.size(); r++) {
            List<String> row = new ArrayList<>(in + out);
            for (int c = 0; c < in; c++) row.add(text(x[r * in + c]));
            for (int c = 0; c < out; c++) row.add(text(y[r * out + c]));
            rows.add(row);
        }
        return Table.of(source, columns, rows);
    }

    private static String text(float v) {
        return v == Math.rint(v) && Math.abs(v) < 1e7 ? Integer.toString((int) v) : Float.toString(v);
    }

    private static Table iris() throws IOException {
        InputStream in = DataSource.class.getResourceAsStream("iris.csv");
        if (in == null) throw new IOException(BUILTIN + "iris: the resource dev/backprop/data/iris.csv is missing from the jar");
        try (Reader r = new InputStreamReader(in, StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT))) {
            return Table.readCsv(r, BUILTIN + "iris", ',');
        }
    }

    private static LoadedData.Images images(Path dir, String spec) throws IOException {
        if (!FashionMnist.availableIn(dir)) {
            throw new DataFormatException(spec + ": a directory without IDX data (expected train-images-idx3-ubyte[.gz], "
                    + "train-labels-idx1-ubyte[.gz], t10k-images-idx3-ubyte[.gz], t10k-labels-idx1-ubyte[.gz])");
        }
        FashionMnist.Parts p = FashionMnist.load(dir);
        int classes = (int) Math.max(maxLabel(p.train().targets()), maxLabel(p.test().targets())) + 1;
        Path name = dir.toAbsolutePath().normalize().getFileName();
        boolean fashion = classes == FashionMnist.CLASSES.length && name != null
                && name.toString().toLowerCase(Locale.ROOT).contains("fashion");
        List<String> labels = fashion ? List.of(FashionMnist.CLASSES)
                : IntStream.range(0, Math.max(classes, 2)).mapToObj(Integer::toString).toList();
        return new LoadedData.Images(p.train(), p.test(), PixelEncoder.of(p.train().inputs(), 1 / 255.0, labels),
                "IDX images in " + spec + ": " + p.train().size() + " train, " + p.test().size() + " test, " + labels.size()
                        + " classes" + (fashion ? " (Fashion-MNIST's names)" : ""));
    }

    private static double maxLabel(Tensor labels) {
        double max = 0;
        for (int i = 0; i < labels.size(); i++) max = Math.max(max, labels.getFlat(i));
        return max;
    }
}
