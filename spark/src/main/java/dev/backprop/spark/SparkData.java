package dev.backprop.spark;

import dev.backprop.data.BatchOrder;
import dev.backprop.data.DataFormatException;
import dev.backprop.data.Table;
import dev.backprop.encode.CategoricalEncoder;
import dev.backprop.encode.ClassEncoder;
import dev.backprop.encode.ColumnEncoder;
import dev.backprop.encode.Encoded;
import dev.backprop.encode.Encoder;
import dev.backprop.encode.MissingValues;
import dev.backprop.encode.NumberEncoder;
import dev.backprop.encode.NumericEncoder;
import dev.backprop.encode.Scale;
import dev.backprop.encode.TableEncoder;
import dev.backprop.encode.TargetEncoder;
import dev.backprop.io.ModelFileException;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeSet;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * A table read by Spark's own readers on the executors, encoded as the command line encodes a table (the same
 * {@link TableEncoder} in the model file, so {@code backprop predict} reads the trained model's inputs the same
 * way), and cached as one packed {@link Block} per partition.
 *
 * <p>The encoder is fitted once, from statistics each partition computes over its own rows and the driver merges
 * in partition order: counts and sums, then squared deviations from the merged mean (two passes, as
 * {@code Scaling.STANDARD} computes them), the distinct texts of each column, and the target's labels. A numeric
 * column is standardised, its missing cells (as {@link MissingValues#DEFAULT} marks them) imputed with the mean; a
 * column holding text is one-hot encoded over its sorted categories, with a category for missing cells when it has
 * any (at most {@link CategoricalEncoder#MAX_CATEGORIES}). The target is a class when any of its cells is not a
 * number or {@code classify} is asked, else a number.
 */
public final class SparkData {
    private SparkData() {}

    /**
     * The data ready to train on.
     *
     * @param blocks          one block per partition of the training rows, cached
     * @param encoder         how rows become features and targets (save it with the model)
     * @param sizes           training rows per partition, in partition order
     * @param targetMean      a regression target's mean over the training rows (NaN for classes), for a final rescale
     * @param targetStd       its population standard deviation
     * @param validation      one block per partition of the rows held out for validation; null when none are
     * @param validationSizes validation rows per partition, in partition order (empty when none are held out)
     */
    public record Prepared(JavaRDD<Block> blocks, TableEncoder encoder, List<Integer> sizes, double targetMean, double targetStd,
                           JavaRDD<Block> validation, List<Integer> validationSizes) {}

    /**
     * Per partition, per column: numeric cells and their sum, whether any cell is text, whether any is missing, the
     * distinct cells (at most one more than a categorical column may have), and the target's labels.
     */
    private record Stats(long[] count, double[] sum, boolean[] text, boolean[] gaps, List<TreeSet<String>> distinct,
                         TreeSet<String> labels) implements Serializable {}

    /** A CSV file (or directory of them) with a header row, read by Spark, target column {@code target}. */
    public static Prepared csv(SparkSession spark, String path, String target, boolean classify) throws DataFormatException {
        return of(readCsv(spark, path), path, target, classify);
    }

    /** Spark's CSV reader as this class reads a table: a header row, and a malformed line fails the job. */
    public static Dataset<Row> readCsv(SparkSession spark, String path) {
        return spark.read().option("header", "true").option("mode", "FAILFAST").csv(path);
    }

    /** A Parquet file (or directory), read by Spark, target column {@code target}; numbers are read as their text. */
    public static Prepared parquet(SparkSession spark, String path, String target, boolean classify) throws DataFormatException {
        return of(spark.read().parquet(path), path, target, classify);
    }

    /** A DataFrame of feature columns and a target column, any types (cells are read as their text); no validation rows. */
    public static Prepared of(Dataset<Row> df, String source, String target, boolean classify) throws DataFormatException {
        return of(df, source, target, classify, 0, 0);
    }

    /**
     * A DataFrame of feature columns and a target column, with about {@code validation} of its rows held out: each
     * row is held out when its draw from (seed, partition), taken in the partition's row order, falls below the
     * fraction (a Bernoulli split, as Spark's {@code randomSplit} makes, not stratified by class). The numeric
     * statistics are fitted on the training rows only; the categories and class labels come from all rows, so that
     * a held-out row never holds one the encoder has not seen.
     */
    public static Prepared of(Dataset<Row> df, String source, String target, boolean classify, double validation, long seed)
            throws DataFormatException {
        if (!(validation >= 0 && validation < 1)) {
            throw new IllegalArgumentException("the validation fraction must be in [0, 1), got " + validation);
        }
        List<String> columns = List.of(df.columns());
        int t = columns.indexOf(target);
        if (t < 0) throw new DataFormatException(source + ": no column '" + target + "' (columns: " + String.join(", ", columns) + ")");
        JavaRDD<Row> rows = df.javaRDD();
        int width = columns.size();
        MissingValues missing = MissingValues.DEFAULT;   // not serializable: the tasks read the constant themselves

        List<Stats> first = rows.mapPartitionsWithIndex((Integer p, Iterator<Row> it) -> {
            SplittableRandom split = splitDraws(seed, p);
            long[] count = new long[width];
            double[] sum = new double[width];
            boolean[] text = new boolean[width], gaps = new boolean[width];
            List<TreeSet<String>> distinct = new ArrayList<>();
            for (int c = 0; c < width; c++) distinct.add(new TreeSet<>());
            TreeSet<String> labels = new TreeSet<>();
            while (it.hasNext()) {
                Row r = it.next();
                boolean held = split.nextDouble() < validation;
                for (int c = 0; c < width; c++) {
                    String cell = cell(r, c);
                    if (c == t) labels.add(cell.strip());
                    if (MissingValues.DEFAULT.isMissing(cell)) {
                        gaps[c] = true;
                        continue;
                    }
                    if (distinct.get(c).size() <= CategoricalEncoder.MAX_CATEGORIES) distinct.get(c).add(cell);
                    double v = Table.parse(cell);
                    if (Double.isNaN(v)) {
                        text[c] = true;
                    } else if (!held) {
                        count[c]++;
                        sum[c] += v;
                    }
                }
            }
            return List.of(new Stats(count, sum, text, gaps, distinct, labels)).iterator();
        }, true).collect();

        long[] count = new long[width];
        double[] sum = new double[width];
        boolean[] text = new boolean[width], gaps = new boolean[width];
        List<TreeSet<String>> distinct = new ArrayList<>();
        for (int c = 0; c < width; c++) distinct.add(new TreeSet<>());
        TreeSet<String> labels = new TreeSet<>();
        for (Stats s : first) {                                // partition order: the sums have the same bits every run
            for (int c = 0; c < width; c++) {
                count[c] += s.count()[c];
                sum[c] += s.sum()[c];
                text[c] |= s.text()[c];
                gaps[c] |= s.gaps()[c];
                distinct.get(c).addAll(s.distinct().get(c));
            }
            labels.addAll(s.labels());
        }
        for (int c = 0; c < width; c++) {
            if (c != t && text[c] && distinct.get(c).size() > CategoricalEncoder.MAX_CATEGORIES) {
                throw new DataFormatException(source + ": column '" + columns.get(c) + "' holds more than "
                        + CategoricalEncoder.MAX_CATEGORIES + " distinct texts: too many categories (an identifier or free text? "
                        + "leave it out of the DataFrame)");
            }
            for (String v : distinct.get(c)) {
                if (c != t && text[c] && v.length() > CategoricalEncoder.MAX_CATEGORY_CHARS) {
                    throw new DataFormatException(source + ": column '" + columns.get(c) + "' holds a text of " + v.length()
                            + " characters; a category has at most " + CategoricalEncoder.MAX_CATEGORY_CHARS);
                }
            }
        }
        double[] mean = new double[width];
        for (int c = 0; c < width; c++) mean[c] = count[c] == 0 ? 0 : sum[c] / count[c];
        double[] m = mean.clone();
        List<double[]> second = rows.mapPartitionsWithIndex((Integer p, Iterator<Row> it) -> {
            SplittableRandom split = splitDraws(seed, p);
            double[] sq = new double[width];
            while (it.hasNext()) {
                Row r = it.next();
                if (split.nextDouble() < validation) continue;
                for (int c = 0; c < width; c++) {
                    String cell = cell(r, c);
                    if (MissingValues.DEFAULT.isMissing(cell)) continue;
                    double v = Table.parse(cell);
                    if (!Double.isNaN(v)) sq[c] += (v - m[c]) * (v - m[c]);
                }
            }
            return List.of(sq).iterator();
        }, true).collect();
        double[] sq = new double[width];
        for (double[] s : second) for (int c = 0; c < width; c++) sq[c] += s[c];

        List<ColumnEncoder> inputs = new ArrayList<>();
        for (int c = 0; c < width; c++) {
            if (c == t) continue;
            if (text[c]) {                          // text: one-hot over its sorted categories, as the command line does
                inputs.add(new CategoricalEncoder(columns.get(c), new ArrayList<>(distinct.get(c)), gaps[c]));
                continue;
            }
            double std = count[c] == 0 ? 0 : Math.sqrt(sq[c] / count[c]);
            Scale scale = count[c] == 0 ? new Scale.Identity() : new Scale.Standard(mean[c], std);
            inputs.add(new NumericEncoder(columns.get(c), scale, mean[c], false));
        }
        boolean classes = classify || text[t];
        TargetEncoder targetEncoder;
        if (classes) {
            labels.removeIf(missing::isMissing);
            boolean whole = labels.stream().allMatch(SparkData::isWhole);
            List<String> ordered = new ArrayList<>(labels);
            if (whole) ordered.sort(Comparator.comparingDouble(Table::parse));
            targetEncoder = new ClassEncoder(target, ordered, whole);
        } else {
            targetEncoder = new NumberEncoder(List.of(target));
        }
        TableEncoder encoder = new TableEncoder(inputs, targetEncoder, missing, true);
        Map<String, Object> saved = encoder.toMap();
        List<String> names = columns;

        JavaRDD<Block[]> parts = rows.mapPartitionsWithIndex((Integer p, Iterator<Row> it) -> {
            SplittableRandom split = splitDraws(seed, p);
            List<List<String>> kept = new ArrayList<>(), held = new ArrayList<>();
            while (it.hasNext()) {
                Row r = it.next();
                List<String> line = new ArrayList<>(width);
                for (int c = 0; c < width; c++) line.add(cell(r, c));
                (split.nextDouble() < validation ? held : kept).add(line);
            }
            TableEncoder enc = (TableEncoder) rebuild(saved);
            Block[] both = {block(enc, p, source + " (partition " + p + ")", names, kept),
                            block(enc, p, source + " (partition " + p + ", validation rows)", names, held)};
            return List.<Block[]>of(both).iterator();
        }, true).cache();
        JavaRDD<Block> blocks = parts.map(b -> b[0]);
        List<int[]> counts = parts.map(b -> new int[] {b[0].rows(), b[1].rows()}).collect();
        List<Integer> sizes = counts.stream().map(c -> c[0]).toList(), heldSizes = counts.stream().map(c -> c[1]).toList();
        if (sizes.stream().mapToInt(Integer::intValue).sum() == 0) throw new DataFormatException(source + ": no rows to train on");
        boolean anyHeld = heldSizes.stream().anyMatch(c -> c > 0);
        if (validation > 0 && !anyHeld) {
            throw new DataFormatException(source + ": no row was held out for validation (" + validation + " of "
                    + sizes.stream().mapToInt(Integer::intValue).sum() + " rows); use more rows or a larger fraction");
        }
        double tMean = classes ? Double.NaN : mean[t];
        double tStd = classes ? Double.NaN : count[t] == 0 ? 0 : Math.sqrt(sq[t] / count[t]);
        return new Prepared(blocks, encoder, sizes, tMean, tStd, anyHeld ? parts.map(b -> b[1]) : null, anyHeld ? heldSizes : List.of());
    }

    /** The rows {@code lines} of partition {@code p}, encoded into one block. */
    private static Block block(TableEncoder enc, int p, String source, List<String> names, List<List<String>> lines)
            throws DataFormatException {
        if (lines.isEmpty()) return new Block(p, 0, enc.inputs(), classesOf(enc) ? 0 : 1, new float[0], new float[0]);
        Encoded e = enc.encode(Table.of(source, names, lines));
        float[] x = e.features().toFloatArray(), y = e.targets().toFloatArray();
        int tw = e.targets().rank() == 1 ? 0 : e.targets().shape().dim(1);
        return new Block(p, e.size(), enc.inputs(), tw, x, y);
    }

    /** The draws that decide, row by row in a partition's order, which rows are held out: from (seed, partition). */
    private static SplittableRandom splitDraws(long seed, int partition) {
        return BatchOrder.generator(seed, -1, partition);   // epochs count from 0: this stream is no epoch's
    }

    private static boolean classesOf(TableEncoder enc) {
        return enc.target() instanceof ClassEncoder;
    }

    private static Encoder rebuild(Map<String, Object> saved) {
        try {
            return Encoder.fromMap(saved);
        } catch (ModelFileException e) {
            throw new IllegalStateException("the encoder does not rebuild on the executor: " + e.getMessage(), e);
        }
    }

    private static String cell(Row r, int c) {
        Object o = r.get(c);
        return o == null ? "" : o.toString();
    }

    private static boolean isWhole(String label) {
        double v = Table.parse(label.strip());
        return !Double.isNaN(v) && v == Math.rint(v) && Math.abs(v) <= 0x1p53;
    }

    /** For tests and the replay: the training blocks, collected to the driver in partition order. */
    public static List<Block> collect(Prepared data) {
        return new ArrayList<>(data.blocks().collect());
    }

    /** For tests and the replay: the validation blocks, collected in partition order (empty when none are held out). */
    public static List<Block> collectValidation(Prepared data) {
        return data.validation() == null ? List.of() : new ArrayList<>(data.validation().collect());
    }
}
