package dev.backprop.io;

import java.util.regex.Pattern;

/**
 * The rule for the names by which a model file refers to a kind of thing a program registers (a module type, an
 * optimizer type): lower case letters, digits, {@code _}, {@code -} and {@code .}, starting with a letter, at most 64.
 * Such names are looked up in an explicit registry, never taken as class names.
 */
public final class TypeNames {
    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_.-]{0,63}");

    private TypeNames() {}

    /**
     * Checks {@code name}.
     *
     * @param what what the name is of, for the message ({@code "module type"})
     * @throws IllegalArgumentException when the name breaks the rule
     */
    public static void check(String what, String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException(what + " name '" + name + "': lower case letters, digits, _ - and ., "
                    + "starting with a letter, at most 64");
        }
    }
}
