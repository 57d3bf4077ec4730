package dev.backprop.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.backprop.data.DataFormatException;
import dev.backprop.data.Table;
import dev.backprop.encode.TableEncoder;
import dev.backprop.loss.CrossEntropy;
import dev.backprop.nn.Rescale;
import dev.backprop.nn.Sequential;
import dev.backprop.train.Checkpoints;
import dev.backprop.train.EpochRecord;
import dev.backprop.train.Task;
import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The tabular model: fitting with the defaults, saving, loading, and predicting the same. */
class ModelTest {
    @TempDir
    Path dir;

    private static Table csv(String text) throws IOException {
        return Table.readCsv(new StringReader(text), "t.csv");
    }

    /** Fruit: weight and colour decide the kind; some cells missing; kinds written as whole numbers 1, 2 and 5. */
    static String fruit(int n, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        StringBuilder b = new StringBuilder("weight,colour,kind\n");
        String[] colours = {"red", "green", "yellow"};
        for (int i = 0; i < n; i++) {
            int c = rng.nextInt(3);
            double w = rng.nextDouble(50, 250);
            int kind = c == 2 ? 5 : w > 150 ? 2 : 1;
            String weight = rng.nextDouble() < 0.1 ? "" : String.format(Locale.ROOT, "%.1f", w);
            String colour = rng.nextDouble() < 0.05 ? "NA" : colours[c];
            b.append(weight).append(',').append(colour).append(',').append(kind).append('\n');
        }
        return b.toString();
    }

    @Test
    void fitsWithOnlyATargetAndPredictsTheSameAfterSavingAndLoading() throws IOException {
        Table t = csv(fruit(300, 1));
        List<String> notes = new ArrayList<>();
        Model m = Model.builder().target("kind").notes(notes::add).fit(t);
        assertTrue(notes.getFirst().startsWith("classification: target 'kind' holds 3 distinct whole numbers"), notes.getFirst());
        assertEquals(notes, m.fitted().notes());
        assertTrue(notes.stream().anyMatch(n -> n.startsWith("column 'weight': ") && n.contains("filled with their mean")), notes.toString());
        // 240 training rows make 8 steps an epoch, so the default patience is 25 epochs (200 steps).
        assertTrue(notes.contains("epochs: until the validation loss has not improved for 25 epochs (200 steps of 8 per epoch), at "
                + "most 1000, keeping the best epoch's weights; --epochs N trains exactly N"), notes.toString());
        assertEquals(List.of("1", "2", "5"), m.encoder().classLabels());
        assertEquals(List.of("weight", "colour=green", "colour=red", "colour=yellow", "colour=(missing)"), m.encoder().featureNames());
        Model withIndicators = Model.builder().target("kind").missingIndicators(true).epochs(1).fit(t);
        assertEquals("weight (missing)", withIndicators.encoder().featureNames().get(1));
        // About 1 row in 15 cannot be told apart (its weight or colour is missing): some 93% is the best a model can do.
        assertTrue(m.fitted().evaluation().classification().accuracy() > 0.85, m.fitted().evaluation().classification().report(null));

        Path file = dir.resolve("fruit.bpm");
        m.save(file);
        Model loaded = Model.load(file);
        Table fresh = csv("colour,weight\nyellow,100\ngreen,\nNA,200\nred,60\npurple,120\n");
        Model.Predicted a = m.predict(fresh), b = loaded.predict(fresh);
        assertEquals(a.predictions(), b.predictions(), "the loaded model predicts exactly as the fitted one");
        assertEquals(a.notes(), b.notes());
        assertTrue(b.notes().contains("column 'colour': 1 cell holds a category not seen in training ('purple'): encoded as none "
                + "of the known ones"), b.notes().toString());
        Prediction.Label yellow = assertInstanceOf(Prediction.Label.class, b.predictions().getFirst());
        assertEquals("5", yellow.label(), "the user's own label, not the output index");
        assertEquals(2, yellow.index());
        assertEquals(List.of("1", "2", "5"), List.copyOf(yellow.probabilities().keySet()));
        assertEquals(1.0, yellow.probabilities().values().stream().mapToDouble(Double::doubleValue).sum(), 1e-5);

        Map<String, Object> row = new HashMap<>();
        row.put("weight", null);
        row.put("colour", "green");
        assertSame(b.predictions().get(1), loaded.predict(row));
        assertSame(b.predictions().get(3), loaded.predict(Map.of("colour", "red", "weight", 60)));
        IllegalArgumentException text = assertThrows(IllegalArgumentException.class, () -> loaded.predict(60.0, 1.0));
        assertTrue(text.getMessage().contains("column 'colour' holds text categories"), text.getMessage());
        assertEquals(List.of("weight", "colour"), loaded.inputColumns());
    }

