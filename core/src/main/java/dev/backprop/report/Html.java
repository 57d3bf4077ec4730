package dev.backprop.report;

import java.util.Locale;

/** Escaping and number formatting shared by the page, its charts and its diagram. */
final class Html {
    private Html() {
    }

    /**
     * Text made safe for element content and quoted attribute values alike. Only the five entities XML knows are
     * used, so the page also parses as XML (the tests rely on that); control characters that neither HTML nor XML
     * allow become U+FFFD.
     */
    static String escape(String s) {
        if (s == null) return "";
        StringBuilder sb = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '&' -> sb.append("&amp;");
                case '<' -> sb.append("&lt;");
                case '>' -> sb.append("&gt;");
                case '"' -> sb.append("&quot;");
                case '\'' -> sb.append("&#39;");
                default -> {
                    boolean control = (c < 0x20 && c != '\n' && c != '\t' && c != '\r') || c == 0x7f || c == 0xfffe || c == 0xffff;
                    sb.append(control ? '\ufffd' : c);
                }
            }
        }
        return sb.toString();
    }

    /**
     * A value for people to read: four significant digits, in scientific notation when very large or very small,
     * "–" when it is missing (NaN), "∞" / "−∞" when infinite.
     */
    static String num(double v) {
        return num(v, 4);
    }

    /** As {@link #num(double)} with {@code digits} significant digits (whole numbers below 10⁶ are kept whole). */
    static String num(double v, int digits) {
        if (Double.isNaN(v)) return "–";
        if (Double.isInfinite(v)) return v > 0 ? "∞" : "−∞";
        if (v == 0) return "0";
        double a = Math.abs(v);
        if (a >= 1e6 || a < 1e-4) return sci(v, digits);
        if (v == Math.rint(v)) return Long.toString((long) v);
        if (a >= 1e4) return String.format(Locale.ROOT, "%.0f", v);
        if (a >= 1e3) return trimZeros(String.format(Locale.ROOT, "%.1f", v));
        // Java's %g keeps plain notation for values in [1e-4, 10^digits) after rounding, so only few digits of a
        // value near 1000 can come back in scientific notation.
        String s = String.format(Locale.ROOT, "%." + digits + "g", v);
        return s.contains("e") ? sci(v, digits) : trimZeros(s);
    }

    /** {@code v} with {@code digits} significant digits as {@code 1.234e-7} (no "+", no padded exponent). */
    static String sci(double v, int digits) {
        String s = String.format(Locale.ROOT, "%." + Math.max(0, digits - 1) + "e", v);
        int e = s.indexOf('e');
        String mantissa = trimZeros(s.substring(0, e));
        int exponent = Integer.parseInt(s.substring(e + 1));
        return mantissa + "e" + exponent;
    }

    /** Coordinates in SVG: one decimal is finer than a pixel. */
    static String px(double v) {
        double r = Math.rint(v * 10) / 10;
        return r == Math.rint(r) ? Long.toString((long) r) : Double.toString(r);
    }

    private static String trimZeros(String s) {
        if (!s.contains(".")) return s;
        int end = s.length();
        while (s.charAt(end - 1) == '0') end--;
        if (s.charAt(end - 1) == '.') end--;
        return s.substring(0, end);
    }
}
