package dev.backprop.encode;

import dev.backprop.io.ModelFileException;
import dev.backprop.io.SavedMap;
import java.util.List;
import java.util.Map;

/**
 * How raw data becomes a network's input and target, fitted once and then applied unchanged to training, validation
 * and prediction data: {@link TableEncoder} for rows of a table, {@link PixelEncoder} for images. A model file stores
 * it ({@link #toMap()}, read back by {@link #fromMap}), so a model encodes new rows exactly as it was trained.
 */
public sealed interface Encoder permits TableEncoder, PixelEncoder {
    /** Version of the {@link #toMap()} layout; a map of a later version is refused with a clear message. */
    int VERSION = 2;

    /** The number of features: the network's input width. */
    int inputs();

    /** The name of each feature, {@link #inputs()} of them. */
    List<String> featureNames();

    /** How targets are encoded. */
    TargetEncoder target();

    /** The network outputs the target needs: classes, or target columns. */
    default int outputs() {
        return target().outputs();
    }

    /** The target columns. */
    default List<String> targetNames() {
        return target().columns();
    }

    /** The class labels by index, or an empty list for numeric targets. */
    default List<String> classLabels() {
        return target() instanceof ClassEncoder c ? c.labels() : List.of();
    }

    /** This encoder as plain data for a model file (maps, lists, strings, numbers, booleans). */
    Map<String, Object> toMap();

    /** Lines for people: one per input column, and one for the target. */
    List<String> describe();

    /**
     * The encoder {@link #toMap()} described, version 2, or version 1 (written before the encoders were split by
     * column kind). Every field is checked.
     *
     * @throws ModelFileException {@code preprocessing: inputs[2].std must be a number, got "x"} and the like
     */
    static Encoder fromMap(Map<String, ?> map) throws ModelFileException {
        SavedMap f = SavedMap.of(map, "preprocessing");
        long version = f.whole("version");
        if (version > VERSION) {
            throw f.bad("version " + version + " was written by a newer backprop; this one reads versions 1 and " + VERSION);
        }
        if (version < 1) throw f.bad("version must be at least 1, got " + version);
        if (version == 1) return VersionOne.read(f);
        return switch (f.choice("type", "table", "pixels")) {
            case "table" -> TableEncoder.fromMap(f);
            default -> PixelEncoder.fromMap(f);
        };
    }

    /** The target encoder of a saved form's {@code target} object. */
    static TargetEncoder targetFromMap(SavedMap f) throws ModelFileException {
        return switch (f.choice("kind", "classes", "numbers")) {
            case "classes" -> ClassEncoder.fromMap(f);
            default -> NumberEncoder.fromMap(f);
        };
    }
}
