package dev.backprop.examples;

import dev.backprop.autograd.GradCheck;
import dev.backprop.autograd.NoGrad;
import dev.backprop.data.Dataset;
import dev.backprop.init.Init;
import dev.backprop.loss.BinaryCrossEntropy;
import dev.backprop.loss.Loss;
import dev.backprop.loss.MeanSquaredError;
import dev.backprop.nn.Activation;
import dev.backprop.nn.Linear;
import dev.backprop.nn.Module;
import dev.backprop.nn.Sequential;
import dev.backprop.optim.Adam;
import dev.backprop.optim.Optimizer;
import dev.backprop.optim.Sgd;
import dev.backprop.tensor.DType;
import dev.backprop.tensor.Kernels;
import dev.backprop.tensor.Tensor;
import dev.backprop.tensor.blas.JavaKernels;
import dev.backprop.train.EpochRecord;
import dev.backprop.train.History;
import dev.backprop.train.RegressionMetrics;
import dev.backprop.train.Task;
import dev.backprop.train.Trainer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Supplier;
import java.util.function.Function;

/**
 * Seed 002, worked: gradient descent on y = (x + 2)², a student network learning a teacher network's function, and
 * what leaving the sigmoid's derivative σ(1 − σ) out of the backward pass does.
 *
 * <p>Each part is a static method returning a record of what it computed ({@link #descend}, {@link #teacherStudent},
 * {@link #gradientsAtStart}, {@link #gradCheck}, {@link #variantTraining}); {@link #guideSection()} runs them all and
 * writes the section. Every random draw comes from a fixed seed and every matrix product runs on the pure-Java
 * kernels, so the section is the same, byte for byte, on every run: OpenBLAS picks its kernels and its split into
 * threads by the CPU, which can change the last bits of a sum and, after a thousand epochs, a printed digit.
 *
 * <pre>{@code
 * Seed002.Descent d = Seed002.descend(0, 0.1, 1e-4, 1000);   // d.iterations() == 45
 * System.out.print(new Seed002().guideSection());
 * }</pre>
 */
public final class Seed002 implements SeedExample {

    // ------------------------------------------------------------------ settings (the tutorial gives none of them)

    /** The learning rate of the descent on (x + 2)². */
    public static final double LEARNING_RATE = 0.1;
    /** The descent stops once |x + 2| is below this. */
    public static final double TOLERANCE = 1e-4;
    /** The descent gives up after this many updates. */
    public static final int MAX_ITERATIONS = 1000;

    /** Teacher 4 → 5 → 3 → 1: three layers of weights, as the tutorial's network (whose output is Net(3)). */
    static final int[] TEACHER = {4, 5, 3, 1};
    /** Student 4 → 12 → 1: one hidden layer of another width. */
    static final int[] STUDENT = {4, 12, 1};
    static final long TEACHER_SEED = 2, STUDENT_SEED = 7, INPUT_SEED = 20, BATCH_SEED = 3;
    static final int TRAIN_ROWS = 1000, HELD_OUT_ROWS = 200;
    static final double ADAM_LR = 0.03;
    static final int ADAM_EPOCHS = 200, BATCH = 32;

    /** The variant comparison: full-batch gradient descent on the first rows of the training set. */
    static final int VARIANT_ROWS = 250, VARIANT_EPOCHS = 1000;
    /** Its learning rates: the first is the one of the epoch-by-epoch table. */
    static final double[] VARIANT_RATES = {0.5, 2, 5};
    /** GradCheck runs on this many of the training rows. */
    static final int GRADCHECK_ROWS = 100;

    private static final Loss LOSS = new MeanSquaredError();

    /** The example; {@link #guideSection()} runs it. */
    public Seed002() {}

    @Override
    public String id() {
        return "002";
    }

    @Override
    public String title() {
        return "002: gradient descent, and a teacher and its student";
    }

    // ------------------------------------------------------------------ part 1: gradient descent on (x + 2)²

    /**
     * One point of a descent.
     *
     * @param iteration updates made so far (0 at the start)
     * @param x         the point
     * @param y         (x + 2)²
     * @param slope     dy/dx at x, from the library's autodiff
     */
    public record Step(int iteration, double x, double y, double slope) {}

