package dev.backprop.io;

/** Text from outside input (a file's names, cells and values), made fit for a one-line error message. */
public final class Messages {
    private Messages() {}

    /**
     * {@code s} with control and line-separator characters escaped as {@code \\uXXXX} and cut to {@code max}
     * characters ({@code ...} marks the cut): a hostile file can hold anything, newlines included.
     */
    public static String clean(String s, int max) {
        StringBuilder b = new StringBuilder(Math.min(s.length(), max) + 8);
        for (int i = 0; i < s.length(); i++) {
            if (b.length() >= max) return b.append("...").toString();
            char c = s.charAt(i);
            if (c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0) || c == 0x2028 || c == 0x2029) {
                b.append(String.format("\\u%04x", (int) c));
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }

    /** A number for people: a whole number as such, else up to 6 significant digits without trailing zeros. */
    public static String number(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e15) return Long.toString((long) v);
        String s = String.format(java.util.Locale.ROOT, "%.6g", v);
        return s.contains("e") || !s.contains(".") ? s : s.replaceAll("0+$", "").replaceAll("\\.$", "");
    }
}
