package dev.backprop.tensor;

import dev.backprop.autograd.Op;
import dev.backprop.autograd.Graph;
import dev.backprop.autograd.ops.Abs;
import dev.backprop.autograd.ops.Affine;
import dev.backprop.autograd.ops.Add;
import dev.backprop.autograd.ops.Clamp;
import dev.backprop.autograd.ops.Div;
import dev.backprop.autograd.ops.Elu;
import dev.backprop.autograd.ops.Exp;
import dev.backprop.autograd.ops.GatherRows;
import dev.backprop.autograd.ops.Gelu;
import dev.backprop.autograd.ops.LeakyRelu;
import dev.backprop.autograd.ops.Log;
import dev.backprop.autograd.ops.LogSoftmax;
import dev.backprop.autograd.ops.MatMul;
import dev.backprop.autograd.ops.Max;
import dev.backprop.autograd.ops.Mean;
import dev.backprop.autograd.ops.Mul;
import dev.backprop.autograd.ops.Neg;
import dev.backprop.autograd.ops.Pow;
import dev.backprop.autograd.ops.PowScalar;
import dev.backprop.autograd.ops.Relu;
import dev.backprop.autograd.ops.Reshape;
import dev.backprop.autograd.ops.Sigmoid;
import dev.backprop.autograd.ops.SliceRows;
import dev.backprop.autograd.ops.Softmax;
import dev.backprop.autograd.ops.Sqrt;
import dev.backprop.autograd.ops.Sub;
import dev.backprop.autograd.ops.Sum;
import dev.backprop.autograd.ops.Tanh;
import dev.backprop.autograd.ops.Transpose;
import java.util.Arrays;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * An n-dimensional array of float32 (or float64) numbers in row-major order, with an optional gradient.
 *
 * <p>Operations return new tensors and never change their operands; methods that do change a tensor end in
 * {@code InPlace}. When a tensor {@link #requiresGrad() requires a gradient}, every operation on it is recorded,
 * and {@link #backward()} on a scalar result fills {@link #grad()} of each such leaf with {@code ∂result/∂leaf},
 * accumulating over calls until {@link #zeroGrad()}.
 *
 * <pre>{@code
 * Tensor w = Tensor.matrix(new double[][] {{0.25, 0.15}, {0.35, 0.28}}).requiresGrad(true);
 * Tensor x = Tensor.matrix(new double[][] {{0.1, 0.2}});                 // [1, 2]: one sample per row
 * Tensor out = x.matmul(w, false, true).add(0.45).sigmoid();            // σ(x·Wᵀ + b), [1, 2]
 * out.sum().backward();                                                 // w.grad() is [2, 2]
 * }</pre>
 *
 * <p>Elementwise operations broadcast as NumPy does (a row vector over a matrix, a scalar over anything); a shape
 * that does not fit raises {@link ShapeException} naming the op and both shapes.
 */
public final class Tensor {
    private final Shape shape;
    private final DType dtype;
    private final float[] f;
    private final double[] d;

    private boolean requiresGrad;
    private boolean retainsGrad;
    private Tensor grad;
    private Op gradFn;

    private Tensor(Shape shape, float[] f) {
        this.shape = shape;
        this.dtype = DType.FLOAT32;
        this.f = f;
        this.d = null;
    }

    private Tensor(Shape shape, double[] d) {
        this.shape = shape;
        this.dtype = DType.FLOAT64;
        this.f = null;
        this.d = d;
    }

    // ---------------------------------------------------------------- creation

    /** A float32 tensor that takes ownership of {@code data} (not copied) with the given shape. */
    public static Tensor wrap(float[] data, int... shape) {
        return wrap(data, Shape.of(shape));
    }

    /** A float32 tensor that takes ownership of {@code data} (not copied). */
    public static Tensor wrap(float[] data, Shape shape) {
        checkLength(data.length, shape);
        return new Tensor(shape, data);
    }

    /** A float64 tensor that takes ownership of {@code data} (not copied). */
    public static Tensor wrap(double[] data, Shape shape) {
        checkLength(data.length, shape);
        return new Tensor(shape, data);
    }

    /** A float32 tensor holding a copy of {@code data}. */
    public static Tensor of(float[] data, int... shape) {
        return wrap(data.clone(), shape);
    }

    /** A float32 tensor from double values (rounded to float), e.g. {@code Tensor.of(new double[] {1, 2, 3, 4}, 2, 2)}. */
    public static Tensor of(double[] data, int... shape) {
        return of(DType.FLOAT32, data, shape);
    }

    /** A tensor of the given type from double values. */
    public static Tensor of(DType dtype, double[] data, int... shape) {
        Shape s = Shape.of(shape);
        checkLength(data.length, s);
        if (dtype == DType.FLOAT64) return new Tensor(s, data.clone());
        float[] f = new float[data.length];
        for (int i = 0; i < f.length; i++) f[i] = (float) data[i];
        return new Tensor(s, f);
    }

    /** A float32 vector (shape {@code [n]}). */
    public static Tensor vector(double... values) {
        return of(values, values.length);
    }

    /** A float32 matrix from its rows; every row must have the same length. */
    public static Tensor matrix(double[][] rows) {
        int cols = rows.length == 0 ? 0 : rows[0].length;
        float[] f = new float[rows.length * cols];
        for (int r = 0; r < rows.length; r++) {
            if (rows[r].length != cols) {
                throw new IllegalArgumentException("matrix: row " + r + " has " + rows[r].length
                        + " values, row 0 has " + cols);
            }
            for (int c = 0; c < cols; c++) f[r * cols + c] = (float) rows[r][c];
        }
        return new Tensor(Shape.of(rows.length, cols), f);
    }

    /** A float32 scalar (shape {@code []}). */
    public static Tensor scalar(double value) {
        return new Tensor(Shape.scalar(), new float[] {(float) value});
    }

    /** A scalar of the given type. */
    public static Tensor scalar(DType dtype, double value) {
        return dtype == DType.FLOAT64 ? new Tensor(Shape.scalar(), new double[] {value}) : scalar(value);
    }

    /**
     * Zeros of the given type and shape. Inside an op, while a {@link Workspace} scope is open, the array comes from
     * the workspace.
     */
    public static Tensor zeros(DType dtype, Shape shape) {
        int n = shape.size();
        Workspace w = n >= Workspace.MIN_POOLED ? Workspace.lending() : null;
        if (dtype == DType.FLOAT64) return new Tensor(shape, w != null ? w.doubles(n) : new double[n]);
        return new Tensor(shape, w != null ? w.floats(n) : new float[n]);
    }

    /** float32 zeros. */
    public static Tensor zeros(int... shape) {
        return zeros(DType.FLOAT32, Shape.of(shape));
    }

    /** float32 tensor with every element {@code value}. */
    public static Tensor full(double value, int... shape) {
        return zeros(shape).fillInPlace(value);
    }

    /** float32 ones. */
    public static Tensor ones(int... shape) {
        return full(1, shape);
    }

    /** Uniform numbers in [0, 1) drawn from {@code rng} (the seeds' initialisation). */
    public static Tensor rand(RandomGenerator rng, int... shape) {
        return uniform(rng, 0, 1, shape);
    }

    /** Uniform numbers in [lo, hi) drawn from {@code rng}. */
    public static Tensor uniform(RandomGenerator rng, double lo, double hi, int... shape) {
        Objects.requireNonNull(rng, "rng");
        Tensor t = zeros(shape);
        float[] a = t.f;
        for (int i = 0; i < a.length; i++) a[i] = (float) (lo + (hi - lo) * rng.nextDouble());
        return t;
    }

    /** Normally distributed numbers (mean 0, standard deviation 1) drawn from {@code rng}. */
    public static Tensor randn(RandomGenerator rng, int... shape) {
        Objects.requireNonNull(rng, "rng");
        Tensor t = zeros(shape);
        float[] a = t.f;
        for (int i = 0; i < a.length; i++) a[i] = (float) rng.nextGaussian();
        return t;
    }

    private static void checkLength(int length, Shape shape) {
        if (length != shape.size()) {
            throw new ShapeException("tensor: " + length + " values do not fill shape " + shape
                    + " (" + shape.size() + " elements)");
        }
    }

    // ---------------------------------------------------------------- properties and data

    /** The dimensions, e.g. {@code [batch, inputs]}; a scalar has rank 0. */
    public Shape shape() {
        return shape;
    }

    /** The element type: {@link DType#FLOAT32} or {@link DType#FLOAT64}. */
    public DType dtype() {
        return dtype;
    }

    /** Number of elements. */
    public int size() {
        return shape.size();
    }

    /** Number of dimensions. */
    public int rank() {
        return shape.rank();
    }

    /** The backing float32 array itself (not a copy); for kernels and ops. */
    public float[] floats() {
        if (f == null) throw new IllegalStateException("floats(): this tensor is " + dtype + "; use doubles() or to(FLOAT32)");
        return f;
    }

    /** The backing float64 array itself (not a copy); for kernels and ops. */
    public double[] doubles() {
        if (d == null) throw new IllegalStateException("doubles(): this tensor is " + dtype + "; use floats() or to(FLOAT64)");
        return d;
    }

    /** Element at flat index {@code i}, as a double. */
    public double getFlat(int i) {
        return f != null ? f[i] : d[i];
    }

    /** Element at the given index, one number per dimension. */
    public double get(int... index) {
        if (index.length != shape.rank()) {
            throw new IllegalArgumentException("get: index " + Arrays.toString(index) + " for shape " + shape);
        }
        int flat = 0;
        for (int i = 0; i < index.length; i++) {
            int n = shape.dim(i);
            if (index[i] < 0 || index[i] >= n) {
                throw new IndexOutOfBoundsException("get: index " + Arrays.toString(index) + " for shape " + shape);
            }
            flat = flat * n + index[i];
        }
        return getFlat(flat);
    }

    /** The value of a one-element tensor. */
    public double item() {
        if (size() != 1) throw new IllegalStateException("item(): tensor has shape " + shape + ", not one element");
        return getFlat(0);
    }

    /** A copy of the elements as float32. */
    public float[] toFloatArray() {
        if (f != null) return f.clone();
        float[] out = new float[d.length];
        for (int i = 0; i < out.length; i++) out[i] = (float) d[i];
        return out;
    }

    /** A copy of the elements as float64. */
    public double[] toDoubleArray() {
        if (d != null) return d.clone();
        double[] out = new double[f.length];
        for (int i = 0; i < out.length; i++) out[i] = f[i];
        return out;
    }

    /** This tensor in the given type: itself if it already is, else a converted copy (not recorded for gradients). */
    public Tensor to(DType type) {
        if (type == dtype) return this;
        return type == DType.FLOAT64 ? new Tensor(shape, toDoubleArray()) : new Tensor(shape, toFloatArray());
    }

    /** A copy with its own storage and no gradient history. */
    public Tensor copy() {
        return f != null ? new Tensor(shape, f.clone()) : new Tensor(shape, d.clone());
    }

    /** The same storage seen with another shape of the same size (used by reshape; not recorded). */
    public Tensor view(Shape newShape) {
        checkLength(size(), newShape);
        return f != null ? new Tensor(newShape, f) : new Tensor(newShape, d);
    }

    // ---------------------------------------------------------------- mutators

    /** Sets every element to {@code value}; returns this. */
    public Tensor fillInPlace(double value) {
        if (f != null) Arrays.fill(f, (float) value);
        else Arrays.fill(d, value);
        return this;
    }

    /** {@code this += alpha * other} elementwise (same shape); returns this. Not recorded for gradients. */
    public Tensor addInPlace(Tensor other, double alpha) {
        if (!other.shape.equals(shape)) throw ShapeException.of("addInPlace", shape, other.shape);
        if (f != null) {
            float a = (float) alpha;
            if (other.f != null) {
                float[] o = other.f;
                for (int i = 0; i < f.length; i++) f[i] += a * o[i];
            } else {
                for (int i = 0; i < f.length; i++) f[i] += (float) (alpha * other.d[i]);
            }
        } else {
            for (int i = 0; i < d.length; i++) d[i] += alpha * other.getFlat(i);
        }
        return this;
    }

    /** Copies the values of {@code other} (same shape) into this tensor; returns this. */
    public Tensor copyFromInPlace(Tensor other) {
        if (!other.shape.equals(shape)) throw ShapeException.of("copyFrom", shape, other.shape);
        if (f != null && other.f != null) System.arraycopy(other.f, 0, f, 0, f.length);
        else if (d != null && other.d != null) System.arraycopy(other.d, 0, d, 0, d.length);
        else for (int i = 0; i < size(); i++) setFlatInPlace(i, other.getFlat(i));
        return this;
    }

    /** Sets the element at flat index {@code i}. */
    public void setFlatInPlace(int i, double value) {
        if (f != null) f[i] = (float) value;
        else d[i] = value;
    }

    // ---------------------------------------------------------------- autograd

    /** Whether operations on this tensor are recorded so that gradients can flow to it. */
    public boolean requiresGrad() {
        return requiresGrad;
    }

    /**
     * Marks a leaf tensor (one not computed by a recorded op) as a parameter or input whose gradient is wanted.
     * Returns this, for chaining.
     */
    public Tensor requiresGrad(boolean value) {
        if (gradFn != null) {
            throw new IllegalStateException("requiresGrad: only leaf tensors can be marked; this one was computed by "
                    + gradFn.name() + " (use detach() to get a leaf)");
        }
        requiresGrad = value;
        return this;
    }

    /** The accumulated gradient {@code ∂E/∂this}, or null before any backward pass reached it. */
    public Tensor grad() {
        return grad;
    }

    /**
     * Keeps this computed (non-leaf) tensor's gradient after {@link #backward()}, as leaves keep theirs: for
     * showing intermediate values such as δ = ∂E/∂net. Returns this.
     */
    public Tensor retainGrad() {
        retainsGrad = true;
        return this;
    }

    /** Whether backward() stores this tensor's gradient in {@link #grad()}: leaves that require one, and retainGrad(). */
    public boolean keepsGrad() {
        return gradFn == null ? requiresGrad : retainsGrad;
    }

    /** Replaces the gradient (the optimizer and the gradient check use this); null clears it. */
    public void setGrad(Tensor g) {
        if (g != null && !g.shape.equals(shape)) throw ShapeException.of("setGrad", shape, g.shape);
        grad = g;
    }

    /** Sets the gradient to zero, keeping its buffer. */
    public void zeroGrad() {
        if (grad != null) grad.fillInPlace(0);
    }

    /** The op that computed this tensor, or null for a leaf. */
    public Op gradFn() {
        return gradFn;
    }

    /** True when no recorded op produced this tensor. */
    public boolean isLeaf() {
        return gradFn == null;
    }

    /**
     * Links this freshly computed tensor to the op that produced it. Called by {@link Op#apply}; not for
     * other use.
     */
    public void recordedBy(Op fn) {
        if (gradFn != null || requiresGrad) {
            throw new IllegalStateException(fn.name() + ": forward must return a new tensor, not one of its inputs");
        }
        gradFn = fn;
        requiresGrad = true;
    }

    /** The same values, cut off from the graph: no gradient flows through the result. */
    public Tensor detach() {
        return f != null ? new Tensor(shape, f) : new Tensor(shape, d);
    }

    /** Backpropagates from this scalar: every leaf that requires a gradient gets {@code ∂this/∂leaf} added to its grad. */
    public void backward() {
        Graph.backward(this, null);
    }

    /** Backpropagates with {@code ∂E/∂this = upstream} (same shape), for a non-scalar output. */
    public void backward(Tensor upstream) {
        Graph.backward(this, Objects.requireNonNull(upstream, "upstream"));
    }

    // ---------------------------------------------------------------- elementwise, broadcasting

    /** {@code this + other}, broadcasting. */
    public Tensor add(Tensor other) {
        return new Add().apply(this, other);
    }

    /** {@code this + c}. */
    public Tensor add(double c) {
        return add(scalar(dtype, c));
    }

    /** {@code this − other}, broadcasting. */
    public Tensor sub(Tensor other) {
        return new Sub().apply(this, other);
    }

    /** {@code this − c}. */
    public Tensor sub(double c) {
        return sub(scalar(dtype, c));
    }

    /** Elementwise {@code this · other} (the Hadamard product ∘), broadcasting. */
    public Tensor mul(Tensor other) {
        return new Mul().apply(this, other);
    }

    /** {@code this · c}. */
    public Tensor mul(double c) {
        return mul(scalar(dtype, c));
    }

    /** Elementwise {@code this / other}, broadcasting. */
    public Tensor div(Tensor other) {
        return new Div().apply(this, other);
    }

    /** {@code this / c}. */
    public Tensor div(double c) {
        return div(scalar(dtype, c));
    }

    /** Elementwise {@code this ^ exponent}, broadcasting (the base must be positive where the exponent's gradient is needed). */
    public Tensor pow(Tensor exponent) {
        return new Pow().apply(this, exponent);
    }

    /** Elementwise {@code this ^ p} for a constant p. */
    public Tensor pow(double p) {
        return new PowScalar(p).apply(this);
    }

    /** {@code −this}. */
    public Tensor neg() {
        return new Neg().apply(this);
    }

    /** Elementwise e^x. */
    public Tensor exp() {
        return new Exp().apply(this);
    }

    /** Elementwise natural logarithm (−∞ at 0). */
    public Tensor log() {
        return new Log().apply(this);
    }

    /** Elementwise square root. */
    public Tensor sqrt() {
        return new Sqrt().apply(this);
    }

    /** Elementwise |x| (gradient 0 at 0). */
    public Tensor abs() {
        return new Abs().apply(this);
    }

    /** Elementwise min(max(x, lo), hi); the gradient is 1 inside [lo, hi] and 0 outside. */
    public Tensor clamp(double lo, double hi) {
        return new Clamp(lo, hi).apply(this);
    }

    // ---------------------------------------------------------------- activations

    /** σ(x) = 1 / (1 + e^−x), computed without overflow for any x; σ' = σ(1 − σ). */
    public Tensor sigmoid() {
        return new Sigmoid().apply(this);
    }

    /** tanh(x); tanh' = 1 − tanh². */
    public Tensor tanh() {
        return new Tanh().apply(this);
    }

    /** max(0, x). */
    public Tensor relu() {
        return new Relu().apply(this);
    }

    /** x for x > 0, slope·x otherwise. */
    public Tensor leakyRelu(double slope) {
        return new LeakyRelu(slope).apply(this);
    }

    /** x for x > 0, α(eˣ − 1) otherwise. */
    public Tensor elu(double alpha) {
        return new Elu(alpha).apply(this);
    }

    /** GELU, tanh form: ½x(1 + tanh(√(2/π)(x + 0.044715x³))). */
    public Tensor gelu() {
        return new Gelu().apply(this);
    }

    /** Softmax along {@code axis} (−1 for the last), stable for large inputs (the maximum is subtracted first). */
    public Tensor softmax(int axis) {
        return new Softmax(axis).apply(this);
    }

    /** log(softmax(x)) along {@code axis}, computed as x − max − log Σ e^(x − max): finite for any finite input. */
    public Tensor logSoftmax(int axis) {
        return new LogSoftmax(axis).apply(this);
    }

    // ---------------------------------------------------------------- products

    /** Matrix product {@code this · other}: {@code [m, k] x [k, n] -> [m, n]}. */
    public Tensor matmul(Tensor other) {
        return matmul(other, false, false);
    }

    /**
     * Matrix product with either side transposed, without copying: {@code op(this) · op(other)} where
     * {@code op} transposes when its flag is set. E.g. {@code x.matmul(w, false, true)} is {@code x · wᵀ}.
     */
    public Tensor matmul(Tensor other, boolean transposeThis, boolean transposeOther) {
        return new MatMul(transposeThis, transposeOther).apply(this, other);
    }

    /**
     * A fully connected layer's {@code this · weightᵀ + bias} as one op ({@code [batch, in]}, {@code [out, in]},
     * {@code [out]} → {@code [batch, out]}), as PyTorch's {@code F.linear}; {@code bias} may be null. The same
     * values as {@code matmul(weight, false, true).add(bias)}, without the intermediate product.
     */
    public Tensor linear(Tensor weight, Tensor bias) {
        Affine op = new Affine();
        return bias == null ? op.apply(this, weight) : op.apply(this, weight, bias);
    }

    // ---------------------------------------------------------------- reductions

    /** Sum of all elements (a scalar). */
    public Tensor sum() {
        return new Sum(null, false).apply(this);
    }

    /** Sum along {@code axis}, which is removed unless {@code keepDim}. */
    public Tensor sum(int axis, boolean keepDim) {
        return new Sum(axis, keepDim).apply(this);
    }

    /** Mean of all elements (a scalar). */
    public Tensor mean() {
        return new Mean(null, false).apply(this);
    }

    /** Mean along {@code axis}. */
    public Tensor mean(int axis, boolean keepDim) {
        return new Mean(axis, keepDim).apply(this);
    }

    /** Largest element (a scalar); the gradient goes to its first occurrence. */
    public Tensor max() {
        return new Max(null, false).apply(this);
    }

    /** Largest element along {@code axis}. */
    public Tensor max(int axis, boolean keepDim) {
        return new Max(axis, keepDim).apply(this);
    }

    /** Flat index of the largest element (the first, on ties). */
    public int argmax() {
        if (size() == 0) throw new IllegalStateException("argmax: empty tensor");
        int best = 0;
        for (int i = 1; i < size(); i++) if (getFlat(i) > getFlat(best)) best = i;
        return best;
    }

    /**
     * Index of the largest element along {@code axis}, for every position of the other axes (row-major order);
     * for a {@code [n, classes]} matrix, {@code argmax(1)} is each row's predicted class.
     */
    public int[] argmax(int axis) {
        AxisView v = AxisView.of(shape, axis);
        if (v.n() == 0) throw new IllegalStateException("argmax: axis " + axis + " of " + shape + " is empty");
        int[] out = new int[v.lanes()];
        for (int o = 0; o < v.outer(); o++) {
            for (int i = 0; i < v.inner(); i++) {
                int best = 0;
                for (int k = 1; k < v.n(); k++) if (getFlat(v.index(o, k, i)) > getFlat(v.index(o, best, i))) best = k;
                out[o * v.inner() + i] = best;
            }
        }
        return out;
    }

    // ---------------------------------------------------------------- shape

    /** The same elements in another shape of the same size; one dimension may be −1 (inferred). */
    public Tensor reshape(int... newShape) {
        int[] dims = newShape.clone();
        int infer = -1, known = 1;
        for (int i = 0; i < dims.length; i++) {
            if (dims[i] == -1) {
                if (infer >= 0) throw new ShapeException("reshape: " + shape + " -> " + Arrays.toString(newShape) + ": more than one -1");
                infer = i;
            } else {
                known *= dims[i];
            }
        }
        if (infer >= 0) {
            if (known == 0 || size() % known != 0) {
                throw new ShapeException("reshape: " + shape + " -> " + Arrays.toString(newShape));
            }
            dims[infer] = size() / known;
        }
        Shape target = Shape.of(dims);
        if (target.size() != size()) throw new ShapeException("reshape: " + shape + " -> " + target);
        return new Reshape(target).apply(this);
    }

    /** Transpose of a matrix ({@code [m, n] -> [n, m]}); for higher ranks, swaps the last two axes. */
    public Tensor transpose() {
        if (rank() < 2) throw new ShapeException("transpose: needs at least 2 dimensions, got " + shape);
        return transpose(-2, -1);
    }

    /** Swaps two axes. */
    public Tensor transpose(int axis0, int axis1) {
        return new Transpose(shape.axis(axis0), shape.axis(axis1)).apply(this);
    }

    /** Rows {@code from} (inclusive) to {@code to} (exclusive) along the first axis: a mini-batch. */
    public Tensor sliceRows(int from, int to) {
        return new SliceRows(from, to).apply(this);
    }

    /** The rows at {@code indices} along the first axis, in that order (repeats allowed): a shuffled mini-batch. */
    public Tensor gatherRows(int... indices) {
        return new GatherRows(indices).apply(this);
    }

    // ---------------------------------------------------------------- comparison and printing

    /** True when shapes are equal and every element satisfies |a − b| ≤ atol + rtol·|b|. */
    public boolean allClose(Tensor other, double rtol, double atol) {
        if (!shape.equals(other.shape)) return false;
        for (int i = 0; i < size(); i++) {
            double a = getFlat(i), b = other.getFlat(i);
            if (!(Math.abs(a - b) <= atol + rtol * Math.abs(b))) return false;
        }
        return true;
    }

    /** E.g. {@code tensor([2, 2] float32, [[0.25, 0.15], [0.35, 0.28]])}; long tensors are abbreviated. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("tensor(").append(shape).append(' ')
                .append(dtype.name().toLowerCase(java.util.Locale.ROOT)).append(", ");
        int[] budget = {64};
        appendNested(sb, 0, 0, budget);
        if (gradFn != null) sb.append(", grad_fn=").append(gradFn.name());
        else if (requiresGrad) sb.append(", requires_grad");
        return sb.append(')').toString();
    }

    private void appendNested(StringBuilder sb, int axis, int offset, int[] budget) {
        if (axis == rank()) {
            sb.append(formatNumber(getFlat(offset)));
            budget[0]--;
            return;
        }
        int n = shape.dim(axis), stride = shape.inner(axis);
        sb.append('[');
        for (int i = 0; i < n; i++) {
            if (i > 0) sb.append(", ");
            if (budget[0] <= 0) {
                sb.append("...");
                break;
            }
            appendNested(sb, axis + 1, offset + i * stride, budget);
        }
        sb.append(']');
    }

    private String formatNumber(double v) {
        if (dtype == DType.FLOAT32) return Float.toString((float) v);
        return Double.toString(v);
    }
}
