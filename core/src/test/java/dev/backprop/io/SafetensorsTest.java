package dev.backprop.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.backprop.tensor.DType;
import dev.backprop.tensor.Shape;
import dev.backprop.tensor.Tensor;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SafetensorsTest {
    @TempDir
    Path dir;

    /** A file of the given header JSON (unpadded, as other writers may leave it) and {@code data}. */
    private Path raw(String header, byte[] data) throws IOException {
        byte[] h = header.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(8 + h.length + data.length).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(h.length).put(h).put(data);
        Path p = dir.resolve("x.safetensors");
        Files.write(p, b.array());
        return p;
    }

    private ModelFileException fails(Path p) {
        ModelFileException e = assertThrows(ModelFileException.class, () -> Safetensors.read(p));
        assertTrue(e.getMessage().startsWith(p + ": "), e.getMessage());
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
        return e;
    }

    @Test
    void roundTripKeepsEveryBitAndTheOrder() throws IOException {
        float[] f = {1.5f, -0.0f, Float.intBitsToFloat(0x7fc01234), Float.intBitsToFloat(0xff800001), Float.MIN_VALUE,
                Float.POSITIVE_INFINITY};
        double[] d = {Math.PI, -0.0, Double.longBitsToDouble(0x7ff8000000abcdefL)};
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        tensors.put("z.first", Tensor.wrap(f, 2, 3));
        tensors.put("a.second", Tensor.wrap(d, Shape.of(3)));
        tensors.put("empty", Tensor.zeros(0, 4));
        tensors.put("scalar", Tensor.scalar(2.5));
        Path p = dir.resolve("t.safetensors");
        Safetensors.write(p, Map.of("note", "héllo \"quoted\"\nnewline"), tensors);

        Safetensors.Contents c = Safetensors.read(p);
        assertEquals(Map.of("note", "héllo \"quoted\"\nnewline"), c.metadata());
        assertEquals(List.of("z.first", "a.second", "empty", "scalar"), List.copyOf(c.tensors().keySet()));
        Tensor g = c.tensors().get("z.first");
        assertEquals(Shape.of(2, 3), g.shape());
        for (int i = 0; i < f.length; i++) assertEquals(Float.floatToRawIntBits(f[i]), Float.floatToRawIntBits(g.floats()[i]));
        Tensor h = c.tensors().get("a.second");
        assertEquals(DType.FLOAT64, h.dtype());
        for (int i = 0; i < d.length; i++) assertEquals(Double.doubleToRawLongBits(d[i]), Double.doubleToRawLongBits(h.doubles()[i]));
        assertEquals(Shape.of(0, 4), c.tensors().get("empty").shape());
        assertEquals(Shape.scalar(), c.tensors().get("scalar").shape());
        assertEquals(2.5, c.tensors().get("scalar").item());
    }

    @Test
    void layoutIsTheReferenceOne() throws IOException {
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        tensors.put("w", Tensor.of(new double[] {1, 2, 3, 4, 5, 6}, 2, 3));
        tensors.put("b", Tensor.of(DType.FLOAT64, new double[] {7, 8}, 2));
        Path p = dir.resolve("t.safetensors");
        Safetensors.write(p, Map.of("k", "v"), tensors);
        byte[] bytes = Files.readAllBytes(p);
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        long n = b.getLong(0);
        assertEquals(0, (8 + n) % 8, "header padded to a multiple of 8");
        String header = new String(bytes, 8, (int) n, StandardCharsets.UTF_8);
        String json = header.stripTrailing();
        assertTrue(json.endsWith("}") && header.substring(json.length()).matches(" {0,7}"), "padded with spaces: " + header);
        assertTrue(header.startsWith("{\"__metadata__\":{\"k\":\"v\"},\"w\":"), header);
        JsonNode root = new ObjectMapper().readTree(header);
        assertEquals("F32", root.get("w").get("dtype").asText());
        assertEquals("[2,3]", root.get("w").get("shape").toString());
        assertEquals("[0,24]", root.get("w").get("data_offsets").toString());
        assertEquals("F64", root.get("b").get("dtype").asText());
        assertEquals("[24,40]", root.get("b").get("data_offsets").toString());
        assertEquals(8 + n + 40, bytes.length);
        assertEquals(6f, b.getFloat((int) (8 + n + 20)));
        assertEquals(8.0, b.getDouble((int) (8 + n + 32)));
    }

    @Test
    void largeTensorsGoThroughTheBufferInChunks() throws IOException {
        Tensor big = Tensor.uniform(new SplittableRandom(5), -1, 1, 300, 257);     // 308 KB: several chunks
        Tensor odd = Tensor.of(DType.FLOAT64, new SplittableRandom(6).doubles(10_001).toArray(), 10_001);
        Path p = dir.resolve("big.safetensors");
        Safetensors.write(p, Map.of(), Map.of("big", big, "odd", odd));
        Safetensors.Contents c = Safetensors.read(p);
        assertArrayEquals(big.floats(), c.tensors().get("big").floats());
        assertArrayEquals(odd.doubles(), c.tensors().get("odd").doubles());
        assertTrue(c.metadata().isEmpty());
        assertFalse(new String(Files.readAllBytes(p), 8, 40, StandardCharsets.ISO_8859_1).contains("__metadata__"));
    }

    @Test
    void readsAFileFromAnotherWriterWithoutPaddingOrMetadata() throws IOException {
        ByteBuffer data = ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN).putFloat(1).putFloat(2).putFloat(3);
        Path p = raw("{\"b\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[8,12]},"
                + "\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8],\"extra\":1}}", data.array());
        Safetensors.Contents c = Safetensors.read(p);
        assertArrayEquals(new float[] {3}, c.tensors().get("b").floats());
        assertArrayEquals(new float[] {1, 2}, c.tensors().get("a").floats());
        Safetensors.Header h = Safetensors.readHeader(p);
        assertEquals(new Safetensors.Entry("a", DType.FLOAT32, Shape.of(2), 0, 8), h.entries().get("a"));
    }

    @Test
    void hostileSizesFailBeforeAllocating() throws IOException {
        byte[] small = new byte[16];
        assertTrue(fails(raw("{\"a\":{\"dtype\":\"F32\",\"shape\":[2147483648],\"data_offsets\":[0,8589934592]}}", small))
                .problem().contains("shape[0] must be a whole number from 0 to 2147483647"));
        assertTrue(fails(raw("{\"a\":{\"dtype\":\"F32\",\"shape\":[2147483647],\"data_offsets\":[0,8589934588]}}", small))
                .problem().contains("more elements than a Java array holds"));
        assertTrue(fails(raw("{\"a\":{\"dtype\":\"F32\",\"shape\":[100000,100000],\"data_offsets\":[0,40000000000]}}", small))
                .problem().contains("more elements than a Java array holds"));
        assertEquals("truncated: header says 400000000 bytes of tensor data, file has 16",
                fails(raw("{\"a\":{\"dtype\":\"F32\",\"shape\":[10000,10000],\"data_offsets\":[0,400000000]}}", small)).problem());
        assertTrue(fails(raw("{\"a\":{\"dtype\":\"F32\",\"shape\":[65536,65536,0],\"data_offsets\":[0,0]}, "
                + "\"b\":{\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[0,16]}}", small)).problem().contains("array holds"),
                "the count must fit at every step, as Shape requires");
        assertTrue(fails(raw("{\"a\":{\"dtype\":\"F32\",\"shape\":[-1],\"data_offsets\":[0,4]}}", small)).problem().contains("shape[0]"));
        assertTrue(fails(raw("{\"a\":{\"dtype\":\"F32\",\"shape\":[1.5],\"data_offsets\":[0,4]}}", small)).problem().contains("shape[0]"));
        assertTrue(fails(raw("{\"a\":{\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[0,-16]}}", small)).problem().contains("data_offsets"));
        assertTrue(fails(raw("{\"a\":{\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[16,0]}}", small)).problem().contains("end before"));
        assertTrue(fails(raw("{\"a\":{\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[0,1e3]}}", small)).problem().contains("data_offsets"));

        Path p = dir.resolve("len.safetensors");
        Files.write(p, ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putLong(1L << 60).array());
        assertEquals("not a safetensors file: its first 8 bytes give a header length of 1152921504606846976 bytes, "
                + "more than the 100000000 allowed", fails(p).problem());
        Files.write(p, ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putLong(-1L).array());
        assertTrue(fails(p).problem().contains("18446744073709551615"));
        Files.write(p, ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putLong(1000).array());
        assertEquals("truncated: header length says 1000 bytes of JSON, file has 8 after the length", fails(p).problem());
    }

    @Test
    void layoutErrorsAreNamed() throws IOException {
        byte[] d16 = new byte[16];
        assertEquals("tensors 'a' (bytes 0..16) and 'b' (bytes 8..16) overlap", fails(raw(
                "{\"a\":{\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[0,16]},"
                        + "\"b\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[8,16]}}", d16)).problem());
        assertEquals("hole in the tensor data at bytes 8..12, after 'a' and before 'b' (safetensors allows none)", fails(raw(
                "{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
                        + "\"b\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[12,16]}}", d16)).problem());
        assertEquals("header says 8 bytes of tensor data, file has 16 (8 bytes after the last tensor)", fails(raw(
                "{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}", d16)).problem());
        assertEquals("tensor 'a': shape [3] of F32 is 12 bytes, but data_offsets [0, 16] span 16", fails(raw(
                "{\"a\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[0,16]}}", d16)).problem());
        assertEquals("tensor 'a': unsupported dtype 'U8' (backprop reads F32, F64, F16, BF16 and I64)", fails(raw(
                "{\"a\":{\"dtype\":\"U8\",\"shape\":[16],\"data_offsets\":[0,16]}}", d16)).problem());
        String duplicate = fails(raw("{\"a\":{\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[0,16]},"
                + "\"a\":{\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[0,16]}}", d16)).problem();
        assertTrue(duplicate.matches("header: invalid JSON at line 1, column \\d+: Duplicate .*a.*"), duplicate);
        assertEquals("header: __metadata__.k must be a string (safetensors metadata values are strings), got the number 1",
                fails(raw("{\"__metadata__\":{\"k\":1}}", new byte[0])).problem());
        assertEquals("header: expected a JSON object, got an array of 0", fails(raw("[]", new byte[0])).problem());
        assertEquals("tensor 'a': needs \"dtype\", \"shape\" and \"data_offsets\"", fails(raw("{\"a\":{}}", new byte[0])).problem());
        startsWith("header: invalid JSON at line 2, column 12: ", fails(raw("{\"a\":\n  {\"dtype\" \"F32\"}}", new byte[0])).problem());
        startsWith("header: invalid JSON at line 1, column 4: ", fails(raw("{} {}", new byte[0])).problem());
        assertEquals("header: not valid UTF-8 (byte 2)",
                fails(rawBytes(new byte[] {'{', '"', (byte) 0xC3, '"', ':', '1', '}', ' '})).problem());
        assertEquals("header: empty, expected JSON", fails(raw("", new byte[0])).problem());
        assertTrue(fails(raw("{\"a\":" + "[".repeat(100) + "]".repeat(100) + "}", new byte[0])).problem()
                .contains("nesting depth"), "nesting is limited");
    }

    static void startsWith(String prefix, String actual) {
        assertTrue(actual.startsWith(prefix), "expected a message starting with <" + prefix + ">, got <" + actual + ">");
    }

    private Path rawBytes(byte[] header) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(8 + header.length).order(ByteOrder.LITTLE_ENDIAN).putLong(header.length).put(header);
        Path p = dir.resolve("bytes.safetensors");
        Files.write(p, b.array());
        return p;
    }

    @Test
    void everyTruncationIsACleanError() throws IOException {
        Path p = dir.resolve("t.safetensors");
        Safetensors.write(p, Map.of("k", "v"), Map.of("w", Tensor.ones(3, 2), "b", Tensor.zeros(DType.FLOAT64, Shape.of(2))));
        byte[] full = Files.readAllBytes(p);
        Path cut = dir.resolve("cut.safetensors");
        List<String> problems = new ArrayList<>();
        for (int len = 0; len < full.length; len++) {
            Files.write(cut, java.util.Arrays.copyOf(full, len));
            ModelFileException e = fails(cut);
            assertTrue(e.problem().startsWith("truncated: "), len + ": " + e.getMessage());
            problems.add(e.problem());
        }
        assertEquals("truncated: 0 bytes, but a safetensors file starts with an 8-byte header length (the file is empty)", problems.get(0));
        assertEquals("truncated: header says 40 bytes of tensor data, file has 39", problems.getLast());
    }

    @Test
    void fileErrorsNameTheFile() {
        Path missing = dir.resolve("missing.safetensors");
        assertEquals(missing + ": cannot open: no such file", assertThrows(ModelFileException.class, () -> Safetensors.read(missing)).getMessage());
        assertEquals(dir + ": is a directory, not a file", assertThrows(ModelFileException.class, () -> Safetensors.read(dir)).getMessage());
        assertThrows(IllegalArgumentException.class, () -> Safetensors.write(dir.resolve("x"), Map.of(), Map.of("__metadata__", Tensor.ones(1))));
        assertThrows(IllegalArgumentException.class, () -> Safetensors.write(dir.resolve("x"), Map.of(), Map.of("", Tensor.ones(1))));
    }
}
