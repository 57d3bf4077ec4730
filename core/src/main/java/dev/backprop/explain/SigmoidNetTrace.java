package dev.backprop.explain;

import dev.backprop.autograd.NoGrad;
import dev.backprop.tensor.Tensor;

/**
 * Every number of one forward and backward pass through a sigmoid network with one hidden layer, for one sample,
 * with the half sum of squares E = ½ Σ (y − out)² and one gradient-descent step W ← W − α·∂E/∂W: the worked
 * example of seed 003 ("Mastering Backpropagation"), computed by autodiff.
 *
 * <p>Layout as in PyTorch: {@code w1[j][i]} connects input i to hidden unit j, {@code w2[k][j]} hidden unit j to
 * output k. The chain-rule factors are reported beside the gradients that autodiff gives, so that a reader can
 * check ∂E/∂w = ∂E/∂out · ∂out/∂net · ∂net/∂w term by term.
 *
 * @param input x, [inputs]
 * @param target y, [outputs]
 * @param w1 hidden weights before the step, [hidden][inputs]
 * @param b1 hidden biases before the step, [hidden]
 * @param w2 output weights before the step, [outputs][hidden]
 * @param b2 output biases before the step, [outputs]
 * @param netHidden net(h) = W1·x + b1, [hidden]
 * @param outHidden out(h) = σ(net(h)), [hidden]
 * @param netOutput net(o) = W2·out(h) + b2, [outputs]
 * @param outOutput out(o) = σ(net(o)), [outputs]
 * @param error E = ½ Σ (y − out(o))²
 * @param dErrorDOut ∂E/∂out(o) = out(o) − y, [outputs]
 * @param dOutDNet ∂out(o)/∂net(o) = out(o)(1 − out(o)), [outputs]
 * @param deltaOutput δ(o) = ∂E/∂net(o), the product of the two above, [outputs]
 * @param dErrorDOutHidden ∂E/∂out(h) = W2ᵀ·δ(o), [hidden]
 * @param deltaHidden δ(h) = ∂E/∂net(h) = ∂E/∂out(h) · out(h)(1 − out(h)), [hidden]
 * @param gradW1 ∂E/∂W1 = δ(h)·xᵀ (autodiff), [hidden][inputs]
 * @param gradB1 ∂E/∂b1 = δ(h) (autodiff), [hidden]
 * @param gradW2 ∂E/∂W2 = δ(o)·out(h)ᵀ (autodiff), [outputs][hidden]
 * @param gradB2 ∂E/∂b2 = δ(o) (autodiff), [outputs]
 * @param learningRate α
 * @param w1After W1 after W ← W − α·∂E/∂W
 * @param b1After b1 after the same step
 * @param w2After W2 after the same step
 * @param b2After b2 after the same step
 * @param errorAfter E after updating weights and biases
 * @param errorAfterWeightsOnly E after updating the weights only, the biases left as they were (as seed 003 does)
 */
