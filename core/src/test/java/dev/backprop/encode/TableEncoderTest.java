package dev.backprop.encode;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.backprop.data.DataFormatException;
import dev.backprop.data.Dataset;
import dev.backprop.data.Table;
import java.io.IOException;
import java.io.StringReader;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Fitting a table encoder: column kinds, scaling and imputation from the training rows, targets, and the task. */
class TableEncoderTest {
    private static final int[] ALL4 = {0, 1, 2, 3};

    static Table csv(String text) throws IOException {
        return Table.readCsv(new StringReader(text), "t.csv");
    }

    private static TableEncoder.Builder target(String... columns) {
        return TableEncoder.builder().targets(List.of(columns));
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
        TableEncoder p = target("label").scaling(Scaling.NONE).categorical(Set.of("zip")).fit(t, ALL4).encoder();
        assertEquals(List.of("age", "color", "zip", "score"), p.inputColumns());
        assertEquals(List.of("age", "color=blue", "color=green", "color=red", "zip=100", "zip=200", "zip=300", "score"),
                p.featureNames());
        assertEquals(8, p.inputs());
        assertEquals(List.of("blue", "green", "red"), ((CategoricalEncoder) p.column("color")).categories());
        Dataset d = p.encode(t).dataset("t");
        assertEquals(List.of(4, 8), List.of(d.size(), d.inputs()));
        assertArrayEquals(new float[] {30, 1, 0, 0, 0, 1, 0, 2.5f}, d.features().sliceRows(1, 2).toFloatArray());
        assertArrayEquals(new float[] {50, 0, 1, 0, 0, 0, 1, 4.5f}, d.features().sliceRows(3, 4).toFloatArray());
    }

    @Test
    void ignoredColumnsAreNotInputsAndFeaturesAreTheOnlyOnes() throws IOException {
        TableEncoder p = target("score").ignore(Set.of("zip", "color")).scaling(Scaling.NONE).fit(csv(PEOPLE), ALL4).encoder();
        assertEquals(List.of("age", "label"), p.inputColumns());
        assertEquals(List.of("age", "label=no", "label=yes"), p.featureNames());
        TableEncoder q = target("score").features(List.of("label", "age")).fit(csv(PEOPLE), ALL4).encoder();
        assertEquals(List.of("age", "label"), q.inputColumns(), "in table order");
        DataFormatException both = assertThrows(DataFormatException.class,
                () -> target("score").features(List.of("score")).fit(csv(PEOPLE), ALL4));
        assertTrue(both.getMessage().contains("both a target and a feature"), both.getMessage());
    }

    @Test
    void scalingImputationAndCategoriesComeFromTheTrainingRowsOnly() throws IOException {
        // Row 2 is held out: its 1000 and its colour 'green' must not shape the encoding.
        Table t = csv("x,c,y\n1,red,0\n2,blue,0\n1000,green,0\n3,red,0\n");
        int[] train = {0, 1, 3};
        TableEncoder p = target("y").targetKind(TargetKind.NUMBERS).fit(t, train).encoder();
        double mean = (1 + 2 + 3) / 3.0, std = Math.sqrt(((1 - mean) * (1 - mean) + 0 + (3 - mean) * (3 - mean)) / 3);
        NumericEncoder x = (NumericEncoder) p.column("x");
        assertEquals(new Scale.Standard(mean, std), x.scale());
        assertEquals(List.of("blue", "red"), ((CategoricalEncoder) p.column("c")).categories());
        Encoded e = p.encode(t);
        float[] f = e.features().toFloatArray();
        assertEquals((float) ((1000 - mean) / std), f[2 * 3]);
        assertArrayEquals(new float[] {0, 0}, new float[] {f[2 * 3 + 1], f[2 * 3 + 2]}, "an unseen category is all zeros");
        assertEquals(List.of("column 'c': 1 cell holds a category not seen in training ('green'): encoded as none of the known ones"),
                e.notes());
    }

