package dev.backprop.optim;

/**
 * The learning rate for each epoch, counted from 0; a schedule is given its base learning rate when built. A
 * trainer applies it before each epoch with {@link Optimizer#setLearningRate}. Schedules are pure functions of the
 * epoch, so resuming at epoch {@code e} needs nothing but {@code e}; for the metric-driven schedule see
 * {@link ReduceOnPlateau}.
 *
 * <pre>{@code
 * LearningRateSchedule schedule = new LinearWarmup(5, new CosineAnnealing(0.1, 100, 1e-4));
 * opt.setLearningRate(schedule.learningRate(epoch));
 * }</pre>
 */
@FunctionalInterface
public interface LearningRateSchedule {
    /** The learning rate for {@code epoch} (0 for the first); a negative epoch is an error. */
    double learningRate(int epoch);
}
