package dev.backprop.nn;

import dev.backprop.autograd.NoGrad;
import dev.backprop.io.ModelFileException;
import dev.backprop.io.SavedMap;
import dev.backprop.tensor.Shape;
import dev.backprop.tensor.ShapeException;
import dev.backprop.tensor.Tensor;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Batch normalisation over the batch axis of {@code [batch, features]}: y = γ·(x − μ)/√(σ² + ε) + β.
 *
 * <p>In training, μ and σ² are the batch's mean and (biased) variance, and the running statistics move towards
 * them: running = (1 − momentum)·running + momentum·batch, the running variance taking the unbiased batch
 * variance, as PyTorch does. In evaluation, the running statistics are used. γ ({@code weight}) starts at 1 and
 * β ({@code bias}) at 0; the running mean and variance are buffers (saved, not trained).
 */
public final class BatchNorm1d extends Module {
    /**
     * Saved as {@code {"type": "batch_norm", "features": 64, "eps": 1e-5, "momentum": 0.1}}; holds {@code weight},
     * {@code bias}, {@code running_mean} and {@code running_var}, each {@code [features]}.
     */
    public static final ModuleType TYPE = ModuleType.of("batch_norm",
            c -> new BatchNorm1d((int) c.whole("features", 1, Linear.MAX_UNITS), c.number("eps"), c.number("momentum")),
            c -> vectors(c, "weight", "bias", "running_mean", "running_var"));

    /** Each of {@code names} as a vector of the config's {@code features}: the tensors of a per-feature module. */
    static Map<String, Shape> vectors(SavedMap c, String... names) throws ModelFileException {
        Shape f = Shape.of((int) c.whole("features", 1, Linear.MAX_UNITS));
        Map<String, Shape> out = new LinkedHashMap<>();
        for (String name : names) out.put(name, f);
        return out;
    }

    private final int features;
    private final double eps;
    private final double momentum;

    /** ε = 1e-5, momentum = 0.1, as PyTorch. */
    public BatchNorm1d(int features) {
        this(features, 1e-5, 0.1);
    }

    /**
     * Normalises {@code features} columns; {@code eps} (&gt; 0) is added to the variance under the root and
     * {@code momentum} (in [0, 1]) is the weight of each batch in the running statistics.
     *
     * @throws IllegalArgumentException if {@code features ≤ 0}, {@code eps ≤ 0} or {@code momentum} is outside [0, 1]
     */
    public BatchNorm1d(int features, double eps, double momentum) {
        if (features <= 0) throw new IllegalArgumentException("batch_norm: features must be positive, got " + features);
        if (!(eps > 0 && Double.isFinite(eps))) throw new IllegalArgumentException("batch_norm: eps must be finite and > 0, got " + eps);
        if (!(momentum >= 0 && momentum <= 1)) {
            throw new IllegalArgumentException("batch_norm: momentum must be in [0, 1], got " + momentum);
        }
        this.features = features;
        this.eps = eps;
        this.momentum = momentum;
        registerParameter("weight", Tensor.ones(features));      // γ
        registerParameter("bias", Tensor.zeros(features));       // β
        registerBuffer("running_mean", Tensor.zeros(features));
        registerBuffer("running_var", Tensor.ones(features));
    }

    /** What is added to the variance under the root. */
    public double eps() {
        return eps;
    }

    /** The weight of each batch's statistics in the running ones (PyTorch's convention: 0.1 by default). */
    public double momentum() {
        return momentum;
    }

    @Override
    public Tensor forward(Tensor x, Mode mode) {
        if (x.rank() != 2 || x.shape().dim(1) != features) {
            throw new ShapeException("batch_norm(" + features + "): input " + x.shape() + ", expected [batch, " + features + "]");
        }
        Tensor gamma = parameter("weight"), beta = parameter("bias");
        Tensor runningMean = buffer("running_mean"), runningVar = buffer("running_var");
        Tensor mean, var;
        if (mode.training()) {
            int n = x.shape().dim(0);
            if (n < 2) throw new IllegalArgumentException("batch_norm: training needs at least 2 samples per batch, got " + n);
            mean = x.mean(0, false);
            Tensor centered = x.sub(mean);
            var = centered.mul(centered).mean(0, false);
            try (NoGrad ignored = NoGrad.enter()) {
                runningMean.copyFromInPlace(runningMean.mul(1 - momentum).add(mean.detach().mul(momentum)));
                Tensor unbiased = var.detach().mul((double) n / (n - 1));
                runningVar.copyFromInPlace(runningVar.mul(1 - momentum).add(unbiased.mul(momentum)));
            }
            return centered.div(var.add(eps).sqrt()).mul(gamma).add(beta);
        }
        mean = runningMean;
        var = runningVar;
        return x.sub(mean).div(var.add(eps).sqrt()).mul(gamma).add(beta);
    }

    @Override
    public Map<String, Object> config() {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("type", "batch_norm");
        c.put("features", features);
        c.put("eps", eps);
        c.put("momentum", momentum);
        return c;
    }
}
