package dev.backprop.optim;

/** Validation of hyper-parameters, with messages that name the owner, the setting and the rejected value. */
final class Check {
    private Check() {}

    /** A finite number {@code >= 0}: learning rates, weight decay. */
    static double nonNegative(String owner, String name, double value) {
        if (!(value >= 0) || Double.isInfinite(value)) {
            throw new IllegalArgumentException(owner + ": " + name + " must be a finite number >= 0, got " + value);
        }
        return value;
    }

    /** A finite number {@code > 0}: epsilons, norms. */
    static double positive(String owner, String name, double value) {
        if (!(value > 0) || Double.isInfinite(value)) {
            throw new IllegalArgumentException(owner + ": " + name + " must be a finite number > 0, got " + value);
        }
        return value;
    }

    /** A number in {@code [0, 1)}: momenta, betas, decay rates of running averages. */
    static double fraction(String owner, String name, double value) {
        if (!(value >= 0 && value < 1)) {
            throw new IllegalArgumentException(owner + ": " + name + " must be in [0, 1), got " + value);
        }
        return value;
    }

    /** A number in {@code (0, 1]}: the multiplier of a decaying schedule. */
    static double decayFactor(String owner, String name, double value) {
        if (!(value > 0 && value <= 1)) {
            throw new IllegalArgumentException(owner + ": " + name + " must be in (0, 1], got " + value);
        }
        return value;
    }

    static int atLeast(String owner, String name, int min, int value) {
        if (value < min) throw new IllegalArgumentException(owner + ": " + name + " must be >= " + min + ", got " + value);
        return value;
    }

    static int epoch(String owner, int epoch) {
        if (epoch < 0) throw new IllegalArgumentException(owner + ": epoch must be >= 0 (counted from 0), got " + epoch);
        return epoch;
    }
}
