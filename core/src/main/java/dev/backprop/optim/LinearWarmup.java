package dev.backprop.optim;

import java.util.Objects;

/**
 * Ramps the learning rate up linearly over the first {@code warmupEpochs} epochs, then follows {@code after}:
 * <pre>
 * lr(epoch) = after(epoch) · (epoch + 1) / warmupEpochs     for epoch &lt; warmupEpochs
 * lr(epoch) = after(epoch)                                  afterwards
 * </pre>
 * so the last warm-up epoch already uses the full rate and the two parts meet without a jump. {@code after} is
 * evaluated at the same epoch (not shifted by the warm-up), so a decay it describes starts at epoch 0.
 *
 * <pre>{@code
 * LearningRateSchedule s = new LinearWarmup(4, new StepDecay(0.1, 30, 0.1));   // 0.025, 0.05, 0.075, 0.1, 0.1, ...
 * opt.setLearningRate(s.learningRate(epoch));
 * }</pre>
 *
 * @param warmupEpochs epochs of warm-up, ≥ 0 (0: none)
 * @param after        the schedule the warm-up scales
 */
public record LinearWarmup(int warmupEpochs, LearningRateSchedule after) implements LearningRateSchedule {
    /** Checks that {@code warmupEpochs ≥ 0} and {@code after} is not null. */
    public LinearWarmup {
        Check.atLeast("LinearWarmup", "warmupEpochs", 0, warmupEpochs);
        Objects.requireNonNull(after, "LinearWarmup: after");
    }

    @Override
    public double learningRate(int epoch) {
        double lr = after.learningRate(Check.epoch("LinearWarmup", epoch));
        return epoch < warmupEpochs ? lr * (epoch + 1) / warmupEpochs : lr;
    }
}