    @Test
    void minMaxAndConstantColumns() throws IOException {
        Table t = csv("x,y\n1,0\n2,0\n1000,0\n3,0\n");
        TableEncoder mm = target("y").targetKind(TargetKind.NUMBERS).scaling(Scaling.MIN_MAX).fit(t, new int[] {0, 1, 3}).encoder();
        assertArrayEquals(new float[] {0, 0.5f, 499.5f, 1}, mm.encode(t).features().toFloatArray());
        Table c = csv("x,y\n5,0\n5,1\n7,1\n");
        for (Scaling s : List.of(Scaling.STANDARD, Scaling.MIN_MAX)) {
            TableEncoder e = target("y").targetKind(TargetKind.NUMBERS).scaling(s).fit(c, new int[] {0, 1}).encoder();
            assertArrayEquals(new float[] {0, 0, 2}, e.encode(c).features().toFloatArray(), "a constant column is divided by 1");
        }
    }

    @Test
    void missingInputsAreImputedFromTheTrainingRowsWithAnIndicatorWhenAsked() throws IOException {
        Table t = csv("age,city,y\n20,Oslo,a\n,Bergen,b\nNA,,a\n40,?,b\n10,Oslo,a\n");
        TableEncoder plain = target("y").scaling(Scaling.NONE).fit(t, new int[] {0, 1, 2, 3}).encoder();
        assertEquals(List.of("age", "city=Bergen", "city=Oslo", "city=(missing)"), plain.featureNames(), "no indicator by default");
        assertArrayEquals(new float[] {30, 1, 0, 0}, plain.encode(t).features().sliceRows(1, 2).toFloatArray());
        TableEncoder.Fit fit = target("y").scaling(Scaling.NONE).indicators(true).fit(t, new int[] {0, 1, 2, 3});
        TableEncoder p = fit.encoder();
        NumericEncoder age = (NumericEncoder) p.column("age");
        assertEquals(30.0, age.fill(), "mean of 20 and 40; row 4's 10 is not a training row");
        assertTrue(age.indicator());
        CategoricalEncoder city = (CategoricalEncoder) p.column("city");
        assertEquals(List.of("Bergen", "Oslo"), city.categories());
        assertTrue(city.missingCategory());
        assertEquals(List.of("age", "age (missing)", "city=Bergen", "city=Oslo", "city=(missing)"), p.featureNames());
        assertArrayEquals(new float[] {30, 1, 1, 0, 0}, p.encode(t).features().sliceRows(1, 2).toFloatArray());
        assertArrayEquals(new float[] {30, 1, 0, 0, 1}, p.encode(t).features().sliceRows(2, 3).toFloatArray());
        assertArrayEquals(new float[] {10, 0, 0, 1, 0}, p.encode(t).features().sliceRows(4, 5).toFloatArray());
        assertTrue(fit.notes().contains("column 'age': 2 of 4 training cells missing (50.0%); filled with their mean, 30, and an "
                + "indicator feature 'age (missing)'"), fit.notes().toString());
        assertTrue(fit.notes().contains("column 'city': 2 of 4 training cells missing (50.0%); missing is a category of its own"),
                fit.notes().toString());
        assertEquals(List.of("column 'age': 2 missing cells imputed", "column 'city': 2 missing cells imputed"),
                p.encode(t).notes());

        // The same encoder after a round trip through its saved form encodes new rows identically.
        TableEncoder again = assertInstanceOf(TableEncoder.class, Encoder.fromMap(p.toMap()));
        Table fresh = csv("city,age\n,\nTromsø,55\nOslo,NaN\n");
        assertArrayEquals(p.features(fresh).features().toFloatArray(), again.features(fresh).features().toFloatArray());
        assertArrayEquals(new float[] {30, 1, 0, 0, 1, 55, 0, 0, 0, 0, 30, 1, 0, 1, 0}, again.features(fresh).features().toFloatArray());
    }

