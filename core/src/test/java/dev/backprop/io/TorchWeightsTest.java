package dev.backprop.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.backprop.nn.Activation;
import dev.backprop.nn.BatchNorm1d;
import dev.backprop.nn.Linear;
import dev.backprop.nn.Rescale;
import dev.backprop.nn.Sequential;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Weights-only files: PyTorch's state_dict names, the BatchNorm count, the rescale left out, strict reading. */
class TorchWeightsTest {
    @TempDir
    Path dir;

    private static Sequential net(long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        return new Sequential(new Linear(3, 4, r), new BatchNorm1d(4), Activation.relu(), new Linear(4, 1, r),
                Rescale.standardising(new double[] {100}, new double[] {15}));
    }

    @Test
    void writtenWeightsLoadIntoTheSameNetworkAndNameWhatPyTorchNames() throws Exception {
        Sequential a = net(1), b = net(2);
        Path f = dir.resolve("w.safetensors");
        TorchWeights.write(a, f);
        Safetensors.Header h = Safetensors.readHeader(f);
        assertEquals(List.of("0.weight", "0.bias", "1.weight", "1.bias", "1.running_mean", "1.running_var", "3.weight", "3.bias",
                "1.num_batches_tracked"), List.copyOf(h.entries().keySet()));
        assertEquals("I64", h.entries().get("1.num_batches_tracked").stored());
        assertEquals(0, h.entries().get("1.num_batches_tracked").shape().rank());
        assertTrue(h.metadata().get("backprop.rescale").contains("[15.0] + [100.0]"), h.metadata().toString());
        TorchWeights.load(f, b);
        assertArrayEquals(a.stateDict().get("3.weight").toFloatArray(), b.stateDict().get("3.weight").toFloatArray());
        assertArrayEquals(a.stateDict().get("1.running_var").toFloatArray(), b.stateDict().get("1.running_var").toFloatArray());
    }

    @Test
    void loadingIsStrict() throws Exception {
        Path f = dir.resolve("w.safetensors");
        TorchWeights.write(net(1), f);
        SplittableRandom r = new SplittableRandom(3);
        var e = assertThrows(ModelFileException.class, () -> TorchWeights.load(f, new Sequential(new Linear(3, 4, r), Activation.relu(),
                new Linear(4, 1, r))));
        assertTrue(e.getMessage().contains("missing ['2.weight', '2.bias']; unexpected ['1.weight', '1.bias', '1.running_mean', "
                + "'1.running_var', '3.weight', '3.bias']"), e.getMessage());
        var shape = assertThrows(ModelFileException.class, () -> TorchWeights.load(f, new Sequential(new Linear(3, 5, r), new BatchNorm1d(5),
                Activation.relu(), new Linear(5, 1, r))));
        assertTrue(shape.getMessage().contains("tensor '0.weight' has shape [4, 3]; the network's is [5, 3]"), shape.getMessage());
    }

    @Test
    void halfPrecisionWeightsAreReadAsFloats() throws Exception {
        // 2 values as F16 (1.5, -2) and 2 as BF16 (0.5, 3), written by hand as PyTorch would.
        String header = "{\"h\":{\"dtype\":\"F16\",\"shape\":[2],\"data_offsets\":[0,4]},\"b\":{\"dtype\":\"BF16\",\"shape\":[2],\"data_offsets\":[4,8]}}";
        byte[] json = header.getBytes(StandardCharsets.UTF_8);
        ByteBuffer buf = ByteBuffer.allocate(8 + json.length + 8).order(ByteOrder.LITTLE_ENDIAN);
        buf.putLong(json.length).put(json).putShort(Float.floatToFloat16(1.5f)).putShort(Float.floatToFloat16(-2f))
                .putShort((short) (Float.floatToRawIntBits(0.5f) >>> 16)).putShort((short) (Float.floatToRawIntBits(3f) >>> 16));
        Path f = dir.resolve("half.safetensors");
        Files.write(f, buf.array());
        Safetensors.Contents c = Safetensors.read(f);
        assertArrayEquals(new float[] {1.5f, -2f}, c.tensors().get("h").toFloatArray());
        assertArrayEquals(new float[] {0.5f, 3f}, c.tensors().get("b").toFloatArray());
    }
}
