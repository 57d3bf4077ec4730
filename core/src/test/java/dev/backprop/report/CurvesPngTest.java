package dev.backprop.report;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.backprop.train.History;
import java.awt.GraphicsEnvironment;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CurvesPngTest {
    private static final byte[] PNG_SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};

    @TempDir
    Path dir;

    private BufferedImage write(History h, int width, int height) throws Exception {
        Path file = dir.resolve("curves.png");
        if (width == CurvesPng.DEFAULT_WIDTH && height == CurvesPng.DEFAULT_HEIGHT) {
            CurvesPng.write(file, h);
        } else {
            CurvesPng.write(file, h, width, height);
        }
        assertArrayEquals(PNG_SIGNATURE, Arrays.copyOf(Files.readAllBytes(file), 8), "not a PNG");
        BufferedImage image = ImageIO.read(file.toFile());
        assertNotNull(image, "ImageIO cannot read it");
        assertEquals(width, image.getWidth());
        assertEquals(height, image.getHeight());
        return image;
    }

    /** Pixels of {@code colour} drawn with some opacity on white (anti-aliased line edges count too). */
    private static int count(BufferedImage image, String colour) {
        int c = Integer.parseInt(colour.substring(1), 16), n = 0;
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) if (Fixtures.like(image.getRGB(x, y), c)) n++;
        }
        return n;
    }

    private static int notWhite(BufferedImage image) {
        int n = 0;
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) if ((image.getRGB(x, y) & 0xffffff) != 0xffffff) n++;
        }
        return n;
    }

    @Test
    void lossAndAccuracyCurvesInTheReportsColours() throws Exception {
        BufferedImage image = write(Fixtures.history(12, true, true), 640, 480);
        assertEquals(0xffffff, image.getRGB(2, 2) & 0xffffff, "white background");
        assertTrue(count(image, LineChart.TRAINING) > 300, "training curves (blue) drawn: " + count(image, LineChart.TRAINING));
        assertTrue(count(image, LineChart.VALIDATION) > 300, "validation curves (orange) drawn: " + count(image, LineChart.VALIDATION));
        assertTrue(GraphicsEnvironment.isHeadless(), "CurvesPng makes AWT headless unless told otherwise");
    }

    @Test
    void defaultSizeOneEpochNoValidation() throws Exception {
        BufferedImage image = write(Fixtures.history(1, false, false), CurvesPng.DEFAULT_WIDTH, CurvesPng.DEFAULT_HEIGHT);
        assertTrue(count(image, LineChart.TRAINING) > 10, "the single epoch's marker");
        assertEquals(0, count(image, LineChart.VALIDATION), "no validation series");
    }

    @Test
    void emptyOrMissingValuesStillGiveAnImage() throws Exception {
        assertTrue(notWhite(write(null, 300, 200)) > 100, "axes and the no-data message");
        double nan = Double.NaN;
        BufferedImage image = write(Fixtures.losses(new double[] {1e30, nan, 1e-30, 5}, new double[] {nan, nan, nan, nan}), 400, 300);
        assertTrue(count(image, LineChart.TRAINING) > 10);
    }

    @Test
    void writesAtomicallyAndChecksTheSize() throws Exception {
        Path file = dir.resolve("c.png");
        Files.writeString(file, "old");
        CurvesPng.write(file, Fixtures.history(3, true, false), 200, 100);
        try (Stream<Path> s = Files.list(dir)) {
            assertEquals(List.of(file), s.toList());
        }
        assertThrows(IllegalArgumentException.class, () -> CurvesPng.write(file, Fixtures.history(3, true, false), 0, 100));
        assertThrows(java.io.IOException.class, () -> CurvesPng.write(dir.resolve("no/such/dir.png"), Fixtures.history(3, true, false)));
    }
}
