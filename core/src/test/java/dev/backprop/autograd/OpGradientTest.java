package dev.backprop.autograd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.backprop.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every differentiable op against central differences in double precision, on random inputs of several shape
 * classes: square and odd matrices, 1×N, N×1, scalars, and broadcast pairs.
 */
class OpGradientTest {
    private static final int[][] SHAPES = {{3, 4}, {1, 5}, {5, 1}, {1, 1}, {7}, {2, 3, 4}};

    /** A scalar function of tensors, and the input shapes to check it at. */
    private record Case(String name, Function<Tensor[], Tensor> f, double lo, double hi, int[]... shapes) {
        @Override
        public String toString() {
            StringBuilder sb = new StringBuilder(name);
            for (int[] s : shapes) sb.append(' ').append(java.util.Arrays.toString(s));
            return sb.toString();
        }
    }

    /** Weights a non-scalar result by fixed pseudo-random numbers, so every output element matters differently. */
    private static Tensor weighted(Tensor y) {
        SplittableRandom rng = new SplittableRandom(y.size() * 31L + y.rank());
        double[] w = new double[y.size()];
        for (int i = 0; i < w.length; i++) w[i] = rng.nextDouble(-1, 1);
        return y.mul(Tensor.of(dev.backprop.tensor.DType.FLOAT64, w, y.shape().dims())).sum();
    }