    /** The same class and probabilities, to float32 rounding (a single row takes another BLAS routine than a batch). */
    private static void assertSame(Prediction expected, Prediction actual) {
        Prediction.Label e = assertInstanceOf(Prediction.Label.class, expected), a = assertInstanceOf(Prediction.Label.class, actual);
        assertEquals(e.label(), a.label());
        assertEquals(e.probabilities().keySet(), a.probabilities().keySet());
        for (String k : e.probabilities().keySet()) assertEquals(e.probabilities().get(k), a.probabilities().get(k), 1e-6, k);
    }

    @Test
    void irisWithTheDefaultsAlone() throws IOException {
        dev.backprop.data.LoadedData.Tabular iris = (dev.backprop.data.LoadedData.Tabular) dev.backprop.data.DataSource.load("builtin:iris");
        Model m = Model.builder().target("species").fit(iris.table());
        assertEquals("classification: target 'species' holds text (3 distinct values); to override: --task regress", m.fitted().task());
        assertTrue(m.fitted().evaluation().classification().accuracy() > 0.9, m.fitted().evaluation().classification().report(null));
        Prediction.Label setosa = assertInstanceOf(Prediction.Label.class,
                m.predict(Map.of("sepal_length", 5.1, "sepal_width", 3.5, "petal_length", 1.4, "petal_width", 0.2)));
        assertEquals("setosa", setosa.label());
        assertEquals(setosa, m.predict(5.1, 3.5, 1.4, 0.2));
    }

    @Test
    void predictByCellsTakesTheInputColumnsInOrder() throws IOException {
        StringBuilder b = new StringBuilder("a,b,y\n");
        SplittableRandom rng = new SplittableRandom(3);
        for (int i = 0; i < 200; i++) {
            double a = rng.nextDouble(-1, 1), c = rng.nextDouble(-1, 1);
            b.append(a).append(',').append(c).append(',').append(3 * a - 2 * c + 1).append('\n');
        }
        Model m = Model.builder().target("y").epochs(30).fit(csv(b.toString()));
        Prediction.Values byCells = assertInstanceOf(Prediction.Values.class, m.predict(0.5, -0.25));
        assertEquals(((Prediction.Values) m.predict(Map.of("a", 0.5, "b", -0.25))).get("y"), byCells.get("y"), 1e-6);
        assertEquals(3 * 0.5 + 2 * 0.25 + 1, byCells.get("y"), 0.2);
        assertThrows(IllegalArgumentException.class, () -> m.predict(0.5));
        assertInstanceOf(Prediction.Values.class, m.predict(Double.NaN, 0.0), "NaN is a missing cell");
    }

