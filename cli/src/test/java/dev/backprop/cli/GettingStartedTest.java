package dev.backprop.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * docs/getting-started.md, run: every Java program on the page is compiled against the core jar the build packaged
 * (not the classes directory) and its dependencies, with every lint warning on, then run in a JVM of its own as the
 * page says (with {@code --enable-native-access=ALL-UNNAMED}); it must exit 0, print nothing on stderr (no JDK
 * warning, no log line) and print results above the thresholds below.
 */
class GettingStartedTest {
    private static final Path GUIDE = Path.of("..", "docs", "getting-started.md");

    @TempDir
    static Path dir;

    private static Map<String, String> programs;
    private static String classpath;

    @BeforeAll
    static void compile() throws IOException {
        programs = new LinkedHashMap<>();
        Matcher blocks = Pattern.compile("```java\\n(.*?)```", Pattern.DOTALL).matcher(Files.readString(GUIDE));
        while (blocks.find()) {
            Matcher name = Pattern.compile("public class (\\w+)").matcher(blocks.group(1));
            assertTrue(name.find(), "a program block without a public class:\n" + blocks.group(1));
            programs.put(name.group(1), blocks.group(1));
        }
        assertEquals(List.of("HousePrices", "Spirals", "Autodiff"), List.copyOf(programs.keySet()), "the guide's programs");

        classpath = packagedClasspath();
        Path src = Files.createDirectories(dir.resolve("src")), out = Files.createDirectories(dir.resolve("classes"));
        List<String> files = new ArrayList<>();
        for (Map.Entry<String, String> p : programs.entrySet()) {
            Path f = src.resolve(p.getKey() + ".java");
            Files.writeString(f, p.getValue());
            files.add(f.toString());
        }
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        StringWriter said = new StringWriter();
        List<String> options = List.of("-Xlint:all", "-proc:none", "-d", out.toString(), "-cp", classpath);
        boolean compiled = javac.getTask(said, null, null, options, null,
                javac.getStandardFileManager(null, Locale.ROOT, null).getJavaFileObjectsFromStrings(files)).call();
        assertTrue(compiled, "the guide's programs compile: " + said);
        assertEquals("", said.toString(), "and without a warning");
    }

    /** The core jar that {@code package} produced, and every dependency jar of this test's class path. */
    private static String packagedClasspath() throws IOException {
        Path target = Path.of("..", "core", "target");
        List<Path> jars;
        try (Stream<Path> s = Files.list(target)) {
            jars = s.filter(p -> p.getFileName().toString().matches("backprop-core-.*\\.jar")
                    && !p.getFileName().toString().matches(".*-(sources|javadoc|tests)\\.jar")).toList();
        }
        if (jars.size() != 1) fail("expected one packaged core jar in " + target.toAbsolutePath() + " (build through 'package'): " + jars);
        List<String> cp = new ArrayList<>(List.of(jars.getFirst().toAbsolutePath().toString()));
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            // Our own modules come from the packaged jar above; test frameworks are not what a user's program has.
            String jar = Path.of(entry).getFileName().toString();
            if (!jar.endsWith(".jar") || jar.startsWith("backprop") || jar.startsWith("junit") || jar.startsWith("opentest4j")
                    || jar.startsWith("apiguardian") || jar.startsWith("jazzer") || jar.startsWith("surefire")) continue;
            cp.add(entry);
        }
        return String.join(File.pathSeparator, cp);
    }

    private record Run(String out, String err) {}

    private static Run run(String program, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED", "-cp", classpath + File.pathSeparator + dir.resolve("classes"), program));
        cmd.addAll(List.of(args));
        Path out = dir.resolve(program + ".out"), err = dir.resolve(program + ".err");
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!p.waitFor(180, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail(program + " did not finish in 180 s");
        }
        Run r = new Run(Files.readString(out), Files.readString(err));
        assertEquals(0, p.exitValue(), program + " exit code; stderr: " + r.err());
        assertEquals("", r.err(), program + " printed on stderr");
        return r;
    }

    private static double number(String text, String regex) {
        Matcher m = Pattern.compile(regex).matcher(text);
        assertTrue(m.find(), "'" + regex + "' in:\n" + text);
        return Double.parseDouble(m.group(1));
    }

    @Test
    void housePricesLearnsTheTableAndPredictsFromTheSavedModel() throws Exception {
        // price = 3000·area + 20000·rooms + the city's premium + noise (sd 20000)
        StringBuilder csv = new StringBuilder("area,rooms,city,price\n");
        SplittableRandom rng = new SplittableRandom(3);
        String[] cities = {"Oslo", "Bergen", "Tromsø"};
        int[] premium = {150_000, 60_000, 0};
        for (int i = 0; i < 400; i++) {
            double area = rng.nextDouble(30, 200);
            int rooms = rng.nextInt(1, 7), city = rng.nextInt(3);
            double price = 3000 * area + 20_000 * rooms + premium[city] + 20_000 * rng.nextGaussian();
            csv.append(String.format(Locale.ROOT, "%.1f,%d,%s,%.0f%n", area, rooms, cities[city], price));
        }
        Files.writeString(dir.resolve("houses.csv"), csv);
        Run r = run("HousePrices", dir.resolve("houses.csv").toString());
        assertTrue(number(r.out(), "validation R² (\\d\\.\\d+)") > 0.9, r.out());
        double predicted = number(r.out(), "120 m², 4 rooms, Oslo: (\\d+)"), truth = 3000 * 120 + 20_000 * 4 + 150_000;
        assertTrue(Math.abs(predicted - truth) < 0.1 * truth, predicted + " against " + truth);
        assertTrue(Files.size(dir.resolve("houses.bpm")) > 0, "the model was saved");
    }

    @Test
    void spiralsAreSeparatedByTheTrainedClassifier() throws Exception {
        Run r = run("Spirals");
        assertTrue(number(r.out(), "validation accuracy (\\d\\.\\d+)") >= 0.95, r.out());
    }

    @Test
    void autodiffFindsTheMinimumAndTheLine() throws Exception {
        Run r = run("Autodiff");
        assertEquals(-2, number(r.out(), "x after 60 steps: (-?\\d\\.\\d+)"), 1e-3, r.out());
        assertEquals(3, number(r.out(), "w (-?\\d\\.\\d+)"), 1e-2, r.out());
        assertEquals(-1, number(r.out(), "b (-?\\d\\.\\d+)"), 2e-2, r.out());
    }
}
