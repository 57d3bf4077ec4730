package dev.backprop.optim;

/**
 * Multiplies the learning rate by {@code gamma} every {@code stepSize} epochs, as PyTorch's {@code StepLR}:
 * <pre>
 * lr(epoch) = base · gamma^⌊epoch / stepSize⌋
 * </pre>
 *
 * <pre>{@code
 * LearningRateSchedule s = new StepDecay(0.1, 30, 0.1);   // 0.1 for epochs 0–29, 0.01 for 30–59, ...
 * opt.setLearningRate(s.learningRate(epoch));
 * }</pre>
 *
 * @param base     learning rate of epoch 0, finite and ≥ 0
 * @param stepSize epochs between decays, ≥ 1
 * @param gamma    factor per decay, in (0, 1]
 */
public record StepDecay(double base, int stepSize, double gamma) implements LearningRateSchedule {
    /** Checks that {@code base} is finite and ≥ 0, {@code stepSize ≥ 1} and {@code gamma} in (0, 1]. */
    public StepDecay {
        Check.nonNegative("StepDecay", "base", base);
        Check.atLeast("StepDecay", "stepSize", 1, stepSize);
        Check.decayFactor("StepDecay", "gamma", gamma);
    }

    @Override
    public double learningRate(int epoch) {
        return base * Math.pow(gamma, Check.epoch("StepDecay", epoch) / stepSize);
    }
}
