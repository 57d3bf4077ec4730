package dev.backprop.spark;

import dev.backprop.encode.ClassEncoder;
import dev.backprop.init.Init;
import dev.backprop.io.ModelFile;
import dev.backprop.io.Provenance;
import dev.backprop.io.SavedModel;
import dev.backprop.io.SavedOptimizer;
import dev.backprop.loss.CrossEntropy;
import dev.backprop.loss.Loss;
import dev.backprop.loss.MeanSquaredError;
import dev.backprop.nn.Activation;
import dev.backprop.nn.Module;
import dev.backprop.nn.Networks;
import dev.backprop.nn.Rescale;
import dev.backprop.nn.Sequential;
import dev.backprop.optim.Optimizer;
import dev.backprop.optim.OptimizerState;
import dev.backprop.optim.OptimizerType;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The {@code spark-submit} entry point: {@code backprop train}'s options that apply to a distributed run, a model
 * file the other commands load ({@code backprop predict --model m.bpm --data rows.csv}).
 *
 * <pre>
 * spark-submit --class dev.backprop.spark.SparkTrain backprop-spark-app.jar \
 *     --data hdfs:///tables/houses.csv --target price --layers 64 --epochs 20 --batch 256 --out houses.bpm
 * </pre>
 */
@Command(name = "backprop-spark", mixinStandardHelpOptions = true, sortOptions = false,
        header = "Train a network on Apache Spark, synchronously, and save it as backprop train does.",
        description = "Each step, every partition computes the gradient of its share of the global batch (--batch rows "
                + "each); the driver adds them in partition order and takes the optimizer step.")
public final class SparkTrain implements Callable<Integer> {
    @Option(names = "--data", required = true, paramLabel = "PATH",
            description = "A CSV file or directory with a header row, or Parquet (a path ending in .parquet), read by Spark.")
    String data;

    @Option(names = "--target", required = true, paramLabel = "COL", description = "The target column.")
    String target;

    @Option(names = "--task", paramLabel = "classify|regress", description = "Classes or numbers (default: classes when the target holds text).")
    String task;

    @Option(names = "--partitions", paramLabel = "N", description = "Repartition the rows into N partitions (default: as read).")
    Integer partitions;

    @Option(names = "--layers", split = ",", paramLabel = "N,N,...", hideParamSyntax = true, description = "Hidden layer sizes (default: 64).")
    List<Integer> layers = List.of(64);

    @Option(names = "--activation", paramLabel = "NAME", description = "Hidden activation (default: relu).")
    String activation = "relu";

    @Option(names = "--loss", paramLabel = "NAME", description = "The loss (default: cross-entropy for classes, mse for numbers).")
    String loss;

    @Option(names = "--optimizer", paramLabel = "NAME", description = "sgd, adam, adamw, rmsprop, adagrad (default: adam).")
    String optimizer = "adam";

    @Option(names = "--lr", paramLabel = "RATE", description = "Learning rate (default: 0.001).")
    double lr = 1e-3;

    @Option(names = "--batch", paramLabel = "N", description = "Rows per partition per step (default: 64); the global batch is N times the partitions.")
    int batch = 64;

    @Option(names = "--epochs", paramLabel = "N", description = "Passes over the data (default: 10).")
    int epochs = 10;

    @Option(names = "--val", paramLabel = "FRACTION",
            description = "Fraction of the rows held out for validation, scored after every epoch (default: 0.2; 0 for none).")
    double val = 0.2;

    @Option(names = "--seed", paramLabel = "N", description = "Seed of the initial weights, the batch orders and dropout (default: 42).")
    long seed = 42;

    @Option(names = "--checkpoint-dir", paramLabel = "DIR", description = "Write DIR/last.bpm every --checkpoint-every steps.")
    Path checkpointDir;

    @Option(names = "--checkpoint-every", paramLabel = "STEPS", description = "Steps between checkpoints (default: 100).")
    int checkpointEvery = 100;

    @Option(names = "--resume", paramLabel = "CHECKPOINT", description = "Continue from a checkpoint of this run.")
    Path resume;

    @Option(names = "--out", required = true, paramLabel = "MODEL.bpm", description = "Where to save the model (on the driver's file system).")
    Path out;