    static Stream<Arguments> cases() {
        List<Case> cases = new ArrayList<>();
        for (int[] s : SHAPES) {
            cases.add(new Case("neg", in -> weighted(in[0].neg()), -2, 2, s));
            cases.add(new Case("exp", in -> weighted(in[0].exp()), -2, 2, s));
            cases.add(new Case("log", in -> weighted(in[0].log()), 0.2, 3, s));
            cases.add(new Case("sqrt", in -> weighted(in[0].sqrt()), 0.2, 3, s));
            cases.add(new Case("abs", in -> weighted(in[0].abs()), -2, 2, s));
            cases.add(new Case("clamp", in -> weighted(in[0].clamp(-0.5, 0.7)), -2, 2, s));
            cases.add(new Case("pow scalar", in -> weighted(in[0].pow(3)), -2, 2, s));
            cases.add(new Case("pow 0.5", in -> weighted(in[0].pow(0.5)), 0.2, 3, s));
            cases.add(new Case("sigmoid", in -> weighted(in[0].sigmoid()), -4, 4, s));
            cases.add(new Case("tanh", in -> weighted(in[0].tanh()), -3, 3, s));
            cases.add(new Case("relu", in -> weighted(in[0].relu()), -2, 2, s));
            cases.add(new Case("leaky relu", in -> weighted(in[0].leakyRelu(0.1)), -2, 2, s));
            cases.add(new Case("elu", in -> weighted(in[0].elu(1.0)), -2, 2, s));
            cases.add(new Case("gelu", in -> weighted(in[0].gelu()), -3, 3, s));
            cases.add(new Case("add", in -> weighted(in[0].add(in[1])), -2, 2, s, s));
            cases.add(new Case("sub", in -> weighted(in[0].sub(in[1])), -2, 2, s, s));
            cases.add(new Case("mul", in -> weighted(in[0].mul(in[1])), -2, 2, s, s));
            cases.add(new Case("div", in -> weighted(in[0].div(in[1])), 0.5, 2, s, s));
            cases.add(new Case("pow", in -> weighted(in[0].pow(in[1])), 0.5, 2, s, s));
            cases.add(new Case("same input twice", in -> weighted(in[0].mul(in[0]).add(in[0])), -2, 2, s));
            cases.add(new Case("add scalar", in -> weighted(in[0].add(in[1])), -2, 2, s, new int[0]));
            cases.add(new Case("scalar div", in -> weighted(in[1].div(in[0])), 0.5, 2, s, new int[0]));
            cases.add(new Case("sum", in -> in[0].sum().mul(in[0].sum()), -2, 2, s));
            cases.add(new Case("mean", in -> in[0].mean().mul(in[0].mean()), -2, 2, s));
            cases.add(new Case("max", in -> in[0].max().mul(3), -2, 2, s));
            cases.add(new Case("reshape", in -> weighted(in[0].reshape(-1).sigmoid()), -2, 2, s));
            cases.add(new Case("softmax last", in -> weighted(in[0].softmax(-1)), -3, 3, s));
            cases.add(new Case("log softmax last", in -> weighted(in[0].logSoftmax(-1)), -3, 3, s));
            cases.add(new Case("softmax first", in -> weighted(in[0].softmax(0)), -3, 3, s));
            cases.add(new Case("log softmax first", in -> weighted(in[0].logSoftmax(0)), -3, 3, s));
            if (s.length >= 2) {
                cases.add(new Case("sum axis 0", in -> weighted(in[0].sum(0, false)), -2, 2, s));
                cases.add(new Case("sum axis -1 keep", in -> weighted(in[0].sum(-1, true)), -2, 2, s));
                cases.add(new Case("mean axis 1", in -> weighted(in[0].mean(1, false)), -2, 2, s));
                cases.add(new Case("max axis 0", in -> weighted(in[0].max(0, false)), -2, 2, s));
                cases.add(new Case("max axis -1 keep", in -> weighted(in[0].max(-1, true)), -2, 2, s));
                cases.add(new Case("transpose", in -> weighted(in[0].transpose()), -2, 2, s));
                cases.add(new Case("transpose 0,last", in -> weighted(in[0].transpose(0, s.length - 1)), -2, 2, s));
                cases.add(new Case("slice rows", in -> weighted(in[0].sliceRows(0, 1)), -2, 2, s));
                cases.add(new Case("gather rows", in -> weighted(in[0].gatherRows(0, 0, s[0] - 1)), -2, 2, s));
                // Broadcasting: a row vector over the matrix, and a column vector over it.
                int[] row = {s[s.length - 1]};
                int[] col = s.clone();
                col[col.length - 1] = 1;
                cases.add(new Case("add row vector", in -> weighted(in[0].add(in[1])), -2, 2, s, row));
                cases.add(new Case("mul row vector", in -> weighted(in[0].mul(in[1])), -2, 2, s, row));
                cases.add(new Case("sub column", in -> weighted(in[1].sub(in[0])), -2, 2, s, col));
                cases.add(new Case("div column", in -> weighted(in[0].div(in[1])), 0.5, 2, s, col));
            }
        }
        int[][][] products = {{{3, 4}, {4, 5}}, {{1, 6}, {6, 1}}, {{6, 1}, {1, 6}}, {{1, 1}, {1, 1}}, {{20, 30}, {30, 25}}};
        for (int[][] p : products) {
            int m = p[0][0], k = p[0][1], n = p[1][1];
            cases.add(new Case("matmul", in -> weighted(in[0].matmul(in[1])), -1, 1, new int[] {m, k}, new int[] {k, n}));
            cases.add(new Case("matmul Aᵀ", in -> weighted(in[0].matmul(in[1], true, false)), -1, 1, new int[] {k, m}, new int[] {k, n}));
            cases.add(new Case("matmul Bᵀ", in -> weighted(in[0].matmul(in[1], false, true)), -1, 1, new int[] {m, k}, new int[] {n, k}));
            cases.add(new Case("matmul AᵀBᵀ", in -> weighted(in[0].matmul(in[1], true, true)), -1, 1, new int[] {k, m}, new int[] {n, k}));
        }
        // The fused layer, with a parameter-like leaf W and b (their gradients go straight into the buffers) and
        // with computed operands (returned as tensors), with and without a bias.
        for (int[] p : new int[][] {{4, 3, 5}, {1, 6, 2}, {6, 1, 1}, {20, 30, 25}}) {
            int batch = p[0], in = p[1], out = p[2];
            int[] x = {batch, in}, w = {out, in}, b = {out};
            cases.add(new Case("linear", in2 -> weighted(in2[0].linear(in2[1], in2[2])), -1, 1, x, w, b));
            cases.add(new Case("linear no bias", in2 -> weighted(in2[0].linear(in2[1], null)), -1, 1, x, w));
            cases.add(new Case("linear computed operands",
                    in2 -> weighted(in2[0].tanh().linear(in2[1].mul(2), in2[2].mul(in2[2]))), -1, 1, x, w, b));
            cases.add(new Case("linear, weight used twice", in2 -> weighted(in2[0].linear(in2[1], in2[2])
                    .add(in2[0].matmul(in2[1], false, true))), -1, 1, x, w, b));
        }
        cases.add(new Case("matmul computed operands", in -> weighted(in[0].mul(3).matmul(in[1].exp(), false, true)), -1, 1,
                new int[] {4, 3}, new int[] {5, 3}));
        // A small network, the way the seeds write it: out = σ(σ(x·W1ᵀ + b1)·W2ᵀ + b2), E = ½ Σ (y − out)².
        cases.add(new Case("two-layer sigmoid net", in -> {
            Tensor h = in[0].matmul(in[1], false, true).add(in[2]).sigmoid();
            Tensor o = h.matmul(in[3], false, true).add(in[4]).sigmoid();
            return o.sub(in[5]).pow(2).sum().mul(0.5);
        }, -1, 1, new int[] {4, 3}, new int[] {5, 3}, new int[] {5}, new int[] {2, 5}, new int[] {2}, new int[] {4, 2}));
        return cases.stream().map(Arguments::of);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void gradientMatchesCentralDifferences(Case c) {
        SplittableRandom rng = new SplittableRandom(c.toString().hashCode());
        Tensor[] inputs = new Tensor[c.shapes().length];
        for (int i = 0; i < inputs.length; i++) {
            int[] s = c.shapes()[i];
            double[] v = new double[dev.backprop.tensor.Shape.of(s).size()];
            for (int j = 0; j < v.length; j++) v[j] = rng.nextDouble(c.lo(), c.hi());
            inputs[i] = Tensor.of(dev.backprop.tensor.DType.FLOAT64, v, s);
        }
        GradCheck.Result r = GradCheck.check(c.f(), inputs);
        assertTrue(r.passed(), r.toString());
    }

    @Test
    void transposeCountsNegativeAxesFromTheEnd() {
        Tensor x = Tensor.of(new double[] {1, 2, 3, 4, 5, 6}, 1, 2, 3);
        Tensor swapped = new dev.backprop.autograd.ops.Transpose(-1, -2).apply(x);
        assertEquals(dev.backprop.tensor.Shape.of(1, 3, 2), swapped.shape());
        assertArrayEquals(x.transpose(1, 2).toDoubleArray(), swapped.toDoubleArray());
        org.junit.jupiter.api.Assertions.assertThrows(dev.backprop.tensor.ShapeException.class,
                () -> new dev.backprop.autograd.ops.Transpose(0, 3).apply(x));
    }
}
