package dev.backprop.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.backprop.io.ModelFile;
import dev.backprop.io.Safetensors;
import dev.backprop.io.SavedModel;
import dev.backprop.tensor.Tensor;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * docs/errors.md, the catalogue of bad input: every case in it is one here, run through the command line, with its
 * exit code and its exact first line of output. The table between the {@code cases} markers of docs/errors.md is what
 * {@link #table()} writes; when a message changes, run
 * {@code ./test -pl cli -am -Dtest=ErrorCatalogueTest -Dsurefire.failIfNoSpecifiedTests=false -Dbackprop.writeCatalogue=true}
 * and review the change.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ErrorCatalogueTest {
    @TempDir
    static Path dir;

    /**
     * One catalogued case.
     *
     * @param area     what it is about
     * @param input    the bad input, in words
     * @param args     the command line; {@code DIR/} stands for the directory of the fixtures
     * @param code     the exit code
     * @param stream   where the line is: {@code err}, or {@code out} for a run that succeeds and says something
     * @param expected the line, with the fixtures' directory left out and sizes of memory as {@code N GB}
     * @param heap     null to run in this JVM; else the {@code -Xmx} of a JVM of its own that runs it (what
     *                 {@code BACKPROP_JAVA_OPTS=-Xmx300m backprop ...} does)
     */
    record Case(String area, String input, String[] args, int code, String stream, String expected, String heap) {
        Case inHeap(String xmx) {
            return new Case(area, input, args, code, stream, expected, xmx);
        }
    }

    private static Case err(String area, String input, int code, String expected, String... args) {
        return new Case(area, input, args, code, "err", expected, null);
    }

    private static Case out(String area, String input, String expected, String... args) {
        return new Case(area, input, args, 0, "out", expected, null);
    }

    private static final String TRAIN_HELP = " (see 'backprop train --help')";

    /** The heap the big model is 55% of. */
    private static final String BIG_MODEL_HEAP = "96m";

    static final List<Case> CASES = List.of(
            // ---- outputs
            err("outputs", "`--out` is the data file", 2, "backprop train: --out data.csv is the --data file; writing it would destroy it" + TRAIN_HELP,
                    "train", "--data", "DIR/data.csv", "--out", "DIR/data.csv"),
            err("outputs", "`predict --out` is the model file", 2,
                    "backprop predict: --out m.bpm is the --model file; writing it would destroy it (see 'backprop predict --help')",
                    "predict", "--model", "DIR/m.bpm", "--data", "DIR/data.csv", "--out", "DIR/m.bpm"),
            err("outputs", "two outputs name one file", 2, "backprop train: --out and --plot name the same file, same.png" + TRAIN_HELP,
                    "train", "--data", "DIR/data.csv", "--out", "DIR/same.png", "--plot", "DIR/same.png"),
            err("outputs", "`--out` is a device", 2,
                    "backprop train: --out /dev/null: is not a regular file (a device, FIFO or socket); nothing is written to it" + TRAIN_HELP,
                    "train", "--data", "DIR/data.csv", "--out", "/dev/null"),
            err("outputs", "`--out` is `/dev/full`", 2,
                    "backprop train: --out /dev/full: is not a regular file (a device, FIFO or socket); nothing is written to it" + TRAIN_HELP,
                    "train", "--data", "DIR/data.csv", "--out", "/dev/full"),
            err("outputs", "`--out` is a FIFO", 2,
                    "backprop train: --out fifo: is not a regular file (a device, FIFO or socket); nothing is written to it" + TRAIN_HELP,
                    "train", "--data", "DIR/data.csv", "--out", "DIR/fifo"),
            err("outputs", "`--out` is a directory", 2, "backprop train: --out adir: is a directory" + TRAIN_HELP,
                    "train", "--data", "DIR/data.csv", "--out", "DIR/adir"),
            err("outputs", "`--out` in a directory that does not exist (found before training)", 2,
                    "backprop train: --out nodir/m.bpm: the directory nodir does not exist" + TRAIN_HELP,
                    "train", "--data", "DIR/data.csv", "--out", "DIR/nodir/m.bpm"),
            err("outputs", "`--report` in a directory that does not exist", 2,
                    "backprop train: --report nodir/r.html: the directory nodir does not exist" + TRAIN_HELP,
                    "train", "--data", "DIR/data.csv", "--report", "DIR/nodir/r.html"),
            err("outputs", "`--out` is empty", 2, "backprop train: --out: an empty path names no file" + TRAIN_HELP,
                    "train", "--data", "DIR/data.csv", "--out", ""),
            err("outputs", "`--out` ends with `/`", 2, "backprop train: --out m.bpm/: ends with '/', so it names a directory, not a file" + TRAIN_HELP,
                    "train", "--data", "DIR/data.csv", "--out", "m.bpm/"),
            err("outputs", "`--checkpoint-dir` is a file", 2, "backprop train: --checkpoint-dir data.csv: is not a directory" + TRAIN_HELP,
                    "train", "--data", "DIR/data.csv", "--checkpoint-dir", "DIR/data.csv"),
            out("outputs", "`--out` is a symbolic link: the file it names is replaced, the link stays", "model saved to link.bpm",
                    "train", "--data", "DIR/data.csv", "--epochs", "1", "--out", "DIR/link.bpm", "--quiet"),
            out("outputs", "a temporary file a killed run left beside `--out` (`.m2.bpm.PID.RANDOM.tmp`, its process gone): removed",
                    "model saved to stale/m2.bpm",
                    "train", "--data", "DIR/data.csv", "--epochs", "1", "--out", "DIR/stale/m2.bpm", "--quiet"),
            // ---- numbers
            err("numbers", "the weights overflow in the one step of a run (`--lr 1e39`); nothing is saved", 1,
                    "backprop: the weights became non-finite in epoch 1 ('0.weight' element 0 is NaN); last good checkpoint: none written",
                    "train", "--data", "DIR/data.csv", "--optimizer", "sgd", "--lr", "1e39", "--epochs", "1", "--batch", "1000",
                    "--out", "DIR/never.bpm", "--quiet"),
            out("numbers", "the loss explodes but stays finite (Adam at `--lr 1e6`)", "the run diverged: its training loss ended at",
                    "train", "--data", "DIR/data.csv", "--lr", "1e6", "--epochs", "3", "--quiet"),
            err("numbers", "a model file holding NaN weights (and no checksum)", 1,
                    "backprop: nan.bpm: refused: tensor '0.weight' holds NaN at element 0; a model with non-finite weights predicts nothing",
                    "evaluate", "--model", "DIR/nan.bpm", "--data", "DIR/data.csv"),
            err("numbers", "a model file with one byte of its weights changed", 1,
                    "backprop: flipped.bpm: corrupt: the file does not match its checksum (CRC-32C C, the file says C); it was damaged or "
                            + "changed after it was written",
                    "evaluate", "--model", "DIR/flipped.bpm", "--data", "DIR/data.csv"),
            err("numbers", "a model file without a checksum (another tool's): it loads, with a note", 0,
                    "backprop: note: nochecksum.bpm carries no checksum (written by another tool, or by an earlier backprop): its tensors are "
                            + "not verified",
                    "evaluate", "--model", "DIR/nochecksum.bpm", "--data", "DIR/data.csv"),
            // ---- data
            err("data", "`1,5` in the first row of a numeric column", 1,
                    "backprop: comma.csv:2:1 (column 'x1'): '1,5' is not a number (the column holds numbers in 40 of its 41 filled cells; "
                            + "to read it as categories: --categorical x1; to mark such cells missing: --missing-values)",
                    "train", "--data", "DIR/comma.csv"),
            err("data", "`inf` in the first row of a numeric column", 1,
                    "backprop: inf.csv:2:1 (column 'x1'): 'inf' is not a number (the column holds numbers in 40 of its 41 filled cells; "
                            + "to read it as categories: --categorical x1; to mark such cells missing: --missing-values)",
                    "train", "--data", "DIR/inf.csv"),
            err("data", "`1e400` in the first row of a numeric column", 1,
                    "backprop: e400.csv:2:1 (column 'x1'): '1e400' is too large: beyond the ±3.4e38 that a 32-bit float, what the network "
                            + "computes with, can hold (give the column in other units, or mark such cells missing: --missing-values)",
                    "train", "--data", "DIR/e400.csv"),
            err("data", "`1e39` as a regression target (a double, but not a float)", 1,
                    "backprop: e39target.csv:2:3 (column 'y'): target '1e39' is too large: beyond the ±3.4e38 that a 32-bit float, what "
                            + "the network computes with, can hold",
                    "train", "--data", "DIR/e39target.csv"),
            out("data", "`NaN` in the first row of a regression target: the row is left out, the task stays regression",
                    "1 row left out: its target 'y' is missing",
                    "train", "--data", "DIR/nantarget.csv", "--epochs", "1"),
            err("data", "a column of numbers written with a decimal comma (`0,5`) in a `;` file", 1,
                    "backprop: semicomma.csv:2:1 (column 'x1'): '0,120' is a number written with a decimal comma, as are 40 of the "
                            + "column's 40 filled cells; backprop reads '.' as the decimal point: write them with '.' (the file's delimiter "
                            + "may then be ','), or read them as text with --categorical x1",
                    "train", "--data", "DIR/semicomma.csv"),
            err("data", "a byte that is not UTF-8 deep in a file (the decoder reads ahead: the line is found again)", 1,
                    "backprop: latin.csv: line 39, byte 5: not UTF-8 text (save the file as UTF-8)",
                    "train", "--data", "DIR/latin.csv"),
            err("data", "rows to evaluate whose inputs (3e38) overflow the network", 1,
                    "backprop: huge.csv: line 2: the network's output for this row is not a finite number: its inputs are far beyond "
                            + "the training rows' (the largest, 'x1', is Infinity after scaling, where training saw values near 0)",
                    "evaluate", "--model", "DIR/m.bpm", "--data", "DIR/huge.csv"),
            out("data", "a regression target that holds one value: trained, with a note", "holds one value, 3.5, in every row",
                    "train", "--data", "DIR/consty.csv", "--epochs", "1"),
            err("data", "IDX test images of another size than the training images", 1,
                    "backprop: testsize/t10k-images-idx3-ubyte: images of 25 pixels, where train-images-idx3-ubyte has 16: the test "
                            + "images must be the training images' size",
                    "train", "--data", "DIR/testsize"),
            err("data", "`0x10` in the last row of a numeric column", 1,
                    "backprop: hex.csv:42:1 (column 'x1'): '0x10' is not a number (the column holds numbers in 40 of its 41 filled cells; "
                            + "to read it as categories: --categorical x1; to mark such cells missing: --missing-values)",
                    "train", "--data", "DIR/hex.csv"),
            out("data", "`NaN` in the first row: a missing cell, imputed", "column 'x1': 1 of",
                    "train", "--data", "DIR/nanfirst.csv", "--val", "0", "--epochs", "1", "--quiet"),
            err("data", "a missing cell under `--missing refuse`", 1,
                    "backprop: nanfirst.csv:2:1 (column 'x1'): missing value 'NaN' (missing cells are refused; to impute them: --missing impute)",
                    "train", "--data", "DIR/nanfirst.csv", "--missing", "refuse"),
            err("data", "an empty file", 1, "backprop: empty.csv: no header row (the file is empty)", "train", "--data", "DIR/empty.csv"),
            err("data", "a header and no rows", 1, "backprop: header.csv: no data rows after the header", "train", "--data", "DIR/header.csv"),
            err("data", "a row with too few fields", 1, "backprop: ragged.csv: line 3: 2 fields, the header has 3", "train", "--data", "DIR/ragged.csv"),
            err("data", "a cell of more than a million characters", 1,
                    "backprop: longcell.csv:2:1 (column 'x1'): a cell of 1048577 characters, more than the 1048576 a cell may hold",
                    "train", "--data", "DIR/longcell.csv"),
            err("data", "a category of 5,000 characters", 1,
                    "backprop: longcat.csv:2:2 (column 'note'): a text of 5000 characters; a category has at most 4096 (is it free text? "
                            + "leave it out: --ignore note)",
                    "train", "--data", "DIR/longcat.csv"),
            err("data", "a FIFO as `--data` (it is not waited on)", 1,
                    "backprop: fifo: not a regular file (a device, FIFO or socket); give a CSV file or a directory",
                    "train", "--data", "DIR/fifo"),
            err("data", "a device as `--data`", 1, "backprop: /dev/zero: not a regular file (a device, FIFO or socket); give a CSV file or a directory",
                    "train", "--data", "/dev/zero"),
            err("data", "a file that does not exist", 1, "backprop: nothing.csv: no such file or directory", "train", "--data", "DIR/nothing.csv"),
            err("data", "an IDX header declaring 1024³ values in a small file", 1,
                    "backprop: bigidx/train-images-idx3-ubyte: truncated: the header declares 1073741824 values, more than the file's 32 "
                            + "bytes can hold",
                    "train", "--data", "DIR/bigidx"),
            err("data", "IDX files holding no images", 1,
                    "backprop: emptyidx: train holds no images (its IDX header declares shape [0, 28, 28])", "train", "--data", "DIR/emptyidx"),
            err("data", "a class label outside a hand-written network's outputs", 1,
                    "backprop: badlabel.csv:3:4 (column 'y'): class '4' is not one of the 4 classes 0..3 (one per output of the network)",
                    "gradients", "--model", "DIR/four.json", "--data", "DIR/badlabel.csv", "--target", "y"),
            out("data", "a class in the target column of rows to predict, never seen in training (the column is ignored)", "y,p(a),p(b)",
                    "predict", "--model", "DIR/m.bpm", "--data", "DIR/unseenclass.csv"),
            // ---- memory (each in a JVM of its own, with the heap it names)
            err("memory", "a network too large for the heap (`--layers 20000,20000`)", 1,
                    "backprop: a network of 400120002 parameters (2 inputs, layers [20000, 20000]) needs N GB; the heap has N GB free of N GB "
                            + "(give it more with BACKPROP_JAVA_OPTS=-Xmx8g, or ask for less)",
                    "train", "--data", "DIR/data.csv", "--layers", "20000,20000").inHeap("1g"),
            err("memory", "20 text columns of 1,000 categories each: 20,000 one-hot features", 1,
                    "backprop: wide.csv: encoding 8000 rows x 20000 features needs N GB; the heap has N GB free of N GB (give it more "
                            + "with BACKPROP_JAVA_OPTS=-Xmx8g, or ask for less); the widest columns: c0 (1000), c1 (1000), c2 (1000)",
                    "train", "--data", "DIR/wide.csv", "--quiet").inHeap("256m"),
            err("memory", "a model file of 55% of the heap (loading holds two copies)", 1,
                    "backprop: big.bpm: loading its N GB of tensors (2 copies while it loads) needs N GB; the heap has N GB free of N GB "
                            + "(give it more with BACKPROP_JAVA_OPTS=-Xmx8g, or ask for less)",
                    "evaluate", "--model", "DIR/big.bpm", "--data", "DIR/data.csv").inHeap(BIG_MODEL_HEAP),
            err("memory", "a 1 MB gzipped IDX file whose header declares 943,718,400 values", 1,
                    "backprop: bomb/train-images-idx3-ubyte.gz: reading 943718400 values needs N GB; the heap has N GB free of N GB (give "
                            + "it more with BACKPROP_JAVA_OPTS=-Xmx8g, or ask for less)",
                    "train", "--data", "DIR/bomb").inHeap("256m"),
            err("memory", "a CSV file of 2,000,000 rows in a heap of 300 MB", 1,
                    "backprop: rows.csv: line L: the heap is full after R rows (N GB); give it more with BACKPROP_JAVA_OPTS=-Xmx8g",
                    "train", "--data", "DIR/rows.csv", "--quiet").inHeap("300m"),
            // ---- models and checkpoints
            err("models", "a checkpoint whose trainer state says −5 epochs done", 1,
                    "backprop: minus5.bpm: not a checkpoint of this run: trainer state: epochs_done must be from 0 to 3, got -5",
                    "train", "--data", "DIR/data.csv", "--epochs", "3", "--resume", "DIR/minus5.bpm", "--quiet"),
            err("models", "`--resume` of a checkpoint trained on other classes", 1,
                    "backprop: ck/last.bpm: not a checkpoint of this run: it was trained on other data (its classes are [a, b], this "
                            + "data's [c, d]); resume on the data it was trained on, or start afresh without --resume",
                    "train", "--data", "DIR/otherclasses.csv", "--epochs", "3", "--resume", "DIR/ck/last.bpm", "--quiet"),
            err("models", "a checkpoint whose trainer history is a list", 1,
                    "backprop: badhistory.bpm: not a checkpoint of this run: trainer state: history must be an object, got a list of 2",
                    "train", "--data", "DIR/data.csv", "--epochs", "3", "--resume", "DIR/badhistory.bpm", "--quiet"),
            err("models", "a model whose encoder gives 3 features to a network of 2 inputs", 1,
                    "backprop: wide.bpm: the network does not take the 3 features its encoder gives: linear(2 → 64): input [1, 3], "
                            + "expected [batch, 2]",
                    "evaluate", "--model", "DIR/wide.bpm", "--data", "DIR/data.csv"),
            err("models", "`gradients` on a model that `train` built from a table", 1,
                    "backprop: m.bpm: gradients: needs a network of Linear + Activation pairs, the shape a JSON network spec builds; got "
                            + "a sequence of 3 modules. A model that train built from a table has no activation after its last linear layer "
                            + "(the softmax is inside the loss): give a JSON network spec, or a model trained from one (train --model spec.json)",
                    "gradients", "--model", "DIR/m.bpm", "--data", "DIR/data.csv"),
            err("models", "a text file as a model", 1,
                    "backprop: text.bpm: not a model file: neither a JSON network spec (which starts with '{') nor a safetensors file (its "
                            + "first 8 bytes, read as the header length, give 8583909746840200552, more than the 100000000 allowed)",
                    "inspect", "DIR/text.bpm"),
            err("models", "a FIFO as a model (it is not waited on)", 1, "backprop: fifo: not a regular file (a device, FIFO or socket)",
                    "inspect", "DIR/fifo"),
            err("models", "a FIFO as `--model` (it is not waited on)", 1, "backprop: fifo: not a regular file (a device, FIFO or socket)",
                    "evaluate", "--model", "DIR/fifo", "--data", "DIR/data.csv"),
            out("models", "a category name holding a terminal escape sequence: shown escaped", "dark\\u001b[31mred",
                    "inspect", "DIR/escape.bpm"),
            // ---- usage (exit code 2, found before any work)
            err("usage", "`--epochs 0`", 2, "backprop train: --epochs must be at least 1, got 0" + TRAIN_HELP, "train", "--data", "DIR/data.csv", "--epochs", "0"),
            err("usage", "`--batch 0`", 2, "backprop train: --batch must be at least 1, got 0" + TRAIN_HELP, "train", "--data", "DIR/data.csv", "--batch", "0"),
            err("usage", "`--layers 0`", 2, "backprop train: --layers sizes must be at least 1, got [0]" + TRAIN_HELP, "train", "--data", "DIR/data.csv", "--layers", "0"),
            err("usage", "`--threads 0`", 2, "backprop train: --threads must be at least 1, got 0" + TRAIN_HELP, "train", "--data", "DIR/data.csv", "--threads", "0"),
            err("usage", "`--val 1`", 2, "backprop train: --val must be in [0, 1), got 1.0" + TRAIN_HELP, "train", "--data", "DIR/data.csv", "--val", "1"),
            err("usage", "`--lr NaN`", 2, "backprop train: --lr must be a positive number, got NaN" + TRAIN_HELP, "train", "--data", "DIR/data.csv", "--lr", "NaN"),
            err("usage", "`--lr 1e-46` (0 as a float)", 2, "backprop train: --lr 1.0E-46 is 0 as a 32-bit float, what the weights are: "
                    + "give at least 1.4e-45" + TRAIN_HELP, "train", "--data", "DIR/data.csv", "--lr", "1e-46"),
            out("usage", "`--batch 2147483647`: one batch of every row", "trained 1 epoch",
                    "train", "--data", "DIR/data.csv", "--epochs", "1", "--batch", "2147483647"),
            err("usage", "`--loss bce` with `--task classify`", 2, "backprop train: --loss bce takes targets of 0 and 1 as numbers, one output "
                    + "per target column, not --task classify's class labels: for classes, --loss cross-entropy (the default)" + TRAIN_HELP,
                    "train", "--data", "DIR/data.csv", "--loss", "bce", "--task", "classify"),
            err("usage", "`--loss mse` with `--task classify`", 2, "backprop train: --loss mse is a regression loss; --task classify trains "
                    + "with cross-entropy (the default)" + TRAIN_HELP, "train", "--data", "DIR/data.csv", "--loss", "mse", "--task", "classify"),
            err("usage", "`gradients` with one `--target` for a network of two outputs", 2, "backprop gradients: --target names 1 column [y], "
                    + "the network has 2 outputs: name one target column per output (see 'backprop gradients --help')",
                    "gradients", "--model", "DIR/two.json", "--data", "DIR/reg.csv", "--target", "y"),
            err("usage", "`--early-stop 0`", 2, "backprop train: --early-stop must be at least 1, got 0" + TRAIN_HELP,
                    "train", "--data", "DIR/data.csv", "--early-stop", "0"),
            err("usage", "`--optimizer foo`", 2,
                    "backprop train: --optimizer: unknown optimizer type 'foo'; known: [adagrad, adam, adamw, rmsprop, sgd]" + TRAIN_HELP,
                    "train", "--data", "DIR/data.csv", "--optimizer", "foo"),
            err("usage", "`--activation foo`", 2, "backprop train: --activation: unknown activation 'foo'; expected one of sigmoid, tanh, relu, "
                    + "leaky_relu, elu, gelu, softmax, linear (identity)" + TRAIN_HELP, "train", "--data", "DIR/data.csv", "--activation", "foo"),
            err("usage", "`--loss foo`", 2,
                    "backprop train: --loss: unknown loss 'foo'; valid names: half-sse, mse, mae, huber, cross-entropy, bce" + TRAIN_HELP,
                    "train", "--data", "DIR/data.csv", "--loss", "foo"),
            err("usage", "`--scaling foo`", 2, "backprop train: --scaling: unknown scaling 'foo' (known: none, standard, min-max)" + TRAIN_HELP,
                    "train", "--data", "DIR/data.csv", "--scaling", "foo"),
            err("usage", "`--task sort`", 2, "backprop train: --task must be classify or regress, got 'sort'" + TRAIN_HELP,
                    "train", "--data", "DIR/data.csv", "--task", "sort"),
            err("usage", "`--missing guess`", 2, "backprop train: --missing must be impute or refuse, got 'guess'" + TRAIN_HELP,
                    "train", "--data", "DIR/data.csv", "--missing", "guess"),
            err("usage", "`--delimiter ab`", 2, "backprop train: --delimiter must be one character or 'tab', got 'ab'" + TRAIN_HELP,
                    "train", "--data", "DIR/data.csv", "--delimiter", "ab"),
            err("usage", "`--model` with `--layers`", 2, "backprop train: give either --model or --layers, not both" + TRAIN_HELP,
                    "train", "--data", "DIR/data.csv", "--model", "DIR/four.json", "--layers", "3"),
            err("usage", "`--early-stop` with `--val 0`", 2, "backprop train: --early-stop needs a validation split (--val > 0)" + TRAIN_HELP,
                    "train", "--data", "DIR/data.csv", "--early-stop", "3", "--val", "0"),
            err("usage", "`gradcheck --max-per-layer -1`", 2,
                    "backprop gradcheck: --max-per-layer must be at least 1, got -1 (see 'backprop gradcheck --help')",
                    "gradcheck", "--model", "DIR/four.json", "--data", "DIR/data.csv", "--max-per-layer", "-1"),
            err("usage", "`gradients --loss foo`", 2,
                    "backprop gradients: --loss: unknown loss 'foo'; valid names: half-sse, mse, mae, huber, cross-entropy, bce "
                            + "(see 'backprop gradients --help')",
                    "gradients", "--model", "DIR/four.json", "--data", "DIR/data.csv", "--loss", "foo"),
            err("usage", "`explain --format xml`", 2, "backprop explain: --format must be text or json, got 'xml' (see 'backprop explain --help')",
                    "explain", "--model", "DIR/four.json", "--input", "1,2,3", "--target", "1", "--format", "xml"),
            err("usage", "a mistyped option", 2, "backprop train: unknown option '--epoch' (did you mean '--epochs'?) (see 'backprop train --help')",
                    "train", "--data", "DIR/data.csv", "--epoch", "3"),
            err("usage", "a mistyped command", 2, "backprop: unknown command 'trian' (did you mean 'train'?) (see 'backprop --help')",
                    "trian", "--data", "DIR/data.csv"),
            err("usage", "`--lr-schedule cosine` without `--epochs`", 2, "backprop train: --lr-schedule cosine spans the run: give its "
                    + "length with --epochs (or use plateau, which follows the validation loss) (see 'backprop train --help')",
                    "train", "--data", "DIR/data.csv", "--lr-schedule", "cosine"),
            err("usage", "`--monitor` with a fixed epoch count", 2, "backprop train: --monitor steers early stopping, which this run "
                    + "does not do (--epochs without --early-stop) (see 'backprop train --help')",
                    "train", "--data", "DIR/data.csv", "--epochs", "5", "--monitor", "val_accuracy"),
            err("usage", "`--data` left out", 2, "backprop train: Missing required option: '--data=FILE.csv|DIR|builtin:NAME' (see 'backprop train --help')",
                    "train"));

    @BeforeAll
    static void fixtures() throws Exception {
        StringBuilder data = new StringBuilder("x1,x2,y\n");
        SplittableRandom rng = new SplittableRandom(3);
        for (int i = 0; i < 40; i++) {
            double a = rng.nextDouble(-1, 1), b = rng.nextDouble(-1, 1);
            data.append(String.format(Locale.ROOT, "%.3f,%.3f,%s%n", a, b, a + b > 0 ? "a" : "b"));
        }
        write("data.csv", data.toString());
        String body = data.substring(data.indexOf("\n") + 1);
        write("comma.csv", "x1,x2,y\n\"1,5\",0.5,a\n" + body);
        write("inf.csv", "x1,x2,y\ninf,0.5,a\n" + body);
        write("hex.csv", "x1,x2,y\n" + body + "0x10,0.5,a\n");
        write("nanfirst.csv", "x1,x2,y\nNaN,0.5,a\n" + body);
        write("e400.csv", "x1,x2,y\n1e400,0.5,a\n" + body);
        StringBuilder semi = new StringBuilder("x1;x2;y\n");
        for (int i = 0; i < 40; i++) semi.append(String.format(Locale.ROOT, "0,%03d;%d.5;%s%n", 120 + i * 7, i % 5, i % 2 == 0 ? "a" : "b"));
        write("semicomma.csv", semi.toString());
        byte[] latin = data.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
        int at = 0;
        for (int line = 1; line < 39; at++) if (latin[at] == '\n') line++;
        latin[at + 4] = (byte) 0xE9;                           // line 39, its fifth byte
        Files.write(dir.resolve("latin.csv"), latin);
        write("otherclasses.csv", data.toString().replace(",a\n", ",c\n").replace(",b\n", ",d\n"));
        write("huge.csv", "x1,x2,y\n3e38,0.5,a\n0.1,0.2,b\n");
        write("consty.csv", "x1,x2,y\n" + body.lines().map(l -> l.substring(0, l.lastIndexOf(',')) + ",3.5").reduce("", (a, l) -> a + l + "\n"));
        write("two.json", "{\"inputs\": 2, \"loss\": \"half-sse\", \"layers\": [{\"units\": 2, \"activation\": \"identity\", "
                + "\"weights\": [[0.25, 0.15], [0.35, 0.28]], \"biases\": [0.45, 0.45]}]}");
        write("reg.csv", "a,b,y\n1,2,1\n2,1,0\n");
        Path testSize = Files.createDirectory(dir.resolve("testsize"));
        idx(testSize.resolve("train-images-idx3-ubyte"), new int[] {20, 4, 4}, 320);
        idx(testSize.resolve("train-labels-idx1-ubyte"), new int[] {20}, 20);
        idx(testSize.resolve("t10k-images-idx3-ubyte"), new int[] {10, 5, 5}, 250);
        idx(testSize.resolve("t10k-labels-idx1-ubyte"), new int[] {10}, 10);
        StringBuilder regression = new StringBuilder();
        for (int i = 0; i < 40; i++) regression.append(String.format(Locale.ROOT, "%.3f,%.3f,%.4f%n", i / 40.0, 1 - i / 40.0, 0.37 * i));
        write("e39target.csv", "x1,x2,y\n0.1,0.5,1e39\n" + regression);
        write("nantarget.csv", "x1,x2,y\n0.1,0.5,NaN\n" + regression);
        write("empty.csv", "");
        write("header.csv", "x1,x2,y\n");
        write("ragged.csv", "x1,x2,y\n1,2,a\n3,4\n");
        write("longcell.csv", "x1,x2,y\n" + "7".repeat((1 << 20) + 1) + ",1,a\n");
        write("longcat.csv", "x1,note,y\n1," + "n".repeat(5000) + ",a\n2,short,b\n");
        write("badlabel.csv", "x1,x2,x3,y\n0.5,-1.0,2.0,3\n1.5,0.25,-0.5,4\n");
        write("unseenclass.csv", "x1,x2,y\n0.1,0.2,zebra\n");
        write("text.bpm", "hello, world\n");
        write("four.json", CommandsTest.FOUR_CLASSES);
        Files.createDirectory(dir.resolve("adir"));
        new ProcessBuilder("mkfifo", dir.resolve("fifo").toString()).start().waitFor();
        assertTrue(Files.exists(dir.resolve("fifo")), "mkfifo");

        // A trained model, and models made from it.
        assertEquals(0, CommandsTest.run("train", "--data", path("data.csv"), "--epochs", "2", "--out", path("m.bpm"), "--quiet").code());
        Files.createSymbolicLink(dir.resolve("link.bpm"), dir.resolve("m.bpm"));
        Safetensors.Contents m = Safetensors.read(dir.resolve("m.bpm"));
        Map<String, String> meta = new LinkedHashMap<>(m.metadata());
        meta.remove(ModelFile.CHECKSUM_KEY);
        Safetensors.write(dir.resolve("nochecksum.bpm"), meta, m.tensors());
        Map<String, Tensor> nan = new LinkedHashMap<>(m.tensors());
        Tensor w = nan.get("0.weight").copy();
        w.floats()[0] = Float.NaN;
        nan.put("0.weight", w);
        Safetensors.write(dir.resolve("nan.bpm"), meta, nan);
        byte[] bytes = Files.readAllBytes(dir.resolve("m.bpm"));
        bytes[bytes.length - 5] ^= 0x10;
        Files.write(dir.resolve("flipped.bpm"), bytes);

        SavedModel saved = ModelFile.load(dir.resolve("m.bpm"));
        Map<String, Object> pre = new LinkedHashMap<>(saved.preprocessing());
        List<Object> inputs = new ArrayList<>((List<?>) pre.get("inputs"));
        inputs.add(Map.of("name", "x3", "kind", "numeric", "scaling", "none", "fill", 0.0));
        pre.put("inputs", inputs);
        ModelFile.save(dir.resolve("wide.bpm"), SavedModel.builder(saved.module(), saved.provenance()).loss(saved.loss())
                .preprocessing(pre).training(saved.training()).build());

        // Checkpoints with a hostile trainer state.
        Path ck = dir.resolve("ck");
        assertEquals(0, CommandsTest.run("train", "--data", path("data.csv"), "--epochs", "1", "--checkpoint-dir", ck.toString(), "--quiet").code());
        SavedModel last = ModelFile.load(ck.resolve("last.bpm"));
        Map<String, Object> minus5 = new LinkedHashMap<>(last.trainer());
        minus5.put("epochs_done", -5);
        ModelFile.save(dir.resolve("minus5.bpm"), withTrainer(last, minus5));
        Map<String, Object> badHistory = new LinkedHashMap<>(last.trainer());
        badHistory.put("history", List.of(1, 2));
        ModelFile.save(dir.resolve("badhistory.bpm"), withTrainer(last, badHistory));

        // IDX directories: one whose header declares far more than the file holds, one with no images.
        Path big = Files.createDirectory(dir.resolve("bigidx"));
        idx(big.resolve("train-images-idx3-ubyte"), new int[] {1024, 1024, 1024}, 16);
        idx(big.resolve("train-labels-idx1-ubyte"), new int[] {1}, 1);
        idx(big.resolve("t10k-images-idx3-ubyte"), new int[] {1, 28, 28}, 784);
        idx(big.resolve("t10k-labels-idx1-ubyte"), new int[] {1}, 1);
        Path empty = Files.createDirectory(dir.resolve("emptyidx"));
        idx(empty.resolve("train-images-idx3-ubyte"), new int[] {0, 28, 28}, 0);
        idx(empty.resolve("train-labels-idx1-ubyte"), new int[] {0}, 0);
        idx(empty.resolve("t10k-images-idx3-ubyte"), new int[] {0, 28, 28}, 0);
        idx(empty.resolve("t10k-labels-idx1-ubyte"), new int[] {0}, 0);

        // A stale temporary file: a killed run's, its process (an id above any the system gives) gone.
        Files.createDirectory(dir.resolve("stale"));
        write("stale/.m2.bpm.2147483646.00c0ffee00c0ffee.tmp", "half a model");

        // For the memory cases: 20 columns of 1,000 categories; a model of 55% of a heap; a gzipped IDX file that says it
        // holds 900 x 1024 x 1024 values (1,000 times its length, as much as gzip can inflate); 2,000,000 rows.
        StringBuilder wide = new StringBuilder();
        for (int c = 0; c < 20; c++) wide.append('c').append(c).append(',');
        wide.append("y\n");
        for (int r = 0; r < 10_000; r++) {
            for (int c = 0; c < 20; c++) wide.append('v').append((r * 7 + c * 13) % 1000).append(',');
            wide.append(r % 2 == 0 ? "a" : "b").append('\n');
        }
        write("wide.csv", wide.toString());
        assertEquals(0, CommandsTest.run("train", "--data", path("data.csv"), "--layers", "2100,2100", "--epochs", "1",
                "--out", path("big.bpm"), "--quiet").code());
        long heap = Long.parseLong(BIG_MODEL_HEAP.replace("m", "")) << 20;
        double share = Files.size(dir.resolve("big.bpm")) / (double) heap;
        assertTrue(share > 0.5 && share < 0.6, "big.bpm is " + share + " of the heap");
        Path bomb = Files.createDirectory(dir.resolve("bomb"));
        ByteArrayOutputStream raw = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(new java.util.zip.GZIPOutputStream(raw))) {
            out.writeShort(0);
            out.writeByte(0x08);
            out.writeByte(3);
            for (int d : new int[] {900, 1024, 1024}) out.writeInt(d);
            byte[] noise = new byte[1_000_000];
            new SplittableRandom(5).nextBytes(noise);
            out.write(noise);
        }
        Files.write(bomb.resolve("train-images-idx3-ubyte.gz"), raw.toByteArray());
        idx(bomb.resolve("train-labels-idx1-ubyte"), new int[] {900}, 900);
        idx(bomb.resolve("t10k-images-idx3-ubyte"), new int[] {1, 28, 28}, 784);
        idx(bomb.resolve("t10k-labels-idx1-ubyte"), new int[] {1}, 1);
        try (java.io.BufferedWriter rows = Files.newBufferedWriter(dir.resolve("rows.csv"))) {
            rows.write("x1,x2,x3,y\n");
            for (int r = 0; r < 2_000_000; r++) {
                rows.write(String.format(Locale.ROOT, "%d.%03d,%d.%03d,%d.%03d,%s%n", r % 7, r % 1000, r % 5, r % 999, r % 3, r % 997, r % 2 == 0 ? "a" : "b"));
            }
        }

        // A model whose category name carries a terminal escape sequence.
        write("escape.csv", "colour,y\ndark\u001b[31mred,a\nblue,b\ndark\u001b[31mred,a\nblue,b\n");
        assertEquals(0, CommandsTest.run("train", "--data", path("escape.csv"), "--epochs", "1", "--val", "0", "--out", path("escape.bpm"),
                "--quiet").code());
    }

    private static SavedModel withTrainer(SavedModel s, Map<String, Object> trainer) {
        return SavedModel.builder(s.module(), s.provenance()).loss(s.loss()).preprocessing(s.preprocessing()).training(s.training())
                .optimizer(s.optimizer()).trainer(trainer).build();
    }

    private static void idx(Path file, int[] dims, int values) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeShort(0);
            out.writeByte(0x08);
            out.writeByte(dims.length);
            for (int d : dims) out.writeInt(d);
            out.write(new byte[values]);
        }
        Files.write(file, bytes.toByteArray());
    }

    private static void write(String name, String text) throws IOException {
        Files.writeString(dir.resolve(name), text);
    }

    private static String path(String name) {
        return dir.resolve(name).toString();
    }

    /**
     * The line a case is judged by, its fixtures' directory left out, checksums as C, memory sizes as N GB, and where
     * a full heap stopped reading (which depends on the collector) as line L and R rows.
     */
    static String normalise(String text) {
        String s = text.replace(dir + "/", "").replace(dir.toString(), "DIR");
        s = s.replaceAll("\\d+(\\.\\d+)? (KB|MB|GB)", "N GB");
        s = s.replaceAll("line \\d+: the heap is full after \\d+ rows", "line L: the heap is full after R rows");
        s = s.replaceAll("CRC-32C [0-9a-f]{8}, the file says [0-9a-f]{8}", "CRC-32C C, the file says C");
        return s;
    }

    private static String[] args(Case c) {
        return Stream.of(c.args()).map(a -> a.replace("DIR/", dir + "/")).toArray(String[]::new);
    }

    @TestFactory
    @Order(1)
    Stream<DynamicTest> everyCaseEndsAsCatalogued() {
        return CASES.stream().map(c -> DynamicTest.dynamicTest(c.area() + ": " + c.input(), () -> {
            CommandsTest.Result r = c.heap() == null ? CommandsTest.run(args(c)) : inJvm(c.heap(), args(c));
            assertEquals(c.code(), r.code(), "exit code; stderr: " + r.err() + "; stdout: " + r.out());
            if (c.stream().equals("err")) {
                assertEquals(c.expected(), normalise(r.err().strip().lines().findFirst().orElse("")));
                if (c.code() != 0) assertEquals(1, r.err().strip().lines().count(), "one line: " + r.err());
                assertFalse(r.err().contains("\tat "), "no stack trace: " + r.err());
            } else {
                assertTrue(normalise(r.out()).contains(c.expected()), c.expected() + " in: " + r.out());
            }
        }));
    }

    /** Runs the command line in a JVM of its own whose heap is {@code xmx}, as {@code BACKPROP_JAVA_OPTS=-Xmx...} would. */
    private static CommandsTest.Result inJvm(String xmx, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx" + xmx,
                "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"), Main.class.getName()));
        cmd.addAll(List.of(args));
        Path out = Files.createTempFile(dir, "child", ".out"), err = Files.createTempFile(dir, "child", ".err");
        Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!p.waitFor(120, java.util.concurrent.TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("no answer in 120 s: " + cmd);
        }
        return new CommandsTest.Result(p.exitValue(), Files.readString(out), Files.readString(err));
    }

    @Test
    @Order(2) // after the cases
    void nothingWasWrittenWhereARunFailed() {
        assertFalse(Files.exists(dir.resolve("stale/.m2.bpm.2147483646.00c0ffee00c0ffee.tmp")), "a dead process's temporary file is removed");
        assertFalse(Files.exists(dir.resolve("never.bpm")), "a diverged run saves nothing");
        assertFalse(Files.exists(dir.resolve("nodir")));
        assertTrue(Files.isSymbolicLink(dir.resolve("link.bpm")), "the link stays a link");
    }

    private static final Path CATALOGUE = Path.of("..", "docs", "errors.md");
    private static final String BEGIN = "<!-- cases: written by ErrorCatalogueTest; do not edit by hand -->", END = "<!-- end of cases -->";

    /** The catalogue's table, one row per case. */
    static String table() {
        StringBuilder b = new StringBuilder("| area | input | command | exit | what it says |\n|---|---|---|---|---|\n");
        for (Case c : CASES) {
            String command = (c.heap() == null ? "" : "BACKPROP_JAVA_OPTS=-Xmx" + c.heap() + " ") + "backprop " + String.join(" ", Stream.of(c.args()).map(a -> a.replace("DIR/", "")).map(a -> a.isEmpty() || a.contains(" ") ? "'" + a + "'" : a).toList());
            String said = (c.stream().equals("out") ? "(output includes) " : "") + c.expected();
            b.append("| ").append(c.area()).append(" | ").append(cell(c.input())).append(" | `").append(command.replace("|", "\\|"))
                    .append("` | ").append(c.code()).append(" | ").append(cell("`" + said + "`")).append(" |\n");
        }
        return b.toString();
    }

    private static String cell(String s) {
        return s.replace("|", "\\|");
    }

    @Test
    void theCommittedCatalogueHoldsEveryCase() throws IOException {
        String doc = Files.readString(CATALOGUE);
        Matcher m = Pattern.compile(Pattern.quote(BEGIN) + "\\n(.*?)" + Pattern.quote(END), Pattern.DOTALL).matcher(doc);
        assertTrue(m.find(), "docs/errors.md has no cases section");
        String expected = table();
        if (Boolean.getBoolean("backprop.writeCatalogue")) {
            Files.writeString(CATALOGUE, doc.substring(0, m.start(1)) + expected + doc.substring(m.end(1)));
            return;
        }
        assertEquals(expected, m.group(1), "docs/errors.md is out of date: run ./test -pl cli -am -Dtest=ErrorCatalogueTest "
                + "-Dsurefire.failIfNoSpecifiedTests=false -Dbackprop.writeCatalogue=true and review the change");
    }
}
