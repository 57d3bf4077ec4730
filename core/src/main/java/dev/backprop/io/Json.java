package dev.backprop.io;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The one place that reads and writes JSON. Jackson is used through its tree model only ({@link JsonNode}): no data
 * binding and no polymorphic typing, so no input can make it instantiate a class. The read limits make hostile input
 * fail fast instead of exhausting the stack or the heap.
 */
final class Json {
    /** Deepest nesting of objects and arrays read or written; model configs nest about three levels per module. */
    static final int MAX_DEPTH = 64;
    /** Longest string value: metadata entries (an architecture, preprocessing statistics) stay far below this. */
    static final int MAX_STRING_LENGTH = 8 << 20;
    /** Longest number literal, in characters: a double needs at most about 25. */
    static final int MAX_NUMBER_LENGTH = 100;
    /** Longest object key (a tensor's name), in characters. */
    static final int MAX_NAME_LENGTH = 1 << 16;

    private static final JsonFactory FACTORY = JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder()
                    .maxNestingDepth(MAX_DEPTH)
                    .maxStringLength(MAX_STRING_LENGTH)
                    .maxNumberLength(MAX_NUMBER_LENGTH)
                    .maxNameLength(MAX_NAME_LENGTH)
                    .build())
            // A repeated key is an error, not "the last one wins": two tensors of one name, two "weights" in a layer.
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();

    private static final ObjectMapper MAPPER = JsonMapper.builder(FACTORY)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final Pattern SOURCE = Pattern.compile("\\[Source: [^;\\]]*; ");

    private Json() {}

    /**
     * Parses one JSON value (trailing whitespace allowed, nothing else). A syntax error becomes
     * {@code source: [what: ]invalid JSON at line L, column C: reason}.
     */
    static JsonNode parse(String text, String source, String what) throws ModelFileException {
        try {
            JsonNode node = MAPPER.readTree(text);
            if (node == null || node.isMissingNode()) throw new ModelFileException(source, prefix(what) + "empty, expected JSON");
            return node;
        } catch (JsonProcessingException e) {
            throw new ModelFileException(source, prefix(what) + "invalid JSON" + location(e) + ": " + reason(e), e);
        }
    }

    private static String prefix(String what) {
        return what == null ? "" : what + ": ";
    }

    private static String location(JsonProcessingException e) {
        JsonLocation at = e.getLocation();
        if (at == null || at.getLineNr() < 0) return "";
        return " at line " + at.getLineNr() + ", column " + at.getColumnNr();
    }

    private static String reason(JsonProcessingException e) {
        String m = e.getOriginalMessage();
        if (m == null) return e.getClass().getSimpleName();
        // Jackson appends "(for Object starting at [Source: REDACTED ...; line: 1, column: 1])": keep line and column.
        return Messages.clean(SOURCE.matcher(m).replaceAll("["), 300);
    }

    /** Decodes strict UTF-8 (the formats require it); a malformed byte is reported with its offset. */
    static String utf8(byte[] bytes, String source, String what) throws ModelFileException {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        try {
            CharBuffer out = decoder.decode(in);
            return out.toString();
        } catch (CharacterCodingException e) {
            throw new ModelFileException(source, prefix(what) + "not valid UTF-8 (byte " + in.position() + ")", e);
        }
    }

    /** JSON text, compact, of plain data (see {@link #toNode}). */
    static String write(Object value, String path) {
        try {
            return MAPPER.writeValueAsString(toNode(value, path, 1, false));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(path + ": cannot be written as JSON: " + e.getOriginalMessage(), e);
        }
    }

    /**
     * A tree of plain data: maps with string keys, lists and arrays, strings, numbers, booleans, enums (by name) and
     * null. Anything else is refused rather than introspected. Non-finite numbers, which JSON cannot hold, become the
     * strings {@code "NaN"}, {@code "Infinity"}, {@code "-Infinity"}.
     */
    static JsonNode toNode(Object value, String path) {
        return toNode(value, path, 1, false);
    }

    /**
     * JSON text of plain data (as {@link #toNode} takes it) for people and other tools: indented when {@code pretty},
     * non-finite numbers as {@code null}, since standard JSON has none.
     */
    static String text(Object value, String what, boolean pretty) {
        try {
            JsonNode node = toNode(value, what, 1, true);
            return pretty ? MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(node) : MAPPER.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(what + ": cannot be written as JSON: " + e.getOriginalMessage(), e);
        }
    }

    private static JsonNode toNode(Object value, String path, int depth, boolean nullNonFinite) {
        if (value == null) return NODES.nullNode();
        if (value instanceof String s) return NODES.textNode(s);
        if (value instanceof Boolean b) return NODES.booleanNode(b);
        if (value instanceof Enum<?> e) return NODES.textNode(e.name());
        if (value instanceof Integer || value instanceof Long || value instanceof Short || value instanceof Byte) {
            return NODES.numberNode(((Number) value).longValue());
        }
        if (value instanceof Double || value instanceof Float) return number(((Number) value).doubleValue(), nullNonFinite);
        if (value instanceof BigInteger b) return NODES.numberNode(b);
        if (value instanceof BigDecimal b) return NODES.numberNode(b);
        if (depth > MAX_DEPTH) {
            // The reader's limit, so that what is written can be read; also stops a map that contains itself.
            throw new IllegalArgumentException(path + ": nested more than " + MAX_DEPTH + " levels deep (or a cycle)");
        }
        if (value instanceof Map<?, ?> map) {
            ObjectNode o = NODES.objectNode();
            for (var e : map.entrySet()) {
                if (!(e.getKey() instanceof String key)) {
                    throw new IllegalArgumentException(path + ": map key " + e.getKey() + " is not a string");
                }
                o.set(key, toNode(e.getValue(), path + "." + key, depth + 1, nullNonFinite));
            }
            return o;
        }
        ArrayNode a = NODES.arrayNode();
        switch (value) {
            case List<?> list -> {
                for (int i = 0; i < list.size(); i++) a.add(toNode(list.get(i), path + "[" + i + "]", depth + 1, nullNonFinite));
            }
            case Object[] array -> {
                for (int i = 0; i < array.length; i++) a.add(toNode(array[i], path + "[" + i + "]", depth + 1, nullNonFinite));
            }
            case double[] array -> {
                for (double v : array) a.add(number(v, nullNonFinite));
            }
            case float[] array -> {
                for (float v : array) a.add(number(v, nullNonFinite));
            }
            case int[] array -> {
                for (int v : array) a.add(v);
            }
            case long[] array -> {
                for (long v : array) a.add(v);
            }
            default -> throw new IllegalArgumentException(path + ": a " + value.getClass().getName()
                    + " is not JSON data (use maps, lists, strings, numbers, booleans)");
        }
        return a;
    }

    private static JsonNode number(double v, boolean nullNonFinite) {
        if (nullNonFinite && !Double.isFinite(v)) return NODES.nullNode();
        if (Double.isNaN(v)) return NODES.textNode("NaN");
        if (Double.isInfinite(v)) return NODES.textNode(v > 0 ? "Infinity" : "-Infinity");
        return NODES.numberNode(v);
    }

    /**
     * Plain Java data from a tree: {@code LinkedHashMap}s (key order kept), lists, strings, booleans, null, and
     * numbers as Integer, Long or BigInteger (whole numbers) or Double; every map and list is unmodifiable.
     */
    static Object toPlain(JsonNode node) {
        return switch (node.getNodeType()) {
            case OBJECT -> {
                Map<String, Object> m = new LinkedHashMap<>();
                for (var e : node.properties()) m.put(e.getKey(), toPlain(e.getValue()));
                yield Collections.unmodifiableMap(m);
            }
            case ARRAY -> {
                List<Object> l = new ArrayList<>(node.size());
                for (JsonNode n : node) l.add(toPlain(n));
                yield Collections.unmodifiableList(l);
            }
            case STRING -> node.textValue();
            case BOOLEAN -> node.booleanValue();
            case NUMBER -> {
                if (node.isIntegralNumber()) {
                    if (node.canConvertToInt()) yield node.intValue();
                    if (node.canConvertToLong()) yield node.longValue();
                    yield node.bigIntegerValue();
                }
                yield node.doubleValue();
            }
            default -> null;
        };
    }

    /** An object's entries as plain data; the caller has checked it is an object. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> toPlainMap(JsonNode object) {
        return (Map<String, Object>) toPlain(object);
    }

    /** What a node is, for messages: {@code a string "abc"}, {@code the number 3}, {@code an object}, ... */
    static String describe(JsonNode n) {
        return switch (n.getNodeType()) {
            case OBJECT -> "an object";
            case ARRAY -> "an array of " + n.size();
            case STRING -> "the string \"" + Messages.clean(n.textValue(), 40) + "\"";
            case NUMBER -> "the number " + Messages.clean(n.asText(), 40);
            case BOOLEAN -> n.asText();
            case NULL -> "null";
            default -> "nothing";
        };
    }

}
