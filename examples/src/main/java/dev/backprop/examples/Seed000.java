package dev.backprop.examples;

import dev.backprop.data.Dataset;
import dev.backprop.init.Init;
import dev.backprop.loss.HalfSumSquares;
import dev.backprop.nn.Activation;
import dev.backprop.nn.Linear;
import dev.backprop.nn.Sequential;
import dev.backprop.optim.Sgd;
import dev.backprop.tensor.Tensor;
import dev.backprop.train.EpochRecord;
import dev.backprop.train.History;
import dev.backprop.train.Trainer;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Seed 000, "backward propagation in matrix form": a [4, 5, 1] sigmoid network predicting house prices from four
 * features, its four gradients computed with the tutorial's own matrix formulas in the tutorial's orientation
 * (observations in columns), checked against the library's autodiff on its usual layout (observations in rows), then
 * the network trained.
 *
 * <p>Shapes, with n = 6 observations: X {@code [4, n]}, W_ih {@code [4, 5]}, b_ih {@code [5, 1]}, Z₁ = W_ihᵀX + b_ih
 * and h₁ = σ(Z₁) {@code [5, n]}, W_ho {@code [5, 1]}, b_ho {@code [1, 1]}, Z₂ = W_hoᵀh₁ + b_ho and O = σ(Z₂)
 * {@code [1, n]}, E = ½ Σ (Y − O)².
 *
 * <pre>{@code
 * Seed000.Comparison c = Seed000.compare(Seed000.initialParameters());
 * c.maxAbsDifference();   // matrix formulas against autodiff, float32 rounding only
 * }</pre>
 */
public final class Seed000 implements SeedExample {
    /** Seed of the uniform(0, 1) draw of every weight and bias, and of training's batch order. */
    static final long SEED = 7;
    /** Learning rate α of plain gradient descent in the training part. */
    static final double LEARNING_RATE = 0.5;
    /** Full-batch epochs (one gradient step each) in the training part. */
    static final int EPOCHS = 3000;

    static final String[] FEATURES = {"size (m²)", "rooms", "age (years)", "to centre (km)"};
    /** Our made-up houses, one per row: the four features in FEATURES' order, then the price in € million. */
    static final double[][] HOUSES = {
            {70, 3, 35, 8, 0.32},
            {120, 5, 10, 12, 0.55},
            {55, 2, 50, 3, 0.41},
            {150, 6, 5, 15, 0.68},
            {95, 4, 20, 2, 0.74},
            {180, 7, 15, 6, 0.89},
    };
    static final int OBSERVATIONS = HOUSES.length;
    static final int HIDDEN = 5;

    /**
     * The weights and biases in the tutorial's orientation.
     *
     * @param wIh W_ih, {@code [4, 5]}: column j holds the weights into hidden unit j
     * @param bIh b_ih, {@code [5, 1]}: one bias per hidden unit
     * @param wHo W_ho, {@code [5, 1]}
     * @param bHo b_ho, {@code [1, 1]}
     */
    record Parameters(Tensor wIh, Tensor bIh, Tensor wHo, Tensor bHo) {}

    /**
     * The forward pass in the tutorial's orientation.
     *
     * @param z1    Z₁ = W_ihᵀX + b_ih, {@code [5, n]}
     * @param h1    h₁ = σ(Z₁), {@code [5, n]}
     * @param z2    Z₂ = W_hoᵀh₁ + b_ho, {@code [1, n]}
     * @param o     O = σ(Z₂), {@code [1, n]}
     * @param error E = ½ Σ (Y − O)²
     */
    record Forward(Tensor z1, Tensor h1, Tensor z2, Tensor o, double error) {}

