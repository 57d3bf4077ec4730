package dev.backprop.train;

import java.util.List;

/** Builds a {@link History} from given epochs, for tests outside this package (History's mutators are internal). */
public final class Histories {
    private Histories() {
    }

    public static History of(String stopReason, List<EpochRecord> epochs) {
        History h = new History();
        for (EpochRecord r : epochs) h.add(r);
        h.stoppedBecause(stopReason);
        return h;
    }
}
