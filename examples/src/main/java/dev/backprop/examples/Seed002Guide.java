package dev.backprop.examples;

import static dev.backprop.examples.Seed002.*;

import dev.backprop.autograd.GradCheck;
import dev.backprop.examples.Seed002.Descent;
import dev.backprop.examples.Seed002.EpochLoss;
import dev.backprop.examples.Seed002.Gradients;
import dev.backprop.examples.Seed002.Rule;
import dev.backprop.examples.Seed002.Run;
import dev.backprop.examples.Seed002.SlopeMaximum;
import dev.backprop.examples.Seed002.Step;
import dev.backprop.examples.Seed002.TeacherStudent;
import dev.backprop.examples.Seed002.VariantTraining;
import dev.backprop.tensor.Tensor;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Writes {@link Seed002}'s section of the guide from what its parts compute. Numbers are formatted in
 * {@link Locale#ROOT} with fixed decimals (or a fixed number of significant digits), so the text depends on nothing
 * but the numbers; every comparison the prose makes is checked by {@code Seed002Test}.
 */
final class Seed002Guide {
    private Seed002Guide() {}

    /** Starting points of the descent: the tutorial's x = 0 and x = −4. */
    static final double[] STARTS = {0, -4};
    /** Learning rates of the overshoot table. */
    static final double[] OVERSHOOT_RATES = {0.1, 0.5, 0.9, 1.0, 1.1};

    /** The section of docs/seeds.md, every number computed by this call. */
    static String render() {
        StringBuilder md = new StringBuilder();
        md.append("""
                Seed 002 introduces gradient descent on y = (x + 2)², calls backpropagation gradient descent with the \
                chain rule, trains a network on data made by another network, and asks whether the σ(1 − σ) factors \
                may be left out of the backward pass. It gives no learning rate, stopping rule, network sizes or loss: \
                the choices below are ours, and each is printed beside its result.

                """);
        descentPart(md);
        teacherStudentPart(md);
        variantPart(md);
        return md.toString();
    }

    private static void descentPart(StringBuilder md) {
        Descent[] runs = new Descent[STARTS.length];
        for (int i = 0; i < runs.length; i++) runs[i] = descend(STARTS[i], LEARNING_RATE, TOLERANCE, MAX_ITERATIONS);
        md.append("### Gradient descent on y = (x + 2)²\n\n");
        md.append("dy/dx comes from backpropagation through `x.add(2).pow(2)`, and each step is `Sgd` without momentum, ")
                .append("which is exactly x ← x − α·dy/dx; α = ").append(plain(LEARNING_RATE))
                .append(", until |x + 2| < ").append(plain(TOLERANCE)).append(" (at most ").append(MAX_ITERATIONS)
                .append(" steps).\n\n");
        md.append("| iteration | x from ").append(plain(STARTS[0])).append(" | y | dy/dx | x from ").append(plain(STARTS[1]))
                .append(" | y | dy/dx |\n|---:|---:|---:|---:|---:|---:|---:|\n");
        int last = Math.max(runs[0].iterations(), runs[1].iterations());
        for (int i = 0; i <= last; i++) {
            if (i > 5 && i % 5 != 0 && i != last) continue;
            md.append("| ").append(i);
            for (Descent d : runs) {
                if (i <= d.iterations()) {
                    Step s = d.steps().get(i);
                    md.append(" | ").append(fix(s.x(), 6)).append(" | ").append(sci(s.y())).append(" | ").append(fix(s.slope(), 6));
                } else {
                    md.append(" | | |");
                }
            }
            md.append(" |\n");
        }
        Step a0 = runs[0].steps().getFirst(), b0 = runs[1].steps().getFirst();
        double factor = (runs[0].steps().get(1).x() + 2) / (a0.x() + 2);
        md.append("\nThe slopes at the start are the tutorial's: dy/dx = ").append(fix(a0.slope(), 6)).append(" at x = ")
                .append(plain(a0.x())).append(", so x goes down, and ").append(fix(b0.slope(), 6)).append(" at x = ")
                .append(plain(b0.x())).append(", so x goes up and reaches −2 from the other side. Each step multiplies ")
                .append("x + 2 by ").append(fix(factor, 6))
                .append(monotone(runs) ? ", so y falls at every step" : ", and y does not fall at every step")
                .append("; |x + 2| < ").append(plain(TOLERANCE)).append(" after ").append(runs[0].iterations())
                .append(" iterations from ").append(plain(a0.x())).append(" (x = ").append(fix(runs[0].last().x(), 6))
                .append(") and ").append(runs[1].iterations()).append(" from ").append(plain(b0.x())).append(" (x = ")
                .append(fix(runs[1].last().x(), 6)).append(").\n\n");

        md.append("The tutorial moves x \"in tiny magnitude so as to ensure that it doesn't overshoot\" to the other side. ")
                .append("Overshooting does no harm in itself; what decides is whether |x + 2| shrinks. From x = ")
                .append(plain(STARTS[0])).append(":\n\n");
        md.append("| α | (x₁ + 2) / (x₀ + 2) | x₁ | x₂ | iterations until \\|x + 2\\| < ").append(plain(TOLERANCE))
                .append(" |\n|---:|---:|---:|---:|---|\n");
        for (double lr : OVERSHOOT_RATES) {
            Descent d = descend(STARTS[0], lr, TOLERANCE, MAX_ITERATIONS);
            List<Step> s = d.steps();
            md.append("| ").append(plain(lr)).append(" | ").append(fix((s.get(1).x() + 2) / (s.get(0).x() + 2), 6))
                    .append(" | ").append(fix(s.get(1).x(), 6)).append(" | ")
                    .append(s.size() > 2 ? fix(s.get(2).x(), 6) : "—").append(" | ")
                    .append(d.converged() ? Integer.toString(d.iterations())
                            : "none in " + d.iterations() + "; then \\|x + 2\\| = " + sci(Math.abs(d.last().x() + 2)))
                    .append(" |\n");
        }
        md.append("""

                The tutorial also calls gradient descent "an algorithm that is used for the minimization of a function \
                with no local minima". It works on any differentiable function; on one with several minima it finds a \
                local one, as the tutorial itself says later ("the global or local minima").

                """);
    }

    private static boolean monotone(Descent[] runs) {
        for (Descent d : runs) {
            for (int i = 1; i < d.steps().size(); i++) if (!(d.steps().get(i).y() < d.steps().get(i - 1).y())) return false;
        }
        return true;
    }

    private static void teacherStudentPart(StringBuilder md) {
        TeacherStudent r = teacherStudent();
        md.append("### A teacher and its student\n\n");
        md.append("""
                The tutorial: "I created a custom dataset using a neural network with random weights and used an \
                entirely different neural network with a different number of layers and neurons per layer to learn \
                weights". Ours:

                | network | layers | activation | parameters | initial weights and biases |
                |---|---|---|---:|---|
                """);
        md.append("| teacher | ").append(arrows(TEACHER)).append(" | sigmoid after every layer | ").append(r.teacherParameters())
                .append(" | N(0, 1), seed ").append(TEACHER_SEED).append(" |\n");
        md.append("| student | ").append(arrows(STUDENT)).append(" | sigmoid after every layer | ").append(r.studentParameters())
                .append(" | Xavier-uniform weights, zero biases, seed ").append(STUDENT_SEED).append(" |\n\n");
        md.append("The inputs are ").append(TRAIN_ROWS).append(" training rows and ").append(HELD_OUT_ROWS)
                .append(" held-out rows of ").append(TEACHER[0]).append(" numbers drawn from N(0, 1) (seed ").append(INPUT_SEED)
                .append("); the targets are the teacher's outputs (mean ").append(fix(r.targetMean(), 4))
                .append(", standard deviation ").append(fix(r.targetSd(), 4)).append(" on the training rows). ")
                .append("The student learns them with Adam (α = ").append(plain(ADAM_LR)).append("), the mean squared ")
                .append("error, batches of ").append(BATCH).append(", ").append(ADAM_EPOCHS).append(" epochs:\n\n");
        md.append("| epoch | training loss | held-out loss | held-out R² |\n|---:|---:|---:|---:|\n");
        for (EpochLoss e : r.epochs()) {
            if (!isShownEpoch(e.epoch()) && e.epoch() != r.epochs().size()) continue;
            md.append("| ").append(e.epoch()).append(" | ").append(sci(e.trainLoss())).append(" | ").append(sci(e.heldOutLoss()))
                    .append(" | ").append(fix(e.heldOutR2(), 4)).append(" |\n");
        }
        md.append("\nOn the held-out rows the student reaches R² = ").append(fix(r.heldOut().r2(), 4)).append(" (RMSE ")
                .append(fix(r.heldOut().rmse(), 6)).append("), leaving ").append(fix(100 * (1 - r.heldOut().r2()), 2))
                .append("% of the variance unexplained. The best linear fit (least squares on the training rows) leaves ")
                .append(fix(100 * (1 - r.linearHeldOut().r2()), 2)).append("% (R² = ").append(fix(r.linearHeldOut().r2(), 4))
                .append("): the student, whose hidden layers are ").append(hidden(STUDENT)).append(" where the teacher's are ")
                .append(hidden(TEACHER)).append(", has learned what a straight line misses.\n\n");
    }

    private static void variantPart(StringBuilder md) {
        SlopeMaximum peak = sigmoidSlopeMaximum();
        Gradients g = gradientsAtStart();
        md.append("### Leaving σ(1 − σ) out of the backward pass\n\n");
        variantClaims(md, peak, g);
        startGradients(md, g);
        gradChecks(md, g);
        VariantTraining v = variantTraining();
        trainingTables(md, v);
        observations(md, v, peak);
    }

    /** The tutorial's words, and what is wrong with them before any training. */
    private static void variantClaims(StringBuilder md, SlopeMaximum peak, Gradients g) {
        md.append("""
                The tutorial: "Since we are only concerned so much about the direction, is it okay to remove the \
                sigmoid terms from the equation, as sigmoid(x) (1- sigmoid(x)) will always lie between 0 and 0.5 for \
                any value of x ? turns out this is the method adopted in Build your own neural network. This is done \
                so as an alternative to an increasing the learning rate."

                """);
        md.append("- **The range is wrong.** σ(1 − σ) lies in (0, 0.25]: over x = −10, −9.99, …, 10 the library's ")
                .append("sigmoid backward gives at most ").append(fix(peak.value(), 6)).append(", at x = ")
                .append(fix(peak.at(), 2)).append(".\n");
        md.append("""
                - **The book does something else.** The book is Tariq Rashid's *Make Your Own Neural Network* (the \
                tutorial's list of references gives it as "Build your own neural network by Tariq Rashid"). Its code \
                (`neuralNetwork.py` in https://github.com/makeyourownneuralnetwork/makeyourownneuralnetwork) keeps \
                σ(1 − σ) in every layer's weight update (`output_errors * final_outputs * (1.0 - final_outputs)`) and \
                leaves it out only of the error it passes back to the layer below \
                (`hidden_errors = numpy.dot(self.who.T, output_errors)`). We run both rules.
                """);
        md.append("- **The direction changes.** The factor is positive, so for one weight and one sample it cannot flip ")
                .append("a sign; but it differs from unit to unit and from sample to sample (at the student's start, from ")
                .append(fix(g.sigmoidSlopes().get(0).min(), 4)).append(" to ").append(fix(g.sigmoidSlopes().get(0).max(), 4))
                .append(" in the hidden layer and from ").append(fix(g.sigmoidSlopes().get(1).min(), 4)).append(" to ")
                .append(fix(g.sigmoidSlopes().get(1).max(), 4)).append(" at the output), and the gradient sums over both.\n\n");
    }

    /** What each rule backpropagates at the start, against the true gradient and binary cross-entropy's. */
    private static void startGradients(StringBuilder md, Gradients g) {
        Rule t = Rule.TRUE_GRADIENT, none = Rule.NO_SIGMOID_DERIVATIVE, book = Rule.ERROR_SPLIT_BY_WEIGHTS;

        md.append("Both rules are custom autograd ops with the backward beside the forward: `SigmoidWithoutDerivative` ")
                .append("(σ forward; backward hands ∂E/∂out on as ∂E/∂net) and `ErrorSplitSigmoidLayer` (the book's ")
                .append("layer: the true ∂E/∂W and ∂E/∂b, but e·W passed down instead of δ·W, where δ = e ∘ σ(1 − σ)). ")
                .append("What each backpropagates at the student's start, on the first ").append(VARIANT_ROWS)
                .append(" training rows, with the mean squared error:\n\n");
        md.append("| parameter | ‖true gradient‖ | no σ′: length ÷ true | cos with true ")
                .append("| book's code: length ÷ true | cos with true |\n")
                .append("|---|---:|---:|---:|---:|---:|\n");
        for (int i = 0; i < g.names().size(); i++) {
            md.append("| ").append(g.names().get(i)).append(" | ").append(sci(g.norm(t, i))).append(" | ")
                    .append(fix(g.norm(none, i) / g.norm(t, i), 3)).append(" | ").append(fix(g.cosine(none, t, i), 4))
                    .append(" | ").append(fix(g.norm(book, i) / g.norm(t, i), 3)).append(" | ")
                    .append(fix(g.cosine(book, t, i), 4)).append(" |\n");
        }
        long count = 0;
        for (Tensor p : g.byRule().get(t)) count += p.size();
        md.append("| all ").append(count).append(" | ").append(sci(g.norm(t))).append(" | ").append(fix(g.norm(none) / g.norm(t), 3))
                .append(" | ").append(fix(g.cosine(none, t), 4)).append(" (").append(fix(degrees(g.cosine(none, t)), 1))
                .append("°) | ").append(fix(g.norm(book) / g.norm(t), 3)).append(" | ").append(fix(g.cosine(book, t), 4))
                .append(" (").append(fix(degrees(g.cosine(book, t)), 1)).append("°) |\n\n");
        md.append("Within each parameter the directions nearly agree, and ").append(fix(100 * g.signAgreement(none, t), 1))
                .append("% of the components keep their sign without σ′ (").append(fix(100 * g.signAgreement(book, t), 1))
                .append("% with the book's rule); but the lengths grow by a different factor in each layer, so the whole ")
                .append("direction turns by ").append(fix(degrees(g.cosine(none, t)), 1)).append("°. Leaving σ′ out is ")
                .append("close to giving every layer its own, larger learning rate; the book's rule does that to the ")
                .append("layers below the output only.\n\n");
        int out = g.names().size() - 2;
        md.append("At the output layer, leaving σ′ out of the squared error's gradient gives the direction of another ")
                .append("loss's true gradient: binary cross-entropy's, whose derivative with respect to the output's net ")
                .append("is (o − y)/N. For ").append(g.names().get(out).substring(0, g.names().get(out).indexOf(' ')))
                .append(" the cosine between the two is ").append(fix(g.cosineWithCrossEntropy(none, out), 4))
                .append(" and the lengths differ by a factor of ").append(fix(g.lengthOverCrossEntropy(none, out), 3))
                .append(" (the 2 of the squared error's derivative). So the output's σ′ may go when the loss changes with ")
                .append("it: `BinaryCrossEntropy` takes the logit and backpropagates exactly that. Below the output it ")
                .append("is no longer so (for ").append(g.names().get(0).substring(0, g.names().get(0).indexOf(' ')))
                .append(" the cosine with cross-entropy's gradient is ").append(fix(g.cosineWithCrossEntropy(none, 0), 4))
                .append("), and neither rule gives the gradient of the squared error; ")
                .append("`GradCheck` (central differences in double precision, first ").append(GRADCHECK_ROWS)
                .append(" training rows) says so:\n\n");
    }

    private static void gradChecks(StringBuilder md, Gradients g) {
        for (Rule rule : Rule.values()) {
            GradCheck.Result r = gradCheck(rule);
            md.append("- ").append(rule.label()).append(": ");
            if (r.passed()) {
                md.append("passed (").append(r.elementsChecked()).append(" elements; largest difference ")
                        .append(sci(r.worst().error())).append(")\n");
            } else {
                md.append("failed; worst element ").append(elementName(g.names(), r.worst())).append(": ")
                        .append(fix(r.worst().analytic(), 6)).append(" backpropagated, ").append(fix(r.worst().numeric(), 6))
                        .append(" by central differences; the op it blames: `").append(r.op()).append("`\n");
            }
        }
    }

    /** The loss epoch by epoch at the first learning rate, then the end of every run. */
    private static void trainingTables(StringBuilder md, VariantTraining v) {
        Rule t = Rule.TRUE_GRADIENT, none = Rule.NO_SIGMOID_DERIVATIVE, book = Rule.ERROR_SPLIT_BY_WEIGHTS;
        double lr0 = VARIANT_RATES[0];
        md.append("\nTraining from the same start: full-batch gradient descent on the first ").append(VARIANT_ROWS)
                .append(" training rows, the loss after each epoch at α = ").append(plain(lr0)).append(". The last ")
                .append("column is the true gradient at α × ").append(fix(v.stepRatio(), 3)).append(" = ")
                .append(fix(v.matchedStep().learningRate(), 3)).append(", the larger learning rate that leaving σ′ out ")
                .append("stands for at the start (the ratio of the lengths above):\n\n");
        md.append("| epoch | true gradient | no σ′ anywhere | the book's code | true gradient, α = ")
                .append(fix(v.matchedStep().learningRate(), 3)).append(" |\n|---:|---:|---:|---:|---:|\n");
        Run rt = v.run(t, lr0), rn = v.run(none, lr0), rb = v.run(book, lr0), rm = v.matchedStep();
        for (int e = 0; e <= VARIANT_EPOCHS; e++) {
            if (e != 0 && !isShownEpoch(e) && e != VARIANT_EPOCHS) continue;
            md.append("| ").append(e).append(" | ").append(sci(rt.loss(e))).append(" | ").append(sci(rn.loss(e)))
                    .append(" | ").append(sci(rb.loss(e))).append(" | ").append(sci(rm.loss(e))).append(" |\n");
        }
        md.append("\nAfter ").append(VARIANT_EPOCHS).append(" epochs at each α (loss on the training rows; R² on the ")
                .append("held-out rows):\n\n| α | true gradient | no σ′ anywhere | the book's code |\n|---:|---|---|---|\n");
        for (double lr : VARIANT_RATES) {
            md.append("| ").append(plain(lr));
            for (Rule rule : Rule.values()) {
                Run r = v.run(rule, lr);
                md.append(" | ").append(sci(r.finalLoss())).append(" (R² ").append(fix(r.heldOutR2(), 4)).append(")");
            }
            md.append(" |\n");
        }
    }

    /** What the runs show, and the verdict on the tutorial's claim; {@code Seed002Test} checks every comparison. */
    private static void observations(StringBuilder md, VariantTraining v, SlopeMaximum peak) {
        Rule t = Rule.TRUE_GRADIENT, none = Rule.NO_SIGMOID_DERIVATIVE, book = Rule.ERROR_SPLIT_BY_WEIGHTS;
        double[] rates = VARIANT_RATES;
        double lr0 = rates[0];
        Run rt = v.run(t, lr0), rn = v.run(none, lr0), rm = v.matchedStep();
        Run midT = v.run(t, rates[1]), midN = v.run(none, rates[1]);
        Run topT = v.run(t, rates[2]), topN = v.run(none, rates[2]), topB = v.run(book, rates[2]);
        Run adam = v.adam();
        md.append("\nWhat we observe. At α = ").append(plain(lr0)).append(" leaving σ′ out helps at first, as a larger ")
                .append("learning rate would (loss ").append(sci(rn.loss(1))).append(" after one epoch against ")
                .append(sci(rt.loss(1))).append("), and after ").append(VARIANT_EPOCHS).append(" epochs it is at ")
                .append(sci(rn.finalLoss())).append(", against ").append(sci(rt.finalLoss())).append(" for the true gradient ")
                .append("and ").append(sci(rm.finalLoss())).append(" for the true gradient at α = ").append(fix(rm.learningRate(), 3))
                .append(". At α = ").append(plain(rates[1])).append(" it ends lower than the true gradient (")
                .append(sci(midN.finalLoss())).append(" against ").append(sci(midT.finalLoss())).append("). At α = ")
                .append(plain(rates[2])).append(", where the true gradient still trains (").append(sci(topT.finalLoss()))
                .append("), it fails: its loss jumps from ").append(sci(topN.loss(0))).append(" to ").append(sci(topN.loss(1)))
                .append(" and ").append(sci(topN.loss(2))).append(" in the first two epochs, and it ends at ")
                .append(sci(topN.finalLoss())).append(", with R² ").append(fix(topN.heldOutR2(), 4)).append(" on the ")
                .append("held-out rows. The book's milder rule trains at every α, and at α = ").append(plain(rates[2]))
                .append(" it ends lowest of all the runs of gradient descent (").append(sci(topB.finalLoss())).append(").\n\n");
        md.append("So the tutorial is half right. Leaving σ(1 − σ) out does act like a larger learning rate: a different ")
                .append("one for each layer, largest for the layer furthest from the output, whose true gradient carries ")
                .append("the most factors of at most ").append(fix(peak.value(), 2)).append(". Where the learning rate is ")
                .append("too small, that helps. But it turns ")
                .append("the direction away from the gradient, no knob sets the layers' rates apart from α, and at a ")
                .append("learning rate the true gradient takes in its stride it breaks training. Giving each parameter its ")
                .append("own step is an optimizer's job, with the true gradient: Adam (α = ").append(plain(ADAM_LR))
                .append(", as for the student above), full batch on the same rows from the same start, ends at ")
                .append(sci(adam.finalLoss())).append(" after ").append(VARIANT_EPOCHS).append(" epochs (held-out R² ")
                .append(fix(adam.heldOutR2(), 4)).append("), ").append(fix(v.bestGradientDescent() / adam.finalLoss(), 1))
                .append(" times lower than the best run of gradient descent above.\n");
    }

    private static boolean isShownEpoch(int epoch) {
        return switch (epoch) {
            case 1, 2, 5, 10, 20, 50, 100, 200, 500, 1000 -> true;
            default -> false;
        };
    }

    private static String elementName(List<String> names, GradCheck.Element e) {
        String name = names.get(e.input());
        return name.substring(0, name.indexOf(' ')) + Arrays.toString(e.index()).replace(" ", "");
    }

    private static double degrees(double cosine) {
        return Math.toDegrees(Math.acos(Math.max(-1, Math.min(1, cosine))));
    }

    /** The hidden layers' widths, e.g. {@code [5, 3]}. */
    private static String hidden(int[] sizes) {
        return Arrays.toString(Arrays.copyOfRange(sizes, 1, sizes.length - 1));
    }

    private static String arrows(int[] sizes) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < sizes.length; i++) sb.append(i == 0 ? "" : " → ").append(sizes[i]);
        return sb.toString();
    }

    /** A number with {@code decimals} decimals, in every locale the same; never "-0.000". */
    static String fix(double v, int decimals) {
        String s = String.format(Locale.ROOT, "%." + decimals + "f", v);
        return s.matches("-0\\.?0*") ? s.substring(1) : s;
    }

    /** A number in scientific notation with four significant digits: {@code 2.745e-04}. */
    static String sci(double v) {
        return String.format(Locale.ROOT, "%.3e", v);
    }

    /** A setting as it was written: {@code 0.1}, {@code 1e-4} as {@code 0.0001}, {@code -4}. */
    static String plain(double v) {
        return new java.math.BigDecimal(Double.toString(v)).stripTrailingZeros().toPlainString();
    }
}