    @Test
    void missingMarkersAreConfigurable() throws IOException {
        Table t = csv("x,y\n1,0\n-,1\n3,0\nNA,1\n");
        DataFormatException dash = assertThrows(DataFormatException.class,
                () -> target("y").targetKind(TargetKind.NUMBERS).fit(t));
        assertTrue(dash.getMessage().startsWith("t.csv:3:1 (column 'x'): '-' is not a number"), dash.getMessage());
        TableEncoder p = target("y").targetKind(TargetKind.NUMBERS).missingValues(MissingValues.parse("-,NA"))
                .scaling(Scaling.NONE).fit(t).encoder();
        assertEquals(2.0, ((NumericEncoder) p.column("x")).fill());
        assertEquals(Set.of("-", "NA"), p.missingValues().markers());
        assertEquals(Set.of("-", "NA"), ((TableEncoder) Encoder.fromMap(p.toMap())).missingValues().markers());
    }

    @Test
    void refusingMissingCellsNamesTheirPlace() throws IOException {
        Table t = csv("x,y\n1,0\n2,1\nNA,0\n");
        DataFormatException e = assertThrows(DataFormatException.class,
                () -> target("y").targetKind(TargetKind.NUMBERS).imputeMissing(false).fit(t));
        assertEquals("t.csv:4:1 (column 'x'): missing value 'NA' (missing cells are refused; to impute them: --missing impute)",
                e.getMessage());
        TableEncoder refusing = target("y").targetKind(TargetKind.NUMBERS).imputeMissing(false).fit(csv("x,y\n1,0\n2,1\n")).encoder();
        DataFormatException later = assertThrows(DataFormatException.class, () -> refusing.features(csv("x,other\n5,a\n\n,b\n")));
        assertTrue(later.getMessage().startsWith("t.csv:4:1 (column 'x'): missing value"), later.getMessage());
    }

    @Test
    void rowsWithoutATargetAreLeftOutAndCounted() throws IOException {
        Table t = csv("x,y\n1,a\n2,\n3,b\n4,NA\n5,a\n");
        TableEncoder.Fit fit = target("y").fit(t, 0, 0);
        assertArrayEquals(new int[] {0, 2, 4}, fit.trainRows());
        assertEquals("2 rows left out: their target 'y' is missing", fit.notes().getFirst());
        Encoded e = fit.encoder().encode(t);
        assertArrayEquals(new int[] {0, 2, 4}, e.rows());
        assertArrayEquals(new float[] {0, 1, 0}, e.targets().toFloatArray());
        assertEquals("2 rows left out: the target 'y' is missing (lines 3, 5)", e.notes().getFirst());
        assertEquals(5, fit.encoder().features(t).size(), "features alone need no target");
    }

