package dev.backprop.spark;

import dev.backprop.data.Dataset;
import dev.backprop.data.FashionMnist;
import dev.backprop.loss.CrossEntropy;
import dev.backprop.nn.Activation;
import dev.backprop.nn.Module;
import dev.backprop.nn.Networks;
import dev.backprop.optim.Adam;
import dev.backprop.optim.Optimizer;
import dev.backprop.tensor.Tensor;
import dev.backprop.tensor.blas.OpenBlasKernels;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;

/**
 * Step time of the Spark trainer (the median of 5 runs of 10 steps, after 10 steps to warm up) on Fashion-MNIST (784-256-128-10, Adam), local mode with 1 and 2 executor threads
 * and as many partitions, per-partition batches from 256 to 8,192; against one process taking the same global batch
 * in one forward and backward pass (1 product thread, and 2); and the parts of a step's fixed cost: an empty Spark
 * job, and one that broadcasts the weights' bytes and collects as many from each partition. Not a test:
 * docs/distributed.md shows its output.
 *
 * <pre>
 * mvn -q -o -pl spark test-compile dependency:build-classpath -Dmdep.outputFile=/tmp/cp.txt
 * java $(flags) -cp spark/target/test-classes:spark/target/classes:$(cat /tmp/cp.txt) dev.backprop.spark.FashionStepBench
 * </pre>
 */
public final class FashionStepBench {
    private FashionStepBench() {}

    /** Runs the table; arguments: per-partition batch sizes (default 256 1024 4096 8192). */
    public static void main(String[] args) throws Exception {
        int[] batches = args.length > 0 ? java.util.Arrays.stream(args).mapToInt(Integer::parseInt).toArray() : new int[] {256, 1024, 4096, 8192};
        Dataset train = fashion();
        System.out.println("| executors | batch per partition | global batch | step (ms), Spark | samples/s, Spark | of which an empty job (ms) | its broadcast and collect (ms) | the driver's combining and Adam (ms) | step (ms), one process 1 thread | step (ms), one process 2 threads |");
        System.out.println("|---|---|---|---|---|---|---|---|---|---|");
        for (int executors : new int[] {1, 2}) {
            SparkSession spark = SparkSession.builder().master("local[" + executors + "]").appName("bench")
                    .config("spark.ui.enabled", "false").config("spark.driver.host", "127.0.0.1")
                    .config("spark.driver.bindAddress", "127.0.0.1").config("spark.driver.maxResultSize", "2g").getOrCreate();
            JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
            // Each block is made in its task from the data set's files, as SparkData does from a table. (Parallelising
            // blocks made on the driver would put each block's data in its partition object, and Spark would ship it
            // with every task: 94 MB per task per step, 0.8 s a step.)
            int parts = executors;
            List<Integer> indices = java.util.stream.IntStream.range(0, parts).boxed().toList();
            JavaRDD<Block> rdd = sc.parallelize(indices, parts).map(p -> split(fashion(), parts).get(p)).cache();
            rdd.count();
            JavaRDD<Integer> tiny = sc.parallelize(indices, parts).cache();
            tiny.count();
            List<String> lines = new ArrayList<>();
            if (executors == 1) {       // the JVM's first steps compile the hot code: not counted in any row
                Module net = net();
                SparkTrainer.builder(net, new CrossEntropy(), Adam.builder().lr(1e-3).build(net.namedParameters())).batchPerPartition(256)
                        .stopAfterSteps(60).build().fit(rdd);
            }
            for (int batch : batches) {
                Module net = net();
                Optimizer opt = Adam.builder().lr(1e-3).build(net.namedParameters());
                SparkTrainer.builder(net, new CrossEntropy(), opt).batchPerPartition(batch).stopAfterSteps(10).build().fit(rdd);
                double[] means = new double[5];
                for (int k = 0; k < means.length; k++) {
                    SparkTrainer.Result r = SparkTrainer.builder(net, new CrossEntropy(), opt).batchPerPartition(batch).stopAfterSteps(10)
                            .seed(43 + k).build().fit(rdd);
                    means[k] = r.seconds() / r.steps() * 1000;
                }
                double sparkMs = median(means);
                int global = batch * executors;
                double one = plainStep(train, global, 1), two = plainStep(train, global, 2);
                lines.add(String.format(Locale.ROOT, "| %d | %,d | %,d | %.0f | %,.0f | %%.0f | %%.0f | %%.1f | %.0f | %.0f |", executors, batch,
                        global, sparkMs, global / (sparkMs / 1000), one, two));
            }
            // The parts of the fixed cost, measured once the JVM is warm (after the steps above).
            int n = 235_146;
            double empty = millis(10, () -> tiny.map(i -> i).collect());
            double moved = millis(10, () -> {
                org.apache.spark.broadcast.Broadcast<float[]> b = sc.broadcast(new float[n]);
                tiny.map(i -> new float[b.value().length]).collect();
                b.destroy();
            });
            Module driverNet = net();
            Optimizer driverOpt = Adam.builder().lr(1e-3).build(driverNet.namedParameters());
            List<Partial> partials = new ArrayList<>();
            for (int p = 0; p < parts; p++) {
                float[][] g = driverNet.namedParameters().values().stream().map(t -> new float[t.size()]).toArray(float[][]::new);
                partials.add(new Partial(g, 0, 1));
            }
            double driver = millis(10, () -> Combine.apply(partials, driverOpt));
            for (String line : lines) System.out.println(String.format(Locale.ROOT, line, empty, moved - empty, driver));
            spark.stop();
        }
    }

