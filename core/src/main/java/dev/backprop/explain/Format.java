package dev.backprop.explain;

import java.math.BigDecimal;
import java.util.Locale;

/**
 * How the explanations write numbers. Values the reader gave (inputs, targets, the parameters before the step, the
 * learning rate) are written as given when that takes at most six decimals ({@code 0.25}, not {@code 0.250000}), so
 * the reader recognises them; computed values always get six decimals ({@code 0.505000}), or six significant digits
 * in scientific notation when they are too small or too large for that to say anything ({@code 3.141593e-07}).
 */
public final class Format {
    private Format() {}

    /** A computed value: {@code 0.505000}, {@code -0.004321}, {@code 1.234568e-07}. */
    public static String computed(double v) {
        if (Double.isNaN(v) || Double.isInfinite(v)) return Double.toString(v);
        if (v == 0) return "0.000000";                               // also turns −0 into 0
        double a = Math.abs(v);
        return String.format(Locale.ROOT, a >= 1e-4 && a < 1e7 ? "%.6f" : "%.6e", v);
    }

    /**
     * A value as the reader gave it. A float32 parameter is written from its float value, so a spec's
     * {@code 0.15} (stored as 0.1500000059604645) reads {@code 0.15} again.
     */
    public static String given(double v) {
        if (Double.isNaN(v) || Double.isInfinite(v)) return Double.toString(v);
        if (v == 0) return "0";
        float f = (float) v;
        String shortest = f == v ? Float.toString(f) : Double.toString(v);
        BigDecimal exact = new BigDecimal(shortest).stripTrailingZeros();
        String plain = exact.toPlainString();
        return exact.scale() <= 6 && plain.length() <= 12 ? plain : computed(v);
    }

    /** A computed value inside a product or sum: negative ones in parentheses, so {@code a · (-b)} reads unambiguously. */
    static String factor(double v) {
        return paren(computed(v));
    }

    /** A given value inside a product or sum, negative ones in parentheses. */
    static String givenFactor(double v) {
        return paren(given(v));
    }

    private static String paren(String s) {
        return s.startsWith("-") ? "(" + s + ")" : s;
    }
}
