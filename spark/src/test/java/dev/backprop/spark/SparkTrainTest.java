package dev.backprop.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.backprop.data.Table;
import dev.backprop.model.Model;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.SplittableRandom;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The spark-submit entry point in local mode: it trains from a CSV file through Spark's reader and saves a model file
 * that {@link Model#load} (what {@code backprop evaluate} and {@code predict} use) reads and evaluates, with the
 * encoder fitted on the executors doing the same on the driver.
 */
class SparkTrainTest {
    private static SparkSession spark;
    @TempDir
    static Path dir;

    @BeforeAll
    static void start() {
        spark = SparkSession.builder().master("local[2]").appName("backprop-train-test").config("spark.ui.enabled", "false")
                .config("spark.driver.host", "127.0.0.1").config("spark.driver.bindAddress", "127.0.0.1").getOrCreate();
    }

    @AfterAll
    static void stop() {
        if (spark != null) spark.stop();
    }

    @Test
    void aClassifierTrainedOnSparkLoadsAndEvaluatesAsAModelFile() throws Exception {
        Path csv = dir.resolve("spirals.csv");
        Files.writeString(csv, SparkTrainerTest.spirals(600));
        Path out = dir.resolve("spirals.bpm");
        int code = SparkTrain.run(spark, "--data", csv.toString(), "--target", "class", "--task", "classify", "--partitions", "3",
                "--layers", "32,32", "--lr", "0.01", "--batch", "16", "--epochs", "40", "--out", out.toString());
        assertEquals(0, code);
        Model m = Model.load(out);
        assertEquals(java.util.List.of("0", "1"), m.encoder().classLabels());
        double accuracy = m.evaluate(Table.readCsv(csv)).evaluation().classification().accuracy();
        assertTrue(accuracy > 0.9, "accuracy " + accuracy);
        assertEquals("spark", m.settings().get("trainer"));
    }

    @Test
    void aRegressionPredictsInTheTargetsOwnUnits() throws Exception {
        Path csv = dir.resolve("linear.csv");
        StringBuilder sb = new StringBuilder("a,b,y\n");
        SplittableRandom rng = new SplittableRandom(3);
        for (int i = 0; i < 400; i++) {
            double a = rng.nextDouble(0, 10), b = rng.nextDouble(-5, 5);
            sb.append(String.format(Locale.ROOT, "%.4f,%.4f,%.4f%n", a, b, 1000 + 300 * a - 80 * b + rng.nextGaussian()));
        }
        Files.writeString(csv, sb);
        Path out = dir.resolve("linear.bpm");
        java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
        java.io.PrintStream before = System.err;
        int code;
        System.setErr(new java.io.PrintStream(err, true, java.nio.charset.StandardCharsets.UTF_8));
        try {
            code = SparkTrain.run(spark, "--data", csv.toString(), "--target", "y", "--partitions", "2", "--layers", "16",
                    "--lr", "0.01", "--batch", "32", "--epochs", "60", "--val", "0.25", "--out", out.toString());
        } finally {
            System.setErr(before);
        }
        assertEquals(0, code, err.toString());
        String printed = err.toString(java.nio.charset.StandardCharsets.UTF_8);
        java.util.regex.Matcher last = java.util.regex.Pattern.compile("epoch 60/60  loss \\S+  val_loss \\S+  val_rmse (\\S+)  val_mae \\S+  val_r2 (\\S+)")
                .matcher(printed);
        assertTrue(last.find(), printed);
        assertTrue(Double.parseDouble(last.group(2)) > 0.95, "validation R² after the last epoch: " + last.group(2));
        assertEquals(0.25, ((Number) Model.load(out).settings().get("validation_fraction")).doubleValue());
        Model m = Model.load(out);
        var r = m.evaluate(Table.readCsv(csv)).evaluation().regression();
        assertTrue(r.r2() > 0.95, "R² " + r.r2());
        assertTrue(r.rmse() < 300, "RMSE in the target's units: " + r.rmse());
    }

    @Test
    void parquetIsReadAsCsvIs() throws Exception {
        Path csv = dir.resolve("spirals-for-parquet.csv");
        Files.writeString(csv, SparkTrainerTest.spirals(200));
        Path parquet = dir.resolve("spirals.parquet");
        spark.read().option("header", "true").option("inferSchema", "true").csv(csv.toString()).write().parquet(parquet.toString());
        SparkData.Prepared fromCsv = SparkData.csv(spark, csv.toString(), "class", true);
        SparkData.Prepared fromParquet = SparkData.parquet(spark, parquet.toString(), "class", true);
        assertEquals(fromCsv.encoder().inputs(), fromParquet.encoder().inputs());
        assertEquals(fromCsv.encoder().classLabels(), fromParquet.encoder().classLabels());
        assertEquals(200, fromParquet.sizes().stream().mapToInt(Integer::intValue).sum());
        Path out = dir.resolve("parquet.bpm");
        assertEquals(0, SparkTrain.run(spark, "--data", parquet.toString(), "--target", "class", "--task", "classify", "--epochs", "2",
                "--out", out.toString()));
        assertTrue(Files.exists(out));
    }

    @Test
    void textInputsAreOneHotEncodedAsTheCommandLineEncodesThem() throws Exception {
        Path csv = dir.resolve("colours.csv");
        StringBuilder sb = new StringBuilder("colour,size,y\n");
        SplittableRandom rng = new SplittableRandom(9);
        String[] colours = {"red", "green", "blue"};
        for (int i = 0; i < 300; i++) {
            int k = rng.nextInt(3);
            double size = rng.nextDouble(0, 10);
            boolean yes = k == 0 || (k == 1 && size > 5);
            sb.append(i % 37 == 0 ? "NA" : colours[k]).append(',').append(String.format(Locale.ROOT, "%.3f", size)).append(',')
                    .append(yes ? "yes" : "no").append('\n');
        }
        Files.writeString(csv, sb);
        Path out = dir.resolve("colours.bpm");
        assertEquals(0, SparkTrain.run(spark, "--data", csv.toString(), "--target", "y", "--partitions", "2", "--layers", "16",
                "--lr", "0.02", "--batch", "16", "--epochs", "40", "--out", out.toString()));
        Model m = Model.load(out);
        assertEquals(java.util.List.of("colour=blue", "colour=green", "colour=red", "colour=(missing)", "size"), m.encoder().featureNames());
        double accuracy = m.evaluate(Table.readCsv(csv)).evaluation().classification().accuracy();
        assertTrue(accuracy > 0.9, "accuracy " + accuracy);
    }

    @Test
    void aValidationFractionOutOfRangeIsRefused() throws Exception {
        Path csv = dir.resolve("tiny.csv");
        Files.writeString(csv, "a,y\n1,0\n2,1\n");
        assertEquals(1, SparkTrain.run(spark, "--data", csv.toString(), "--target", "y", "--val", "1", "--out", dir.resolve("v.bpm").toString()));
        assertTrue(Files.notExists(dir.resolve("v.bpm")));
    }

    @Test
    void tooManyCategoriesAreRefusedAndNothingIsWritten() throws Exception {
        Path csv = dir.resolve("ids.csv");
        StringBuilder sb = new StringBuilder("id,size,y\n");
        for (int i = 0; i < 1100; i++) sb.append("row-").append(i).append(',').append(i % 7).append(',').append(i % 2).append('\n');
        Files.writeString(csv, sb);
        int code = SparkTrain.run(spark, "--data", csv.toString(), "--target", "y", "--out", dir.resolve("x.bpm").toString());
        assertEquals(1, code);
        assertTrue(Files.notExists(dir.resolve("x.bpm")));
    }
}