    /**
     * The four gradients by the tutorial's matrix formulas, and the two products they share.
     *
     * @param delta2 (O − Y)∘O∘(1 − O) = [dE/dO ∗ dO/dZ₂], {@code [1, n]}: one output δ per observation
     * @param delta1 [dh₁/dZ₁ ∗ dZ₂/dh₁ · (dE/dO ∗ dO/dZ₂)] = h₁∘(1 − h₁)∘(W_ho·δ₂), {@code [5, n]}
     * @param dWho   dE/dW_ho = h₁·δ₂ᵀ, {@code [5, 1]}
     * @param dbHo   dE/db_ho = 1·δ₂ᵀ (a row of n ones), {@code [1, 1]}
     * @param dWih   dE/dW_ih = X·δ₁ᵀ, {@code [4, 5]}
     * @param dbIh   dE/db_ih = δ₁·1 (a column of n ones), {@code [5, 1]}
     */
    record MatrixGradients(Tensor delta2, Tensor delta1, Tensor dWho, Tensor dbHo, Tensor dWih, Tensor dbIh) {}

    /**
     * The matrix-form gradients next to the autodiff ones, the latter turned into the tutorial's orientation
     * (Linear's weight {@code [out, in]} is W_ihᵀ, so its gradient is transposed back).
     *
     * @param matrix   the tutorial's formulas
     * @param dWho     autodiff dE/dW_ho, {@code [5, 1]}
     * @param dbHo     autodiff dE/db_ho, {@code [1, 1]}
     * @param dWih     autodiff dE/dW_ih, {@code [4, 5]}
     * @param dbIh     autodiff dE/db_ih, {@code [5, 1]}
     * @param error    E as the library's {@link HalfSumSquares} computes it on the row layout
     */
    record Comparison(MatrixGradients matrix, Tensor dWho, Tensor dbHo, Tensor dWih, Tensor dbIh, double error) {
        /** Largest |matrix − autodiff| over the four gradients' elements. */
        double maxAbsDifference() {
            return Math.max(Math.max(maxAbsDiff(matrix.dWho(), dWho), maxAbsDiff(matrix.dbHo(), dbHo)),
                    Math.max(maxAbsDiff(matrix.dWih(), dWih), maxAbsDiff(matrix.dbIh(), dbIh)));
        }
    }

    /**
     * A training run.
     *
     * @param errors      E before each epoch's step, epoch 1 first
     * @param finalError  E after the last step
     * @param predictions O after the last step, one per house
     */
    record Training(double[] errors, double finalError, double[] predictions) {}

    /** The example; {@link #guideSection()} runs it. */
    public Seed000() {}

    @Override
    public String id() {
        return "000";
    }

    @Override
    public String title() {
        return "000: house prices in matrix form, a [4, 5, 1] network";
    }


    /** X, {@code [4, n]}: each feature min–max scaled over the six houses into [0, 1], one house per column. */
    static Tensor inputs() {
        double[] x = new double[FEATURES.length * OBSERVATIONS];
        for (int f = 0; f < FEATURES.length; f++) {
            double lo = Double.POSITIVE_INFINITY, hi = Double.NEGATIVE_INFINITY;
            for (double[] h : HOUSES) {
                lo = Math.min(lo, h[f]);
                hi = Math.max(hi, h[f]);
            }
            for (int i = 0; i < OBSERVATIONS; i++) x[f * OBSERVATIONS + i] = (HOUSES[i][f] - lo) / (hi - lo);
        }
        return Tensor.of(x, FEATURES.length, OBSERVATIONS);
    }

    /** Y, {@code [1, n]}: the prices in € million, already inside (0, 1) where a sigmoid output can reach them. */
    static Tensor targets() {
        double[] y = new double[OBSERVATIONS];
        for (int i = 0; i < OBSERVATIONS; i++) y[i] = HOUSES[i][FEATURES.length];
        return Tensor.of(y, 1, OBSERVATIONS);
    }

    /** Every weight and bias drawn from uniform(0, 1) with {@link #SEED}, in the order W_ih, b_ih, W_ho, b_ho. */
    static Parameters initialParameters() {
        SplittableRandom rng = new SplittableRandom(SEED);
        return new Parameters(Tensor.rand(rng, FEATURES.length, HIDDEN), Tensor.rand(rng, HIDDEN, 1),
                Tensor.rand(rng, HIDDEN, 1), Tensor.rand(rng, 1, 1));
    }

