package dev.backprop.report;

/**
 * An image the classifier got wrong, for the report's grid: its pixels row by row, grey levels in [0, 1] (0 white,
 * as Fashion-MNIST and MNIST store the background), and its actual and predicted classes.
 *
 * @param pixels    {@code width × height} grey levels, row by row
 * @param width     pixels per row
 * @param height    rows
 * @param actual    the true class's name
 * @param predicted the predicted class's name
 */
public record Misclassified(float[] pixels, int width, int height, String actual, String predicted) {
    /** Checks that the pixels fill the image. */
    public Misclassified {
        if (width < 1 || height < 1 || (long) width * height != pixels.length) {
            throw new IllegalArgumentException("misclassified image: " + pixels.length + " pixels are not " + width + " × " + height);
        }
    }
}
