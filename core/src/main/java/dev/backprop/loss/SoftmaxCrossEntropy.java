package dev.backprop.loss;

import dev.backprop.autograd.Op;
import dev.backprop.tensor.DType;
import dev.backprop.tensor.Shape;
import dev.backprop.tensor.Tensor;

/**
 * Cross-entropy of logits z {@code [N, C]}, softmax and negative log-likelihood fused in one op.
 *
 * <p>Forward: log p_ik = z_ik − (m_i + log Σ_k e^(z_ik − m_i)), m_i the row maximum, so no exponent is positive and
 * no probability is ever formed only to be logged. With index targets y (inputs: z alone)
 * E = Σ_i w[y_i]·(−log p_i,y_i) / W, W = Σ_i w[y_i]; with probability targets t (inputs: z, t)
 * E = Σ_i Σ_c w_c·t_ic·(−log p_ic) / N.
 *
 * <p>Local derivative, from ∂(−log p_ic)/∂z_ik = p_ik − δ_ck: for indices ∂E/∂z_ik = w[y_i]·(p_ik − δ_k,y_i) / W;
 * for probabilities ∂E/∂z_ik = (p_ik·Σ_c w_c t_ic − w_k t_ik) / N (which is (p − t)/N for unweighted rows summing to
 * 1), and ∂E/∂t_ik = −w_k·log p_ik / N.
 */
final class SoftmaxCrossEntropy extends Op {
    private final double[] weights;
    private final int[] classes;
    private Tensor z;
    private Tensor t;
    private double[] logp;
    private double normaliser;

    /**
     * @param weights class weights of length C, or null for all 1
     * @param classes the target class of each row (validated by the caller), or null when the target is a second
     *                input of probabilities
     */
    SoftmaxCrossEntropy(double[] weights, int[] classes) {
        this.weights = weights;
        this.classes = classes;
    }

    @Override
    public String name() {
        return "softmax_cross_entropy";
    }

    private double weight(int c) {
        return weights == null ? 1 : weights[c];
    }

    @Override
    protected Tensor forward(Tensor... in) {
        z = in[0];
        int n = z.shape().dim(0), c = z.shape().dim(1);
        logp = Tensor.zeros(DType.FLOAT64, Shape.of(n, c)).doubles(); // from the step's workspace, if any
        for (int i = 0; i < n; i++) {
            int row = i * c;
            double m = Double.NEGATIVE_INFINITY;
            for (int k = 0; k < c; k++) m = Math.max(m, z.getFlat(row + k));
            double s = 0;
            for (int k = 0; k < c; k++) s += Math.exp(z.getFlat(row + k) - m);
            double logZ = m + Math.log(s);
            for (int k = 0; k < c; k++) logp[row + k] = z.getFlat(row + k) - logZ;
        }
        double total = 0;
        if (classes != null) {
            normaliser = 0;
            for (int i = 0; i < n; i++) {
                double w = weight(classes[i]);
                total -= w * logp[i * c + classes[i]];
                normaliser += w;
            }
            return Tensor.scalar(z.dtype(), total / normaliser);
        }
        t = in[1];
        normaliser = n;
        for (int j = 0; j < n * c; j++) {
            double tj = t.getFlat(j);
            // A zero target contributes nothing even where log p = −∞ (0·∞ would be NaN).
            if (tj != 0) total -= weight(j % c) * tj * logp[j];
        }
        return Tensor.scalar(DType.promote(z.dtype(), t.dtype()), total / normaliser);
    }

    @Override
    protected Tensor[] backward(Tensor g) {
        double scale = g.getFlat(0) / normaliser;
        int n = z.shape().dim(0), c = z.shape().dim(1);
        Tensor gz = null;
        if (needsGrad(0)) {
            gz = Tensor.zeros(z.dtype(), z.shape());
            for (int i = 0; i < n; i++) {
                int row = i * c;
                if (classes != null) {
                    double f = scale * weight(classes[i]);
                    for (int k = 0; k < c; k++) {
                        gz.setFlatInPlace(row + k, f * (Math.exp(logp[row + k]) - (k == classes[i] ? 1 : 0)));
                    }
                } else {
                    double mass = 0; // Σ_c w_c t_ic: how much target weight the row carries
                    for (int k = 0; k < c; k++) mass += weight(k) * t.getFlat(row + k);
                    for (int k = 0; k < c; k++) {
                        gz.setFlatInPlace(row + k, scale * (Math.exp(logp[row + k]) * mass - weight(k) * t.getFlat(row + k)));
                    }
                }
            }
        }
        if (classes != null) return new Tensor[] {gz};
        Tensor gt = null;
        if (needsGrad(1)) {
            gt = Tensor.zeros(t.dtype(), t.shape());
            for (int j = 0; j < n * c; j++) gt.setFlatInPlace(j, -scale * weight(j % c) * logp[j]);
        }
        return new Tensor[] {gz, gt};
    }
}