    @Test
    void theTaskIsInferredAndSaid() throws IOException {
        StringBuilder glass = new StringBuilder("ri,type\n");
        int[] types = {1, 2, 3, 5, 6, 7};
        for (int i = 0; i < 60; i++) glass.append(1.5 + i * 0.001).append(',').append(types[i % 6]).append('\n');
        TableEncoder.Fit g = target("type").fit(csv(glass.toString()));
        assertEquals("classification: target 'type' holds 6 distinct whole numbers in 60 rows (few values, each on many rows: "
                + "classes); to override: --task regress", g.task());
        assertEquals(List.of("1", "2", "3", "5", "6", "7"), g.encoder().classLabels(), "sorted distinct values");

        StringBuilder counts = new StringBuilder("x,count\n");
        for (int i = 0; i < 100; i++) counts.append(i % 7).append(',').append(25 + 3 * i).append('\n');
        TableEncoder.Fit c = target("count").fit(csv(counts.toString()));
        assertInstanceOf(NumberEncoder.class, c.encoder().target());
        assertEquals("regression: target 'count' holds 100 distinct whole numbers in 100 rows (more than 20 values: a quantity); "
                + "to override: --task classify", c.task());
        StringBuilder weights = new StringBuilder("x,weight\n");
        for (int i = 0; i < 14; i++) weights.append(i % 3).append(',').append(150 + 5 * (i % 12)).append('\n');
        assertEquals("regression: target 'weight' holds 12 distinct whole numbers in 14 rows (fewer than 5 rows per value: a "
                + "quantity); to override: --task classify", target("weight").fit(csv(weights.toString())).task());

        assertEquals("regression: target 'y' holds numbers with fractions; to override: --task classify",
                target("y").fit(csv("x,y\n1,0.5\n2,1.5\n")).task());
        assertEquals("classification: target 'label' holds text (2 distinct values); to override: --task regress",
                target("label").fit(csv(PEOPLE)).task());
        assertEquals("regression: 2 target columns (several targets are numbers); to override: --task classify",
                target("age", "score").fit(csv(PEOPLE)).task());
        assertEquals("classification of target 'age' (as given)", target("age").targetKind(TargetKind.CLASSES).fit(csv(PEOPLE)).task());
    }

    @Test
    void classLabelsAreSortedAsTextOrByValue() throws IOException {
        TableEncoder p = target("kind").fit(csv("x,kind\n1,cat\n2,ant\n3,cat\n4,bee\n")).encoder();
        assertEquals(List.of("ant", "bee", "cat"), p.classLabels());
        assertArrayEquals(new float[] {2, 0, 2, 1}, p.encode(csv("x,kind\n1,cat\n2,ant\n3,cat\n4,bee\n")).targets().toFloatArray());
        Table digits = csv("x,digit\n1,10\n2,2\n3,-1\n4,2.0\n");
        TableEncoder q = target("digit").targetKind(TargetKind.CLASSES).fit(digits).encoder();
        assertEquals(List.of("-1", "2", "10"), q.classLabels());
        assertArrayEquals(new float[] {2, 1, 0, 1}, q.encode(digits).targets().toFloatArray(), "2.0 is class 2");
        TableEncoder spelt = target("grade").targetKind(TargetKind.CLASSES).fit(csv("x,grade\n1,1.0\n2,0.0\n3,1\n")).encoder();
        assertEquals(List.of("0.0", "1.0"), spelt.classLabels(), "labels keep the spelling the data first used");
        assertEquals("whole_numbers", ((Map<?, ?>) q.toMap().get("target")).get("values"));
        TableEncoder named = target("code").targetKind(TargetKind.CLASSES).categorical(Set.of("code"))
                .fit(csv("x,code\n1,10\n2,9\n")).encoder();
        assertEquals(List.of("9", "10"), named.classLabels(), "whole numbers by value even when named categorical");
    }

    @Test
    void aHandWrittenNetworksOutputsAreTheClassIndices() throws IOException {
        Table onlyThree = csv("x,y\n0.5,3\n1.5,3\n");
        TableEncoder p = target("y").targetKind(TargetKind.CLASSES).networkOutputs(4).scaling(Scaling.NONE).fit(onlyThree).encoder();
        assertEquals(List.of("0", "1", "2", "3"), p.classLabels());
        assertArrayEquals(new float[] {3, 3}, p.encode(onlyThree).targets().toFloatArray(), "label 3 is output 3");
        DataFormatException out = assertThrows(DataFormatException.class,
                () -> target("y").targetKind(TargetKind.CLASSES).networkOutputs(4).fit(csv("x,y\n1,3\n2,0\n3,7\n")));
        assertEquals("t.csv:4:2 (column 'y'): class '7' is not one of the 4 classes 0..3 (one per output of the network)",
                out.getMessage());
        DataFormatException text = assertThrows(DataFormatException.class,
                () -> target("y").targetKind(TargetKind.CLASSES).networkOutputs(2).fit(csv("x,y\n1,a\n2,b\n3,c\n")));
        assertEquals("t.csv: column 'y' holds 3 classes, the network has 2 outputs", text.getMessage());
    }

