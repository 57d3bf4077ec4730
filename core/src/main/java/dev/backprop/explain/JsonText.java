package dev.backprop.explain;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;

/**
 * Writes the explanations' plain data ({@code toMap()}) as indented JSON, so that a command prints it as it is.
 * Here rather than in {@code dev.backprop.io}, whose JSON helpers are internal to model files; like them it builds a
 * Jackson tree from maps, lists, strings, numbers, booleans and null only, and writes JSON's null for a NaN.
 */
final class JsonText {
    private JsonText() {}

    private static final ObjectMapper MAPPER = JsonMapper.builder().build();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    static String write(Map<String, Object> data) {
        try {
            return MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(node(data));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("explain: cannot write JSON: " + e.getOriginalMessage(), e);
        }
    }

    private static JsonNode node(Object v) {
        return switch (v) {
            case null -> NODES.nullNode();
            case String s -> NODES.textNode(s);
            case Boolean b -> NODES.booleanNode(b);
            case Integer i -> NODES.numberNode(i);
            case Long l -> NODES.numberNode(l);
            case Double d -> Double.isFinite(d) ? NODES.numberNode(d) : NODES.nullNode();
            case Map<?, ?> m -> {
                ObjectNode o = NODES.objectNode();
                m.forEach((k, x) -> o.set(String.valueOf(k), node(x)));
                yield o;
            }
            case List<?> list -> {
                ArrayNode a = NODES.arrayNode();
                for (Object x : list) a.add(node(x));
                yield a;
            }
            default -> throw new IllegalArgumentException("explain: " + v.getClass().getName() + " is not JSON data");
        };
    }
}
