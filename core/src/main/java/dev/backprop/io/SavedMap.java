package dev.backprop.io;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The one strict reader of the maps a model file keeps besides its tensors (an encoder's saved form, a checkpoint's
 * trainer state), as the file gives them back: maps, lists, strings, and numbers as Integer, Long, BigInteger or
 * Double. Every error is a {@link ModelFileException} naming what was read and the JSON path of the field:
 * {@code preprocessing: inputs[2].std must be a number, got "x"}. Keys it is not asked about are ignored, so that a
 * later version may add fields.
 *
 * <pre>{@code
 * SavedMap m = SavedMap.of(saved.trainer(), "checkpoint trainer state");
 * int done = (int) m.whole("epochs_done", 0, 1_000_000);
 * }</pre>
 */
public final class SavedMap {
    private final Map<?, ?> map;
    private final String what;
    private final String path;

    private SavedMap(Map<?, ?> map, String what, String path) {
        this.map = map;
        this.what = what;
        this.path = path;
    }

    /** {@code o} as the top object of {@code what} ({@code "preprocessing"}). */
    public static SavedMap of(Object o, String what) throws ModelFileException {
        return of(o, what, "");
    }

    private static SavedMap of(Object o, String what, String path) throws ModelFileException {
        if (!(o instanceof Map<?, ?> m)) throw new ModelFileException(what, (path.isEmpty() ? "" : path + " ") + "must be an object, got " + show(o));
        return new SavedMap(m, what, path);
    }

    /** The error {@code WHAT: PATH: problem}. */
    public ModelFileException bad(String problem) {
        return new ModelFileException(what, (path.isEmpty() ? "" : path + ": ") + problem);
    }

    private String at(String key) {
        return path.isEmpty() ? key : path + "." + key;
    }

    private ModelFileException bad(String key, String problem) {
        return new ModelFileException(what, at(key) + " " + problem);
    }

    /** Whether {@code key} is there and not null. */
    public boolean has(String key) {
        return map.get(key) != null;
    }

    /** A string (possibly empty); absent, null or another type is an error. */
    public String string(String key) throws ModelFileException {
        if (!(map.get(key) instanceof String s)) throw bad(key, "must be a string, got " + show(map.get(key)));
        return s;
    }

    /** One of {@code allowed}. */
    public String choice(String key, String... allowed) throws ModelFileException {
        String s = string(key);
        for (String a : allowed) if (a.equals(s)) return s;
        throw bad(key, "must be one of " + String.join(", ", allowed) + ", got " + show(s));
    }

    /** A boolean, or {@code otherwise} when the key is absent. */
    public boolean bool(String key, boolean otherwise) throws ModelFileException {
        Object o = map.get(key);
        if (o == null) return otherwise;
        if (!(o instanceof Boolean b)) throw bad(key, "must be true or false, got " + show(o));
        return b;
    }

    /** A list of distinct non-empty strings. */
    public List<String> strings(String key) throws ModelFileException {
        if (!(map.get(key) instanceof List<?> l)) throw bad(key, "must be a list of strings, got " + show(map.get(key)));
        Set<String> seen = new LinkedHashSet<>();
        for (int i = 0; i < l.size(); i++) {
            if (!(l.get(i) instanceof String s) || s.isEmpty()) {
                throw bad(key + "[" + i + "]", "must be a non-empty string, got " + show(l.get(i)));
            }
            if (!seen.add(s)) throw bad(key + "[" + i + "]:", show(s) + " appears twice");
        }
        return List.copyOf(seen);
    }

    /** A list of strings, each possibly empty. */
    public List<String> texts(String key) throws ModelFileException {
        if (!(map.get(key) instanceof List<?> l)) throw bad(key, "must be a list of strings, got " + show(map.get(key)));
        List<String> out = new ArrayList<>();
        for (int i = 0; i < l.size(); i++) {
            if (!(l.get(i) instanceof String s)) throw bad(key + "[" + i + "]", "must be a string, got " + show(l.get(i)));
            out.add(s);
        }
        return out;
    }

    /** A list of finite numbers. */
    public List<Double> finiteNumbers(String key) throws ModelFileException {
        if (!(map.get(key) instanceof List<?> l)) throw bad(key, "must be a list of numbers, got " + show(map.get(key)));
        List<Double> out = new ArrayList<>(l.size());
        for (int i = 0; i < l.size(); i++) {
            double v = value(l.get(i), key + "[" + i + "]");
            if (!Double.isFinite(v)) throw bad(key + "[" + i + "]", "must be a finite number, got " + show(l.get(i)));
            out.add(v);
        }
        return out;
    }

