package dev.backprop.onnx;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.backprop.data.DataFormatException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Tag;

/**
 * The fuzz target of the ONNX importer, the one parser of outside input in this module: every input must end in an
 * import or in the documented one-line refusal ({@link DataFormatException}); any other exception, an allocation out
 * of proportion or a hang is a finding. The seeds are exports of a regression and a GELU classifier
 * ({@code src/test/resources/dev/backprop/onnx/OnnxFuzzTestInputs/onnxModel/}); scripts/fuzz.sh fuzzes it.
 */
@Tag("fuzz")
class OnnxFuzzTest {
    private static Path scratch() {
        try {
            Path dir = Path.of(System.getProperty("java.io.tmpdir"), "backprop-fuzz-" + ProcessHandle.current().pid());
            Files.createDirectories(dir);
            return dir.resolve("model.onnx");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @FuzzTest(maxDuration = "30s")
    void onnxModel(byte[] bytes) throws IOException {
        Path p = scratch();
        Files.write(p, bytes);
        try {
            OnnxImport.read(p, null);
        } catch (DataFormatException expected) {
            // a clean, one-line refusal
        }
    }
}