    /**
     * Milliseconds of {@code r}: the median of 5 means of {@code times} runs each, after {@code times} to warm up (the
     * median, because this machine's step times have rare spikes of several times the usual).
     */
    private static double millis(int times, Runnable r) {
        for (int i = 0; i < times; i++) r.run();
        double[] means = new double[5];
        for (int k = 0; k < means.length; k++) {
            long t = System.nanoTime();
            for (int i = 0; i < times; i++) r.run();
            means[k] = (System.nanoTime() - t) / 1e6 / times;
        }
        return median(means);
    }

    private static double median(double[] values) {
        double[] v = values.clone();
        java.util.Arrays.sort(v);
        return v[v.length / 2];
    }

    private static Dataset fashion;

    /** Fashion-MNIST's training set, read once per JVM (the driver's, in local mode). */
    private static synchronized Dataset fashion() throws java.io.IOException {
        if (fashion == null) fashion = FashionMnist.load(FashionMnist.DEBIAN_DIR).train();
        return fashion;
    }

    private static Module net() {
        return Networks.mlp(784, List.of(256, 128), 10, Activation.Kind.RELU, new SplittableRandom(1));
    }

    private static List<Block> split(Dataset d, int parts) {
        int n = d.size(), per = n / parts;
        float[] x = d.features().toFloatArray(), y = d.targets().toFloatArray();
        List<Block> out = new ArrayList<>();
        for (int p = 0; p < parts; p++) {
            int from = p * per, to = p == parts - 1 ? n : from + per;
            out.add(new Block(p, to - from, 784, 0, java.util.Arrays.copyOfRange(x, from * 784, to * 784),
                    java.util.Arrays.copyOfRange(y, from, to)));
        }
        return out;
    }

    /** Milliseconds of one single-process step on {@code global} rows, best of 5 after 2 warm-up steps. */
    private static double plainStep(Dataset d, int global, int threads) {
        if (dev.backprop.tensor.Kernels.active() instanceof OpenBlasKernels blas) blas.setThreads(threads);
        Module net = net();
        Optimizer opt = Adam.builder().lr(1e-3).build(net.namedParameters());
        CrossEntropy loss = new CrossEntropy();
        Tensor x = d.features().sliceRows(0, global), y = d.targets().sliceRows(0, global);
        double best = Double.MAX_VALUE;
        for (int i = 0; i < 7; i++) {
            long t = System.nanoTime();
            opt.zeroGrad();
            loss.apply(net.forward(x), y).backward();
            opt.step();
            if (i >= 2) best = Math.min(best, (System.nanoTime() - t) / 1e6);
        }
        if (dev.backprop.tensor.Kernels.active() instanceof OpenBlasKernels blas) blas.setThreads(1);
        return best;
    }
}
