package dev.backprop.optim;

/**
 * Multiplies the learning rate by {@code gamma} every epoch, as PyTorch's {@code ExponentialLR}:
 * <pre>
 * lr(epoch) = base · gamma^epoch
 * </pre>
 *
 * <pre>{@code
 * LearningRateSchedule s = new ExponentialDecay(0.1, 0.95);   // 0.1, 0.095, 0.09025, ...
 * opt.setLearningRate(s.learningRate(epoch));
 * }</pre>
 *
 * @param base  learning rate of epoch 0, finite and ≥ 0
 * @param gamma factor per epoch, in (0, 1]
 */
public record ExponentialDecay(double base, double gamma) implements LearningRateSchedule {
    /** Checks that {@code base} is finite and ≥ 0 and {@code gamma} in (0, 1]. */
    public ExponentialDecay {
        Check.nonNegative("ExponentialDecay", "base", base);
        Check.decayFactor("ExponentialDecay", "gamma", gamma);
    }

    @Override
    public double learningRate(int epoch) {
        return base * Math.pow(gamma, Check.epoch("ExponentialDecay", epoch));
    }
}