    private SparkSession session;

    /** The entry point: a Spark session from spark-submit's configuration, the run, its exit code. */
    public static void main(String[] args) {
        System.exit(run(null, args));
    }

    /** Runs with {@code session} (null: get or create the one spark-submit configured) and returns the exit code. */
    public static int run(SparkSession session, String... args) {
        SparkTrain command = new SparkTrain();
        command.session = session;
        CommandLine cl = new CommandLine(command);
        cl.setExecutionExceptionHandler((e, c, p) -> {
            c.getErr().println("backprop-spark: " + (e.getMessage() == null ? e : e.getMessage()));
            return 1;
        });
        return cl.execute(args);
    }

    @Override
    public Integer call() throws Exception {
        SparkSession spark = session;
        if (spark == null) {
            spark = SparkSession.builder().appName("backprop").getOrCreate();
            // Spark's default log4j2 profile logs every stage at INFO: the run's own lines would drown. A user's own
            // log4j2 configuration (-Dlog4j2.configurationFile) still decides what reaches the files it names.
            spark.sparkContext().setLogLevel("WARN");
        }
        boolean parquet = data.toLowerCase(java.util.Locale.ROOT).replaceAll("/+$", "").endsWith(".parquet");
        if (!(val >= 0 && val < 1)) throw new IllegalArgumentException("--val must be in [0, 1), got " + val);
        Dataset<Row> df = parquet ? spark.read().parquet(data) : SparkData.readCsv(spark, data);
        if (partitions != null) df = df.repartition(partitions);
        boolean classify = "classify".equals(task);
        SparkData.Prepared prepared = SparkData.of(df, data, target, classify, val, seed);
        boolean classes = prepared.encoder().target() instanceof ClassEncoder;
        int outputs = prepared.encoder().outputs();
        Sequential mlp = Networks.mlp(prepared.encoder().inputs(), layers, outputs, Activation.Kind.parse(activation), Init.constant(0),
                new SplittableRandom(seed));
        Module net = mlp;
        if (!classes) {
            List<Module> all = new ArrayList<>(mlp.layers());
            all.add(Rescale.standardising(new double[] {prepared.targetMean()}, new double[] {prepared.targetStd()}));
            net = new Sequential(all);
        }
        Loss lossFn = loss != null ? Loss.byName(loss) : classes ? new CrossEntropy() : new MeanSquaredError();
        Optimizer opt = Optimizer.create(OptimizerType.parse(optimizer), Map.of("lr", lr), net.namedParameters());
        SparkTrainer.Builder b = SparkTrainer.builder(net, lossFn, opt).epochs(epochs).batchPerPartition(batch).seed(seed)
                .log(System.err::println);
        if (checkpointDir != null) b.checkpoints(checkpointDir, checkpointEvery);
        if (resume != null) b.resumeFrom(resume);
        SparkTrainer.Result r = b.build().fit(prepared.blocks(), prepared.validation());
        System.err.printf(java.util.Locale.ROOT, "trained %d steps in %.1f s on %d partitions of %s rows%s%n", r.steps(), r.seconds(),
                prepared.sizes().size(), prepared.sizes(),
                prepared.validation() == null ? "" : ", scored on " + prepared.validationSizes() + " validation rows");

        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("loss", lossFn.name());
        settings.put("optimizer", OptimizerType.parse(optimizer).name());
        settings.put("learning_rate", lr);
        settings.put("epochs", epochs);
        settings.put("batch_size", batch * prepared.sizes().size());
        settings.put("batch_per_partition", batch);
        settings.put("partitions", prepared.sizes().size());
        settings.put("seed", seed);
        settings.put("validation_fraction", val);
        settings.put("layers", layers);
        settings.put("activation", Activation.Kind.parse(activation).id());
        settings.put("trainer", "spark");
        OptimizerState s = opt.state();
        ModelFile.save(out, SavedModel.builder(net, Provenance.now(seed, data)).loss(lossFn.config())
                .preprocessing(prepared.encoder().toMap()).training(settings)
                .optimizer(new SavedOptimizer(s.type().name(), s.hyperParameters(), s.steps(), s.tensors())).build());
        System.err.println("model saved to " + out);
        return 0;
    }
}
