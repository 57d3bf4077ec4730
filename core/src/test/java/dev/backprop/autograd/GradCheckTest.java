package dev.backprop.autograd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.backprop.tensor.DType;
import dev.backprop.tensor.Tensor;
import org.junit.jupiter.api.Test;

/** The checker itself: it must fail on a wrong derivative and name the op that has it. */
class GradCheckTest {

    /** A test double: the sigmoid's forward with a derivative that forgets the (1 − σ) factor. */
    static final class WrongSigmoid extends Op {
        private Tensor y;

        @Override
        public String name() {
            return "wrong_sigmoid";
        }

        @Override
        protected Tensor forward(Tensor... in) {
            y = in[0].sigmoid();
            return y;
        }

        @Override
        protected Tensor[] backward(Tensor g) {
            return new Tensor[] {g.mul(y)}; // should be g·σ(1 − σ)
        }
    }

    /** A test double whose derivative is right except for one element. */
    static final class OffByOneElement extends Op {
        @Override
        public String name() {
            return "almost_identity";
        }

        @Override
        protected Tensor forward(Tensor... in) {
            return in[0].copy();
        }

        @Override
        protected Tensor[] backward(Tensor g) {
            Tensor gx = g.copy();
            gx.setFlatInPlace(2, gx.getFlat(2) * 1.01);
            return new Tensor[] {gx};
        }
    }

    private static Tensor input() {
        return Tensor.of(DType.FLOAT64, new double[] {0.3, -1.2, 0.8, 2.0, -0.4, 0.1}, 2, 3);
    }

    @Test
    void passesOnACorrectDerivative() {
        GradCheck.Result r = GradCheck.check(in -> in[0].sigmoid().mul(in[0]).sum(), input());
        assertTrue(r.passed(), r.toString());
        assertEquals(6, r.elementsChecked());
        assertEquals("sigmoid", r.op());
    }

    @Test
    void catchesAWrongDerivativeAndNamesTheOp() {
        GradCheck.Result r = GradCheck.check(in -> new WrongSigmoid().apply(in[0].mul(2)).tanh().sum(), input());
        assertFalse(r.passed());
        assertEquals("wrong_sigmoid", r.op(), r.toString());
        assertTrue(r.toString().contains("FAILED"));
    }

    @Test
    void catchesASingleWrongElement() {
        GradCheck.Result r = GradCheck.check(in -> new OffByOneElement().apply(in[0]).exp().sum(), input());
        assertFalse(r.passed());
        assertEquals(0, r.worst().input());
        assertEquals(2, r.worst().index()[1]);
        assertEquals("almost_identity", r.op());
    }

    @Test
    void rejectsANonScalarFunction() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> GradCheck.check(in -> in[0].exp(), input()));
        assertTrue(e.getMessage().contains("[2, 3]"), e.getMessage());
    }

    @Test
    void inputsAreNotChanged() {
        Tensor x = input();
        double[] before = x.toDoubleArray();
        GradCheck.check(in -> in[0].pow(2).sum(), x);
        assertEquals(java.util.Arrays.toString(before), java.util.Arrays.toString(x.toDoubleArray()));
        assertEquals(null, x.grad());
    }
}
