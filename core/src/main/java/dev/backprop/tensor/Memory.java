package dev.backprop.tensor;

import java.util.Locale;

/**
 * Whether a large allocation fits in the heap, asked before making it: a table, a network or a file that would not fit
 * is then refused with one line saying what it needs and what the heap has, instead of an {@code OutOfMemoryError}.
 *
 * <pre>{@code
 * String no = Memory.shortfall(4L * rows * features, "encoding 2,000,000 rows x 20,000 features");
 * if (no != null) throw new DataFormatException(no);
 * }</pre>
 */
public final class Memory {
    /** The share of the free heap one allocation may take: the rest is for what the work allocates besides it. */
    static final double SHARE = 0.8;

    private Memory() {}

    /** Bytes the heap can still give (its maximum less what is in use now, after a collection when that is close). */
    public static long available() {
        Runtime r = Runtime.getRuntime();
        return r.maxMemory() - (r.totalMemory() - r.freeMemory());
    }

    /**
     * Null when {@code bytes} more fit comfortably in the heap; else one line: {@code WHAT needs 4.3 GB; the heap has
     * 0.9 GB free of 1.0 GB (give it more with BACKPROP_JAVA_OPTS=-Xmx8g)}.
     */
    public static String shortfall(long bytes, String what) {
        if (bytes < 0) bytes = Long.MAX_VALUE;
        if (bytes <= SHARE * available()) return null;
        System.gc();                                   // garbage counts as used until collected: ask once more
        long free = available();
        if (bytes <= SHARE * free) return null;
        return what + " needs " + size(bytes) + "; the heap has " + size(free) + " free of " + size(Runtime.getRuntime().maxMemory())
                + " (give it more with BACKPROP_JAVA_OPTS=-Xmx8g, or ask for less)";
    }

    /**
     * Whether the heap is nearly full (less than a tenth of it free even after a collection): a reader that grows a
     * structure row by row asks this now and then, and stops with a clear message rather than run out.
     */
    public static boolean nearlyFull() {
        long max = Runtime.getRuntime().maxMemory();
        if (available() >= 0.1 * max) return false;
        System.gc();
        return available() < 0.1 * max;
    }

    /** {@code 512 KB}, {@code 3.2 MB}, {@code 4.3 GB}. */
    public static String size(long bytes) {
        if (bytes == Long.MAX_VALUE) return "more than 8 EB";
        if (bytes < 1 << 20) return (bytes + 1023) / 1024 + " KB";
        if (bytes < 1L << 30) return String.format(Locale.ROOT, "%.1f MB", bytes / (double) (1 << 20));
        return String.format(Locale.ROOT, "%.1f GB", bytes / (double) (1L << 30));
    }
}
