package dev.backprop.autograd;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.backprop.tensor.DType;
import dev.backprop.tensor.Tensor;
import java.util.SplittableRandom;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * The hot ops have float32 loops of their own (Relu, Sigmoid, Add and Sub over same-shape, bias-row and scalar
 * operands). The gradient checks run in float64, through the general loops; this test holds the float32 loops to
 * the same values and gradients.
 */
class Float32PathTest {

    private static void assertSameInBothPrecisions(String what, Function<Tensor[], Tensor> f, int[]... shapes) {
        SplittableRandom rng = new SplittableRandom(what.hashCode());
        Tensor[] f32 = new Tensor[shapes.length], f64 = new Tensor[shapes.length];
        for (int i = 0; i < shapes.length; i++) {
            Tensor t = Tensor.uniform(rng, -2, 2, shapes[i]);
            f32[i] = t.copy().requiresGrad(true);
            f64[i] = t.to(DType.FLOAT64).copy().requiresGrad(true);
        }
        Tensor y32 = f.apply(f32), y64 = f.apply(f64);
        assertEquals(DType.FLOAT32, y32.dtype(), what);
        for (int k = 0; k < y32.size(); k++) assertEquals(y64.getFlat(k), y32.getFlat(k), 1e-5, what + " value " + k);
        Tensor w = Tensor.uniform(rng, -1, 1, y32.shape().dims());
        y32.mul(w).sum().backward();
        y64.mul(w.to(DType.FLOAT64)).sum().backward();
        for (int i = 0; i < shapes.length; i++) {
            for (int k = 0; k < f32[i].size(); k++) {
                assertEquals(f64[i].grad().getFlat(k), f32[i].grad().getFlat(k), 1e-5, what + " gradient of input " + i + " at " + k);
            }
        }
    }

    @Test
    void hotOpsAgreeWithTheGeneralLoops() {
        assertSameInBothPrecisions("relu", in -> in[0].relu(), new int[] {7, 9});
        assertSameInBothPrecisions("sigmoid", in -> in[0].sigmoid(), new int[] {7, 9});
        assertSameInBothPrecisions("add same", in -> in[0].add(in[1]), new int[] {5, 6}, new int[] {5, 6});
        assertSameInBothPrecisions("add bias", in -> in[0].add(in[1]), new int[] {5, 6}, new int[] {6});
        assertSameInBothPrecisions("bias add", in -> in[1].add(in[0]), new int[] {5, 6}, new int[] {1, 6});
        assertSameInBothPrecisions("add scalar", in -> in[0].add(in[1]), new int[] {5, 6}, new int[0]);
        assertSameInBothPrecisions("sub bias", in -> in[0].sub(in[1]), new int[] {5, 6}, new int[] {6});
        assertSameInBothPrecisions("bias sub", in -> in[1].sub(in[0]), new int[] {5, 6}, new int[] {6});
        assertSameInBothPrecisions("sub same", in -> in[0].sub(in[1]), new int[] {2, 3, 4}, new int[] {2, 3, 4});
        assertSameInBothPrecisions("add rank 3 bias", in -> in[0].add(in[1]), new int[] {2, 3, 4}, new int[] {3, 4});
        assertSameInBothPrecisions("add column (general loop)", in -> in[0].add(in[1]), new int[] {5, 6}, new int[] {5, 1});
    }
}