    /** A list of whole numbers that fit a {@code long}. */
    public List<Long> wholeNumbers(String key) throws ModelFileException {
        if (!(map.get(key) instanceof List<?> l)) throw bad(key, "must be a list of whole numbers, got " + show(map.get(key)));
        List<Long> out = new ArrayList<>(l.size());
        for (int i = 0; i < l.size(); i++) {
            out.add(switch (l.get(i)) {
                case Integer n -> (long) n;
                case Long n -> n;
                case BigInteger b when b.bitLength() < 64 -> b.longValue();
                case null, default -> throw bad(key + "[" + i + "]", "must be a whole number, got " + show(l.get(i)));
            });
        }
        return out;
    }

    /** A finite number. */
    public double number(String key) throws ModelFileException {
        double v = value(map.get(key), key);
        if (!Double.isFinite(v)) throw bad(key, "must be a finite number, got " + show(map.get(key)));
        return v;
    }

    /**
     * A number that may be missing or not finite: NaN where the file holds null, and the strings {@code "NaN"},
     * {@code "Infinity"}, {@code "-Infinity"} as the model file writes non-finite numbers (JSON has none).
     */
    public double numberOrNaN(String key) throws ModelFileException {
        Object o = map.get(key);
        if (o == null) return Double.NaN;
        if (o instanceof String s) {
            return switch (s) {
                case "NaN" -> Double.NaN;
                case "Infinity" -> Double.POSITIVE_INFINITY;
                case "-Infinity" -> Double.NEGATIVE_INFINITY;
                default -> throw bad(key, "must be a number, got " + show(o));
            };
        }
        return value(o, key);
    }

    private double value(Object o, String key) throws ModelFileException {
        return switch (o) {
            case Integer i -> i;
            case Long l -> l;
            case Double d -> d;
            case Float f -> f;
            case BigInteger b -> b.doubleValue();
            case BigDecimal b -> b.doubleValue();
            case null, default -> throw bad(key, "must be a number, got " + show(o));
        };
    }

    /** A whole number that fits a {@code long}; a number with a fraction (even {@code 3.0}) is an error. */
    public long whole(String key) throws ModelFileException {
        Object o = map.get(key);
        return switch (o) {
            case Integer i -> i;
            case Long l -> l;
            case BigInteger b when b.bitLength() < 64 -> b.longValue();
            case null, default -> throw bad(key, "must be a whole number, got " + show(o));
        };
    }

    /** A whole number in {@code [min, max]}. */
    public long whole(String key, long min, long max) throws ModelFileException {
        long v = whole(key);
        if (v < min || v > max) throw bad(key, "must be from " + min + " to " + max + ", got " + v);
        return v;
    }

    /** A map of names to numbers, read as {@link #numberOrNaN} reads one (an empty map when the key is absent). */
    public Map<String, Double> numbers(String key) throws ModelFileException {
        Map<String, Double> out = new LinkedHashMap<>();
        if (map.get(key) == null) return out;
        SavedMap m = object(key);
        for (Object k : m.map.keySet()) out.put(String.valueOf(k), m.numberOrNaN(String.valueOf(k)));
        return out;
    }

    /** The object under {@code key}, whose errors name their path below it ({@code inputs[2].std}). */
    public SavedMap object(String key) throws ModelFileException {
        return of(map.get(key), what, at(key));
    }

    /** A list of objects, each read as {@link #object} reads one, with its index in the path ({@code epochs[3]}). */
    public List<SavedMap> objects(String key) throws ModelFileException {
        if (!(map.get(key) instanceof List<?> l)) throw bad(key, "must be a list, got " + show(map.get(key)));
        List<SavedMap> out = new ArrayList<>(l.size());
        for (int i = 0; i < l.size(); i++) out.add(of(l.get(i), what, at(key) + "[" + i + "]"));
        return out;
    }

    /** A value as a message shows it: quoted and cut for text, "an object", "a list of 3". */
    public static String show(Object o) {
        if (o == null) return "nothing";
        if (o instanceof String s) return "\"" + Messages.clean(s, 40) + "\"";
        if (o instanceof Map<?, ?>) return "an object";
        if (o instanceof List<?> l) return "a list of " + l.size();
        return Messages.clean(String.valueOf(o), 40);
    }
}
