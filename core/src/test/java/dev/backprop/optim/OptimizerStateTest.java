package dev.backprop.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.backprop.tensor.DType;
import dev.backprop.tensor.Shape;
import dev.backprop.tensor.Tensor;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Saving and restoring an optimizer's state: exact continuation, copies, and the checks on what is loaded. */
class OptimizerStateTest {

    /** A two-layer model's parameters with fixed random values; "1.bias" is frozen. */
    private static Map<String, Tensor> model(DType dtype) {
        SplittableRandom rng = new SplittableRandom(42);
        Map<String, Tensor> params = new LinkedHashMap<>();
        params.put("0.weight", Tensor.randn(rng, 3, 2).to(dtype).requiresGrad(true));
        params.put("0.bias", Tensor.randn(rng, 3).to(dtype).requiresGrad(true));
        params.put("1.weight", Tensor.randn(rng, 1, 3).to(dtype).requiresGrad(true));
        params.put("1.bias", Tensor.randn(rng, 1).to(dtype));
        return params;
    }

    private static Map<String, Tensor> copyOf(Map<String, Tensor> params) {
        Map<String, Tensor> copy = new LinkedHashMap<>();
        params.forEach((k, v) -> copy.put(k, v.copy().requiresGrad(v.requiresGrad())));
        return copy;
    }

    /**
     * Gradients that depend on the weights and the step, as a real loss's would; "0.bias" gets none on odd
     * steps, so that parameters' own step counts differ.
     */
    private static void gradients(Map<String, Tensor> params, int step) {
        for (Map.Entry<String, Tensor> e : params.entrySet()) {
            Tensor p = e.getValue();
            if (e.getKey().equals("0.bias") && step % 2 == 1) {
                p.setGrad(null);
                continue;
            }
            Tensor g = Tensor.zeros(p.dtype(), p.shape());
            for (int i = 0; i < p.size(); i++) g.setFlatInPlace(i, Math.sin(3 * p.getFlat(i) + step + i));
            p.setGrad(g);
        }
    }

    static Stream<Arguments> optimizers() {
        List<Function<Map<String, Tensor>, Optimizer>> makers = List.of(
                p -> Sgd.builder().lr(0.1).momentum(0.9).nesterov(true).weightDecay(0.01).build(p),
                p -> Sgd.builder().lr(0.1).build(p),
                p -> Adam.builder().lr(0.05).weightDecay(0.01).build(p),
                p -> AdamW.builder().lr(0.05).build(p),
                p -> RmsProp.builder().lr(0.01).momentum(0.5).centered(true).build(p),
                p -> Adagrad.builder().lr(0.1).lrDecay(0.1).initialAccumulatorValue(0.1).build(p));
        return Stream.of(DType.values()).flatMap(d -> makers.stream().map(m -> Arguments.of(d, m)));
    }

    @ParameterizedTest
    @MethodSource("optimizers")
    void restoringAndContinuingIsBitIdentical(DType dtype, Function<Map<String, Tensor>, Optimizer> make) {
        Map<String, Tensor> straight = model(dtype);
        Optimizer uninterrupted = make.apply(straight);
        for (int step = 0; step < 5; step++) {
            if (step == 1) uninterrupted.setLearningRate(uninterrupted.learningRate() / 2);  // as a schedule would
            gradients(straight, step);
            uninterrupted.step();
        }

        Map<String, Tensor> first = model(dtype);
        Optimizer before = make.apply(first);
        for (int step = 0; step < 2; step++) {
            if (step == 1) before.setLearningRate(before.learningRate() / 2);
            gradients(first, step);
            before.step();
        }
        OptimizerState saved = before.state();
        for (boolean viaFromState : new boolean[] {true, false}) {
            Map<String, Tensor> resumedParams = copyOf(first);                 // the weights of the checkpoint
            Optimizer resumed = viaFromState ? Optimizer.fromState(saved, resumedParams) : make.apply(resumedParams);
            if (!viaFromState) resumed.loadState(saved);
            assertEquals(2, resumed.steps());
            for (int step = 2; step < 5; step++) {
                gradients(resumedParams, step);
                resumed.step();
            }
            for (String name : straight.keySet()) {
                assertArrayEquals(straight.get(name).toDoubleArray(), resumedParams.get(name).toDoubleArray(), 0,
                        uninterrupted.type() + " " + dtype + " " + name + (viaFromState ? " (fromState)" : " (loadState)"));
            }
            assertEquals(uninterrupted.state().tensors().keySet(), resumed.state().tensors().keySet());
            assertEquals(5, resumed.steps());
        }
    }