    /** House prices from area and rooms, in dollars or in thousands. */
    private static String houses(double unit) {
        SplittableRandom rng = new SplittableRandom(11);
        StringBuilder b = new StringBuilder("area,rooms,city,price\n");
        for (int i = 0; i < 400; i++) {
            double area = rng.nextDouble(40, 200);
            int rooms = 1 + (int) (area / 40);
            boolean oslo = rng.nextBoolean();
            double price = (50_000 + 2_500 * area + 10_000 * rooms + (oslo ? 80_000 : 0) + rng.nextGaussian() * 15_000) / unit;
            b.append(String.format(Locale.ROOT, "%.1f,%d,%s,%.3f%n", area, rooms, oslo ? "Oslo" : "Bergen", price));
        }
        return b.toString();
    }

    @Test
    void regressionTargetsAreStandardisedAndReportedInTheirOwnUnits() throws IOException {
        Model dollars = Model.builder().target("price").fit(csv(houses(1)));
        Model thousands = Model.builder().target("price").fit(csv(houses(1000)));
        assertTrue(dollars.fitted().task().startsWith("regression: target 'price' holds numbers with fractions"), dollars.fitted().task());
        double r2 = dollars.fitted().evaluation().regression().r2();
        assertTrue(r2 > 0.9, "R² " + r2);
        assertEquals(r2, thousands.fitted().evaluation().regression().r2(), 0.01, "the units do not change what is learned");
        double rmseDollars = dollars.fitted().evaluation().regression().rmse(), rmseThousands = thousands.fitted().evaluation().regression().rmse();
        assertEquals(1000, rmseDollars / rmseThousands, 20, "RMSE in dollars and in thousands");
        EpochRecord last = dollars.fitted().history().last();
        assertTrue(last.validationLoss() > 1e7, "MSE in dollars², not in standard units: " + last.validationLoss());
        Rescale r = assertInstanceOf(Rescale.class, ((Sequential) dollars.network()).layers().getLast());
        assertTrue(r.scale().getFlat(0) > 10_000, "the deviation of prices in dollars");
        Prediction.Values p = assertInstanceOf(Prediction.Values.class, dollars.predict(Map.of("area", 100, "rooms", 3, "city", "Oslo")));
        assertEquals(50_000 + 250_000 + 30_000 + 80_000, p.get("price"), 30_000);

        Model unscaled = Model.builder().target("price").scaleTargets(false).epochs(3).fit(csv(houses(1)));
        assertTrue(((Sequential) unscaled.network()).layers().stream().noneMatch(l -> l instanceof Rescale));
    }

    @Test
    void defaultTrainingStopsWhenValidationStopsImprovingAndKeepsTheBestEpoch() throws IOException {
        Model m = Model.builder().target("kind").fit(csv(fruit(300, 2)));
        List<EpochRecord> epochs = m.fitted().history().epochs();
        assertTrue(epochs.size() < ModelBuilder.DEFAULT_MAX_EPOCHS, epochs.size() + " epochs");
        assertTrue(m.fitted().stopped().startsWith("early stopping: no improvement for 25 epochs"), m.fitted().stopped());
        assertTrue(m.fitted().stopped().endsWith("whose weights were restored"), m.fitted().stopped());
        double best = epochs.stream().mapToDouble(EpochRecord::validationLoss).min().orElseThrow();
        assertEquals(best, m.fitted().evaluation().loss(), 1e-6, "the model holds the best epoch's weights");

        Model fixed = Model.builder().target("kind").validationFraction(0).batchSize(300).fit(csv(fruit(300, 2)));
        assertEquals(ModelBuilder.DEFAULT_EPOCHS_WITHOUT_VALIDATION, fixed.fitted().history().epochs().size());
        assertTrue(fixed.fitted().notes().contains("epochs: 100 (no validation rows to stop on); --epochs N trains exactly N"));
        assertEquals(7, Model.builder().target("kind").epochs(7).fit(csv(fruit(300, 2))).fitted().history().epochs().size());
    }

