package dev.backprop.explain;

import dev.backprop.autograd.NoGrad;
import dev.backprop.loss.CrossEntropy;
import dev.backprop.loss.Loss;
import dev.backprop.nn.Mode;
import dev.backprop.tensor.DType;
import dev.backprop.tensor.Tensor;
import dev.backprop.train.Evaluation;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The work behind {@link Explanation.Builder#build()}: one forward pass, one backward pass and one step on one
 * sample, in float64, keeping every intermediate value and gradient that the explanation shows.
 */
final class OneStep {
    private OneStep() {}

    /** The target as a tensor for the loss, and as a vector for the text. */
    private record Target(Tensor tensor, double[] y, int cls) {}

    private static Target target(Explanation.Builder b, int outputs) {
        boolean ce = b.loss instanceof CrossEntropy;
        int cls = b.targetClass;
        if (b.target != null && ce && outputs > 1 && b.target.length == 1) {
            double v = b.target[0];
            if (!(v == Math.rint(v) && v >= 0 && v < outputs)) {
                throw new IllegalArgumentException("explain: cross-entropy target " + v + " is not a class index in 0.."
                        + (outputs - 1));
            }
            cls = (int) v;
        }
        if (cls >= 0 || b.target == null) {
            if (b.target == null && cls < 0) {
                throw new IllegalArgumentException("explain: no target; give one value per output (" + outputs
                        + ") or a class index");
            }
            if (cls >= outputs) {
                throw new IllegalArgumentException("explain: target class " + cls + " is not in 0.." + (outputs - 1));
            }
            double[] oneHot = new double[outputs];
            oneHot[cls] = 1;
            Tensor t = ce ? Tensor.of(DType.FLOAT64, new double[] {cls}, 1) : Tensor.of(DType.FLOAT64, oneHot, 1, outputs);
            return new Target(t, oneHot, ce ? cls : -1);
        }
        if (b.target.length != outputs) {
            throw new IllegalArgumentException("explain: " + b.target.length + " target values for a network of "
                    + outputs + " outputs" + (ce ? " (or give one class index)" : ""));
        }
        for (double v : b.target) {
            if (!Double.isFinite(v)) throw new IllegalArgumentException("explain: target value " + v + " is not finite");
        }
        return new Target(Tensor.of(DType.FLOAT64, b.target, 1, outputs), b.target.clone(), -1);
    }

    static Explanation run(Explanation.Builder b) {
        List<SpecLayers.Layer> spec = SpecLayers.of(b.model, "explain");
        int count = spec.size(), inputs = spec.getFirst().inputs(), outputs = spec.getLast().units();
        if (b.input == null) throw new IllegalArgumentException("explain: no input; give one value per input (" + inputs + ")");
        if (b.input.length != inputs) {
            throw new IllegalArgumentException("explain: " + b.input.length + " input values for a network of " + inputs + " inputs");
        }
        for (double v : b.input) {
            if (!Double.isFinite(v)) throw new IllegalArgumentException("explain: input value " + v + " is not finite");
        }
        Target target = target(b, outputs);
        // The loss takes logits when the last activation is fused into it; then the output layer's δ comes straight
        // from the loss (δ = out − y) and its out is shown but lies off the loss's path.
        boolean fused = Evaluation.lossView(b.model, b.loss) != b.model;

        Tensor[] w = new Tensor[count], bias = new Tensor[count], nets = new Tensor[count], outs = new Tensor[count];
        Tensor[] ins = new Tensor[count];
        Tensor a = Tensor.of(DType.FLOAT64, b.input, 1, inputs);
        for (int k = 0; k < count; k++) {
            ins[k] = a;
            w[k] = spec.get(k).weight64();
            bias[k] = spec.get(k).bias64();
            nets[k] = SpecLayers.net(a, w[k], bias[k]).retainGrad();
            outs[k] = spec.get(k).activation().forward(nets[k], Mode.EVAL).retainGrad();
            a = outs[k];
        }
        Tensor e = b.loss.apply(fused ? nets[count - 1] : outs[count - 1], target.tensor());
        e.backward();

        Tensor[] wAfter = new Tensor[count], bAfter = new Tensor[count];
        try (NoGrad ignored = NoGrad.enter()) {
            for (int k = 0; k < count; k++) {
                wAfter[k] = w[k].detach().sub(gradOf(w[k]).mul(b.learningRate));       // p ← p − α·∂E/∂p
                bAfter[k] = bias[k].detach().sub(gradOf(bias[k]).mul(b.learningRate));
            }
        }
        double after = lossAt(spec, b.loss, fused, b.input, wAfter, bAfter, target.tensor());
        // Some tutorials update the weights only (seed 003 does); their "error after" is comparable only to this.
        double afterWeightsOnly = lossAt(spec, b.loss, fused, b.input, wAfter, detached(bias), target.tensor());

        String[] xNames = new String[inputs];
        for (int i = 0; i < inputs; i++) xNames[i] = "x" + (i + 1);
        List<Explanation.Layer> layers = new ArrayList<>();
        String[] previous = xNames;
        for (int k = 0; k < count; k++) {
            SpecLayers.Layer s = spec.get(k);
            boolean last = k == count - 1;
            String[] names = unitNames(k, count, s.units());
            boolean takenOver = last && fused;
            double[] dOutDNet = s.elementwise() && !takenOver ? localDerivative(s, nets[k]) : nan(s.units());
            double[] dEdOut = takenOver ? nan(s.units()) : values(outs[k].grad(), s.units());
            boolean listed = switch (b.detail) {
                case FULL -> true;
                case SUMMARY -> false;
                case AUTO -> s.units() <= Explanation.MAX_LISTED_UNITS && (long) s.units() * s.inputs() <= Explanation.MAX_LISTED_WEIGHTS;
            };
            layers.add(new Explanation.Layer(k, last ? "output layer" : count == 2 ? "hidden layer" : "hidden layer " + (k + 1), s,
                    previous, names, ins[k].toDoubleArray(), nets[k].toDoubleArray(), outs[k].toDoubleArray(), dEdOut,
                    dOutDNet, values(nets[k].grad(), s.units()), rows(w[k]), rows(gradOf(w[k])), rows(wAfter[k]),
                    bias[k].toDoubleArray(), gradOf(bias[k]).toDoubleArray(), bAfter[k].toDoubleArray(), takenOver, listed));
            previous = names;
        }
        return new Explanation(b.loss, fused, SpecLayers.shape(spec), xNames, b.input.clone(), target.y(), target.cls(),
                b.learningRate, layers, e.item(), after, afterWeightsOnly, b.remarks, b.detail);
    }

    /** Unit names: h1, h2 with one hidden layer; h1_1, h2_3 (layer, unit) with several; o1, o2 for the output. */
    private static String[] unitNames(int k, int count, int units) {
        String[] n = new String[units];
        for (int j = 0; j < units; j++) {
            n[j] = k == count - 1 ? "o" + (j + 1) : count == 2 ? "h" + (j + 1) : "h" + (k + 1) + "_" + (j + 1);
        }
        return n;
    }

    /**
     * ∂out_j/∂net_j by autodiff of the activation alone: for an elementwise f the Jacobian is diagonal, so
     * backpropagating ones through f at net gives exactly its diagonal.
     */
    private static double[] localDerivative(SpecLayers.Layer s, Tensor net) {
        Tensor z = net.detach().copy().requiresGrad(true);
        Tensor y = s.activation().forward(z, Mode.EVAL);
        y.backward(Tensor.zeros(DType.FLOAT64, z.shape()).fillInPlace(1));
        return z.grad().toDoubleArray();
    }

    private static double lossAt(List<SpecLayers.Layer> spec, Loss loss, boolean fused, double[] x, Tensor[] w, Tensor[] b,
                                 Tensor target) {
        try (NoGrad ignored = NoGrad.enter()) {
            Tensor a = Tensor.of(DType.FLOAT64, x, 1, x.length);
            for (int k = 0; k < spec.size(); k++) {
                Tensor net = SpecLayers.net(a, w[k], b[k]);
                a = fused && k == spec.size() - 1 ? net : spec.get(k).activation().forward(net, Mode.EVAL);
            }
            return loss.apply(a, target).item();
        }
    }

    private static Tensor[] detached(Tensor[] t) {
        Tensor[] d = new Tensor[t.length];
        for (int i = 0; i < t.length; i++) d[i] = t[i].detach();
        return d;
    }

    /** A parameter's gradient; zeros where backpropagation did not reach it (it then had no effect on E). */
    private static Tensor gradOf(Tensor p) {
        return p.grad() != null ? p.grad() : Tensor.zeros(p.dtype(), p.shape());
    }

    private static double[] values(Tensor grad, int n) {
        return grad != null ? grad.toDoubleArray() : new double[n];
    }

    private static double[] nan(int n) {
        double[] v = new double[n];
        Arrays.fill(v, Double.NaN);
        return v;
    }

    private static double[][] rows(Tensor m) {
        int r = m.shape().dim(0), c = m.shape().dim(1);
        double[][] out = new double[r][c];
        for (int i = 0; i < r; i++) for (int j = 0; j < c; j++) out[i][j] = m.getFlat(i * c + j);
        return out;
    }

}
