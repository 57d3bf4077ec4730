package dev.backprop.data;

import dev.backprop.tensor.Tensor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Fashion-MNIST (Zalando): 28×28 grey images of clothing in 10 classes, 60,000 for training and 10,000 for testing.
 * Debian's {@code dataset-fashion-mnist} package installs it in {@link #DEBIAN_DIR}. Pixels are scaled to [0, 1]
 * and flattened: features {@code [n, 784]}, targets the class indices {@code [n]}.
 */
public final class FashionMnist {
    /** Where Debian's {@code dataset-fashion-mnist} puts the files. */
    public static final Path DEBIAN_DIR = Path.of("/usr/share/datasets/fashion-mnist");

    /** The class names, by index. */
    public static final String[] CLASSES = {"T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt",
        "Sneaker", "Bag", "Ankle boot"};

    private FashionMnist() {}

    /** The training and test sets. */
    public record Parts(Dataset train, Dataset test) {}

    /** Whether the four files are in {@code dir} (gzipped or not). */
    public static boolean availableIn(Path dir) {
        for (String f : new String[] {"train-images-idx3-ubyte", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte",
            "t10k-labels-idx1-ubyte"}) {
            if (!Files.isReadable(dir.resolve(f + ".gz")) && !Files.isReadable(dir.resolve(f))) return false;
        }
        return true;
    }

    /** Loads both parts from {@code dir}. */
    public static Parts load(Path dir) throws IOException {
        if (!availableIn(dir)) {
            throw new DataFormatException(dir + ": Fashion-MNIST not found (expected train-images-idx3-ubyte[.gz] and "
                    + "the other three files; on Debian: apt-get install dataset-fashion-mnist)");
        }
        Dataset train = part(dir, "train"), test = part(dir, "t10k");
        if (train.inputs() != test.inputs()) {
            throw new DataFormatException(file(dir, "t10k-images-idx3-ubyte") + ": images of " + test.inputs() + " pixels, where "
                    + file(dir, "train-images-idx3-ubyte").getFileName() + " has " + train.inputs() + ": the test images must be the "
                    + "training images' size");
        }
        return new Parts(train, test);
    }

    private static Dataset part(Path dir, String prefix) throws IOException {
        Tensor images = Idx.read(file(dir, prefix + "-images-idx3-ubyte"));
        Tensor labels = Idx.read(file(dir, prefix + "-labels-idx1-ubyte"));
        int n = images.shape().dim(0);
        if (images.rank() < 2 || n == 0 || images.size() == 0) {
            throw new DataFormatException(dir + ": " + prefix + " holds no images (its IDX header declares shape " + images.shape() + ")");
        }
        if (labels.rank() != 1 || labels.shape().dim(0) != n) {
            throw new DataFormatException(dir + ": " + prefix + " has " + n + " images but labels of shape " + labels.shape());
        }
        float[] px = images.floats();
        for (int i = 0; i < px.length; i++) px[i] /= 255f;
        return new Dataset(images.reshape(n, -1).detach(), labels, "fashion-mnist:" + prefix + " (" + dir + ")");
    }

    private static Path file(Path dir, String name) {
        Path gz = dir.resolve(name + ".gz");
        return Files.isReadable(gz) ? gz : dir.resolve(name);
    }
}