    @Test
    void balancedClassWeightsAndImbalanceNotes() throws IOException {
        StringBuilder b = new StringBuilder("x,y\n");
        for (int i = 0; i < 200; i++) b.append(i * 0.01).append(',').append(i % 20 == 0 ? "rare" : "common").append('\n');
        Model plain = Model.builder().target("y").epochs(2).fit(csv(b.toString()));
        assertTrue(plain.fitted().notes().stream().anyMatch(n -> n.startsWith("classes are unbalanced: 'common' is 95.0% of the training "
                + "rows, 'rare' 5.0%; --class-weight balanced")), plain.fitted().notes().toString());
        Model weighted = Model.builder().target("y").epochs(2).classWeights(ModelBuilder.ClassWeights.BALANCED).fit(csv(b.toString()));
        double[] w = ((CrossEntropy) weighted.loss()).classWeights();
        // 200 rows, 10 rare; the stratified split trains on 152 common and 8 rare: n / (classes · n_c)
        assertEquals(160.0 / (2 * 152), w[0], 1e-12);
        assertEquals(160.0 / (2 * 8), w[1], 1e-12);
        Path f = dir.resolve("w.bpm");
        weighted.save(f);
        assertArrayEquals(w, ((CrossEntropy) Model.load(f).loss()).classWeights());
    }

    @Test
    void mistakesAreExplained() throws IOException {
        DataFormatException one = assertThrows(DataFormatException.class, () -> Model.builder().target("y").fit(csv("x,y\n1,a\n2,a\n3,a\n")));
        assertEquals("t.csv: only one class ('a') in target 'y'; classification needs at least two", one.getMessage());
        IllegalArgumentException loss = assertThrows(IllegalArgumentException.class,
                () -> Model.builder().target("y").task(Task.CLASSIFICATION).loss(new dev.backprop.loss.MeanSquaredError())
                        .fit(csv("x,y\n1,a\n2,b\n")));
        assertTrue(loss.getMessage().contains("does not fit loss mse"), loss.getMessage());
        Path notAModel = Files.writeString(dir.resolve("x.bpm"), "hello");
        assertThrows(IOException.class, () -> Model.load(notAModel));
    }

    @Test
    void checkpointsCarryTheEncoderSoTheyPredictToo() throws IOException {
        Path ck = dir.resolve("ck");
        Model m = Model.builder().target("kind").epochs(3).checkpoints(ck).fit(csv(fruit(200, 3)));
        Model best = Model.load(ck.resolve(Checkpoints.BEST));
        assertEquals(m.encoder(), best.encoder());
        assertInstanceOf(TableEncoder.class, best.encoder());
        assertInstanceOf(Prediction.Label.class, best.predict(Map.of("weight", 100, "colour", "red")));
    }

    /**
     * A loaded model predicts from many threads at once, each getting exactly what it gets alone: tables large enough
     * for the products to be cut across helper threads, and single rows, interleaved.
     */
    @Test
    void aLoadedModelPredictsFromManyThreadsAtOnce() throws Exception {
        Table train = csv(fruit(400, 5));
        Model.builder().target("kind").hiddenLayers(List.of(256)).epochs(3).fit(train).save(dir.resolve("fruit.bpm"));
        Model m = Model.load(dir.resolve("fruit.bpm"));
        Table big = csv(fruit(3000, 6));
        List<Prediction> alone = m.predict(big).predictions();
        Prediction oneAlone = m.predict(Map.of("weight", 120.5, "colour", "green"));
        int threads = 8;
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(threads);
        try {
            List<java.util.concurrent.Future<Boolean>> same = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                same.add(pool.submit(() -> {
                    boolean ok = true;
                    for (int k = 0; k < 5; k++) {
                        ok &= m.predict(big).predictions().equals(alone);
                        ok &= m.predict(Map.of("weight", 120.5, "colour", "green")).equals(oneAlone);
                    }
                    return ok;
                }));
            }
            for (var f : same) assertTrue(f.get(), "a thread's predictions differ from those made alone");
        } finally {
            pool.shutdownNow();
        }
    }
}