    /** The forward pass with plain tensor ops, observations in columns. */
    static Forward forward(Parameters p, Tensor x, Tensor y) {
        return SameEverywhere.compute(() -> {
            Tensor z1 = p.wIh().matmul(x, true, false).add(p.bIh());      // [5, 4]·[4, n] + [5, 1] broadcast
            Tensor h1 = z1.sigmoid();
            Tensor z2 = p.wHo().matmul(h1, true, false).add(p.bHo());     // [1, 5]·[5, n] + [1, 1]
            Tensor o = z2.sigmoid();
            double e = y.sub(o).pow(2).sum().mul(0.5).item();
            return new Forward(z1, h1, z2, o, e);
        });
    }

    /**
     * The tutorial's four matrix formulas, term by term: dE/dO = O − Y and dO/dZ₂ = O∘(1 − O) (both {@code [1, n]}),
     * dZ₂/dh₁ = W_ho, dh₁/dZ₁ = h₁∘(1 − h₁), and dZ₂/dW_ho = h₁, dZ₁/dW_ih = X; a bias's dZ/db is a row of ones.
     * No autodiff is involved: the inputs do not require gradients, so nothing is recorded.
     */
    static MatrixGradients matrixGradients(Parameters p, Tensor x, Tensor y) {
        return SameEverywhere.compute(() -> {
            Forward f = forward(p, x, y);
            Tensor dEdO = f.o().sub(y);
            Tensor dOdZ2 = f.o().mul(f.o().neg().add(1));
            Tensor delta2 = dEdO.mul(dOdZ2);                              // [1, n]
            Tensor dh1dZ1 = f.h1().mul(f.h1().neg().add(1));              // [5, n]
            Tensor delta1 = dh1dZ1.mul(p.wHo().matmul(delta2));           // [5, n] ∘ ([5, 1]·[1, n])
            Tensor onesRow = Tensor.ones(1, x.shape().dim(1));
            Tensor dWho = f.h1().matmul(delta2, false, true);             // [5, n]·[n, 1] = [5, 1]
            Tensor dbHo = onesRow.matmul(delta2, false, true);            // [1, n]·[n, 1] = [1, 1]
            Tensor dWih = x.matmul(delta1, false, true);                  // [4, n]·[n, 5] = [4, 5]
            // The tutorial writes dZ₁/db_ih·[…]ᵀ, a [1, 5] row; b_ih is a [5, 1] column, so take the transpose.
            Tensor dbIh = delta1.matmul(onesRow, false, true);            // [5, n]·[n, 1] = [5, 1]
            return new MatrixGradients(delta2, delta1, dWho, dbHo, dWih, dbIh);
        });
    }

    /**
     * The same network in the library's layout, observations in rows: {@code Linear(4, 5)} with weight
     * {@code [5, 4]} = W_ihᵀ and bias b_ih, sigmoid, {@code Linear(5, 1)} with weight {@code [1, 5]} = W_hoᵀ and bias
     * b_ho, sigmoid. The values are copied, so training it leaves {@code p} alone.
     */
    static Sequential network(Parameters p) {
        SplittableRandom unused = new SplittableRandom(SEED);   // the constant initialiser draws nothing
        Linear hidden = new Linear(FEATURES.length, HIDDEN, true, Init.constant(0), Init.constant(0), unused);
        Linear output = new Linear(HIDDEN, 1, true, Init.constant(0), Init.constant(0), unused);
        hidden.weight().copyFromInPlace(p.wIh().transpose());
        hidden.bias().copyFromInPlace(p.bIh().reshape(HIDDEN));
        output.weight().copyFromInPlace(p.wHo().transpose());
        output.bias().copyFromInPlace(p.bHo().reshape(1));
        return new Sequential(hidden, Activation.sigmoid(), output, Activation.sigmoid());
    }

    /** The matrix formulas and one backward pass of autodiff through {@link #network} with {@link HalfSumSquares}. */
    static Comparison compare(Parameters p) {
        return SameEverywhere.compute(() -> {
            Tensor x = inputs(), y = targets();
            MatrixGradients m = matrixGradients(p, x, y);
            Sequential net = network(p);
            Tensor e = new HalfSumSquares().apply(net.forward(x.transpose()), y.transpose());
            e.backward();
            Linear hidden = (Linear) net.layers().get(0), output = (Linear) net.layers().get(2);
            return new Comparison(m, output.weight().grad().transpose(), output.bias().grad().reshape(1, 1),
                    hidden.weight().grad().transpose(), hidden.bias().grad().reshape(HIDDEN, 1), e.item());
        });
    }

