package dev.backprop.encode;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Which cell texts mean "no value here". An empty cell always does; so do the markers, compared exactly (after the
 * cell's surrounding spaces are removed). The default markers are those pandas, R and UCI files write:
 * {@code NA}, {@code N/A}, {@code NaN}, {@code nan} and {@code ?}.
 *
 * <pre>{@code
 * MissingValues.DEFAULT.isMissing("NA");              // true
 * MissingValues.parse("-,n.a.").isMissing("-");       // true: the empty cell and these two markers
 * }</pre>
 *
 * @param markers the texts, besides the empty one, that mark a missing value
 */
public record MissingValues(Set<String> markers) {
    /** Empty cells and {@code NA}, {@code N/A}, {@code NaN}, {@code nan}, {@code ?}. */
    public static final MissingValues DEFAULT = new MissingValues(Set.of("NA", "N/A", "NaN", "nan", "?"));

    /** Only empty cells are missing. */
    public static final MissingValues EMPTY_ONLY = new MissingValues(Set.of());

    /** Strips each marker of surrounding spaces, drops the empty one and keeps the rest sorted and unmodifiable. */
    public MissingValues {
        TreeSet<String> sorted = new TreeSet<>();
        for (String m : markers) sorted.add(m.strip());
        sorted.remove("");
        markers = java.util.Collections.unmodifiableSet(sorted);
    }

    /** The markers of a comma-separated list ({@code "NA,?,-"}); an empty list leaves only empty cells missing. */
    public static MissingValues parse(String commaSeparated) {
        List<String> list = new ArrayList<>();
        for (String s : commaSeparated.split(",", -1)) if (!s.isBlank()) list.add(s.strip());
        return new MissingValues(Set.copyOf(list));
    }

    /** Whether {@code cell} (as a {@link dev.backprop.data.Table} holds it: stripped) is a missing value. */
    public boolean isMissing(String cell) {
        return cell.isEmpty() || markers.contains(cell);
    }

    /** The markers, sorted, for a saved form. */
    public List<String> toList() {
        return List.copyOf(markers);
    }

    /** {@code "", NA, ?} as a user would write them. */
    public String describe() {
        StringBuilder b = new StringBuilder("empty cells");
        for (String m : markers) b.append(", ").append(m);
        return b.toString();
    }
}
