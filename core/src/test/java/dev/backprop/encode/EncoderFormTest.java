package dev.backprop.encode;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.backprop.data.DataFormatException;
import dev.backprop.data.Table;
import dev.backprop.io.ModelFile;
import dev.backprop.io.ModelFileException;
import dev.backprop.io.Provenance;
import dev.backprop.io.SavedModel;
import dev.backprop.nn.Linear;
import dev.backprop.tensor.Tensor;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Encoders' saved forms: round trips, model files, hostile maps, and the version-1 layout. */
class EncoderFormTest {
    private static final String PEOPLE = """
            age,color,zip,score,label
            20,red,100,1.5,yes
            30,blue,,2.5,no
            40,red,100,3.5,yes
            50,green,300,NA,no
            """;

    private static Table csv(String text) throws IOException {
        return TableEncoderTest.csv(text);
    }

    private static TableEncoder fitted(Scaling s) throws IOException {
        return TableEncoder.builder().targets(List.of("label")).scaling(s).categorical(Set.of("zip")).fit(csv(PEOPLE), new int[] {0, 1, 3})
                .encoder();
    }

    @Test
    void aRoundTripGivesIdenticalEncodings() throws IOException {
        Table t = csv(PEOPLE);
        for (Scaling s : Scaling.values()) {
            TableEncoder p = fitted(s);
            Encoder q = Encoder.fromMap(p.toMap());
            assertEquals(p, q);
            assertEquals(p.featureNames(), q.featureNames());
            assertEquals(p.describe(), q.describe());
            Encoded a = p.encode(t), b = ((TableEncoder) q).encode(t);
            assertArrayEquals(a.features().toFloatArray(), b.features().toFloatArray());
            assertArrayEquals(a.targets().toFloatArray(), b.targets().toFloatArray());
        }
        TableEncoder r = TableEncoder.builder().targets(List.of("y")).fit(csv("x,y\n1,10.5\n2,20\n")).encoder();
        assertEquals(r, Encoder.fromMap(r.toMap()));
        PixelEncoder px = PixelEncoder.of(4, 1 / 255.0, List.of("a", "b"));
        assertEquals(px, Encoder.fromMap(px.toMap()));
    }

    @Test
    void survivesAModelFile(@TempDir Path dir) throws IOException {
        TableEncoder p = fitted(Scaling.STANDARD);
        Path f = dir.resolve("m.bpm");
        ModelFile.save(f, SavedModel.builder(new Linear(p.inputs(), p.outputs(), new SplittableRandom(1)), Provenance.now(1L, "t"))
                .preprocessing(p.toMap()).build());
        Encoder q = Encoder.fromMap(ModelFile.load(f).preprocessing());
        assertEquals(p, q);
        assertArrayEquals(p.encode(csv(PEOPLE)).features().toFloatArray(), ((TableEncoder) q).encode(csv(PEOPLE)).features().toFloatArray());
    }

    @Test
    void corruptMapsAreRefusedNamingTheField() throws IOException {
        Map<String, Object> good = fitted(Scaling.STANDARD).toMap();
        assertEquals("preprocessing: version 3 was written by a newer backprop; this one reads versions 1 and 2",
                corrupt(good, m -> m.put("version", 3)));
        assertEquals("preprocessing: version must be a whole number, got nothing", corrupt(good, m -> m.remove("version")));
        assertEquals("preprocessing: type must be one of table, pixels, got \"graph\"", corrupt(good, m -> m.put("type", "graph")));
        assertEquals("preprocessing: inputs must be a list, got nothing", corrupt(good, m -> m.remove("inputs")));
        assertEquals("preprocessing: inputs[0]: unknown scaling 'z-score' (known: none, standard, min-max)",
                corrupt(good, m -> input(m, 0).put("scaling", "z-score")));
        assertEquals("preprocessing: inputs[0]: standard scaling needs a finite mean and std >= 0, got 20.0, -1.0",
                corrupt(good, m -> {
                    input(m, 0).put("mean", 20.0);
                    input(m, 0).put("std", -1.0);
                }));
        assertEquals("preprocessing: inputs[0].mean must be a finite number, got NaN", corrupt(good, m -> input(m, 0).put("mean", Double.NaN)));
        assertEquals("preprocessing: inputs[0].mean must be a number, got \"NaN\"", corrupt(good, m -> input(m, 0).put("mean", "NaN")));
        assertEquals("preprocessing: inputs[0].fill must be a number, got nothing", corrupt(good, m -> input(m, 0).remove("fill")));
        assertEquals("preprocessing: inputs[1].kind must be one of numeric, categorical, got \"text\"",
                corrupt(good, m -> input(m, 1).put("kind", "text")));
        assertEquals("preprocessing: inputs[1].categories must be a list of strings, got nothing",
                corrupt(good, m -> input(m, 1).remove("categories")));
        assertEquals("preprocessing: inputs[1].categories[1]: \"blue\" appears twice",
                corrupt(good, m -> input(m, 1).put("categories", List.of("blue", "blue"))));
        assertEquals("preprocessing: table encoder: column 'age' appears twice (or is a target)",
                corrupt(good, m -> input(m, 2).put("name", "age")));
        assertEquals("preprocessing: target.values must be a string, got nothing",
                corrupt(good, m -> target(m).remove("values")));
        assertEquals("preprocessing: target: class target 'label': label 'no' is not a whole number",
                corrupt(good, m -> target(m).put("values", "whole_numbers")));
        assertEquals("preprocessing: target.kind must be one of classes, numbers, got \"ranking\"",
                corrupt(good, m -> target(m).put("kind", "ranking")));
        assertEquals("preprocessing: missing must be one of impute, refuse, got \"guess\"", corrupt(good, m -> m.put("missing", "guess")));
        assertEquals("preprocessing: missing_values[0] must be a string, got 7", corrupt(good, m -> m.put("missing_values", List.of(7))));
        assertEquals("preprocessing: must be an object, got nothing",
                assertThrows(ModelFileException.class, () -> Encoder.fromMap(null)).getMessage());
    }

