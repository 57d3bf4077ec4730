package dev.backprop.io;

import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;

/**
 * Where a saved model came from: stored in every model file so that a model can be traced to the code, the data and
 * the random seed that made it.
 *
 * <pre>{@code
 * Provenance p = Provenance.now(42L, "mnist/train.csv");   // this library's version, the current time
 * }</pre>
 *
 * @param libraryVersion the backprop version that trained it, e.g. {@code 0.1.0}
 * @param created        when, ISO-8601 ({@code 2026-11-25T11:05:34Z}); null when unknown
 * @param seed           the training seed, or null
 * @param dataSource     what it was trained on (a path, a dataset name), or null
 */
public record Provenance(String libraryVersion, String created, Long seed, String dataSource) {
    private static final String VERSION = readVersion();

    /** This library's version, the current instant (to the second), and the given seed and data source. */
    public static Provenance now(Long seed, String dataSource) {
        return new Provenance(currentLibraryVersion(), Instant.now().truncatedTo(ChronoUnit.SECONDS).toString(), seed, dataSource);
    }

    /** This library's version, as Maven built it; {@code "unknown"} when run from classes without the resource. */
    public static String currentLibraryVersion() {
        return VERSION;
    }

    private static String readVersion() {
        try (InputStream in = Provenance.class.getResourceAsStream("version.properties")) {
            if (in == null) return "unknown";
            Properties p = new Properties();
            p.load(in);
            String v = p.getProperty("version", "unknown");
            return v.startsWith("${") ? "unknown" : v;
        } catch (IOException e) {
            return "unknown";
        }
    }

    /** {@code {"library_version": ..., "created": ..., "seed": ..., "data_source": ...}}, nulls left out. */
    Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        if (libraryVersion != null) m.put("library_version", libraryVersion);
        if (created != null) m.put("created", created);
        if (seed != null) m.put("seed", seed);
        if (dataSource != null) m.put("data_source", dataSource);
        return m;
    }

    /** Reads {@link #toMap()}'s form; other keys are ignored, so later versions may add some. */
    static Provenance fromMap(Map<String, Object> m, String source) throws ModelFileException {
        Object seed = m.get("seed");
        if (seed != null && !(seed instanceof Integer || seed instanceof Long)) {
            throw new ModelFileException(source, "metadata 'provenance': seed must be a whole number, got " + Messages.clean(String.valueOf(seed), 40));
        }
        return new Provenance(string(m, "library_version", source), string(m, "created", source),
                seed == null ? null : ((Number) seed).longValue(), string(m, "data_source", source));
    }

    private static String string(Map<String, Object> m, String key, String source) throws ModelFileException {
        Object v = m.get(key);
        if (v == null || v instanceof String) return (String) v;
        throw new ModelFileException(source, "metadata 'provenance': " + key + " must be a string, got " + Messages.clean(String.valueOf(v), 40));
    }
}