    @Test
    void aSavedModelKeepsItsLabelMappingWhateverSubsetAFileHolds() throws IOException {
        TableEncoder p = target("type").targetKind(TargetKind.CLASSES).fit(csv("x,type\n1,1\n2,2\n3,5\n4,7\n")).encoder();
        TableEncoder again = (TableEncoder) Encoder.fromMap(p.toMap());
        assertArrayEquals(new float[] {3, 2}, again.encode(csv("type,x\n7,1\n5,2\n")).targets().toFloatArray());
        DataFormatException e = assertThrows(DataFormatException.class, () -> again.encode(csv("x,type\n1,3\n")));
        assertEquals("t.csv:2:2 (column 'type'): class '3' is not one of the model's classes (1, 2, 5, 7)", e.getMessage());
    }

    @Test
    void regressionTargetsAreNumbersAsTheyAre() throws IOException {
        Table t = csv("a,y1,b,y2\n1,100,2,-5\n3,200,4,5\n");
        TableEncoder p = target("y2", "y1").fit(t).encoder();
        assertEquals(List.of(), p.classLabels());
        assertEquals(List.of("y2", "y1"), p.targetNames());
        assertEquals(2, p.outputs());
        Dataset d = p.encode(t).dataset("t");
        assertArrayEquals(new float[] {-5, 100, 5, 200}, d.targets().toFloatArray());
        assertArrayEquals(new float[] {-1, -1, 1, 1}, d.features().toFloatArray());
    }

    @Test
    void aColumnsKindIsDecidedByMostOfItsCellsNotItsFirst() throws IOException {
        StringBuilder b = new StringBuilder("price,y\n\"1,5\",0\n");
        for (int i = 0; i < 30; i++) b.append(i).append(".25,").append(i % 2).append('\n');
        DataFormatException e = assertThrows(DataFormatException.class, () -> target("y").fit(csv(b.toString())));
        assertTrue(e.getMessage().startsWith("t.csv:2:1 (column 'price'): '1,5' is not a number (the column holds numbers in 30 of "
                + "its 31 filled cells; to read it as categories: --categorical price"), e.getMessage());
        for (String first : List.of("NaN", "inf", "1e400", "1e39", "0x10")) {
            String text = "x,y\n" + first + ",1\n2,0\n3,1\n4,0\n";
            if (first.equals("NaN")) {
                assertEquals(3.0, ((NumericEncoder) target("y").fit(csv(text)).encoder().column("x")).fill(), "NaN is missing");
            } else {
                DataFormatException f = assertThrows(DataFormatException.class, () -> target("y").fit(csv(text)), first);
                String why = first.startsWith("1e") ? "' is too large: beyond the ±3.4e38" : "' is not a number";
                assertTrue(f.getMessage().startsWith("t.csv:2:1 (column 'x'): '" + first + why), f.getMessage());
            }
        }
        TableEncoder mostlyText = target("y").fit(csv("c,y\n3,0\nred,1\nblue,0\n")).encoder();
        assertEquals(List.of("3", "blue", "red"), ((CategoricalEncoder) mostlyText.column("c")).categories());
    }

