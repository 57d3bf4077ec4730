package dev.backprop.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.backprop.data.Preprocessing.Scaling;
import dev.backprop.io.ModelFile;
import dev.backprop.io.Provenance;
import dev.backprop.io.SavedModel;
import dev.backprop.nn.Linear;
import dev.backprop.tensor.Tensor;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PreprocessingTest {
    private static final int[] ALL4 = {0, 1, 2, 3};

    private static Table csv(String text) throws IOException {
        return TableTest.csv(text);
    }

    private static final String PEOPLE = """
            age,color,zip,score,label
            20,red,100,1.5,yes
            30,blue,200,2.5,no
            40,red,100,3.5,yes
            50,green,300,4.5,no
            """;

    @Test
    void oneHotEncodesCategoricalColumnsInSortedOrder() throws IOException {
        Table t = csv(PEOPLE);
        Preprocessing p = Preprocessing.builder().targets(List.of("label")).classify(true).scaling(Scaling.NONE)
                .categorical(Set.of("zip")).fit(t, ALL4);
        assertEquals(List.of("age", "color", "zip", "score"), p.inputColumns());
        assertEquals(List.of("age", "color=blue", "color=green", "color=red", "zip=100", "zip=200", "zip=300", "score"),
                p.featureNames());
        assertEquals(8, p.inputs());
        assertEquals(List.of("blue", "green", "red"), p.categories("color"));
        Dataset d = p.transform(t);
        assertEquals(List.of(4, 8), List.of(d.size(), d.inputs()));
        assertArrayEquals(new float[] {30, 1, 0, 0, 0, 1, 0, 2.5f}, d.features().sliceRows(1, 2).toFloatArray());
        assertArrayEquals(new float[] {50, 0, 1, 0, 0, 0, 1, 4.5f}, d.features().sliceRows(3, 4).toFloatArray());
    }

    @Test
    void ignoredColumnsAreNotInputs() throws IOException {
        Preprocessing p = Preprocessing.builder().targets(List.of("score")).ignore(Set.of("zip", "color"))
                .scaling(Scaling.NONE).fit(csv(PEOPLE), ALL4);
        assertEquals(List.of("age", "label"), p.inputColumns());
        assertEquals(List.of("age", "label=no", "label=yes"), p.featureNames());
    }

    @Test
    void standardScalingUsesOnlyTheTrainingRows() throws IOException {
        // Row 2's 1000 is held out: were it used, the mean would be 253.
        Table t = csv("x,y\n1,0\n2,0\n1000,0\n3,0\n");
        int[] train = {0, 1, 3};
        Preprocessing p = Preprocessing.fit(t, List.of("y"), false, Scaling.STANDARD, train);
        double mean = (1 + 2 + 3) / 3.0, std = Math.sqrt(((1 - mean) * (1 - mean) + 0 + (3 - mean) * (3 - mean)) / 3);
        Map<?, ?> x = (Map<?, ?>) ((List<?>) p.toMap().get("inputs")).getFirst();
        assertEquals(mean, (double) x.get("mean"), 1e-15);
        assertEquals(std, (double) x.get("std"), 1e-15);
        float[] f = p.transform(t).features().toFloatArray();
        assertEquals((float) ((1 - mean) / std), f[0]);
        assertEquals((float) ((1000 - mean) / std), f[2]);
        assertEquals((float) ((3 - mean) / std), f[3]);
    }

    @Test
    void minMaxScalingUsesOnlyTheTrainingRows() throws IOException {
        Table t = csv("x,y\n1,0\n2,0\n1000,0\n3,0\n");
        Preprocessing p = Preprocessing.fit(t, List.of("y"), false, Scaling.MIN_MAX, new int[] {0, 1, 3});
        assertArrayEquals(new float[] {0, 0.5f, 499.5f, 1}, p.transform(t).features().toFloatArray());
    }

    @Test
    void aConstantFeatureIsDividedByOne() throws IOException {
        Table t = csv("x,y\n5,0\n5,1\n7,1\n");
        int[] train = {0, 1};
        assertArrayEquals(new float[] {0, 0, 2},
                Preprocessing.fit(t, List.of("y"), false, Scaling.STANDARD, train).transform(t).features().toFloatArray());
        assertArrayEquals(new float[] {0, 0, 2},
                Preprocessing.fit(t, List.of("y"), false, Scaling.MIN_MAX, train).transform(t).features().toFloatArray());
    }

    @Test
    void oneHotFeaturesAreNotScaled() throws IOException {
        Table t = csv(PEOPLE);
        Dataset d = Preprocessing.fit(t, List.of("label"), true, Scaling.STANDARD, ALL4).transform(t);
        float[] row0 = d.features().sliceRows(0, 1).toFloatArray();    // age, blue, green, red, zip, score
        assertArrayEquals(new float[] {0, 0, 1}, new float[] {row0[1], row0[2], row0[3]});
    }

    @Test
    void classLabelsFromNamesAreSortedAsText() throws IOException {
        Table t = csv("x,kind\n1,cat\n2,ant\n3,cat\n4,bee\n");
        Preprocessing p = Preprocessing.fit(t, List.of("kind"), true, Scaling.NONE, ALL4);
        assertTrue(p.classification());
        assertEquals(List.of("ant", "bee", "cat"), p.classLabels());
        assertEquals(3, p.outputs());
        Dataset d = p.transform(t);
        assertEquals(1, d.targets().rank());
        assertArrayEquals(new float[] {2, 0, 2, 1}, d.targets().toFloatArray());
    }

    @Test
    void classLabelsFromWholeNumbersAreSortedNumerically() throws IOException {
        Table t = csv("x,digit\n1,10\n2,2\n3,-1\n4,2.0\n");
        Preprocessing p = Preprocessing.fit(t, List.of("digit"), true, Scaling.NONE, ALL4);
        assertEquals(List.of("-1", "2", "10"), p.classLabels());
        assertArrayEquals(new float[] {2, 1, 0, 1}, p.transform(t).targets().toFloatArray());
        assertEquals("whole_numbers", p.toMap().get("class_values"));

        DataFormatException e = assertThrows(DataFormatException.class,
                () -> Preprocessing.fit(csv("x,y\n1,1\n2,2.5\n"), List.of("y"), true, Scaling.NONE, new int[] {0, 1}));
        assertTrue(e.getMessage().startsWith("t.csv:3:2 (column 'y'): class '2.5' is not a whole number"), e.getMessage());
    }

    @Test
    void numbersForcedCategoricalAreNames() throws IOException {
        Table t = csv("x,code\n1,10\n2,9\n");
        Preprocessing p = Preprocessing.builder().targets(List.of("code")).classify(true).categorical(Set.of("code"))
                .fit(t, new int[] {0, 1});
        assertEquals(List.of("10", "9"), p.classLabels());
        assertEquals("names", p.toMap().get("class_values"));
    }

    @Test
    void regressionTargetsAreNumbersUnscaled() throws IOException {
        Table t = csv("a,y1,b,y2\n1,100,2,-5\n3,200,4,5\n");
        Preprocessing p = Preprocessing.fit(t, List.of("y2", "y1"), false, Scaling.STANDARD, new int[] {0, 1});
        assertFalse(p.classification());
        assertEquals(List.of(), p.classLabels());
        assertEquals(List.of("y2", "y1"), p.targetNames());
        assertEquals(2, p.outputs());
        Dataset d = p.transform(t);
        assertEquals(List.of(2, 2), List.of(d.targets().shape().dim(0), d.targets().shape().dim(1)));
        assertArrayEquals(new float[] {-5, 100, 5, 200}, d.targets().toFloatArray());
        assertArrayEquals(new float[] {-1, -1, 1, 1}, d.features().toFloatArray());
    }

    @Test
    void targetMistakesAreExplained() throws IOException {
        Table t = csv(PEOPLE);
        DataFormatException unknown = assertThrows(DataFormatException.class,
                () -> Preprocessing.fit(t, List.of("price"), false, Scaling.NONE, ALL4));
        assertEquals("t.csv: no column 'price' (columns: age, color, zip, score, label)", unknown.getMessage());
        DataFormatException names = assertThrows(DataFormatException.class,
                () -> Preprocessing.fit(t, List.of("label"), false, Scaling.NONE, ALL4));
        assertEquals("t.csv:2:5 (column 'label'): target 'yes' is not a number; a regression target must be numeric "
                + "(to predict classes of 'label', classify)", names.getMessage());
        DataFormatException two = assertThrows(DataFormatException.class,
                () -> Preprocessing.fit(t, List.of("label", "age"), true, Scaling.NONE, ALL4));
        assertTrue(two.getMessage().contains("classification takes one target column, got 2"), two.getMessage());
        DataFormatException none = assertThrows(DataFormatException.class,
                () -> Preprocessing.fit(t, List.of(), false, Scaling.NONE, ALL4));
        assertTrue(none.getMessage().startsWith("t.csv: no target column given"), none.getMessage());
        DataFormatException forced = assertThrows(DataFormatException.class,
                () -> Preprocessing.builder().targets(List.of("score")).categorical(Set.of("score")).fit(t, ALL4));
        assertTrue(forced.getMessage().contains("target column 'score' is named categorical"), forced.getMessage());
        DataFormatException huge = assertThrows(DataFormatException.class,
                () -> Preprocessing.fit(csv("x,y\n-1e308,0\n1e308,1\n"), List.of("y"), false, Scaling.MIN_MAX, new int[] {0, 1}));
        assertEquals("t.csv: column 'x': values too large to scale (their range overflows)", huge.getMessage());
        DataFormatException one = assertThrows(DataFormatException.class,
                () -> Preprocessing.fit(csv("x,y\n1,a\n2,a\n"), List.of("y"), true, Scaling.NONE, new int[] {0}));
        assertTrue(one.getMessage().contains("only one class ('a')"), one.getMessage());
    }

    @Test
    void aNonNumberInANumericInputIsFoundWhenFitting() throws IOException {
        StringBuilder b = new StringBuilder("id,price,y\n");
        for (int i = 0; i < 10; i++) b.append("a").append(i).append(",").append(i).append(",0\n");
        b.append("z,abc,0\n");
        Table t = csv(b.toString());
        DataFormatException e = assertThrows(DataFormatException.class,
                () -> Preprocessing.builder().targets(List.of("y")).ignore(Set.of("id")).fit(t, new int[] {0, 1}));
        assertEquals("t.csv:12:2 (column 'price'): 'abc' is not a number", e.getMessage());
    }

    @Test
    void newTablesAreMatchedByColumnName() throws IOException {
        Preprocessing p = Preprocessing.fit(csv(PEOPLE), List.of("label"), true, Scaling.STANDARD, ALL4);
        Table shuffled = csv("label,extra,score,zip,color,age\nno,x,2.5,200,blue,30\n");
        Table same = csv("age,color,zip,score,label\n30,blue,200,2.5,no\n");
        assertArrayEquals(p.transform(same).features().toFloatArray(), p.transform(shuffled).features().toFloatArray());
        Table noTarget = csv("age,color,zip,score\n30,blue,200,2.5\n");
        assertArrayEquals(p.transform(same).features().toFloatArray(), p.transformFeatures(noTarget).toFloatArray());
        DataFormatException missingTarget = assertThrows(DataFormatException.class, () -> p.transform(noTarget));
        assertTrue(missingTarget.getMessage().startsWith("t.csv: no column 'label' (the model's targets are label;"),
                missingTarget.getMessage());
        DataFormatException missingInput = assertThrows(DataFormatException.class,
                () -> p.transformFeatures(csv("age,zip,score\n30,200,2.5\n")));
        assertEquals("t.csv: no column 'color' (the model's inputs are age, color, zip, score; the file has age, zip, score)",
                missingInput.getMessage());
    }

    @Test
    void anUnseenCategoryOrClassNamesItsPlace() throws IOException {
        Preprocessing p = Preprocessing.fit(csv(PEOPLE), List.of("label"), true, Scaling.STANDARD, ALL4);
        DataFormatException e = assertThrows(DataFormatException.class,
                () -> p.transformFeatures(csv("age,color,zip,score\n30,blue,200,2.5\n31,purple,200,2.5\n")));
        assertEquals("t.csv:3:2 (column 'color'): category 'purple' was not seen in training (categories: blue, green, red)",
                e.getMessage());
        DataFormatException c = assertThrows(DataFormatException.class,
                () -> p.transform(csv("age,color,zip,score,label\n30,blue,200,2.5,maybe\n")));
        assertEquals("t.csv:2:5 (column 'label'): class 'maybe' was not seen in training (classes: no, yes)", c.getMessage());
        DataFormatException n = assertThrows(DataFormatException.class,
                () -> p.transformFeatures(csv("age,color,zip,score\nold,blue,200,2.5\n")));
        assertEquals("t.csv:2:1 (column 'age'): 'old' is not a number", n.getMessage());
    }

    @Test
    void mapRoundTripGivesIdenticalTransforms() throws IOException {
        Table t = csv(PEOPLE);
        for (Scaling s : Scaling.values()) {
            Preprocessing p = Preprocessing.builder().targets(List.of("label")).classify(true).scaling(s)
                    .categorical(Set.of("zip")).fit(t, new int[] {0, 2, 3});
            Preprocessing q = Preprocessing.fromMap(p.toMap());
            assertEquals(p, q);
            assertEquals(p.featureNames(), q.featureNames());
            assertEquals(p.classLabels(), q.classLabels());
            Dataset a = p.transform(t), b = q.transform(t);
            assertArrayEquals(a.features().toFloatArray(), b.features().toFloatArray());
            assertArrayEquals(a.targets().toFloatArray(), b.targets().toFloatArray());
        }
        Preprocessing r = Preprocessing.fit(csv("x,y\n1,10\n2,20\n"), List.of("y"), false, Scaling.MIN_MAX, new int[] {0, 1});
        assertEquals(r, Preprocessing.fromMap(r.toMap()));
        Preprocessing px = Preprocessing.pixels(4, 1 / 255.0, List.of("a", "b"));
        assertEquals(px, Preprocessing.fromMap(px.toMap()));
    }

    @Test
    void survivesAModelFile(@TempDir Path dir) throws IOException {
        Table t = csv("x,n,c,y\n1,10,red,1\n2,20,blue,0\n3,35,red,1\n");
        Preprocessing p = Preprocessing.fit(t, List.of("y"), true, Scaling.STANDARD, new int[] {0, 1});
        Path f = dir.resolve("m.safetensors");
        ModelFile.save(f, new SavedModel(new Linear(p.inputs(), p.outputs(), new SplittableRandom(1)), null, p.toMap(),
                Map.of(), Provenance.now(1L, t.source()), null, null));
        Preprocessing q = Preprocessing.fromMap(ModelFile.load(f).preprocessing());
        assertEquals(p, q);
        assertArrayEquals(p.transform(t).features().toFloatArray(), q.transform(t).features().toFloatArray());
    }

    @Test
    void corruptMapsAreRefusedClearly() throws IOException {
        Map<String, Object> good = Preprocessing.fit(csv(PEOPLE), List.of("label"), true, Scaling.STANDARD, ALL4).toMap();
        assertEquals("preprocessing: version 2 was written by a newer backprop; this one reads version 1",
                corrupt(good, m -> m.put("version", 2)));
        assertEquals("preprocessing: version must be a whole number, got nothing", corrupt(good, m -> m.remove("version")));
        assertEquals("preprocessing: type must be \"table\" or \"pixels\", got \"graph\"", corrupt(good, m -> m.put("type", "graph")));
        assertEquals("preprocessing: inputs must be a list, got nothing", corrupt(good, m -> m.remove("inputs")));
        assertEquals("preprocessing: unknown scaling 'z-score' (known: none, standard, min-max)",
                corrupt(good, m -> m.put("scaling", "z-score")));
        assertEquals("preprocessing: classes must hold at least two labels, got 1", corrupt(good, m -> m.put("classes", List.of("a"))));
        assertEquals("preprocessing: classes[1]: \"a\" appears twice", corrupt(good, m -> m.put("classes", List.of("a", "a"))));
        assertEquals("preprocessing: inputs[0].std must be a number >= 0, got -1.0", corrupt(good, m -> input(m, 0).put("std", -1.0)));
        assertEquals("preprocessing: inputs[0].mean must be a finite number, got NaN",
                corrupt(good, m -> input(m, 0).put("mean", Double.NaN)));
        assertEquals("preprocessing: inputs[0].mean must be a number, got \"NaN\"", corrupt(good, m -> input(m, 0).put("mean", "NaN")));
        assertEquals("preprocessing: inputs[1].kind must be \"numeric\" or \"categorical\", got \"text\"",
                corrupt(good, m -> input(m, 1).put("kind", "text")));
        assertEquals("preprocessing: inputs[1].categories must be a list of strings, got nothing",
                corrupt(good, m -> input(m, 1).remove("categories")));
        assertEquals("preprocessing: inputs[2]: column \"age\" appears twice (or is a target)",
                corrupt(good, m -> input(m, 2).put("name", "age")));
        assertEquals("preprocessing: class_values must be a string, got nothing",
                corrupt(good, m -> m.remove("class_values")));
        assertEquals("preprocessing: classes: \"no\" is not a whole number, but class_values is whole_numbers",
                corrupt(good, m -> m.put("class_values", "whole_numbers")));
        assertEquals("preprocessing: task must be \"classification\" or \"regression\", got \"ranking\"",
                corrupt(good, m -> m.put("task", "ranking")));
        assertEquals("preprocessing: classification has one target column, got 2",
                corrupt(good, m -> m.put("targets", List.of("label", "other"))));
        assertEquals("preprocessing: missing", assertThrows(DataFormatException.class, () -> Preprocessing.fromMap(null)).getMessage());
    }

    private interface Edit {
        void apply(Map<String, Object> m);
    }

    /** A deep, mutable copy of {@code good}, edited, read back: the error message. */
    private static String corrupt(Map<String, Object> good, Edit edit) {
        Map<String, Object> m = mutable(good);
        edit.apply(m);
        return assertThrows(DataFormatException.class, () -> Preprocessing.fromMap(m)).getMessage();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> input(Map<String, Object> m, int i) {
        return (Map<String, Object>) ((List<Object>) m.get("inputs")).get(i);
    }

    @SuppressWarnings("unchecked")
    private static <T> T mutable(T o) {
        if (o instanceof Map<?, ?> m) {
            Map<String, Object> c = new LinkedHashMap<>();
            m.forEach((k, v) -> c.put((String) k, mutable(v)));
            return (T) c;
        }
        if (o instanceof List<?> l) return (T) new java.util.ArrayList<>(l.stream().map(PreprocessingTest::mutable).toList());
        return o;
    }

    @Test
    void pixelsScaleAndFlattenImages() throws DataFormatException {
        Preprocessing p = Preprocessing.pixels(4, 1 / 255.0, List.of("a", "b", "c"));
        assertTrue(p.forImages());
        assertEquals(4, p.inputs());
        assertEquals(3, p.outputs());
        assertEquals(List.of("pixel0", "pixel1", "pixel2", "pixel3"), p.featureNames());
        Tensor x = p.transformPixels(Tensor.of(new double[] {0, 255, 51, 102, 255, 0, 0, 0}, 2, 2, 2));
        assertEquals(List.of(2, 4), List.of(x.shape().dim(0), x.shape().dim(1)));
        assertArrayEquals(new float[] {0, 1, 0.2f, 0.4f, 1, 0, 0, 0}, x.toFloatArray(), 1e-7f);
        assertThrows(DataFormatException.class, () -> p.transformPixels(Tensor.zeros(2, 5)));
        DataFormatException e = assertThrows(DataFormatException.class, () -> p.transformFeatures(csv("a\n1\n")));
        assertEquals("t.csv: this preprocessing takes images (4 pixels each, IDX files), not a table", e.getMessage());
    }

    @Test
    void tooManyCategoriesSuggestIgnoringTheColumn() throws IOException {
        StringBuilder b = new StringBuilder("name,y\n");
        for (int i = 0; i <= Preprocessing.MAX_CATEGORIES; i++) b.append("n").append(i).append(",").append(i % 2).append("\n");
        DataFormatException e = assertThrows(DataFormatException.class,
                () -> Preprocessing.fit(csv(b.toString()), List.of("y"), true, Scaling.NONE, new int[] {0}));
        assertTrue(e.getMessage().contains("(column 'name'): more than 1000 distinct values"), e.getMessage());
    }

    @Test
    void splitRowsAreTheRowsOfSplit() {
        Dataset d = new Dataset(Tensor.of(new double[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9}, 10, 1),
                Tensor.of(new double[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9}, 10), "ten");
        Dataset.SplitRows rows = Dataset.splitRows(10, 0.3, 5);
        Dataset.Split s = d.split(0.3, 5);
        assertArrayEquals(s.train().targets().toFloatArray(), d.subset(rows.train()).targets().toFloatArray());
        assertArrayEquals(s.validation().targets().toFloatArray(), d.subset(rows.validation()).targets().toFloatArray());
        Map<Integer, Integer> seen = new HashMap<>();
        for (int r : rows.train()) seen.merge(r, 1, Integer::sum);
        for (int r : rows.validation()) seen.merge(r, 1, Integer::sum);
        assertEquals(10, seen.size());
    }
}
