package dev.backprop.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.backprop.tensor.Tensor;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Seed 002's opening example: gradient descent on y = (x + 2)² from x = 0 walks x down to −2. */
class Seed002GradientDescentTest {

    @Test
    void sgdFindsTheMinimumOfXPlusTwoSquared() {
        Tensor x = Tensor.scalar(0).requiresGrad(true);
        Sgd sgd = Sgd.builder().lr(0.1).build(List.of(x));
        for (int step = 0; step < 50; step++) {
            sgd.zeroGrad();
            x.add(2).pow(2).backward();
            if (step == 0) assertEquals(4, x.grad().item(), 1e-6);           // the seed's slope dy/dx = 4 at x = 0
            sgd.step();
            if (step == 0) assertEquals(-0.4, x.item(), 1e-6);               // 0 − 0.1·4
        }
        // Each step multiplies x + 2 by 1 − 0.1·2 = 0.8: after 50 steps |x + 2| = 2·0.8⁵⁰ ≈ 3e-5.
        assertTrue(Math.abs(x.item() + 2) < 1e-3, "x = " + x.item());
    }
}
