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

    /**
     * A schedule not yet bound to a run: the trainer gives it the optimizer's learning rate and its own epoch count,
     * so neither is written twice.
     *
     * <pre>{@code
     * Trainer.builder(net, loss, Adam.builder().lr(1e-3).build(params)).epochs(50)
     *         .schedule(LearningRateSchedule.cosine(1e-5))          // from 1e-3 down to 1e-5 over the 50 epochs
     * }</pre>
     */
    @FunctionalInterface
    interface ForRun {
        /** The schedule of a run that starts at {@code baseRate} and lasts {@code epochs}. */
        LearningRateSchedule bind(double baseRate, int epochs);
    }

    /** Cosine annealing from the optimizer's rate down to {@code minRate} over the run's epochs. */
    static ForRun cosine(double minRate) {
        return (base, epochs) -> new CosineAnnealing(base, epochs, minRate);
    }

    /** The optimizer's rate times {@code gamma} every {@code stepSize} epochs. */
    static ForRun stepDecay(int stepSize, double gamma) {
        return (base, epochs) -> new StepDecay(base, stepSize, gamma);
    }

    /** The optimizer's rate times {@code gamma} each epoch. */
    static ForRun exponentialDecay(double gamma) {
        return (base, epochs) -> new ExponentialDecay(base, gamma);
    }

    /** A linear warm-up over {@code warmupEpochs}, then {@code after}, bound to the same run. */
    static ForRun warmup(int warmupEpochs, ForRun after) {
        return (base, epochs) -> new LinearWarmup(warmupEpochs, after.bind(base, epochs));
    }
}