    @Test
    void versionOneMapsStillLoad() throws IOException {
        Map<String, Object> v1 = new LinkedHashMap<>();
        v1.put("version", 1);
        v1.put("type", "table");
        v1.put("scaling", "standard");
        v1.put("inputs", List.of(Map.of("name", "age", "kind", "numeric", "mean", 35.0, "std", 10.0),
                Map.of("name", "color", "kind", "categorical", "categories", List.of("blue", "red"))));
        v1.put("targets", List.of("grade"));
        v1.put("task", "classification");
        v1.put("classes", List.of("1", "3"));
        v1.put("class_values", "whole_numbers");
        TableEncoder e = assertInstanceOf(TableEncoder.class, Encoder.fromMap(v1));
        Encoded x = e.encode(csv("age,color,grade\n45,red,3.0\n"));
        assertArrayEquals(new float[] {1, 0, 1}, x.features().toFloatArray());
        assertArrayEquals(new float[] {1}, x.targets().toFloatArray());
        Map<String, Object> pixels = Map.of("version", 1, "type", "pixels", "features", 4, "scale", 0.5, "targets", List.of("label"),
                "task", "classification", "classes", List.of("a", "b"));
        assertEquals(PixelEncoder.of(4, 0.5, List.of("a", "b")), Encoder.fromMap(pixels));
        Map<String, Object> bad = new LinkedHashMap<>(v1);
        bad.put("task", "ranking");
        assertEquals("preprocessing: task must be one of classification, regression, got \"ranking\"",
                assertThrows(ModelFileException.class, () -> Encoder.fromMap(bad)).getMessage());
    }

    @Test
    void pixelsScaleAndFlattenImages() throws DataFormatException {
        PixelEncoder p = PixelEncoder.of(4, 1 / 255.0, List.of("a", "b", "c"));
        assertEquals(4, p.inputs());
        assertEquals(3, p.outputs());
        assertEquals(List.of("pixel0", "pixel1", "pixel2", "pixel3"), p.featureNames());
        Tensor x = p.features(Tensor.of(new double[] {0, 255, 51, 102, 255, 0, 0, 0}, 2, 2, 2));
        assertEquals(List.of(2, 4), List.of(x.shape().dim(0), x.shape().dim(1)));
        assertArrayEquals(new float[] {0, 1, 0.2f, 0.4f, 1, 0, 0, 0}, x.toFloatArray(), 1e-7f);
        assertThrows(DataFormatException.class, () -> p.features(Tensor.zeros(2, 5)));
    }

    private interface Edit {
        void apply(Map<String, Object> m);
    }

    /** A deep, mutable copy of {@code good}, edited, read back: the error message. */
    private static String corrupt(Map<String, Object> good, Edit edit) {
        Map<String, Object> m = mutable(good);
        edit.apply(m);
        return assertThrows(ModelFileException.class, () -> Encoder.fromMap(m)).getMessage();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> input(Map<String, Object> m, int i) {
        return (Map<String, Object>) ((List<Object>) m.get("inputs")).get(i);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> target(Map<String, Object> m) {
        return (Map<String, Object>) m.get("target");
    }

    @SuppressWarnings("unchecked")
    private static <T> T mutable(T o) {
        if (o instanceof Map<?, ?> m) {
            Map<String, Object> c = new LinkedHashMap<>();
            m.forEach((k, v) -> c.put((String) k, mutable(v)));
            return (T) c;
        }
        if (o instanceof List<?> l) return (T) new java.util.ArrayList<>(l.stream().map(EncoderFormTest::mutable).toList());
        return o;
    }
}
