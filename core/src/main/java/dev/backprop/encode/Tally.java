package dev.backprop.encode;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What one encoding pass did that a user should hear about: cells imputed, categories the training rows never held,
 * rows dropped because their target was missing. {@link #notes(String)} says it in lines.
 */
final class Tally {
    private static final int EXAMPLES = 3;

    private final Map<String, Integer> imputed = new LinkedHashMap<>();
    private final Map<String, Integer> unseen = new LinkedHashMap<>();
    private final Map<String, Set<String>> unseenExamples = new LinkedHashMap<>();
    private final List<Integer> droppedLines = new ArrayList<>();
    private int dropped;

    void imputed(String column) {
        imputed.merge(column, 1, Integer::sum);
    }

    void unseen(String column, String cell) {
        unseen.merge(column, 1, Integer::sum);
        Set<String> ex = unseenExamples.computeIfAbsent(column, k -> new LinkedHashSet<>());
        if (ex.size() < EXAMPLES) ex.add(cell);
    }

    void dropped(int line) {
        dropped++;
        if (droppedLines.size() < 5) droppedLines.add(line);
    }

    int droppedRows() {
        return dropped;
    }

    /** One line per column with imputed or unseen cells, and one for dropped rows. */
    List<String> notes(String targets) {
        List<String> out = new ArrayList<>();
        if (dropped > 0) {
            out.add(dropped + (dropped == 1 ? " row" : " rows") + " left out: the target " + targets + " is missing (line"
                    + (droppedLines.size() == 1 ? " " : "s ") + join(droppedLines) + (dropped > droppedLines.size() ? ", …" : "") + ")");
        }
        imputed.forEach((c, n) -> out.add("column '" + c + "': " + n + (n == 1 ? " missing cell" : " missing cells") + " imputed"));
        unseen.forEach((c, n) -> {
            List<String> ex = new ArrayList<>();
            for (String s : unseenExamples.get(c)) ex.add(dev.backprop.data.Table.quote(s));
            out.add("column '" + c + "': " + n + (n == 1 ? " cell holds a category" : " cells hold categories")
                    + " not seen in training (" + String.join(", ", ex) + (unseenExamples.get(c).size() < n ? ", …" : "")
                    + "): encoded as none of the known ones");
        });
        return out;
    }

    private static String join(List<Integer> lines) {
        StringBuilder b = new StringBuilder();
        for (int l : lines) b.append(b.isEmpty() ? "" : ", ").append(l);
        return b.toString();
    }
}
