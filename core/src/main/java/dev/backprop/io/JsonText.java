package dev.backprop.io;

/**
 * The one JSON writer for output meant for people and other tools (explanations, gradients, benchmark results):
 * plain data (maps with string keys, lists, arrays, strings, numbers, booleans, null) written by Jackson, with
 * non-finite numbers as {@code null}, since standard JSON has none. Model files use the same tree with their own
 * spelling of non-finite numbers.
 *
 * <pre>{@code
 * System.out.println(JsonText.pretty(Map.of("loss", 0.25, "layers", List.of(...))));
 * }</pre>
 */
public final class JsonText {
    private JsonText() {}

    /**
     * Indented JSON of {@code data}.
     *
     * @throws IllegalArgumentException naming the path of a value that is not JSON data
     */
    public static String pretty(Object data) {
        return Json.text(data, "json", true);
    }

    /**
     * JSON of {@code data} on one line.
     *
     * @throws IllegalArgumentException naming the path of a value that is not JSON data
     */
    public static String compact(Object data) {
        return Json.text(data, "json", false);
    }
}