    @Test
    void identifiersAndRowNumbersAreLeftOutAndSaid() throws IOException {
        StringBuilder b = new StringBuilder("id,name,colour,size,y\n");
        for (int i = 0; i < 60; i++) b.append(60 - i).append(",person").append(i).append(',').append(i % 3 == 0 ? "red" : "blue")
                .append(',').append(i * 0.5).append(',').append(i % 2).append('\n');
        Table t = csv(b.toString());
        TableEncoder.Fit fit = target("y").fit(t);
        assertEquals(List.of("colour", "size"), fit.encoder().inputColumns());
        assertTrue(fit.notes().contains("column 'id' looks like a row number (each whole number from 1 to 60 once); left out (to "
                + "keep it, name it in --features)"), fit.notes().toString());
        assertTrue(fit.notes().contains("column 'name' looks like an identifier or a name (every one of its 60 values differs); left "
                + "out (to keep it, name it in --features or --categorical)"), fit.notes().toString());
        assertEquals(List.of("id", "name", "colour", "size"),
                target("y").features(List.of("id", "name", "colour", "size")).fit(t).encoder().inputColumns(), "named columns stay");
        StringBuilder ids = new StringBuilder("PassengerId,year,y\n");
        for (int i = 0; i < 30; i++) ids.append(7 * i + 3).append(',').append(1990 + i).append(',').append(i % 2).append('\n');
        TableEncoder.Fit idFit = target("y").fit(csv(ids.toString()));
        assertEquals(List.of("year"), idFit.encoder().inputColumns(), "a run of years is data, not a row number");
        assertTrue(idFit.notes().contains("column 'PassengerId' looks like an identifier (named so, every value differs); left out "
                + "(to keep it, name it in --features)"), idFit.notes().toString());
        TableEncoder.Fit empty = target("y").fit(csv("x,gone,y\n1,,0\n2,NA,1\n"));
        assertEquals(List.of("x"), empty.encoder().inputColumns());
        assertTrue(empty.notes().contains("column 'gone': every cell is missing; left out"), empty.notes().toString());
    }

    @Test
    void theValidationSplitIsStratifiedAndFittedOnTrainingRowsOnly() throws IOException {
        StringBuilder b = new StringBuilder("x,y\n");
        for (int i = 0; i < 100; i++) b.append(i * 0.5).append(',').append(i < 90 ? "common" : "rare").append('\n');
        TableEncoder.Fit fit = target("y").fit(csv(b.toString()), 0.2, 7);
        assertEquals(80, fit.trainRows().length);
        assertEquals(20, fit.validationRows().length);
        long rare = java.util.Arrays.stream(fit.validationRows()).filter(r -> r >= 90).count();
        assertEquals(2, rare, "a class of 10% is 10% of the validation rows");
        double mean = java.util.Arrays.stream(fit.trainRows()).average().orElseThrow() * 0.5;
        assertEquals(mean, ((Scale.Standard) ((NumericEncoder) fit.encoder().column("x")).scale()).mean(), 1e-12);
        TableEncoder.Fit again = target("y").fit(csv(b.toString()), 0.2, 7);
        assertArrayEquals(fit.validationRows(), again.validationRows(), "the seed decides the split");
    }

    @Test
    void targetMistakesAreExplained() throws IOException {
        Table t = csv(PEOPLE);
        DataFormatException unknown = assertThrows(DataFormatException.class, () -> target("price").fit(t));
        assertEquals("t.csv: no column 'price' (columns: age, color, zip, score, label)", unknown.getMessage());
        DataFormatException names = assertThrows(DataFormatException.class, () -> target("label").targetKind(TargetKind.NUMBERS).fit(t));
        assertEquals("t.csv:2:5 (column 'label'): target 'yes' is not a number; a regression target must be numeric "
                + "(to predict classes: --task classify)", names.getMessage());
        DataFormatException two = assertThrows(DataFormatException.class,
                () -> target("label", "age").targetKind(TargetKind.CLASSES).fit(t));
        assertTrue(two.getMessage().contains("classification takes one target column, got 2"), two.getMessage());
        DataFormatException none = assertThrows(DataFormatException.class, () -> target().fit(t));
        assertTrue(none.getMessage().startsWith("t.csv: no target column given"), none.getMessage());
        DataFormatException forced = assertThrows(DataFormatException.class,
                () -> target("score").targetKind(TargetKind.NUMBERS).categorical(Set.of("score")).fit(t));
        assertTrue(forced.getMessage().contains("target column 'score' is named categorical"), forced.getMessage());
        DataFormatException huge = assertThrows(DataFormatException.class,
                () -> target("y").scaling(Scaling.MIN_MAX).fit(csv("x,y\n-1e308,0\n1e308,1\n")));
        assertTrue(huge.getMessage().startsWith("t.csv:2:1 (column 'x'): '-1e308' is too large"), huge.getMessage());
        DataFormatException allMissing = assertThrows(DataFormatException.class, () -> target("y").fit(csv("x,y\n1,\n2,NA\n")));
        assertEquals("t.csv: target column 'y': every cell is missing", allMissing.getMessage());
    }