    /**
     * Plain full-batch gradient descent, W ← W − α·dE/dW on all six houses at once, for {@code epochs} steps, with
     * the library's {@link Trainer} and {@link Sgd} on {@link #network}.
     */
    static Training train(Parameters p, double learningRate, int epochs) {
        return SameEverywhere.compute(() -> {
            Tensor xRows = inputs().transpose(), yRows = targets().transpose();
            Sequential net = network(p);
            Sgd sgd = Sgd.builder().lr(learningRate).build(net.namedParameters());
            History h = Trainer.builder(net, new HalfSumSquares(), sgd).epochs(epochs).batchSize(OBSERVATIONS).seed(SEED)
                    .build().fit(new Dataset(xRows, yRows, "seed 000 houses"));
            // One batch per epoch, so an epoch's recorded loss is E over all six houses before that epoch's step.
            double[] errors = h.epochs().stream().mapToDouble(EpochRecord::trainLoss).toArray();
            Tensor out = net.forward(xRows);
            return new Training(errors, new HalfSumSquares().apply(out, yRows).item(), out.toDoubleArray());
        });
    }

    @Override
    public String guideSection() {
        Parameters p = initialParameters();
        Tensor x = inputs(), y = targets();
        Forward f = forward(p, x, y);
        Comparison c = compare(p);
        MatrixGradients m = c.matrix();
        Training t = train(p, LEARNING_RATE, EPOCHS);
        StringBuilder sb = new StringBuilder();

        sb.append("The tutorial predicts house prices from four inputs and six observations with a [4, 5, 1] network: ")
                .append("sigmoid hidden and output units, E = (Y − O)²/2, weights drawn \"mostly between 0 and 1\". ")
                .append("Its data set is an image that is not in the text, so **the six houses below are made up** ")
                .append("for this example. Each feature is min–max scaled over the six houses into [0, 1]; the ")
                .append("price, in € million, already lies inside (0, 1), where a sigmoid output can reach it, and is ")
                .append("the target Y as it is.\n\n");
        sb.append("| house | size (m²) | rooms | age (years) | to centre (km) | price (€ M) | X column (scaled) |\n")
                .append("|---|---|---|---|---|---|---|\n");
        for (int i = 0; i < OBSERVATIONS; i++) {
            double[] h = HOUSES[i];
            sb.append(String.format(Locale.ROOT, "| %d | %.0f | %.0f | %.0f | %.0f | %.2f | (%.3f, %.3f, %.3f, %.3f) |%n",
                    i + 1, h[0], h[1], h[2], h[3], h[4], x.get(0, i), x.get(1, i), x.get(2, i), x.get(3, i)));
        }
        sb.append("\nAs the tutorial lays it out, an observation is a **column**: X is ").append(dims(x))
                .append(" (features × observations), W_ih is ").append(dims(p.wIh())).append(", Z₁ = W_ihᵀX + b_ih and ")
                .append("h₁ = σ(Z₁) are ").append(dims(f.h1())).append(", W_ho is ").append(dims(p.wHo()))
                .append(", Z₂ = W_hoᵀh₁ + b_ho and O = σ(Z₂) are ").append(dims(f.o()))
                .append(". Every weight and bias is drawn from uniform(0, 1) (seed ").append(SEED).append("):\n\n```\n");
        appendMatrix(sb, "W_ih (4 × 5)", p.wIh());
        appendMatrix(sb, "b_ih (5 × 1), transposed", p.bIh().transpose());
        appendMatrix(sb, "W_ho (5 × 1), transposed", p.wHo().transpose());
        appendMatrix(sb, "b_ho (1 × 1)", p.bHo());
        sb.append("```\n\n");

        sb.append("The forward pass, and the output factors of the chain rule per observation: ")
                .append("dE/dO = O − Y, dO/dZ₂ = O(1 − O), and their product δ₂ = (O − Y)∘O∘(1 − O), ")
                .append("which every one of the four gradients starts from.\n\n")
                .append("| house | Y | Z₂ | O | O − Y | O(1 − O) | δ₂ |\n|---|---|---|---|---|---|---|\n");
        for (int i = 0; i < OBSERVATIONS; i++) {
            double o = f.o().get(0, i), yi = y.get(0, i);
            sb.append(String.format(Locale.ROOT, "| %d | %.2f | %.4f | %.4f | %+.4f | %.4f | %+.6f |%n",
                    i + 1, yi, f.z2().get(0, i), o, o - yi, o * (1 - o), m.delta2().get(0, i)));
        }
        sb.append(String.format(Locale.ROOT, "%nE = ½ Σ (Y − O)² = %.6f (the library's `half-sse` loss on the row layout "
                + "gives %.6f). Every weight, bias and input is at least 0, so every Z is too, and a sum of five "
                + "hidden outputs plus a bias puts each O far up the sigmoid, above every price.%n%n", f.error(), c.error()));

        sb.append("The tutorial's matrix formulas, evaluated with plain tensor products (`.` a matrix product, `∘` ")
                .append("elementwise), next to autodiff: the same network built from the library's layers ")
                .append("(`Linear(4, 5)` holds W_ihᵀ as its `[out, in]` weight, observations in rows), `half-sse`, ")
                .append("one `backward()`:\n\n")
                .append("| gradient | matrix formula | shape | tutorial's shape | max abs difference from autodiff |\n")
                .append("|---|---|---|---|---|\n");
        gradientRow(sb, "dE/dW_ho", "h₁ . δ₂ᵀ", m.dWho(), "5 × 1", c.dWho());
        gradientRow(sb, "dE/db_ho", "1ᵀ . δ₂ᵀ (1ᵀ: a row of six ones)", m.dbHo(), "a single value", c.dbHo());
        gradientRow(sb, "dE/dW_ih", "X . δ₁ᵀ, δ₁ = h₁∘(1 − h₁)∘(W_ho . δ₂)", m.dWih(), "not stated (W_ih is 4 × 5)", c.dWih());
        gradientRow(sb, "dE/db_ih", "δ₁ . 1 (1: a column of six ones)", m.dbIh(), "a single value", c.dbIh());
        sb.append(String.format(Locale.ROOT, "%nThe largest difference over all %d gradient elements is %s: float32 "
                + "rounding, nothing more. The values:%n%n```%n",
                m.dWho().size() + m.dbHo().size() + m.dWih().size() + m.dbIh().size(), sci(c.maxAbsDifference())));
        appendMatrix(sb, "dE/dW_ho (5 × 1), transposed", m.dWho().transpose());
        appendMatrix(sb, "dE/db_ho (1 × 1)", m.dbHo());
        appendMatrix(sb, "dE/dW_ih (4 × 5)", m.dWih());
        appendMatrix(sb, "dE/db_ih (5 × 1), transposed", m.dbIh().transpose());
        sb.append("```\n\n");

        sb.append("Where the tutorial is loose:\n\n")
                .append("- It says the input has \"a dimension of 4*5\" and then calls h₁ 5 × 5 and O, Y 1 × 5, but it ")
                .append("has six observations: X is ").append(dims(x)).append(", h₁ ").append(dims(f.h1()))
                .append(", O and Y ").append(dims(f.o())).append(". The gradients' shapes do not ")
                .append("depend on the number of observations, which is why its final shapes still come out right.\n")
                .append("- Its per-parameter formulas, e.g. dE/dW_ho = (O − Y) ∗ O(1 − O) ∗ h₁, are for one ")
                .append("observation; the matrix product h₁ . δ₂ᵀ adds them up over the six columns. So the E these ")
                .append("gradients belong to is the **sum** ½ Σ (Y − O)² over observations (the library's `half-sse`), ")
                .append("not a mean: with a mean every gradient would be divided by ").append(OBSERVATIONS).append(".\n")
                .append("- It gives dE/db_ho = dZ₂/db_ho . [dE/dO ∗ dO/dZ₂]ᵀ without saying what dZ₂/db_ho is; it is ")
                .append("a row of ones, so the product is the sum of δ₂ over the observations. For dE/db_ih the same ")
                .append("product comes out 1 × 5, the transpose of b_ih's 5 × 1; δ₁ . 1 gives the column.\n")
                .append(String.format(Locale.ROOT, "- It says b_ih and b_ho each have \"a single value … the same for all "
                        + "the neurons\". Here, as in the library's `Linear`, each hidden unit has its own bias. A shared "
                        + "b_ih would get the sum of the five entries above, %.6f.%n", sum(m.dbIh())))
                .append("- Its summary line for dE/dW_ih chains five factors with `∗`, which is no valid matrix ")
                .append("expression for these shapes; the later form dZ₁/dW_ih . [dh₁/dZ₁ ∗ dZ₂/dh₁ . (dE/dO ∗ dO/dZ₂)]ᵀ ")
                .append("is, and is what the table computes.\n")
                .append("- It describes the weights near the output changing \"in the second iteration\" and ends by ")
                .append("calling backward propagation faster to converge than forward propagation. They are not rivals: ")
                .append("every step runs the forward pass, then the backward pass, and updates all four parameters from ")
                .append("the same forward values at once.\n\n");

        sb.append(String.format(Locale.ROOT, "Training: W ← W − α·dE/dW with α = %s on all six houses at once (the "
                + "library's `Trainer` and `Sgd`, one step per epoch), starting from the weights above.%n%n",
                trim(LEARNING_RATE)));
        sb.append("| epoch | E before its step |\n|---|---|\n");
        for (int e : new int[] {1, 2, 10, 100, 300, 1000, EPOCHS}) {
            sb.append(String.format(Locale.ROOT, "| %d | %.6f |%n", e, t.errors()[e - 1]));
        }
        sb.append(String.format(Locale.ROOT, "%nAfter %d steps E = %.6f (from %.6f):%n%n", EPOCHS, t.finalError(),
                t.errors()[0]));
        sb.append("| house | price Y | prediction O |\n|---|---|---|\n");
        for (int i = 0; i < OBSERVATIONS; i++) {
            sb.append(String.format(Locale.ROOT, "| %d | %.2f | %.4f |%n", i + 1, y.get(0, i), t.predictions()[i]));
        }
        sb.append(String.format(Locale.ROOT, "%nWith %d parameters for %d houses the network can come this close to every "
                + "price; that says nothing about a house it has not seen, which is why real training holds data out "
                + "for validation.%n", network(p).parameterCount(), OBSERVATIONS));
        return sb.toString();
    }