    /**
     * A descent on y = (x + 2)².
     *
     * @param start        the first x
     * @param learningRate α in x ← x − α·dy/dx
     * @param steps        every point, the start first
     * @param converged    whether |x + 2| fell below the tolerance within the allowed updates
     */
    public record Descent(double start, double learningRate, List<Step> steps, boolean converged) {
        /** Copies {@code steps}. */
        public Descent {
            steps = List.copyOf(steps);
        }

        /** Number of updates made. */
        public int iterations() {
            return steps.size() - 1;
        }

        /** The last point. */
        public Step last() {
            return steps.getLast();
        }
    }

    /**
     * Gradient descent on y = (x + 2)² from {@code start}: dy/dx by backpropagation through {@code (x + 2)^2}, the
     * update by {@link Sgd} without momentum, which is exactly x ← x − α·dy/dx. Stops when |x + 2| &lt;
     * {@code tolerance} or after {@code maxIterations} updates.
     */
    public static Descent descend(double start, double learningRate, double tolerance, int maxIterations) {
        Tensor x = Tensor.scalar(DType.FLOAT64, start).requiresGrad(true);
        Sgd sgd = Sgd.builder().lr(learningRate).build(List.of(x));
        List<Step> steps = new ArrayList<>();
        for (int i = 0; ; i++) {
            sgd.zeroGrad();
            Tensor y = x.add(2).pow(2);
            y.backward();
            double xi = x.item();
            steps.add(new Step(i, xi, y.item(), x.grad().item()));
            boolean done = Math.abs(xi + 2) < tolerance;
            if (done || i == maxIterations) return new Descent(start, learningRate, steps, done);
            sgd.step();
        }
    }

    // ------------------------------------------------------------------ part 2: a teacher and its student

    /** The teacher's data: inputs drawn from N(0, 1), targets the teacher's outputs. */
    record TeacherData(Dataset train, Dataset heldOut) {}

    /** A sigmoid network {@code sizes[0] → … → sizes[last]}, every layer followed by a sigmoid. */
    static Sequential sigmoidNetwork(int[] sizes, Init weights, Init biases, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        List<Module> layers = new ArrayList<>();
        for (int i = 0; i + 1 < sizes.length; i++) {
            layers.add(new Linear(sizes[i], sizes[i + 1], true, weights, biases, rng));
            layers.add(Activation.sigmoid());
        }
        return new Sequential(layers);
    }

    /** The teacher: weights and biases drawn from N(0, 1), as "a neural network with random weights". */
    static Sequential teacher() {
        return sigmoidNetwork(TEACHER, Init.normal(0, 1), Init.normal(0, 1), TEACHER_SEED);
    }

    /** The student before training: Xavier-uniform weights, zero biases. */
    static Sequential student() {
        return sigmoidNetwork(STUDENT, Init.xavierUniform(), Init.constant(0), STUDENT_SEED);
    }

    static TeacherData teacherData() {
        Tensor x = Tensor.randn(new SplittableRandom(INPUT_SEED), TRAIN_ROWS + HELD_OUT_ROWS, TEACHER[0]);
        Tensor y;
        try (NoGrad _ = NoGrad.enter()) {
            y = teacher().forward(x);
        }
        Dataset all = new Dataset(x, y, "seed 002 teacher");
        return new TeacherData(all.subset(range(0, TRAIN_ROWS)), all.subset(range(TRAIN_ROWS, TRAIN_ROWS + HELD_OUT_ROWS)));
    }

    /**
     * One epoch of the student's training.
     *
     * @param epoch       from 1
     * @param trainLoss   mean training loss over the epoch's batches
     * @param heldOutLoss loss on the held-out rows after the epoch
     * @param heldOutR2   R² on the held-out rows after the epoch
     */
    public record EpochLoss(int epoch, double trainLoss, double heldOutLoss, double heldOutR2) {}

