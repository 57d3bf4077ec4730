package dev.backprop.optim;

/**
 * Lowers the learning rate from {@code base} to {@code minLr} along half a cosine over {@code totalEpochs}, as
 * PyTorch's {@code CosineAnnealingLR} (its closed form), then holds it at {@code minLr}:
 * <pre>
 * lr(epoch) = minLr + (base − minLr) · (1 + cos(π · epoch / totalEpochs)) / 2     for epoch ≤ totalEpochs
 * lr(epoch) = minLr                                                               for epoch > totalEpochs
 * </pre>
 * (PyTorch's formula would rise again after {@code totalEpochs}; holding the minimum is what a run that trains
 * longer than planned wants.)
 *
 * <pre>{@code
 * LearningRateSchedule s = new CosineAnnealing(0.1, 100, 0);   // 0.1 at epoch 0, 0.05 at 50, 0 from 100 on
 * opt.setLearningRate(s.learningRate(epoch));
 * }</pre>
 *
 * @param base        learning rate of epoch 0, finite and ≥ 0
 * @param totalEpochs epochs to reach {@code minLr}, ≥ 1
 * @param minLr       the final learning rate, in [0, base]
 */
public record CosineAnnealing(double base, int totalEpochs, double minLr) implements LearningRateSchedule {
    /** Checks that {@code base} and {@code minLr} are finite and ≥ 0, {@code minLr ≤ base} and {@code totalEpochs ≥ 1}. */
    public CosineAnnealing {
        Check.nonNegative("CosineAnnealing", "base", base);
        Check.atLeast("CosineAnnealing", "totalEpochs", 1, totalEpochs);
        Check.nonNegative("CosineAnnealing", "minLr", minLr);
        if (minLr > base) {
            throw new IllegalArgumentException("CosineAnnealing: minLr " + minLr + " is above base " + base);
        }
    }

    @Override
    public double learningRate(int epoch) {
        if (Check.epoch("CosineAnnealing", epoch) >= totalEpochs) return minLr;
        return minLr + (base - minLr) * (1 + Math.cos(Math.PI * epoch / totalEpochs)) / 2;
    }
}