    private void gradientRow(StringBuilder sb, String name, String formula, Tensor matrix, String tutorialShape,
                             Tensor autodiff) {
        sb.append("| ").append(name).append(" | ").append(formula).append(" | ").append(dims(matrix)).append(" | ")
                .append(tutorialShape).append(" | ").append(sci(maxAbsDiff(matrix, autodiff))).append(" |\n");
    }

    private static void appendMatrix(StringBuilder sb, String label, Tensor t) {
        sb.append(label).append('\n');
        for (int r = 0; r < t.shape().dim(0); r++) {
            sb.append(' ');
            for (int c = 0; c < t.shape().dim(1); c++) sb.append(String.format(Locale.ROOT, " %10.6f", t.get(r, c)));
            sb.append('\n');
        }
    }

    private static String dims(Tensor t) {
        return t.shape().dim(0) + " × " + t.shape().dim(1);
    }

    static double maxAbsDiff(Tensor a, Tensor b) {
        if (!a.shape().equals(b.shape())) {
            throw new IllegalArgumentException("maxAbsDiff: " + a.shape() + " x " + b.shape());
        }
        double max = 0;
        for (int i = 0; i < a.size(); i++) max = Math.max(max, Math.abs(a.getFlat(i) - b.getFlat(i)));
        return max;
    }

    private static double sum(Tensor t) {
        double s = 0;
        for (int i = 0; i < t.size(); i++) s += t.getFlat(i);
        return s;
    }

    private static String sci(double v) {
        return v == 0 ? "0" : String.format(Locale.ROOT, "%.1e", v);
    }

    private static String trim(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
    }
}