public record SigmoidNetTrace(
        double[] input, double[] target, double[][] w1, double[] b1, double[][] w2, double[] b2,
        double[] netHidden, double[] outHidden, double[] netOutput, double[] outOutput, double error,
        double[] dErrorDOut, double[] dOutDNet, double[] deltaOutput, double[] dErrorDOutHidden, double[] deltaHidden,
        double[][] gradW1, double[] gradB1, double[][] gradW2, double[] gradB2,
        double learningRate,
        double[][] w1After, double[] b1After, double[][] w2After, double[] b2After,
        double errorAfter, double errorAfterWeightsOnly) {

    /** Seed 003's network: x = (0.1, 0.2), y = (0.05, 0.95), the tutorial's weights and biases, α = 0.5. */
    public static SigmoidNetTrace seed003() {
        return compute(new double[] {0.1, 0.2}, new double[] {0.05, 0.95},
                new double[][] {{0.25, 0.15}, {0.35, 0.28}}, new double[] {0.45, 0.45},
                new double[][] {{0.35, 0.20}, {0.45, 0.40}}, new double[] {0.5, 0.5}, 0.5);
    }

    /** Runs one forward pass, one backward pass and one update, recording every value. */
    public static SigmoidNetTrace compute(double[] x, double[] y, double[][] w1, double[] b1,
                                          double[][] w2, double[] b2, double learningRate) {
        Tensor xs = Tensor.matrix(new double[][] {x});            // [1, inputs]: one sample per row
        Tensor ys = Tensor.matrix(new double[][] {y});
        Tensor W1 = Tensor.matrix(w1).requiresGrad(true);
        Tensor B1 = Tensor.vector(b1).requiresGrad(true);
        Tensor W2 = Tensor.matrix(w2).requiresGrad(true);
        Tensor B2 = Tensor.vector(b2).requiresGrad(true);

        Tensor netH = xs.matmul(W1, false, true).add(B1);          // net(h) = x·W1ᵀ + b1
        Tensor outH = netH.sigmoid();
        Tensor netO = outH.matmul(W2, false, true).add(B2);
        Tensor outO = netO.sigmoid();
        Tensor error = loss(outO, ys);
        error.backward();

        double[] o = outO.toDoubleArray(), t = ys.toDoubleArray(), h = outH.toDoubleArray();
        int outputs = o.length, hidden = h.length;
        double[] dEdOut = new double[outputs], dOutDNet = new double[outputs], deltaO = new double[outputs];
        for (int k = 0; k < outputs; k++) {
            dEdOut[k] = o[k] - t[k];
            dOutDNet[k] = o[k] * (1 - o[k]);
            deltaO[k] = dEdOut[k] * dOutDNet[k];
        }
        double[] dEdOutH = new double[hidden], deltaH = new double[hidden];
        for (int j = 0; j < hidden; j++) {
            for (int k = 0; k < outputs; k++) dEdOutH[j] += w2[k][j] * deltaO[k];
            deltaH[j] = dEdOutH[j] * h[j] * (1 - h[j]);
        }

        Tensor w1After, b1After, w2After, b2After;
        double errorAfter, errorAfterWeightsOnly;
        try (NoGrad ignored = NoGrad.enter()) {
            w1After = W1.sub(W1.grad().mul(learningRate));        // W ← W − α·∂E/∂W
            b1After = B1.sub(B1.grad().mul(learningRate));
            w2After = W2.sub(W2.grad().mul(learningRate));
            b2After = B2.sub(B2.grad().mul(learningRate));
            errorAfter = loss(forward(xs, w1After, b1After, w2After, b2After), ys).item();
            errorAfterWeightsOnly = loss(forward(xs, w1After, B1, w2After, B2), ys).item();
        }
        return new SigmoidNetTrace(x.clone(), y.clone(), rows(W1), B1.toDoubleArray(), rows(W2), B2.toDoubleArray(),
                netH.toDoubleArray(), h, netO.toDoubleArray(), o, error.item(),
                dEdOut, dOutDNet, deltaO, dEdOutH, deltaH,
                rows(W1.grad()), B1.grad().toDoubleArray(), rows(W2.grad()), B2.grad().toDoubleArray(),
                learningRate, rows(w1After), b1After.toDoubleArray(), rows(w2After), b2After.toDoubleArray(),
                errorAfter, errorAfterWeightsOnly);
    }

    private static Tensor forward(Tensor x, Tensor w1, Tensor b1, Tensor w2, Tensor b2) {
        return x.matmul(w1, false, true).add(b1).sigmoid().matmul(w2, false, true).add(b2).sigmoid();
    }

    /** E = ½ Σ (y − out)². */
    private static Tensor loss(Tensor out, Tensor target) {
        return target.sub(out).pow(2).sum().mul(0.5);
    }

    private static double[][] rows(Tensor m) {
        int r = m.shape().dim(0), c = m.shape().dim(1);
        double[][] out = new double[r][c];
        for (int i = 0; i < r; i++) for (int j = 0; j < c; j++) out[i][j] = m.get(i, j);
        return out;
    }
}