    @Test
    void newTablesAreMatchedByColumnName() throws IOException {
        TableEncoder p = target("label").fit(csv(PEOPLE)).encoder();
        Table shuffled = csv("label,extra,score,zip,color,age\nno,x,2.5,200,blue,30\n");
        Table same = csv("age,color,zip,score,label\n30,blue,200,2.5,no\n");
        assertArrayEquals(p.encode(same).features().toFloatArray(), p.encode(shuffled).features().toFloatArray());
        Table noTarget = csv("age,color,zip,score\n30,blue,200,2.5\n");
        assertArrayEquals(p.encode(same).features().toFloatArray(), p.features(noTarget).features().toFloatArray());
        DataFormatException missingTarget = assertThrows(DataFormatException.class, () -> p.encode(noTarget));
        assertTrue(missingTarget.getMessage().startsWith("t.csv: no column 'label' (the model's targets are label;"),
                missingTarget.getMessage());
        DataFormatException missingInput = assertThrows(DataFormatException.class, () -> p.features(csv("age,zip,score\n30,200,2.5\n")));
        assertEquals("t.csv: no column 'color' (the model's inputs are age, color, zip, score; the file has age, zip, score)",
                missingInput.getMessage());
        DataFormatException n = assertThrows(DataFormatException.class, () -> p.features(csv("age,color,zip,score\nold,blue,200,2.5\n")));
        assertEquals("t.csv:2:1 (column 'age'): 'old' is not a number", n.getMessage());
    }

    @Test
    void aRowByNameIsEncodedAsATableRow() throws IOException {
        TableEncoder p = target("label").fit(csv(PEOPLE)).encoder();
        Table same = csv("age,color,zip,score\n30,blue,200,2.5\n");
        Map<String, Object> row = Map.of("age", 30, "color", "blue", "zip", 200L, "score", 2.5);
        assertArrayEquals(p.features(same).features().toFloatArray(), p.features(row).features().toFloatArray());
        Map<String, Object> gaps = new java.util.HashMap<>(Map.of("color", "blue", "zip", 200));
        gaps.put("score", null);
        assertEquals(List.of("column 'age': 1 missing cell imputed", "column 'score': 1 missing cell imputed"), p.features(gaps).notes());
        IllegalArgumentException typo = assertThrows(IllegalArgumentException.class, () -> p.features(Map.of("Age", 3)));
        assertTrue(typo.getMessage().startsWith("row: no column 'Age' in the model"), typo.getMessage());
    }

    @Test
    void tooManyCategoriesSuggestIgnoringTheColumn() throws IOException {
        StringBuilder b = new StringBuilder("name,y\n");
        for (int i = 0; i <= CategoricalEncoder.MAX_CATEGORIES; i++) b.append("n").append(i % 1001).append(",").append(i % 2).append("\n");
        for (int i = 0; i < 1200; i++) b.append("n").append(i % 7).append(",").append(i % 2).append("\n");
        DataFormatException e = assertThrows(DataFormatException.class, () -> target("y").fit(csv(b.toString())));
        assertTrue(e.getMessage().contains("(column 'name'): more than 1000 distinct values"), e.getMessage());
    }
}
