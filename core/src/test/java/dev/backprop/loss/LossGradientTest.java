package dev.backprop.loss;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.backprop.autograd.GradCheck;
import dev.backprop.tensor.DType;
import dev.backprop.tensor.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every loss against central differences in double precision (GradCheck), on random outputs of several batch sizes,
 * batch 1 included; the target is held fixed in the closure unless the case checks its gradient too.
 */
class LossGradientTest {
    private static final int[][] SHAPES = {{1, 1}, {1, 3}, {4, 3}, {5, 1}, {2, 6}};

    /** A case: the function GradCheck differentiates, and the tensors it differentiates with respect to. */
    private record Case(String name, Function<Tensor[], Tensor> f, Tensor... inputs) {
        @Override
        public String toString() {
            StringBuilder sb = new StringBuilder(name);
            for (Tensor t : inputs) sb.append(' ').append(t.shape());
            return sb.toString();
        }
    }

    private static Tensor random(SplittableRandom rng, DType type, double lo, double hi, int... shape) {
        double[] v = new double[dev.backprop.tensor.Shape.of(shape).size()];
        for (int i = 0; i < v.length; i++) v[i] = rng.nextDouble(lo, hi);
        return Tensor.of(type, v, shape);
    }

    /** A target at a distance of 0.05 to 1.5 from the output in either direction: never at MAE's kink d = 0. */
    private static Tensor nearby(SplittableRandom rng, Tensor output, DType type) {
        double[] v = new double[output.size()];
        for (int i = 0; i < v.length; i++) {
            double d = rng.nextDouble(0.05, 1.5);
            v[i] = output.getFlat(i) + (rng.nextBoolean() ? d : -d);
        }
        return Tensor.of(type, v, output.shape().dims());
    }

    private static Tensor softLabels(SplittableRandom rng, int n, int c) {
        double[] v = new double[n * c];
        for (int i = 0; i < n; i++) {
            double s = 0;
            for (int k = 0; k < c; k++) s += v[i * c + k] = rng.nextDouble(0.01, 1);
            for (int k = 0; k < c; k++) v[i * c + k] /= s;
        }
        return Tensor.of(DType.FLOAT64, v, n, c);
    }

    private static Case fixedTarget(String name, Loss loss, Tensor output, Tensor target) {
        return new Case(name, in -> loss.apply(in[0], target), output);
    }

    static Stream<Arguments> cases() {
        List<Case> cases = new ArrayList<>();
        for (int[] s : SHAPES) {
            SplittableRandom rng = new SplittableRandom(Arrays.hashCode(s));
            int n = s[0], c = s[1];
            Tensor out = random(rng, DType.FLOAT64, -2, 2, s);
            for (Loss loss : new Loss[] {new HalfSumSquares(), new MeanSquaredError(), new MeanAbsoluteError(),
                    new Huber(), new Huber(0.4)}) {
                cases.add(fixedTarget(loss.toString(), loss, out, nearby(rng, out, DType.FLOAT64)));
            }
            // A float32 target promotes the float64 output's ops to float64, so the check still runs in double.
            cases.add(fixedTarget("mse, float32 target", new MeanSquaredError(), out, nearby(rng, out, DType.FLOAT32)));
            Tensor y = nearby(rng, out, DType.FLOAT64);
            cases.add(new Case("mse, target gradient too", in -> new MeanSquaredError().apply(in[0], in[1]), out, y));
            cases.add(new Case("huber, target gradient too", in -> new Huber(0.7).apply(in[0], in[1]), out, y));

            Tensor logits = random(rng, DType.FLOAT64, -3, 3, s);
            int[] classes = new int[n];
            for (int i = 0; i < n; i++) classes[i] = rng.nextInt(c);
            double[] w = new double[c];
            for (int k = 0; k < c; k++) w[k] = rng.nextDouble(0.2, 3);
            Tensor column = CrossEntropy.classIndices(classes).reshape(n, 1);
            Tensor soft = softLabels(rng, n, c);
            cases.add(fixedTarget("cross-entropy, indices [N]", new CrossEntropy(), logits, CrossEntropy.classIndices(classes)));
            cases.add(fixedTarget("cross-entropy, indices [N, 1]", new CrossEntropy(), logits, column));
            cases.add(fixedTarget("cross-entropy, weighted indices", new CrossEntropy(w), logits, CrossEntropy.classIndices(classes)));
            cases.add(fixedTarget("cross-entropy, soft labels", new CrossEntropy(), logits, soft));
            cases.add(fixedTarget("cross-entropy, weighted soft labels", new CrossEntropy(w), logits, soft));
            cases.add(new Case("cross-entropy, soft-label gradient too", in -> new CrossEntropy(w).apply(in[0], in[1]),
                    logits, soft));

            Tensor labels = random(rng, DType.FLOAT64, 0, 1, s);
            for (int i = 0; i < labels.size(); i += 2) labels.setFlatInPlace(i, Math.rint(labels.getFlat(i)));
            cases.add(fixedTarget("bce", new BinaryCrossEntropy(), logits, labels));
            cases.add(fixedTarget("bce, pos weight 2.5", new BinaryCrossEntropy(2.5), logits, labels));
            cases.add(fixedTarget("bce, float32 targets", new BinaryCrossEntropy(0.5), logits, labels.to(DType.FLOAT32)));
            cases.add(new Case("bce, target gradient too", in -> new BinaryCrossEntropy(2.5).apply(in[0], in[1]),
                    logits, labels));
        }
        return cases.stream().map(Arguments::of);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void gradientMatchesCentralDifferences(Case c) {
        GradCheck.Result r = GradCheck.check(c.f(), c.inputs());
        assertTrue(r.passed(), r.toString());
    }
}
