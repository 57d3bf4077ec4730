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
 * Step time of the Spark trainer on Fashion-MNIST (784-256-128-10, Adam), local mode with 1 and 2 executor threads
 * and as many partitions, per-partition batches from 256 to 8,192; against one process taking the same global batch
 * in one forward and backward pass (1 product thread, and 2). Not a test: docs/distributed.md shows its output.
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
        Dataset train = FashionMnist.load(FashionMnist.DEBIAN_DIR).train();
        System.out.println("| executors | batch per partition | global batch | step (ms), Spark | samples/s, Spark | step (ms), one process 1 thread | step (ms), one process 2 threads |");
        System.out.println("|---|---|---|---|---|---|---|");
        for (int executors : new int[] {1, 2}) {
            SparkSession spark = SparkSession.builder().master("local[" + executors + "]").appName("bench")
                    .config("spark.ui.enabled", "false").config("spark.driver.host", "127.0.0.1")
                    .config("spark.driver.bindAddress", "127.0.0.1").config("spark.driver.maxResultSize", "2g").getOrCreate();
            JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
            List<Block> blocks = split(train, executors);
            // For the measurement only: the blocks are made on the driver and parallelised (SparkData reads files).
            JavaRDD<Block> rdd = sc.parallelize(blocks, executors).cache();
            rdd.count();
            for (int batch : batches) {
                Module net = net();
                Optimizer opt = Adam.builder().lr(1e-3).build(net.namedParameters());
                int warm = 3, steps = 8;
                SparkTrainer.builder(net, new CrossEntropy(), opt).batchPerPartition(batch).stopAfterSteps(warm).build().fit(rdd);
                SparkTrainer.Result r = SparkTrainer.builder(net, new CrossEntropy(), opt).batchPerPartition(batch).stopAfterSteps(steps)
                        .seed(43).build().fit(rdd);
                double sparkMs = r.seconds() / r.steps() * 1000;
                int global = batch * executors;
                double one = plainStep(train, global, 1), two = plainStep(train, global, 2);
                System.out.printf(Locale.ROOT, "| %d | %,d | %,d | %.0f | %,.0f | %.0f | %.0f |%n", executors, batch, global, sparkMs,
                        global / (sparkMs / 1000), one, two);
            }
            spark.stop();
        }
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
