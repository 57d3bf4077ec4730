package dev.backprop.nn;

import java.util.regex.Pattern;

/**
 * The rule for module type names, apart from the registry: a built-in module's {@code TYPE} is made while its class
 * initialises, before {@link ModuleTypes} (which reads those {@code TYPE}s) may.
 */
final class ModuleTypeNames {
    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_.-]{0,63}");

    private ModuleTypeNames() {}

    static void check(String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("module type name '" + name + "': lower case letters, digits, _ - and ., "
                    + "starting with a letter, at most 64");
        }
    }
}
