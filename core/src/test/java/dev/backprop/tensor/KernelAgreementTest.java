package dev.backprop.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.backprop.tensor.blas.JavaKernels;
import dev.backprop.tensor.blas.OpenBlasKernels;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * Every op, forward and backward, in float32 on the native kernels and on the pure-Java ones: the results agree to
 * float32 tolerance. Shapes are large enough that products leave the small-product path and reach the kernels.
 */
class KernelAgreementTest {

    private record Run(List<float[]> values) {}

    private static Run run(Kernels kernels, Function<Tensor[], Tensor> f, Tensor... inputs) {
        try (Kernels.Scope ignored = Kernels.use(kernels)) {
            Tensor[] leaves = new Tensor[inputs.length];
            for (int i = 0; i < inputs.length; i++) leaves[i] = inputs[i].copy().requiresGrad(true);
            Tensor out = f.apply(leaves);
            out.backward();
            List<float[]> values = new ArrayList<>();
            values.add(out.toFloatArray());
            for (Tensor leaf : leaves) values.add(leaf.grad() == null ? new float[0] : leaf.grad().toFloatArray());
            return new Run(values);
        }
    }

    private static void assertAgree(String what, Function<Tensor[], Tensor> f, Tensor... inputs) {
        Run nat = run(OpenBlasKernels.load(), f, inputs);
        Run java = run(JavaKernels.INSTANCE, f, inputs);
        for (int v = 0; v < nat.values().size(); v++) {
            float[] a = nat.values().get(v), b = java.values().get(v);
            assertEquals(a.length, b.length, what);
            double scale = 0;
            for (float x : b) scale = Math.max(scale, Math.abs(x));
            for (int i = 0; i < a.length; i++) {
                assertTrue(Math.abs(a[i] - b[i]) <= 1e-5 * Math.max(1, scale),
                        what + " value " + v + " element " + i + ": native " + a[i] + " vs java " + b[i]);
            }
        }
    }

    private static Tensor random(SplittableRandom rng, double lo, double hi, int... shape) {
        return Tensor.uniform(rng, lo, hi, shape);
    }

    @Test
    void matmulInEveryTransposeCombinationAndShapeClass() {
        SplittableRandom rng = new SplittableRandom(11);
        int[][] mkn = {{64, 80, 96}, {1, 300, 40}, {300, 40, 1}, {37, 1, 53}, {129, 257, 65}};
        for (int[] s : mkn) {
            int m = s[0], k = s[1], n = s[2];
            for (int t = 0; t < 4; t++) {
                boolean ta = (t & 1) != 0, tb = (t & 2) != 0;
                Tensor a = ta ? random(rng, -1, 1, k, m) : random(rng, -1, 1, m, k);
                Tensor b = tb ? random(rng, -1, 1, n, k) : random(rng, -1, 1, k, n);
                Tensor w = random(rng, -1, 1, m, n);
                assertAgree("matmul " + m + "x" + k + "x" + n + " ta=" + ta + " tb=" + tb,
                        in -> in[0].matmul(in[1], ta, tb).mul(w).sum(), a, b);
            }
        }
    }

    @Test
    void everyOpInANetworkShapedGraph() {
        SplittableRandom rng = new SplittableRandom(5);
        Tensor x = random(rng, -1, 1, 64, 50), w1 = random(rng, -0.3, 0.3, 40, 50), b1 = random(rng, -1, 1, 40);
        Tensor w2 = random(rng, -0.3, 0.3, 10, 40), b2 = random(rng, -1, 1, 10), pos = random(rng, 0.5, 2, 64, 10);
        assertAgree("network", in -> {
            Tensor h = in[0].matmul(in[1], false, true).add(in[2]);
            Tensor a = h.sigmoid().add(h.tanh()).add(h.relu()).add(h.leakyRelu(0.1)).sub(h.abs().mul(0.1));
            Tensor z = a.matmul(in[3], false, true).add(in[4]).clamp(-5, 5);
            Tensor p = in[5].pow(1.5).sqrt().log().exp().div(in[5]).neg();
            Tensor s = z.softmax(-1).add(z.logSoftmax(1)).mul(p);
            Tensor r = s.sliceRows(3, 40).gatherRows(0, 5, 5, 30).transpose().reshape(-1);
            return r.sum().add(s.mean(0, false).max()).add(s.max(1, true).sum()).add(in[5].pow(in[5]).mean());
        }, x, w1, b1, w2, b2, pos);
    }
}