    /**
     * The teacher–student experiment.
     *
     * @param teacherParameters number of weights and biases of the teacher
     * @param studentParameters the same for the student
     * @param targetMean        mean of the training targets
     * @param targetSd          their standard deviation
     * @param epochs            the student's training, epoch by epoch
     * @param heldOut           the trained student's errors on the held-out rows
     * @param linearHeldOut     the best linear fit's (least squares on the training rows): how far from linear the
     *                          teacher's function is
     */
    public record TeacherStudent(long teacherParameters, long studentParameters, double targetMean, double targetSd,
                                 List<EpochLoss> epochs, RegressionMetrics heldOut, RegressionMetrics linearHeldOut) {
        /** Copies {@code epochs}. */
        public TeacherStudent {
            epochs = List.copyOf(epochs);
        }
    }

    /** Trains the student on the teacher's data with Adam and the mean squared error; evaluates on held-out rows. */
    public static TeacherStudent teacherStudent() {
        return pureJava(() -> {
            TeacherData data = teacherData();
            Sequential student = student();
            History h = fit(student, data);
            List<EpochLoss> epochs = new ArrayList<>();
            for (EpochRecord r : h.epochs()) {
                epochs.add(new EpochLoss(r.epoch() + 1, r.trainLoss(), r.validationLoss(), r.metrics().get("val_r2")));
            }
            double[] y = data.train().targets().toDoubleArray();
            double mean = Arrays.stream(y).average().orElseThrow();
            double sd = Math.sqrt(Arrays.stream(y).map(v -> (v - mean) * (v - mean)).average().orElseThrow());
            return new TeacherStudent(teacher().parameterCount(), student.parameterCount(), mean, sd, epochs,
                    heldOutMetrics(student, data), leastSquaresHeldOut(data));
        });
    }

    private static History fit(Module model, TeacherData data) {
        Adam adam = Adam.builder().lr(ADAM_LR).build(model.namedParameters());
        return Trainer.builder(model, LOSS, adam).epochs(ADAM_EPOCHS).batchSize(BATCH).seed(BATCH_SEED)
                .validation(data.heldOut()).task(Task.REGRESSION).build().fit(data.train());
    }

    /** The best linear fit to the training rows ({@link #leastSquares}), measured on the held-out rows. */
    static RegressionMetrics leastSquaresHeldOut(TeacherData data) {
        double[] beta = leastSquares(data.train().features(), data.train().targets());
        Tensor x = data.heldOut().features();
        int m = x.shape().dim(0), k = x.shape().dim(1);
        double[] predicted = new double[m];
        for (int i = 0; i < m; i++) {
            double v = beta[k];
            for (int j = 0; j < k; j++) v += x.get(i, j) * beta[j];
            predicted[i] = v;
        }
        return RegressionMetrics.of(Tensor.of(DType.FLOAT64, predicted, m, 1), data.heldOut().targets().to(DType.FLOAT64));
    }

