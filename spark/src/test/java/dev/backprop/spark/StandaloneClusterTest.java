package dev.backprop.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.backprop.loss.CrossEntropy;
import dev.backprop.nn.Activation;
import dev.backprop.nn.Linear;
import dev.backprop.nn.Sequential;
import dev.backprop.optim.Adam;
import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real Spark standalone cluster on this machine: a master and two workers, each a JVM of its own started from the
 * jars Maven resolved (no Spark download), their executors separate JVMs too. A training run submitted to it ends with
 * the weights its single-process replay gives, to the bit. Slow (about half a minute): tag {@code slow}.
 */
@Tag("slow")
class StandaloneClusterTest {
    private static final String FLAGS = System.getProperty("spark.test.flags", "");

    @Test
    void aRunOnTwoWorkerJvmsEqualsItsReplay(@TempDir Path dir) throws Exception {
        List<Process> started = new ArrayList<>();
        try {
            Path home = sparkHome(dir);
            int port = freePort();
            String java = ProcessHandle.current().info().command().orElse("java");
            started.add(start(dir, "master", home, java, "org.apache.spark.deploy.master.Master", "--host", "127.0.0.1",
                    "--port", Integer.toString(port), "--webui-port", Integer.toString(freePort())));
            waitForPort(port, 60_000);
            for (int w = 0; w < 2; w++) {
                Path work = Files.createDirectories(dir.resolve("worker-" + w));
                started.add(start(dir, "worker-" + w, home, java, "org.apache.spark.deploy.worker.Worker", "--host", "127.0.0.1",
                        "--cores", "1", "--memory", "1g", "--webui-port", Integer.toString(freePort()), "--work-dir", work.toString(),
                        "spark://127.0.0.1:" + port));
            }
            String cp = System.getProperty("java.class.path");
            SparkSession spark = SparkSession.builder().master("spark://127.0.0.1:" + port).appName("backprop-standalone")
                    .config("spark.ui.enabled", "false").config("spark.driver.host", "127.0.0.1")
                    .config("spark.driver.bindAddress", "127.0.0.1").config("spark.executor.memory", "512m")
                    .config("spark.cores.max", "2").config("spark.executor.cores", "1")
                    .config("spark.executor.extraClassPath", cp)
                    .config("spark.executor.extraJavaOptions", FLAGS + " --enable-native-access=ALL-UNNAMED")
                    .getOrCreate();
            try {
                Path csv = Files.createDirectories(dir.resolve("spirals"));
                List<String> lines = SparkTrainerTest.spirals(300).lines().toList();
                int[] cuts = {0, 160, 300};
                Dataset<Row> df = null;
                for (int f = 0; f < 2; f++) {
                    Path file = csv.resolve("part-" + f + ".csv");
                    Files.writeString(file, lines.get(0) + "\n" + String.join("\n", lines.subList(1 + cuts[f], 1 + cuts[f + 1])) + "\n");
                    Dataset<Row> part = spark.read().option("header", "true").csv(file.toString());
                    df = df == null ? part : df.union(part);
                }
                SparkData.Prepared data = SparkData.of(df, csv.toString(), "class", true);
                assertEquals(List.of(160, 140), data.sizes());
                Sequential net = net();
                SparkTrainer.Result r = SparkTrainer.builder(net, new CrossEntropy(), Adam.builder().lr(0.02).build(net.namedParameters()))
                        .epochs(2).batchPerPartition(20).seed(3).build().fit(data.blocks());
                int executors = spark.sparkContext().statusTracker().getExecutorInfos().length - 1;   // less the driver
                assertEquals(2, executors, "two executor JVMs");

                Sequential local = net();
                SparkTrainer.Result replay = SparkTrainer.builder(local, new CrossEntropy(), Adam.builder().lr(0.02).build(local.namedParameters()))
                        .epochs(2).batchPerPartition(20).seed(3).build().replay(SparkData.collect(data));
                assertEquals(r.checksums(), replay.checksums(), "every step's mean gradient has the same bits");
                List<float[]> a = new ArrayList<>(), b = new ArrayList<>();
                net.namedParameters().values().forEach(t -> a.add(t.toFloatArray()));
                local.namedParameters().values().forEach(t -> b.add(t.toFloatArray()));
                for (int i = 0; i < a.size(); i++) assertArrayEquals(b.get(i), a.get(i), 0f, "parameter " + i);
            } finally {
                spark.stop();
            }
        } finally {
            for (Process p : started) p.destroy();
            for (Process p : started) p.waitFor();
        }
    }

    private static Sequential net() {
        SplittableRandom rng = new SplittableRandom(11);
        return new Sequential(new Linear(2, 8, rng), Activation.tanh(), new Linear(8, 2, rng));
    }

    /** {@code SPARK_HOME} as a worker needs it: {@code jars/} holding links to the Spark jars of this class path. */
    private static Path sparkHome(Path dir) throws IOException {
        Path jars = Files.createDirectories(dir.resolve("spark-home").resolve("jars"));
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            Path p = Path.of(entry);
            if (entry.endsWith(".jar") && Files.isRegularFile(p) && Files.notExists(jars.resolve(p.getFileName()))) {
                Files.createSymbolicLink(jars.resolve(p.getFileName()), p.toAbsolutePath());
            }
        }
        Files.createDirectories(dir.resolve("spark-home").resolve("conf"));
        return dir.resolve("spark-home");
    }

    private static Process start(Path dir, String name, Path home, String java, String main, String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(java));
        for (String f : FLAGS.split("\\s+")) if (!f.isBlank()) cmd.add(f);
        cmd.addAll(List.of("-Xmx512m", "-cp", home.resolve("jars") + "/*", main));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(dir.resolve(name + ".log").toFile());
        pb.environment().put("SPARK_HOME", home.toString());
        pb.environment().put("SPARK_SCALA_VERSION", "2.13");
        pb.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
        return pb.start();
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static void waitForPort(int port, long millis) throws InterruptedException {
        long end = System.currentTimeMillis() + millis;
        while (System.currentTimeMillis() < end) {
            try (Socket s = new Socket("127.0.0.1", port)) {
                return;
            } catch (IOException notYet) {
                Thread.sleep(200);
            }
        }
        assertTrue(false, "the master did not open port " + port + " in " + millis + " ms");
    }
}
