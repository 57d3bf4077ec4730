package dev.backprop.encode;

import dev.backprop.data.DataFormatException;
import dev.backprop.io.Messages;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A strict reader of an encoder's saved form, as a model file gives it back (maps, lists, strings, and numbers as
 * Integer, Long, BigInteger or Double). Every error is a {@link DataFormatException} naming the JSON path of the
 * field: {@code preprocessing: inputs[2].std must be a number >= 0, got "x"}. Keys it is not asked about are
 * ignored, so that a later version may add fields.
 */
final class SavedForm {
    private static final String WHAT = "preprocessing: ";

    private final Map<?, ?> map;
    private final String path;

    private SavedForm(Map<?, ?> map, String path) {
        this.map = map;
        this.path = path;
    }

    /** {@code o} as an object at {@code path} ("" for the top). */
    static SavedForm of(Object o, String path) throws DataFormatException {
        if (!(o instanceof Map<?, ?> m)) throw new DataFormatException(WHAT + (path.isEmpty() ? "" : path + " ") + "must be an object, got " + show(o));
        return new SavedForm(m, path);
    }

    /** The error {@code preprocessing: path: what}. */
    DataFormatException bad(String what) {
        return new DataFormatException(WHAT + (path.isEmpty() ? "" : path + ": ") + what);
    }

    private String at(String key) {
        return path.isEmpty() ? key : path + "." + key;
    }

    private DataFormatException bad(String key, String what) {
        return new DataFormatException(WHAT + at(key) + " " + what);
    }

    boolean has(String key) {
        return map.get(key) != null;
    }

    String string(String key) throws DataFormatException {
        if (!(map.get(key) instanceof String s)) throw bad(key, "must be a string, got " + show(map.get(key)));
        return s;
    }

    /** One of {@code allowed}. */
    String choice(String key, String... allowed) throws DataFormatException {
        String s = string(key);
        for (String a : allowed) if (a.equals(s)) return s;
        throw bad(key, "must be one of " + String.join(", ", allowed) + ", got " + show(s));
    }

    boolean bool(String key, boolean otherwise) throws DataFormatException {
        Object o = map.get(key);
        if (o == null) return otherwise;
        if (!(o instanceof Boolean b)) throw bad(key, "must be true or false, got " + show(o));
        return b;
    }

    /** A list of distinct non-empty strings. */
    List<String> strings(String key) throws DataFormatException {
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

    /** A list of strings, each possibly empty; for markers. */
    List<String> texts(String key) throws DataFormatException {
        if (!(map.get(key) instanceof List<?> l)) throw bad(key, "must be a list of strings, got " + show(map.get(key)));
        List<String> out = new ArrayList<>();
        for (int i = 0; i < l.size(); i++) {
            if (!(l.get(i) instanceof String s)) throw bad(key + "[" + i + "]", "must be a string, got " + show(l.get(i)));
            out.add(s);
        }
        return out;
    }

    /** A finite number. */
    double number(String key) throws DataFormatException {
        Object o = map.get(key);
        double v = switch (o) {
            case Integer i -> i;
            case Long l -> l;
            case Double d -> d;
            case Float f -> f;
            case BigInteger b -> b.doubleValue();
            case BigDecimal b -> b.doubleValue();
            case null, default -> throw bad(key, "must be a number, got " + show(o));
        };
        if (!Double.isFinite(v)) throw bad(key, "must be a finite number, got " + show(o));
        return v;
    }

    long whole(String key) throws DataFormatException {
        Object o = map.get(key);
        return switch (o) {
            case Integer i -> i;
            case Long l -> l;
            case BigInteger b when b.bitLength() < 64 -> b.longValue();
            case null, default -> throw bad(key, "must be a whole number, got " + show(o));
        };
    }

    SavedForm object(String key) throws DataFormatException {
        return of(map.get(key), at(key));
    }

    List<SavedForm> objects(String key) throws DataFormatException {
        if (!(map.get(key) instanceof List<?> l)) throw bad(key, "must be a list, got " + show(map.get(key)));
        List<SavedForm> out = new ArrayList<>(l.size());
        for (int i = 0; i < l.size(); i++) out.add(of(l.get(i), at(key) + "[" + i + "]"));
        return out;
    }

    static String show(Object o) {
        if (o == null) return "nothing";
        if (o instanceof String s) return "\"" + Messages.clean(s, 40) + "\"";
        if (o instanceof Map<?, ?>) return "an object";
        if (o instanceof List<?> l) return "a list of " + l.size();
        return Messages.clean(String.valueOf(o), 40);
    }
}