    /**
     * The β that minimises Σᵢ (yᵢ − xᵢ·β[0..k) − β[k])² for {@code x} {@code [n, k]} and {@code y} {@code [n, 1]}: the
     * normal equations (XᵀX)β = Xᵀy, X with a column of ones appended, solved by Gauss–Jordan elimination with
     * partial pivoting in double precision. A baseline needs no more; k is small.
     */
    static double[] leastSquares(Tensor x, Tensor y) {
        int n = x.shape().dim(0), k = x.shape().dim(1) + 1;
        double[][] a = new double[k][k + 1];                 // the augmented matrix [XᵀX | Xᵀy]
        double[] row = new double[k];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < k - 1; j++) row[j] = x.get(i, j);
            row[k - 1] = 1;
            for (int r = 0; r < k; r++) {
                for (int c = 0; c < k; c++) a[r][c] += row[r] * row[c];
                a[r][k] += row[r] * y.getFlat(i);
            }
        }
        for (int col = 0; col < k; col++) {
            int pivot = col;
            for (int r = col + 1; r < k; r++) if (Math.abs(a[r][col]) > Math.abs(a[pivot][col])) pivot = r;
            double[] swap = a[col];
            a[col] = a[pivot];
            a[pivot] = swap;
            for (int r = 0; r < k; r++) {
                if (r == col) continue;
                double f = a[r][col] / a[col][col];
                for (int c = col; c <= k; c++) a[r][c] -= f * a[col][c];
            }
        }
        double[] beta = new double[k];
        for (int j = 0; j < k; j++) beta[j] = a[j][k] / a[j][j];   // the matrix is now diagonal
        return beta;
    }

    private static RegressionMetrics heldOutMetrics(Module model, TeacherData data) {
        try (NoGrad _ = NoGrad.enter()) {
            return RegressionMetrics.of(model.forward(data.heldOut().features()), data.heldOut().targets());
        }
    }

    // ------------------------------------------------------------------ part 3: σ(1 − σ) left out

    /** How the backward pass treats each sigmoid layer. */
    public enum Rule {
        /** Backpropagation as it is: ∂E/∂net = ∂E/∂out · σ(1 − σ) in every layer. */
        TRUE_GRADIENT("true gradient"),
        /** The tutorial's question: σ(1 − σ) left out everywhere ({@link SigmoidWithoutDerivative}). */
        NO_SIGMOID_DERIVATIVE("no σ′ anywhere"),
        /**
         * Rashid's code: each layer's own update keeps σ(1 − σ), the error passed down does not
         * ({@link ErrorSplitSigmoidLayer}).
         */
        ERROR_SPLIT_BY_WEIGHTS("the book's code");

        private final String label;

        Rule(String label) {
            this.label = label;
        }

        /** A short name for tables. */
        public String label() {
            return label;
        }

        /** One layer, σ(x·Wᵀ + b), whose backward pass follows this rule. */
        Tensor layer(Tensor x, Tensor w, Tensor b) {
            return switch (this) {
                case TRUE_GRADIENT -> x.matmul(w, false, true).add(b).sigmoid();
                case NO_SIGMOID_DERIVATIVE -> new SigmoidWithoutDerivative().apply(x.matmul(w, false, true).add(b));
                case ERROR_SPLIT_BY_WEIGHTS -> new ErrorSplitSigmoidLayer().apply(x, w, b);
            };
        }

        /** The network's output; {@code parameters} are W₁, b₁, W₂, b₂, … */
        Tensor forward(Tensor x, List<Tensor> parameters) {
            Tensor h = x;
            for (int i = 0; i < parameters.size(); i += 2) h = layer(h, parameters.get(i), parameters.get(i + 1));
            return h;
        }
    }

    /** Copies of the student's parameters before training, in layer order (W₁, b₁, W₂, b₂), each a fresh leaf. */
    static List<Tensor> startParameters(DType type) {
        List<Tensor> out = new ArrayList<>();
        for (Tensor t : student().namedParameters().values()) out.add(t.to(type).copy().requiresGrad(true));
        return out;
    }

    /** Names for the parameters of {@link #startParameters}: {@code W₁ [12, 4]}, {@code b₁ [12]}, … */
    static List<String> parameterNames() {
        List<String> names = new ArrayList<>();
        List<Tensor> p = startParameters(DType.FLOAT32);
        for (int i = 0; i < p.size(); i++) {
            names.add((i % 2 == 0 ? "W" : "b") + subscript(i / 2 + 1) + " " + p.get(i).shape());
        }
        return names;
    }

    /** The rows the variant comparison trains on: the first {@value #VARIANT_ROWS} training rows. */
    static Dataset comparisonRows(TeacherData data) {
        return data.train().subset(range(0, VARIANT_ROWS));
    }

    /**
     * The smallest and the largest of some values.
     *
     * @param min the smallest
     * @param max the largest
     */
    public record Range(double min, double max) {}

    /**
     * What each rule backpropagates at the student's start, over the comparison rows: one tensor per parameter.
     *
     * @param names         the parameters, e.g. {@code W₁ [12, 4]}
     * @param byRule        each rule's "gradient", in the order of {@code names}
     * @param sigmoidSlopes for each layer, the range of σ(1 − σ) over its units and the rows
     * @param crossEntropy  the true gradient of binary cross-entropy instead of the squared error, the output
     *                      layer's net taken as the logit
     */
    public record Gradients(List<String> names, Map<Rule, List<Tensor>> byRule, List<Range> sigmoidSlopes,
                            List<Tensor> crossEntropy) {
        /** Copies the lists and the map. */
        public Gradients {
            names = List.copyOf(names);
            byRule = Map.copyOf(byRule);
            sigmoidSlopes = List.copyOf(sigmoidSlopes);
            crossEntropy = List.copyOf(crossEntropy);
        }

        /** cos of the angle between a rule's direction and the cross-entropy gradient, for parameter {@code index}. */
        public double cosineWithCrossEntropy(Rule rule, int index) {
            return Seed002.cosine(List.of(byRule.get(rule).get(index)), List.of(crossEntropy.get(index)));
        }

        /** The length of a rule's direction over that of the cross-entropy gradient, for parameter {@code index}. */
        public double lengthOverCrossEntropy(Rule rule, int index) {
            List<Tensor> a = List.of(byRule.get(rule).get(index)), b = List.of(crossEntropy.get(index));
            return Math.sqrt(dot(a, a) / dot(b, b));
        }

        /** cos of the angle between two rules' directions, over every parameter. */
        public double cosine(Rule a, Rule b) {
            return Seed002.cosine(byRule.get(a), byRule.get(b));
        }

        /** cos of the angle between two rules' directions for parameter {@code index} alone. */
        public double cosine(Rule a, Rule b, int index) {
            return Seed002.cosine(List.of(byRule.get(a).get(index)), List.of(byRule.get(b).get(index)));
        }

        /** The Euclidean length of a rule's direction, over every parameter. */
        public double norm(Rule rule) {
            return Math.sqrt(dot(byRule.get(rule), byRule.get(rule)));
        }

        /** The Euclidean length of a rule's direction for parameter {@code index} alone. */
        public double norm(Rule rule, int index) {
            List<Tensor> g = List.of(byRule.get(rule).get(index));
            return Math.sqrt(dot(g, g));
        }

        /** The fraction of the parameters whose component has the same sign under both rules. */
        public double signAgreement(Rule a, Rule b) {
            int same = 0, n = 0;
            for (int p = 0; p < names.size(); p++) {
                Tensor x = byRule.get(a).get(p), y = byRule.get(b).get(p);
                for (int i = 0; i < x.size(); i++, n++) if (Math.signum(x.getFlat(i)) == Math.signum(y.getFlat(i))) same++;
            }
            return (double) same / n;
        }
    }

    /** Backpropagates the loss on the comparison rows at the student's start, under every rule. */
    public static Gradients gradientsAtStart() {
        return pureJava(() -> {
            Dataset rows = comparisonRows(teacherData());
            Map<Rule, List<Tensor>> byRule = new EnumMap<>(Rule.class);
            for (Rule rule : Rule.values()) {
                List<Tensor> p = startParameters(DType.FLOAT32);
                LOSS.apply(rule.forward(rows.features(), p), rows.targets()).backward();
                byRule.put(rule, grads(p));
            }
            return new Gradients(parameterNames(), byRule, sigmoidSlopes(rows), crossEntropyGradient(rows));
        });
    }

    /** For each layer of the student at its start, the range of σ(1 − σ) = out·(1 − out) over its units and the rows. */
    private static List<Range> sigmoidSlopes(Dataset rows) {
        List<Range> ranges = new ArrayList<>();
        try (NoGrad _ = NoGrad.enter()) {
            List<Tensor> p = startParameters(DType.FLOAT32);
            Tensor h = rows.features();
            for (int i = 0; i < p.size(); i += 2) {
                h = Rule.TRUE_GRADIENT.layer(h, p.get(i), p.get(i + 1));
                double lo = Double.POSITIVE_INFINITY, hi = Double.NEGATIVE_INFINITY;
                for (int k = 0; k < h.size(); k++) {
                    double slope = h.getFlat(k) * (1 - h.getFlat(k));
                    lo = Math.min(lo, slope);
                    hi = Math.max(hi, slope);
                }
                ranges.add(new Range(lo, hi));
            }
        }
        return ranges;
    }

    /** The true gradient at the student's start of binary cross-entropy, with the output layer's net as the logit. */
    private static List<Tensor> crossEntropyGradient(Dataset rows) {
        List<Tensor> p = startParameters(DType.FLOAT32);
        int last = p.size() - 2;
        Tensor h = rows.features();
        for (int i = 0; i < last; i += 2) h = Rule.TRUE_GRADIENT.layer(h, p.get(i), p.get(i + 1));
        Tensor logit = h.matmul(p.get(last), false, true).add(p.get(last + 1));   // the output's sigmoid is in the loss
        new BinaryCrossEntropy().apply(logit, rows.targets()).backward();
        return grads(p);
    }

    private static List<Tensor> grads(List<Tensor> parameters) {
        List<Tensor> out = new ArrayList<>();
        for (Tensor t : parameters) out.add(t.grad());
        return out;
    }

    /**
     * {@link GradCheck} of what {@code rule} backpropagates against central differences of the loss, at the
     * student's start, in double precision, on the first {@value #GRADCHECK_ROWS} training rows: it passes for the
     * true gradient and fails, naming the op, for the others.
     */
    public static GradCheck.Result gradCheck(Rule rule) {
        return pureJava(() -> {
            Dataset rows = teacherData().train().subset(range(0, GRADCHECK_ROWS));
            Tensor x = rows.features().to(DType.FLOAT64), y = rows.targets().to(DType.FLOAT64);
            return GradCheck.check(p -> LOSS.apply(rule.forward(x, List.of(p)), y),
                    startParameters(DType.FLOAT64).toArray(Tensor[]::new));
        });
    }

    /**
     * The largest σ(1 − σ) over x = −10, −9.99, …, 10, as the library's sigmoid backward computes it, and where.
     *
     * @param value the maximum
     * @param at    the x where it is reached
     */
    public record SlopeMaximum(double value, double at) {}

    /** Finds {@link SlopeMaximum}: backpropagates Σ σ(x) over the grid, whose gradient is σ′ at each x. */
    public static SlopeMaximum sigmoidSlopeMaximum() {
        int n = 2001;
        double[] grid = new double[n];
        for (int i = 0; i < n; i++) grid[i] = (i - 1000) / 100.0;
        Tensor x = Tensor.of(DType.FLOAT64, grid, n).requiresGrad(true);
        x.sigmoid().sum().backward();
        int best = x.grad().argmax();
        return new SlopeMaximum(x.grad().getFlat(best), grid[best]);
    }

    /**
     * One training run of the comparison.
     *
     * @param rule         what the backward pass does
     * @param learningRate α of its optimizer (full-batch gradient descent, or Adam for {@link VariantTraining#adam})
     * @param losses       loss on the comparison rows after 0, 1, …, {@value #VARIANT_EPOCHS} updates
     * @param heldOutR2    R² on the held-out rows at the end
     */
    public record Run(Rule rule, double learningRate, double[] losses, double heldOutR2) {
        /** Copies {@code losses}. */
        public Run {
            losses = losses.clone();
        }

        /** A copy of the losses. */
        @Override
        public double[] losses() {
            return losses.clone();
        }

        /** The loss after {@code epoch} updates. */
        public double loss(int epoch) {
            return losses[epoch];
        }

        /** The loss at the end. */
        public double finalLoss() {
            return losses[losses.length - 1];
        }

        /** The epochs run. */
        public int epochs() {
            return losses.length - 1;
        }
    }

    /**
     * The comparison: the student trained from the same start under each rule at each of {@link #VARIANT_RATES},
     * and with the true gradient at α·{@code stepRatio} for the first α, where {@code stepRatio} = ‖no σ′‖ / ‖true‖
     * at the start: the larger learning rate that leaving σ(1 − σ) out stands in for, by the tutorial's account.
     *
     * @param stepRatio   that ratio of lengths
     * @param runs        every rule at every rate, rate by rate
     * @param matchedStep the true gradient at the first rate times {@code stepRatio}
     * @param adam        the true gradient with Adam (α = {@value #ADAM_LR}, as the student above) instead of plain
     *                    gradient descent, full batch from the same start: a step size for every parameter
     */
    public record VariantTraining(double stepRatio, List<Run> runs, Run matchedStep, Run adam) {
        /** Copies {@code runs}. */
        public VariantTraining {
            runs = List.copyOf(runs);
        }

        /** The run of {@code rule} at learning rate {@code lr}. */
        public Run run(Rule rule, double lr) {
            for (Run r : runs) if (r.rule() == rule && r.learningRate() == lr) return r;
            throw new IllegalArgumentException("no run of " + rule + " at α = " + lr);
        }

        /** The lowest final loss of the runs of gradient descent (not Adam's), whatever their rule. */
        public double bestGradientDescent() {
            double best = matchedStep.finalLoss();
            for (Run r : runs) best = Math.min(best, r.finalLoss());
            return best;
        }
    }

    /** Runs the comparison: full-batch, mean squared error, {@value #VARIANT_EPOCHS} epochs each. */
    public static VariantTraining variantTraining() {
        Gradients start = gradientsAtStart();
        double ratio = start.norm(Rule.NO_SIGMOID_DERIVATIVE) / start.norm(Rule.TRUE_GRADIENT);
        return pureJava(() -> {
            TeacherData data = teacherData();
            List<Run> runs = new ArrayList<>();
            for (double lr : VARIANT_RATES) {
                for (Rule rule : Rule.values()) runs.add(train(rule, named -> Sgd.builder().lr(lr).build(named), data));
            }
            double matched = VARIANT_RATES[0] * ratio;
            return new VariantTraining(ratio, runs,
                    train(Rule.TRUE_GRADIENT, named -> Sgd.builder().lr(matched).build(named), data),
                    train(Rule.TRUE_GRADIENT, named -> Adam.builder().lr(ADAM_LR).build(named), data));
        });
    }

    /** Trains the student from its start on the comparison rows, full batch, under {@code rule}. */
    private static Run train(Rule rule, Function<Map<String, Tensor>, Optimizer> newOptimizer,
                             TeacherData data) {
        List<Tensor> p = startParameters(DType.FLOAT32);
        Map<String, Tensor> named = new LinkedHashMap<>();
        for (int i = 0; i < p.size(); i++) named.put(Integer.toString(i), p.get(i));
        Optimizer optimizer = newOptimizer.apply(named);
        Dataset rows = comparisonRows(data);
        double[] losses = new double[VARIANT_EPOCHS + 1];
        for (int epoch = 0; epoch < VARIANT_EPOCHS; epoch++) {
            optimizer.zeroGrad();
            Tensor loss = LOSS.apply(rule.forward(rows.features(), p), rows.targets());
            losses[epoch] = loss.item();
            loss.backward();
            optimizer.step();
        }
        try (NoGrad _ = NoGrad.enter()) {
            losses[VARIANT_EPOCHS] = LOSS.apply(rule.forward(rows.features(), p), rows.targets()).item();
            Tensor predicted = rule.forward(data.heldOut().features(), p);
            return new Run(rule, optimizer.learningRate(), losses,
                    RegressionMetrics.of(predicted, data.heldOut().targets()).r2());
        }
    }

    // ------------------------------------------------------------------ helpers

    static double cosine(List<Tensor> a, List<Tensor> b) {
        return dot(a, b) / Math.sqrt(dot(a, a) * dot(b, b));
    }

    private static double dot(List<Tensor> a, List<Tensor> b) {
        double s = 0;
        for (int p = 0; p < a.size(); p++) {
            for (int i = 0; i < a.get(p).size(); i++) s += a.get(p).getFlat(i) * b.get(p).getFlat(i);
        }
        return s;
    }

    /** Runs {@code work} with every matrix product on the pure-Java kernels: see the class comment. */
    private static <T> T pureJava(Supplier<T> work) {
        try (Kernels.Scope _ = Kernels.use(JavaKernels.INSTANCE)) {
            return work.get();
        }
    }

    private static int[] range(int from, int to) {
        int[] r = new int[to - from];
        for (int i = 0; i < r.length; i++) r[i] = from + i;
        return r;
    }

    private static String subscript(int n) {
        StringBuilder sb = new StringBuilder();
        for (char c : Integer.toString(n).toCharArray()) sb.append((char) ('₀' + (c - '0')));
        return sb.toString();
    }

    // ------------------------------------------------------------------ the guide

    /** Runs every part and writes the section ({@link Seed002Guide}); about a second once the JIT is warm. */
    @Override
    public String guideSection() {
        return Seed002Guide.render();
    }
}
