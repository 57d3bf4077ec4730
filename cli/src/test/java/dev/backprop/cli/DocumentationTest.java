package dev.backprop.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every public and protected type, constructor, method and field of the library (core, examples, cli) has a doc
 * comment: javac's doclint, group {@code missing}, over the main sources. The javadoc build itself (maven-javadoc-plugin,
 * {@code doclint all,-missing}) fails on broken references, bad HTML and malformed tags; this test adds that nothing
 * is undocumented. It does not ask for an {@code @param} or {@code @return} on every method: a sentence that says
 * what a method returns is enough, as in most of the JDK's own accessors.
 */
class DocumentationTest {
    private static final List<String> SOURCES = List.of("../core/src/main/java", "../examples/src/main/java", "../onnx/src/main/java",
            "src/main/java");

    @Test
    void everyPublicItemHasADocComment(@TempDir Path out) throws IOException {
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        DiagnosticCollector<JavaFileObject> found = new DiagnosticCollector<>();
        try (StandardJavaFileManager files = javac.getStandardFileManager(found, Locale.ROOT, null)) {
            List<Path> sources = SOURCES.stream().flatMap(DocumentationTest::javaFiles).toList();
            assertTrue(sources.size() > 100, "found the sources: " + sources.size());
            List<String> options = List.of("-d", out.toString(), "-proc:none", "-classpath", System.getProperty("java.class.path"),
                    "-Xdoclint:all/protected", "-Xmaxwarns", "100000", "-Xmaxerrs", "100000");
            javac.getTask(null, files, found, options, null, files.getJavaFileObjectsFromPaths(sources)).call();
        }
        List<String> undocumented = found.getDiagnostics().stream()
                .filter(d -> d.getKind() == Diagnostic.Kind.ERROR || isMissingComment(d.getMessage(Locale.ROOT)))
                .map(d -> d.getSource().getName().replaceFirst(".*/src/main/java/", "") + ":" + d.getLineNumber() + ": "
                        + d.getMessage(Locale.ROOT).lines().findFirst().orElse(""))
                .toList();
        assertEquals(List.of(), undocumented, undocumented.size() + " public items without a doc comment, or doclint errors");
    }

    private static boolean isMissingComment(String message) {
        return message.startsWith("no comment") || message.startsWith("use of default constructor");
    }

    private static Stream<Path> javaFiles(String root) {
        try (Stream<Path> s = Files.walk(Path.of(root))) {
            return s.filter(p -> p.toString().endsWith(".java")).toList().stream();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