    @Test
    void stateNamesTensorsByParameterAndSlotAndHoldsCopies() {
        Map<String, Tensor> params = model(DType.FLOAT32);
        Adam adam = Adam.builder().lr(0.01).build(params);
        gradients(params, 0);
        adam.step();
        OptimizerState state = adam.state();
        assertEquals(OptimizerType.ADAM, state.type());
        assertEquals(1, state.steps());
        assertEquals(List.of("0.weight.exp_avg", "0.weight.exp_avg_sq", "0.weight.step",
                "0.bias.exp_avg", "0.bias.exp_avg_sq", "0.bias.step",
                "1.weight.exp_avg", "1.weight.exp_avg_sq", "1.weight.step"), List.copyOf(state.tensors().keySet()));
        assertEquals(Shape.of(3, 2), state.tensors().get("0.weight.exp_avg").shape());
        assertEquals(Map.of("lr", 0.01, "beta1", 0.9, "beta2", 0.999, "eps", 1e-8, "weight_decay", 0.0),
                state.hyperParameters());
        float[] saved = state.tensors().get("0.weight.exp_avg").toFloatArray();
        gradients(params, 2);
        adam.step();
        assertArrayEquals(saved, state.tensors().get("0.weight.exp_avg").toFloatArray());
        assertEquals(1.0, state.tensors().get("0.weight.step").item());
        assertThrows(UnsupportedOperationException.class, () -> state.tensors().clear());
    }

    @Test
    void loadingAFreshStateForgetsEverything() {
        Map<String, Tensor> params = model(DType.FLOAT32);
        Sgd sgd = Sgd.builder().lr(0.1).momentum(0.9).build(params);
        OptimizerState fresh = sgd.state();
        gradients(params, 0);
        sgd.step();
        sgd.loadState(fresh);
        assertEquals(0, sgd.steps());
        assertTrue(sgd.state().tensors().isEmpty());
    }

    private static void assertRejected(String expected, Executable load) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, load);
        assertTrue(e.getMessage().contains(expected), () -> "'" + e.getMessage() + "' should contain '" + expected + "'");
    }

    private static OptimizerState with(OptimizerState s, Map<String, Tensor> tensors) {
        return new OptimizerState(s.type(), s.hyperParameters(), s.steps(), tensors);
    }

    @Test
    void loadStateChecksTypeNamesShapesSlotsAndSettings() {
        Map<String, Tensor> params = model(DType.FLOAT32);
        Adam adam = Adam.builder().lr(0.01).build(params);
        gradients(params, 0);
        adam.step();
        OptimizerState saved = adam.state();
        Adam other = Adam.builder().lr(0.01).build(model(DType.FLOAT32));

        assertRejected("SGD: cannot load the state of ADAM; use Optimizer.fromState",
                () -> Sgd.builder().build(model(DType.FLOAT32)).loadState(saved));
        assertRejected("the state was saved with beta2 = 0.999, this optimizer has beta2 = 0.99",
                () -> Adam.builder().betas(0.9, 0.99).build(model(DType.FLOAT32)).loadState(saved));

        Map<String, Tensor> renamed = new LinkedHashMap<>(saved.tensors());
        renamed.put("2.weight.exp_avg", renamed.remove("1.weight.exp_avg"));
        assertRejected("state tensor '2.weight.exp_avg' belongs to parameter '2.weight', which this optimizer does not"
                + " have; its parameters: [0.weight, 0.bias, 1.weight, 1.bias]", () -> other.loadState(with(saved, renamed)));

        Map<String, Tensor> reshaped = new LinkedHashMap<>(saved.tensors());
        reshaped.put("0.weight.exp_avg", Tensor.zeros(2, 3));
        assertRejected("state tensor '0.weight.exp_avg' has shape [2, 3], parameter '0.weight' has shape [3, 2]",
                () -> other.loadState(with(saved, reshaped)));

        Map<String, Tensor> missing = new LinkedHashMap<>(saved.tensors());
        missing.remove("0.bias.exp_avg_sq");
        assertRejected("the state lacks '0.bias.exp_avg_sq'", () -> other.loadState(with(saved, missing)));

        Map<String, Tensor> noStep = new LinkedHashMap<>(saved.tensors());
        noStep.remove("0.bias.step");
        assertRejected("the state lacks '0.bias.step'", () -> other.loadState(with(saved, noStep)));

        Map<String, Tensor> badStep = new LinkedHashMap<>(saved.tensors());
        badStep.put("0.bias.step", Tensor.scalar(DType.FLOAT64, 1.5));
        assertRejected("state tensor '0.bias.step' must be one whole number >= 1", () -> other.loadState(with(saved, badStep)));

        Map<String, Tensor> unknownSlot = new LinkedHashMap<>(saved.tensors());
        unknownSlot.put("0.bias.momentum_buffer", Tensor.zeros(3));
        assertRejected("unknown slot 'momentum_buffer'; ADAM keeps [exp_avg, exp_avg_sq] and step",
                () -> other.loadState(with(saved, unknownSlot)));

        // A rejected state changes nothing.
        assertEquals(0, other.steps());
        assertTrue(other.state().tensors().isEmpty());
        assertRejected("optimizer state: steps must be >= 0, got -1",
                () -> new OptimizerState(OptimizerType.SGD, Map.of(), -1, Map.of()));
    }
}
