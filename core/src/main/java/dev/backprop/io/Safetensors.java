package dev.backprop.io;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.backprop.tensor.DType;
import dev.backprop.tensor.Shape;
import dev.backprop.tensor.Tensor;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads and writes the <a href="https://github.com/huggingface/safetensors">safetensors</a> layout: an 8-byte
 * little-endian unsigned header length N; N bytes of UTF-8 JSON,
 * {@code {"__metadata__": {"key": "value", ...}, "name": {"dtype": "F32", "shape": [2, 2], "data_offsets": [0, 16]},
 * ...}}, padded with spaces to a multiple of 8 bytes as the reference implementation pads it; then the tensors'
 * raw little-endian bytes, back to back in header order, offsets counted from the end of the header. Metadata
 * values are strings (the format's rule). backprop reads and writes the dtypes {@code F32} and {@code F64}; it also
 * reads {@code F16} and {@code BF16} (as F32) and {@code I64} (as F64), and writes I64 scalars, for PyTorch's files.
 *
 * <pre>{@code
 * Safetensors.write(path, Map.of("note", "weights only"), model.stateDict());
 * Safetensors.Contents c = Safetensors.read(path);     // c.tensors().get("0.weight"), c.metadata().get("note")
 * }</pre>
 *
 * <p>Reading checks everything before allocating a tensor: the header length against the file size and
 * {@link #MAX_HEADER_BYTES}; the JSON; every entry's dtype, shape and offsets (element count × dtype size = end −
 * begin, and no more elements than a Java array holds); that the entries neither overlap nor leave holes and cover
 * the data section exactly; that names are unique. Data are read through a small buffer, never by slurping a
 * declared size. Every problem is a {@link ModelFileException} naming the file, e.g.
 * {@code model.bp: truncated: header says 1048 bytes of tensor data, file has 512}.
 *
 * <p>Writing is atomic: the bytes go to a temporary file in the target's directory, which is forced to disk and then
 * moved over the target; a failure leaves any existing target as it was.
 */
public final class Safetensors {
    /** Largest header accepted, in bytes: the reference implementation's limit. */
    public static final long MAX_HEADER_BYTES = 100_000_000L;
    /** The header key that holds the string-to-string metadata. */
    public static final String METADATA_KEY = "__metadata__";

    /** Size of the buffer that tensor bytes go through, both ways. */
    private static final int CHUNK_BYTES = 1 << 16;
    /** Shape's own limit on elements (a Java array's practical maximum). */
    private static final long MAX_ELEMENTS = Integer.MAX_VALUE - 8;

    private Safetensors() {}

    /**
     * One tensor as the header describes it.
     *
     * @param begin offset of its first byte from the start of the data section
     * @param end   offset one past its last byte
     */
    public record Entry(String name, DType dtype, Shape shape, long begin, long end, String stored) {
        /** An entry stored as its own dtype ({@code F32} or {@code F64}). */
        public Entry(String name, DType dtype, Shape shape, long begin, long end) {
            this(name, dtype, shape, begin, end, dtype.safetensorsName());
        }

        /** Bytes of data: {@code end − begin}. */
        public long bytes() {
            return end - begin;
        }
    }

    /**
     * A validated header: the metadata, the entries in header order, and where the data section starts in the file
     * ({@code 8 + N}).
     */
    public record Header(Map<String, String> metadata, Map<String, Entry> entries, long dataStart) {
        /** Copies both maps into unmodifiable ones, keeping their order. */
        public Header {
            metadata = Collections.unmodifiableMap(new LinkedHashMap<>(metadata));
            entries = Collections.unmodifiableMap(new LinkedHashMap<>(entries));
        }
    }

    /** A whole file: metadata, and the tensors by name in header order. */
    public record Contents(Map<String, String> metadata, Map<String, Tensor> tensors) {
        /** Copies both maps into unmodifiable ones, keeping their order. */
        public Contents {
            metadata = Collections.unmodifiableMap(new LinkedHashMap<>(metadata));
            tensors = Collections.unmodifiableMap(new LinkedHashMap<>(tensors));
        }
    }

    /** A step of writing that tests can make fail, to check that the target is left untouched. */
    @FunctionalInterface
    interface WriteHook {
        WriteHook NONE = name -> {};

        /** Called after each tensor's bytes are written. */
        void afterTensor(String name) throws IOException;
    }

    // ---------------------------------------------------------------- reading

    /** Reads every tensor and the metadata of a safetensors file (from backprop or elsewhere). */
    public static Contents read(Path file) throws ModelFileException {
        String source = file.toString();
        try (FileChannel ch = open(file, source)) {
            Header h = readHeader(ch, source);
            checkHeap(h.entries().values(), source, 1);
            Map<String, Tensor> tensors = new LinkedHashMap<>();
            for (Entry e : h.entries().values()) tensors.put(e.name(), readTensor(ch, h, e, source));
            return new Contents(h.metadata(), tensors);
        } catch (ModelFileException e) {
            throw e;
        } catch (IOException e) {
            throw ioFailure(source, "cannot read", e);
        }
    }

    /** Reads and validates the header only: names, dtypes, shapes and metadata, without the tensors' data. */
    public static Header readHeader(Path file) throws ModelFileException {
        String source = file.toString();
        try (FileChannel ch = open(file, source)) {
            return readHeader(ch, source);
        } catch (ModelFileException e) {
            throw e;
        } catch (IOException e) {
            throw ioFailure(source, "cannot read", e);
        }
    }

    static FileChannel open(Path file, String source) throws ModelFileException {
        try {
            if (Files.isDirectory(file)) throw new ModelFileException(source, "is a directory, not a file");
            // A FIFO or a device would block or never end: only a regular file is opened.
            if (Files.exists(file) && !Files.isRegularFile(file)) {
                throw new ModelFileException(source, "not a regular file (a device, FIFO or socket)");
            }
            return FileChannel.open(file, StandardOpenOption.READ);
        } catch (ModelFileException e) {
            throw e;
        } catch (IOException e) {
            throw ioFailure(source, "cannot open", e);
        }
    }

    static ModelFileException ioFailure(String source, String doing, IOException e) {
        String why = switch (e) {
            case AtomicWrite.Unwritable u -> u.reason();
            case NoSuchFileException x -> "no such file";
            case AccessDeniedException x -> "permission denied";
            case FileAlreadyExistsException x -> "already exists";
            default -> e.getMessage() == null ? e.getClass().getSimpleName() : Messages.clean(e.getMessage(), 200);
        };
        return new ModelFileException(source, doing + ": " + why, e);
    }

    /**
     * The header length as the first 8 bytes give it, if they are plausibly one (at most the rest of the file and
     * {@link #MAX_HEADER_BYTES}), else −1. Lets a caller tell a safetensors file from text.
     */
    static long plausibleHeaderLength(byte[] first8, long fileSize) {
        if (first8.length < 8) return -1;
        long n = ByteBuffer.wrap(first8, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        return n >= 0 && n <= MAX_HEADER_BYTES && n <= fileSize - 8 ? n : -1;
    }

    /** Reads and validates the header from an open file; see the class comment for what is checked. */
    static Header readHeader(FileChannel ch, String source) throws IOException {
        long size = ch.size();
        if (size < 8) {
            throw new ModelFileException(source, "truncated: " + size + " bytes, but a safetensors file starts with an "
                    + "8-byte header length" + (size == 0 ? " (the file is empty)" : ""));
        }
        ByteBuffer lengthBytes = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
        readFully(ch, lengthBytes, 0, source);
        long n = lengthBytes.getLong(0);
        if (n < 0 || n > MAX_HEADER_BYTES) {
            throw new ModelFileException(source, "not a safetensors file: its first 8 bytes give a header length of "
                    + Long.toUnsignedString(n) + " bytes, more than the " + MAX_HEADER_BYTES + " allowed");
        }
        if (n > size - 8) {
            throw new ModelFileException(source, "truncated: header length says " + n + " bytes of JSON, file has "
                    + (size - 8) + " after the length");
        }
        ByteBuffer headerBytes = ByteBuffer.allocate((int) n);
        readFully(ch, headerBytes, 8, source);
        String text = Json.utf8(headerBytes.array(), source, "header");
        JsonNode root = Json.parse(text, source, "header");
        if (!root.isObject()) {
            throw new ModelFileException(source, "header: expected a JSON object, got " + Json.describe(root));
        }

        Map<String, String> metadata = new LinkedHashMap<>();
        Map<String, Entry> entries = new LinkedHashMap<>();
        for (var field : root.properties()) {
            String name = field.getKey();
            JsonNode v = field.getValue();
            if (name.equals(METADATA_KEY)) {
                readMetadata(v, metadata, source);
            } else {
                entries.put(name, entry(name, v, source));
            }
        }
        checkLayout(entries.values(), size - 8 - n, source);
        return new Header(metadata, entries, 8 + n);
    }

    private static void readMetadata(JsonNode v, Map<String, String> out, String source) throws ModelFileException {
        if (!v.isObject()) {
            throw new ModelFileException(source, "header: " + METADATA_KEY + " must be an object of strings, got "
                    + Json.describe(v));
        }
        for (var m : v.properties()) {
            if (!m.getValue().isTextual()) {
                throw new ModelFileException(source, "header: " + METADATA_KEY + "." + Messages.clean(m.getKey(), 80)
                        + " must be a string (safetensors metadata values are strings), got " + Json.describe(m.getValue()));
            }
            out.put(m.getKey(), m.getValue().textValue());
        }
    }

    private static Entry entry(String name, JsonNode v, String source) throws ModelFileException {
        String what = "tensor '" + Messages.clean(name, 80) + "'";
        if (name.isEmpty()) throw new ModelFileException(source, "header: a tensor has an empty name");
        if (!v.isObject()) throw new ModelFileException(source, what + ": expected an object, got " + Json.describe(v));
        JsonNode dtypeNode = v.get("dtype"), shapeNode = v.get("shape"), offsetsNode = v.get("data_offsets");
        if (dtypeNode == null || shapeNode == null || offsetsNode == null) {
            throw new ModelFileException(source, what + ": needs \"dtype\", \"shape\" and \"data_offsets\"");
        }
        if (!dtypeNode.isTextual()) throw new ModelFileException(source, what + ": dtype must be a string, got " + Json.describe(dtypeNode));
        String stored = dtypeNode.textValue();
        // F16 and BF16 (PyTorch's half-precision weights) are read as F32; I64 (a BatchNorm's batch count) as F64.
        DType dtype = switch (stored) {
            case "F32", "F16", "BF16" -> DType.FLOAT32;
            case "F64", "I64" -> DType.FLOAT64;
            default -> throw new ModelFileException(source, what + ": unsupported dtype '" + Messages.clean(stored, 20)
                    + "' (backprop reads F32, F64, F16, BF16 and I64)");
        };
        int storedBytes = stored.endsWith("16") ? 2 : stored.equals("F32") ? 4 : 8;
        if (!shapeNode.isArray()) throw new ModelFileException(source, what + ": shape must be an array, got " + Json.describe(shapeNode));
        int[] dims = new int[shapeNode.size()];
        long elements = 1;
        for (int i = 0; i < dims.length; i++) {
            JsonNode d = shapeNode.get(i);
            if (!d.isIntegralNumber() || !d.canConvertToInt() || d.intValue() < 0) {
                throw new ModelFileException(source, what + ": shape[" + i + "] must be a whole number from 0 to "
                        + Integer.MAX_VALUE + ", got " + Json.describe(d));
            }
            dims[i] = d.intValue();
        }
        for (int d : dims) {
            // The running product must stay within an array's reach at every step, as Shape requires (and it then
            // cannot overflow a long): [65536, 65536, 0] is refused too.
            elements *= d;
            if (elements > MAX_ELEMENTS) {
                throw new ModelFileException(source, what + ": shape " + Messages.clean(Arrays.toString(dims), 80)
                        + " has more elements than a Java array holds (" + MAX_ELEMENTS + ")");
            }
        }
        if (!offsetsNode.isArray() || offsetsNode.size() != 2) {
            throw new ModelFileException(source, what + ": data_offsets must be [begin, end], got " + Json.describe(offsetsNode));
        }
        long[] off = new long[2];
        for (int i = 0; i < 2; i++) {
            JsonNode o = offsetsNode.get(i);
            if (!o.isIntegralNumber() || !o.canConvertToLong() || o.longValue() < 0) {
                throw new ModelFileException(source, what + ": data_offsets must be two whole numbers >= 0, got "
                        + Json.describe(o));
            }
            off[i] = o.longValue();
        }
        if (off[1] < off[0]) {
            throw new ModelFileException(source, what + ": data_offsets [" + off[0] + ", " + off[1] + "] end before they begin");
        }
        long bytes = elements * storedBytes;
        if (bytes != off[1] - off[0]) {
            throw new ModelFileException(source, what + ": shape " + Arrays.toString(dims) + " of " + dtypeNode.textValue()
                    + " is " + bytes + " bytes, but data_offsets [" + off[0] + ", " + off[1] + "] span " + (off[1] - off[0]));
        }
        return new Entry(name, dtype, Shape.of(dims), off[0], off[1], stored);
    }

    /** The entries must tile [0, dataBytes) exactly: no overlap, no hole (the format requires it), nothing missing. */
    private static void checkLayout(Iterable<Entry> entries, long dataBytes, String source) throws ModelFileException {
        List<Entry> sorted = new ArrayList<>();
        entries.forEach(sorted::add);
        sorted.sort(Comparator.comparingLong(Entry::begin).thenComparingLong(Entry::end));
        long end = 0;
        Entry previous = null;
        for (Entry e : sorted) {
            if (e.begin() < end) {
                throw new ModelFileException(source, "tensors '" + Messages.clean(previous.name(), 80) + "' (bytes "
                        + previous.begin() + ".." + previous.end() + ") and '" + Messages.clean(e.name(), 80) + "' (bytes "
                        + e.begin() + ".." + e.end() + ") overlap");
            }
            if (e.begin() > end) {
                throw new ModelFileException(source, "hole in the tensor data at bytes " + end + ".." + e.begin()
                        + (previous == null ? ", before the first tensor '" : ", after '" + Messages.clean(previous.name(), 80) + "' and before '")
                        + Messages.clean(e.name(), 80) + "' (safetensors allows none)");
            }
            end = e.end();
            previous = e;
        }
        if (end > dataBytes) {
            throw new ModelFileException(source, "truncated: header says " + end + " bytes of tensor data, file has " + dataBytes);
        }
        if (end < dataBytes) {
            throw new ModelFileException(source, "header says " + end + " bytes of tensor data, file has " + dataBytes
                    + " (" + (dataBytes - end) + " bytes after the last tensor)");
        }
    }

    /**
     * Refuses, before allocating, tensors that do not fit in the heap: {@code copies} times their bytes (a model file
     * is read into tensors, then copied into the module it builds: two).
     */
    static void checkHeap(Iterable<Entry> entries, String source, int copies) throws ModelFileException {
        long total = 0;
        for (Entry e : entries) total += e.bytes();
        long needed = total > Long.MAX_VALUE / copies ? Long.MAX_VALUE : total * copies;
        String no = dev.backprop.tensor.Memory.shortfall(needed, "loading its " + dev.backprop.tensor.Memory.size(total)
                + " of tensors" + (copies > 1 ? " (" + copies + " copies while it loads)" : ""));
        if (no != null) throw new ModelFileException(source, no);
    }

    /** Reads one entry's data, through a bounded buffer, into a new tensor. */
    static Tensor readTensor(FileChannel ch, Header h, Entry e, String source) throws IOException {
        int n = e.shape().size();
        ByteBuffer buf = ByteBuffer.allocate((int) Math.min(CHUNK_BYTES, Math.max(e.bytes(), 8))).order(ByteOrder.LITTLE_ENDIAN);
        long position = h.dataStart() + e.begin();
        int per = buf.capacity() / e.dtype().bytes();
        if (!e.stored().equals(e.dtype().safetensorsName())) return readConverted(ch, h, e, source);
        if (e.dtype() == DType.FLOAT32) {
            float[] a = new float[n];
            for (int done = 0; done < n; ) {
                int k = Math.min(per, n - done);
                buf.clear().limit(k * 4);
                readFully(ch, buf, position, source);
                buf.flip();
                buf.asFloatBuffer().get(a, done, k);
                done += k;
                position += k * 4L;
            }
            return Tensor.wrap(a, e.shape());
        }
        double[] a = new double[n];
        for (int done = 0; done < n; ) {
            int k = Math.min(per, n - done);
            buf.clear().limit(k * 8);
            readFully(ch, buf, position, source);
            buf.flip();
            buf.asDoubleBuffer().get(a, done, k);
            done += k;
            position += k * 8L;
        }
        return Tensor.wrap(a, e.shape());
    }

    /** An F16, BF16 or I64 entry, read whole (such entries are weights of other tools, not large) and converted. */
    private static Tensor readConverted(FileChannel ch, Header h, Entry e, String source) throws IOException {
        int n = e.shape().size();
        ByteBuffer buf = ByteBuffer.allocate((int) e.bytes()).order(ByteOrder.LITTLE_ENDIAN);
        readFully(ch, buf, h.dataStart() + e.begin(), source);
        buf.flip();
        if (e.stored().equals("I64")) {
            double[] a = new double[n];
            for (int i = 0; i < n; i++) {
                long v = buf.getLong();
                if (Math.abs(v) > (1L << 53)) {
                    throw new ModelFileException(source, "tensor '" + Messages.clean(e.name(), 80) + "': integer " + v + " at element " + i
                            + " is beyond what a double holds exactly");
                }
                a[i] = v;
            }
            return Tensor.wrap(a, e.shape());
        }
        float[] a = new float[n];
        boolean brain = e.stored().equals("BF16");
        for (int i = 0; i < n; i++) {
            short bits = buf.getShort();
            a[i] = brain ? Float.intBitsToFloat((bits & 0xffff) << 16) : Float.float16ToFloat(bits);
        }
        return Tensor.wrap(a, e.shape());
    }

    private static void readFully(FileChannel ch, ByteBuffer buf, long position, String source) throws IOException {
        while (buf.hasRemaining()) {
            int r = ch.read(buf, position);
            if (r < 0) throw new ModelFileException(source, "truncated: the file ended at byte " + position + " while reading it");
            position += r;
        }
    }

    // ---------------------------------------------------------------- writing

    /**
     * Writes {@code tensors} (in the map's order) and {@code metadata} as one safetensors file, atomically: an
     * existing file at {@code file} is replaced only once the new one is complete and on disk.
     *
     * @throws IllegalArgumentException when a name is empty or {@value #METADATA_KEY}
     * @throws ModelFileException       when the file cannot be written (the message names it and the reason)
     */
    public static void write(Path file, Map<String, String> metadata, Map<String, Tensor> tensors) throws ModelFileException {
        write(file, metadata, tensors, WriteHook.NONE);
    }

    /**
     * {@link #write(Path, Map, Map)} with integer scalars after the tensors, stored as {@code I64} of shape {@code []}:
     * what PyTorch keeps as a BatchNorm's {@code num_batches_tracked}, which its strict loading asks for.
     */
    public static void write(Path file, Map<String, String> metadata, Map<String, Tensor> tensors, Map<String, Long> int64Scalars)
            throws ModelFileException {
        write(file, metadata, tensors, int64Scalars, WriteHook.NONE);
    }

    static void write(Path file, Map<String, String> metadata, Map<String, Tensor> tensors, WriteHook hook)
            throws ModelFileException {
        write(file, metadata, tensors, Map.of(), hook);
    }

    private static void write(Path file, Map<String, String> metadata, Map<String, Tensor> tensors, Map<String, Long> int64Scalars,
                              WriteHook hook) throws ModelFileException {
        byte[] header = header(metadata, tensors, int64Scalars);
        try {
            AtomicWrite.channel(file, ch -> {
                ByteBuffer head = ByteBuffer.allocate(8 + header.length).order(ByteOrder.LITTLE_ENDIAN);
                head.putLong(header.length).put(header).flip();
                writeFully(ch, head);
                ByteBuffer buf = ByteBuffer.allocate(CHUNK_BYTES).order(ByteOrder.LITTLE_ENDIAN);
                for (var e : tensors.entrySet()) {
                    writeTensor(ch, e.getValue(), buf);
                    hook.afterTensor(e.getKey());
                }
                if (!int64Scalars.isEmpty()) {
                    ByteBuffer ints = ByteBuffer.allocate(8 * int64Scalars.size()).order(ByteOrder.LITTLE_ENDIAN);
                    for (long v : int64Scalars.values()) ints.putLong(v);
                    writeFully(ch, ints.flip());
                }
            });
        } catch (IOException e) {
            throw ioFailure(file.toString(), "cannot write", e);
        }
    }

    /** The padded header JSON for these tensors, offsets assigned in map order. */
    static byte[] header(Map<String, String> metadata, Map<String, Tensor> tensors) {
        return header(metadata, tensors, Map.of());
    }

    private static byte[] header(Map<String, String> metadata, Map<String, Tensor> tensors, Map<String, Long> int64Scalars) {
        JsonNodeFactory f = JsonNodeFactory.instance;
        ObjectNode root = f.objectNode();
        if (!metadata.isEmpty()) {
            ObjectNode m = root.putObject(METADATA_KEY);
            for (var e : metadata.entrySet()) {
                if (e.getKey() == null || e.getValue() == null) throw new IllegalArgumentException("metadata: null key or value");
                // What the reader would refuse is refused here, so that no file is written that cannot be read back.
                if (e.getValue().length() > Json.MAX_STRING_LENGTH) {
                    throw new IllegalArgumentException("metadata '" + e.getKey() + "' is " + e.getValue().length()
                            + " characters, more than the " + Json.MAX_STRING_LENGTH + " a reader accepts");
                }
                m.put(e.getKey(), e.getValue());
            }
        }
        long offset = 0;
        for (var e : tensors.entrySet()) {
            String name = e.getKey();
            Tensor t = e.getValue();
            if (name == null || name.isEmpty() || name.equals(METADATA_KEY) || name.length() > Json.MAX_NAME_LENGTH) {
                throw new IllegalArgumentException("safetensors: bad tensor name '" + (name == null ? null : Messages.clean(name, 80)) + "'");
            }
            ObjectNode o = root.putObject(name);
            o.put("dtype", t.dtype().safetensorsName());
            var shape = o.putArray("shape");
            for (int d : t.shape().dims()) shape.add(d);
            long bytes = (long) t.size() * t.dtype().bytes();
            o.putArray("data_offsets").add(offset).add(offset + bytes);
            offset += bytes;
        }
        for (var e : int64Scalars.entrySet()) {
            if (e.getKey().isEmpty() || e.getKey().equals(METADATA_KEY) || tensors.containsKey(e.getKey())) {
                throw new IllegalArgumentException("safetensors: bad or repeated name '" + Messages.clean(e.getKey(), 80) + "'");
            }
            ObjectNode o = root.putObject(e.getKey());
            o.put("dtype", "I64");
            o.putArray("shape");
            o.putArray("data_offsets").add(offset).add(offset + 8);
            offset += 8;
        }
        byte[] json = root.toString().getBytes(StandardCharsets.UTF_8);
        // Pad with spaces to a multiple of 8, as the reference writer does, so the data section starts aligned.
        int padded = (json.length + 7) & ~7;
        if (padded > MAX_HEADER_BYTES) {
            throw new IllegalArgumentException("safetensors: header would be " + padded + " bytes, more than " + MAX_HEADER_BYTES);
        }
        byte[] out = Arrays.copyOf(json, padded);
        Arrays.fill(out, json.length, padded, (byte) ' ');
        return out;
    }

    /**
     * CRC-32C, as 8 hex digits, of the metadata entries (by key, less {@code except}) and then of the tensors' bytes as
     * {@link #write} lays them out (little-endian, in map order).
     */
    static String crc32c(Map<String, String> metadata, String except, Map<String, Tensor> tensors) {
        java.util.zip.CRC32C crc = metadataCrc(metadata, except);
        ByteBuffer buf = ByteBuffer.allocate(CHUNK_BYTES).order(ByteOrder.LITTLE_ENDIAN);
        for (Tensor t : tensors.values()) {
            try {
                writeTensor(b -> crc.update(b), t, buf);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);      // cannot happen: the sink is in memory
            }
        }
        return String.format("%08x", crc.getValue());
    }

    /** {@link #crc32c(Map, String, Map)} of a file: its metadata, then its data section {@code [dataStart, dataStart + bytes)}. */
    static String crc32c(Map<String, String> metadata, String except, FileChannel ch, long dataStart, long bytes) throws IOException {
        java.util.zip.CRC32C crc = metadataCrc(metadata, except);
        ByteBuffer buf = ByteBuffer.allocate(CHUNK_BYTES);
        long position = dataStart, end = dataStart + bytes;
        while (position < end) {
            buf.clear().limit((int) Math.min(buf.capacity(), end - position));
            int n = ch.read(buf, position);
            if (n < 0) break;
            buf.flip();
            crc.update(buf);
            position += n;
        }
        return String.format("%08x", crc.getValue());
    }

    private static java.util.zip.CRC32C metadataCrc(Map<String, String> metadata, String except) {
        java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
        for (String key : new java.util.TreeSet<>(metadata.keySet())) {
            if (key.equals(except)) continue;
            crc.update(key.getBytes(StandardCharsets.UTF_8));
            crc.update(0);
            crc.update(metadata.get(key).getBytes(StandardCharsets.UTF_8));
            crc.update(0);
        }
        return crc;
    }

    /** The name and first index of a NaN or infinite value among {@code tensors}, or null when all are finite. */
    static String firstNonFinite(Map<String, Tensor> tensors) {
        for (var e : tensors.entrySet()) {
            Tensor t = e.getValue();
            for (int i = 0; i < t.size(); i++) {
                double v = t.getFlat(i);
                if (!Double.isFinite(v)) return "tensor '" + e.getKey() + "' holds " + v + " at element " + i;
            }
        }
        return null;
    }

    /** Where {@link #writeTensor} puts its bytes: a file, or a checksum. */
    private interface Sink {
        void write(ByteBuffer bytes) throws IOException;
    }

    private static void writeTensor(FileChannel ch, Tensor t, ByteBuffer buf) throws IOException {
        writeTensor(b -> writeFully(ch, b), t, buf);
    }

    private static void writeTensor(Sink ch, Tensor t, ByteBuffer buf) throws IOException {
        int n = t.size();
        if (t.dtype() == DType.FLOAT32) {
            float[] a = t.floats();
            int per = buf.capacity() / 4;
            for (int done = 0; done < n; done += per) {
                int k = Math.min(per, n - done);
                buf.clear();
                buf.asFloatBuffer().put(a, done, k);
                buf.limit(k * 4);
                ch.write(buf);
            }
        } else {
            double[] a = t.doubles();
            int per = buf.capacity() / 8;
            for (int done = 0; done < n; done += per) {
                int k = Math.min(per, n - done);
                buf.clear();
                buf.asDoubleBuffer().put(a, done, k);
                buf.limit(k * 8);
                ch.write(buf);
            }
        }
    }

    private static void writeFully(FileChannel ch, ByteBuffer buf) throws IOException {
        while (buf.hasRemaining()) ch.write(buf);
    }
}
