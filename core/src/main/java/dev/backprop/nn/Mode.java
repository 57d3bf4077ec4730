package dev.backprop.nn;

import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * How a forward pass runs, passed explicitly rather than kept as a flag in the modules: in training, dropout drops
 * and batch normalisation uses (and updates) batch statistics; in evaluation both are identities of a kind. The
 * random generator of a training pass drives dropout, so a pass is reproducible from its seed.
 *
 * <pre>{@code
 * model.forward(x, Mode.training(new SplittableRandom(seed)));   // a training step
 * model.forward(x);                                               // evaluation: Mode.EVAL
 * }</pre>
 *
 * @param training whether this is a training pass
 * @param rng      the generator for dropout masks (null in evaluation)
 */
public record Mode(boolean training, RandomGenerator rng) {
    /** Evaluation: no dropout, batch normalisation with its running statistics. */
    public static final Mode EVAL = new Mode(false, null);

    /**
     * Checks that a training pass has a random generator.
     *
     * @throws NullPointerException if {@code training} is set and {@code rng} is null
     */
    public Mode {
        if (training) Objects.requireNonNull(rng, "a training pass needs a random generator");
    }

    /** A training pass drawing dropout masks from {@code rng}. */
    public static Mode training(RandomGenerator rng) {
        return new Mode(true, rng);
    }
}
