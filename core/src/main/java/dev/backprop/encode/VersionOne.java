package dev.backprop.encode;

import dev.backprop.io.ModelFileException;
import dev.backprop.io.SavedMap;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the preprocessing that model files of layout version 1 hold (one map for tables and images, a scaling for
 * every numeric column, no missing cells), as today's encoders.
 */
final class VersionOne {
    private VersionOne() {}

    static Encoder read(SavedMap f) throws ModelFileException {
        String type = f.choice("type", "table", "pixels");
        boolean classify = f.choice("task", "classification", "regression").equals("classification");
        List<String> targets = f.strings("targets");
        if (targets.isEmpty()) throw f.bad("targets must name at least one column");
        TargetEncoder target;
        if (classify) {
            if (targets.size() != 1) throw f.bad("classification has one target column, got " + targets.size());
            List<String> classes = f.strings("classes");
            if (classes.size() < 2) throw f.bad("classes must hold at least two labels, got " + classes.size());
            boolean whole = type.equals("table") && f.choice("class_values", "names", "whole_numbers").equals("whole_numbers");
            try {
                target = new ClassEncoder(targets.getFirst(), classes, whole);
            } catch (IllegalArgumentException e) {
                throw f.bad(e.getMessage());
            }
        } else {
            try {
                target = new NumberEncoder(targets);
            } catch (IllegalArgumentException e) {
                throw f.bad(e.getMessage());
            }
        }
        if (type.equals("pixels")) {
            if (!(target instanceof ClassEncoder ce)) throw f.bad("pixels preprocessing must be a classification");
            long features = f.whole("features");
            if (features < 1 || features > Integer.MAX_VALUE - 8) throw f.bad("features must be a whole number >= 1, got " + features);
            double scale = f.number("scale");
            if (!(scale > 0)) throw f.bad("scale must be a positive number, got " + scale);
            try {
                return new PixelEncoder((int) features, scale, ce);
            } catch (IllegalArgumentException e) {
                throw f.bad(e.getMessage());
            }
        }
        Scaling scaling;
        try {
            scaling = Scaling.of(f.string("scaling"));
        } catch (IllegalArgumentException e) {
            throw f.bad(e.getMessage());
        }
        List<ColumnEncoder> inputs = new ArrayList<>();
        for (SavedMap in : f.objects("inputs")) {
            String name = in.string("name");
            if (in.choice("kind", "numeric", "categorical").equals("categorical")) {
                List<String> cats = in.strings("categories");
                if (cats.isEmpty()) throw in.bad("categories must hold at least one category");
                if (cats.size() > CategoricalEncoder.MAX_CATEGORIES) throw in.bad("categories: more than " + CategoricalEncoder.MAX_CATEGORIES);
                try {
                    inputs.add(new CategoricalEncoder(name, cats, false));
                } catch (IllegalArgumentException e) {
                    throw in.bad(e.getMessage());
                }
                continue;
            }
            try {
                Scale scale = switch (scaling) {
                    case NONE -> new Scale.Identity();
                    case STANDARD -> new Scale.Standard(in.number("mean"), in.number("std"));
                    case MIN_MAX -> new Scale.MinMax(in.number("min"), in.number("max"));
                };
                inputs.add(new NumericEncoder(name, scale, scale.center(), false));
            } catch (IllegalArgumentException e) {
                throw in.bad(e.getMessage());
            }
        }
        if (inputs.isEmpty()) throw f.bad("inputs must hold at least one column");
        try {
            // Version 1 refused empty cells when reading a table, and knew no markers.
            return new TableEncoder(inputs, target, MissingValues.EMPTY_ONLY, false);
        } catch (IllegalArgumentException e) {
            throw f.bad(e.getMessage());
        }
    }
}
