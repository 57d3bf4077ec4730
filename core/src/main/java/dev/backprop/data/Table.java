package dev.backprop.data;

import dev.backprop.io.Messages;
import dev.backprop.tensor.Memory;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

/**
 * A table of text cells read from a CSV file: a header row of column names, then data rows. Every cell keeps the
 * place it came from, so a later problem (an encoder finding {@code abc} in a numeric column) can say
 * {@code prices.csv:12:2 (column 'price'): 'abc' is not a number}. Immutable.
 *
 * <pre>{@code
 * Table t = Table.readCsv(Path.of("iris.csv"));        // header: sepal_length,...,species
 * t.columns();                                          // [sepal_length, sepal_width, petal_length, petal_width, species]
 * t.cell(0, 4);                                         // "setosa", from line 2
 * }</pre>
 *
 * <p>What is read: RFC 4180 CSV in UTF-8 (a leading byte-order mark is dropped), with {@code "} quoting, so a quoted
 * field may hold delimiters, doubled quotes and line breaks. The delimiter is given, or detected from the start of the
 * file ({@link #detectDelimiter}: comma, semicolon, tab or {@code |}). Spaces around a cell are removed. Blank lines
 * are skipped. Every row must have as many fields as the header; column names must be non-empty and distinct. A cell
 * may be empty: the table holds text as it was written, and what counts as a missing value ({@code ""}, {@code NA},
 * {@code ?}, ...) is decided by whoever reads the cells (see {@code dev.backprop.encode.MissingValues}). Line numbers
 * count from 1 at the header; a row that spans lines (a quoted line break) is reported at the line where it starts.
 * Columns count from 1.
 *
 * <p>Memory: the file is parsed as a stream, record by record, never held as one string; a cell whose text repeats
 * an earlier one in its column (pixel values, category names) shares that string, so a 60,000-row Fashion-MNIST CSV
 * costs a few hundred megabytes, not gigabytes. A file of more than {@link #MAX_CELLS} cells is refused.
 */
public final class Table {
    /**
     * The most cells one table may hold (2<sup>31</sup>/8, about 268 million): the largest float32 feature matrix a
     * tensor can index is 2<sup>31</sup> values, and a table past an eighth of that would need tens of gigabytes of
     * heap as text before it got there.
     */
    public static final long MAX_CELLS = (1L << 31) / 8;

    /** Longest cell, in characters: past it, the file is not a table of data (a blob, an attack). */
    public static final int MAX_CELL_CHARS = 1 << 20;

    /** Distinct texts remembered per column for sharing; past this a column is taken to hold mostly unique values. */
    private static final int SHARED_PER_COLUMN = 1024;

    /** A decimal number: digits with an optional point and exponent. Not Java's extras (hex, 'd'/'f' suffixes, NaN). */
    private static final Pattern DECIMAL = Pattern.compile("[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?");

    /** The delimiters {@link #detectDelimiter} chooses from, in order of preference when counts tie. */
    public static final String DELIMITERS = ",;\t|";

    /** Characters read from the start of a file to detect its delimiter. */
    private static final int SNIFF_CHARS = 1 << 16;

    private static CSVFormat format(char delimiter) {
        return CSVFormat.RFC4180.builder()
                .setDelimiter(delimiter)
                .setIgnoreEmptyLines(false)        // blank lines are skipped here, so that line numbers stay exact
                .setIgnoreSurroundingSpaces(true)  // so that `a, "b, c"` is two fields, the second quoted
                .setTrim(true)
                .get();
    }

    private final String source;
    private final List<String> columns;
    private final List<String[]> rows;
    private final int[] lines;
    private final char delimiter;

    private Table(String source, List<String> columns, List<String[]> rows, int[] lines, char delimiter) {
        this.source = source;
        this.columns = List.copyOf(columns);
        this.rows = Collections.unmodifiableList(rows);
        this.lines = lines;
        this.delimiter = delimiter;
    }

    // ---------------------------------------------------------------- reading

    /** Reads a CSV file (UTF-8), detecting its delimiter; messages name the file as given. */
    public static Table readCsv(Path file) throws IOException {
        return readCsv(file, null);
    }

    /**
     * Reads a CSV file (UTF-8) whose fields are separated by {@code delimiter}, or by the detected one when it is
     * null; messages name the file as given.
     */
    public static Table readCsv(Path file, Character delimiter) throws IOException {
        Objects.requireNonNull(file, "file");
        if (Files.isDirectory(file)) throw new DataFormatException(file + ": is a directory, not a CSV file");
        if (Files.exists(file) && !Files.isRegularFile(file)) {
            throw new DataFormatException(file + ": not a regular file (a device, FIFO or socket); give a CSV file");
        }
        Reader in;
        try {
            // A strict decoder: a file in another encoding fails with a message instead of reading as garbage.
            in = Files.newBufferedReader(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new IOException(file + ": no such file", e);
        }
        try (in) {
            return readCsv(in, file.toString(), delimiter, MAX_CELLS);
        } catch (DataFormatException e) {
            // The decoder reads ahead of the parser: the line the parser stood on is not where the bad bytes are.
            if (!(e.getCause() instanceof CharacterCodingException)) throw e;
            throw new DataFormatException(file + ": " + whereNotUtf8(file) + ": not UTF-8 text (save the file as UTF-8)");
        }
    }

    /** {@code line 41, byte 7}: where the first byte sequence that is not UTF-8 starts in {@code file}. */
    private static String whereNotUtf8(Path file) throws IOException {
        java.nio.charset.CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder();
        java.nio.ByteBuffer bytes = java.nio.ByteBuffer.allocate(1 << 16);
        java.nio.CharBuffer chars = java.nio.CharBuffer.allocate(1 << 16);
        long line = 1, lineStart = 0, offset = 0;   // offset: bytes decoded so far
        try (var ch = Files.newByteChannel(file)) {
            boolean end = false;
            while (true) {
                if (!end && ch.read(bytes) < 0) end = true;
                bytes.flip();
                int before = bytes.position();
                java.nio.charset.CoderResult r = decoder.decode(bytes, chars, end);
                chars.flip();
                // Count line starts among the decoded characters, tracking the byte offset of each.
                java.nio.ByteBuffer consumed = bytes.duplicate().position(before).limit(bytes.position());
                long at = offset;
                while (consumed.hasRemaining()) {
                    if (consumed.get() == '\n') {
                        line++;
                        lineStart = at + 1;
                    }
                    at++;
                }
                offset = at;
                chars.clear();
                if (r.isError()) return "line " + line + ", byte " + (offset - lineStart + 1);
                bytes.compact();
                if (end && r.isUnderflow() && bytes.position() == 0) return "line " + line;
            }
        }
    }

    /**
     * Reads CSV text from {@code in} (not closed), naming it {@code sourceName} in messages ({@code builtin:iris},
     * a path, {@code <stdin>}), detecting its delimiter.
     */
    public static Table readCsv(Reader in, String sourceName) throws IOException {
        return readCsv(in, sourceName, null, MAX_CELLS);
    }

    /** {@link #readCsv(Reader, String)} with the delimiter given (null: detected). */
    public static Table readCsv(Reader in, String sourceName, Character delimiter) throws IOException {
        return readCsv(in, sourceName, delimiter, MAX_CELLS);
    }

    /** {@link #readCsv(Reader, String)} with another cell limit (tests). */
    static Table readCsvLimited(Reader in, String sourceName, long maxCells) throws IOException {
        return readCsv(in, sourceName, null, maxCells);
    }

    private static Table readCsv(Reader in, String sourceName, Character delimiter, long maxCells) throws IOException {
        Objects.requireNonNull(in, "in");
        Objects.requireNonNull(sourceName, "sourceName");
        char sep;
        if (delimiter != null) {
            sep = checkDelimiter(delimiter);
        } else {
            BufferedReader buffered = in instanceof BufferedReader b ? b : new BufferedReader(in, SNIFF_CHARS);
            try {
                buffered.mark(SNIFF_CHARS);
                char[] sample = new char[SNIFF_CHARS];
                int n = 0, got;
                while (n < sample.length && (got = buffered.read(sample, n, sample.length - n)) > 0) n += got;
                buffered.reset();
                sep = detectDelimiter(new String(sample, 0, n));
            } catch (CharacterCodingException e) {
                DataFormatException d = new DataFormatException(sourceName + ": line 1: not UTF-8 text");
                d.initCause(e);
                throw d;
            }
            in = buffered;
        }
        CSVParser parser = CSVParser.builder().setReader(in).setFormat(format(sep)).get();
        Iterator<CSVRecord> records = parser.iterator();
        long line = 0;
        try {
            List<String> header = null;
            Builder b = null;
            while (true) {
                // The iterator reads one record ahead only when asked; before it does, the parser stands at the end
                // of the previous record, so the next one starts on the line after.
                line = parser.getCurrentLineNumber() + 1;
                if (!records.hasNext()) break;
                CSVRecord r = records.next();
                if (r.size() == 1 && r.get(0).isEmpty()) continue;  // a blank line
                if (header == null) {
                    header = new ArrayList<>(r.toList());
                    if (header.getFirst().startsWith("\uFEFF")) header.set(0, header.getFirst().substring(1).strip());
                    b = new Builder(sourceName, header, (int) line, maxCells, sep);
                } else {
                    b.add(r.values(), line);
                }
            }
            if (header == null) throw new DataFormatException(sourceName + ": no header row (the file is empty)");
            return b.build();
        } catch (UncheckedIOException e) {
            throw parseError(sourceName, line, e.getCause());
        }
    }

    private static char checkDelimiter(char d) {
        if (d == '"' || d == '\n' || d == '\r' || Character.isLetterOrDigit(d) || d == '.' || d == '-' || d == '+') {
            throw new IllegalArgumentException("delimiter " + Messages.clean("'" + d + "'", 10)
                    + " cannot separate fields (it is a quote, a line break or part of a number)");
        }
        return d;
    }

    /**
     * The delimiter of CSV text judged by its first lines (quoted fields skipped): of comma, semicolon, tab and
     * {@code |}, the one that appears the same number of times, at least once, on the header and every following
     * complete line of the sample; among those, the most frequent on the header. When none is that regular, the
     * most frequent on the header; a comma when the header holds none (a one-column file).
     */
    public static char detectDelimiter(String sample) {
        List<int[]> records = new ArrayList<>();             // per non-blank record, the count of each candidate
        int[] current = new int[DELIMITERS.length()];
        boolean quoted = false, blank = true, complete = false;
        for (int i = 0; i < sample.length() && records.size() < 50; i++) {
            char ch = sample.charAt(i);
            if (ch == '"') {
                quoted = !quoted;
                blank = false;
            } else if (!quoted && (ch == '\n' || ch == '\r')) {
                if (!blank) records.add(current);
                current = new int[DELIMITERS.length()];
                blank = true;
                complete = !records.isEmpty();
            } else if (!quoted) {
                int k = DELIMITERS.indexOf(ch);
                if (k >= 0) current[k]++;
                if (!Character.isWhitespace(ch) || k >= 0) blank = false;
            }
        }
        if (!complete && !blank) records.add(current);       // a sample without a line break: the header alone
        if (records.isEmpty()) return ',';
        int[] header = records.getFirst();
        int best = -1;
        for (int k = 0; k < DELIMITERS.length(); k++) {
            if (header[k] == 0) continue;
            boolean regular = true;
            for (int[] row : records) regular &= row[k] == header[k];
            if (regular && (best < 0 || header[k] > header[best])) best = k;
        }
        if (best < 0) {
            for (int k = 0; k < DELIMITERS.length(); k++) if (header[k] > 0 && (best < 0 || header[k] > header[best])) best = k;
        }
        return best < 0 ? ',' : DELIMITERS.charAt(best);
    }

    private static IOException parseError(String source, long line, IOException cause) {
        if (cause instanceof CharacterCodingException) {
            DataFormatException d = new DataFormatException(source + ": line " + line + ": not UTF-8 text");
            d.initCause(cause);
            return d;
        }
        if (cause instanceof DataFormatException d) return d;
        // Commons CSV's syntax errors (an unclosed quote, text after a closing quote) carry their own position.
        String why = cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
        DataFormatException e = new DataFormatException(source + ": line " + line + ": invalid CSV: " + Messages.clean(why, 200));
        e.initCause(cause);
        return e;
    }

    /**
     * A table from values in memory, checked as a file would be (for built-in and generated data). Rows are numbered
     * as if written out as CSV: the header on line 1, row {@code i} on line {@code i + 2}.
     */
    public static Table of(String sourceName, List<String> columns, List<List<String>> rows) throws DataFormatException {
        Objects.requireNonNull(sourceName, "sourceName");
        Builder b = new Builder(sourceName, new ArrayList<>(columns), 1, MAX_CELLS, ',');
        int line = 2;
        for (List<String> row : rows) b.add(row.toArray(String[]::new), line++);
        return b.build();
    }

    /** Collects and checks rows as they are read. */
    private static final class Builder {
        private final String source;
        private final List<String> columns;
        private final List<String[]> rows = new ArrayList<>();
        private final List<Map<String, String>> shared = new ArrayList<>();
        private int[] lines = new int[64];
        private final long maxCells, maxRows;
        private final char delimiter;

        Builder(String source, List<String> header, int line, long maxCells, char delimiter) throws DataFormatException {
            this.source = source;
            this.delimiter = delimiter;
            Map<String, Integer> seen = new HashMap<>();
            for (int c = 0; c < header.size(); c++) {
                String name = header.get(c) == null ? "" : header.get(c).strip();
                header.set(c, name);
                String at = source + ":" + line + ":" + (c + 1);
                if (name.isEmpty()) throw new DataFormatException(at + ": empty column name in the header");
                Integer before = seen.putIfAbsent(name, c);
                if (before != null) {
                    throw new DataFormatException(at + ": column name " + quote(name) + " repeats column " + (before + 1));
                }
                shared.add(new HashMap<>());
            }
            this.columns = header;
            this.maxCells = maxCells;
            this.maxRows = maxCells / header.size();
        }

        void add(String[] cells, long line) throws DataFormatException {
            if (line > Integer.MAX_VALUE) throw new DataFormatException(source + ": more than " + Integer.MAX_VALUE + " lines");
            if (cells.length != columns.size()) {
                throw new DataFormatException(source + ": line " + line + ": " + cells.length + (cells.length == 1 ? " field" : " fields")
                        + ", the header has " + columns.size());
            }
            if (rows.size() >= maxRows) {
                throw new DataFormatException(source + ": line " + line + ": more than " + maxCells + " cells (" + rows.size()
                        + " rows of " + columns.size() + " columns); too large to hold in memory");
            }
            if ((rows.size() & 8191) == 8191 && Memory.nearlyFull()) {
                throw new DataFormatException(source + ": line " + line + ": the heap is full after " + rows.size() + " rows ("
                        + Memory.size(Runtime.getRuntime().maxMemory()) + "); give it more with BACKPROP_JAVA_OPTS=-Xmx8g");
            }
            for (int c = 0; c < cells.length; c++) {
                String v = cells[c] == null ? "" : cells[c].strip();
                if (v.length() > MAX_CELL_CHARS) {
                    throw new DataFormatException(source + ":" + line + ":" + (c + 1) + " (column " + quote(columns.get(c)) + "): a cell of "
                            + v.length() + " characters, more than the " + MAX_CELL_CHARS + " a cell may hold");
                }
                Map<String, String> s = shared.get(c);
                String earlier = s.get(v);
                if (earlier != null) {
                    v = earlier;
                } else if (s.size() < SHARED_PER_COLUMN) {
                    s.put(v, v);
                }
                cells[c] = v;
            }
            if (rows.size() == lines.length) lines = java.util.Arrays.copyOf(lines, lines.length * 2);
            lines[rows.size()] = (int) line;
            rows.add(cells);
        }

        Table build() throws DataFormatException {
            if (rows.isEmpty()) throw new DataFormatException(source + ": no data rows after the header");
            return new Table(source, columns, rows, java.util.Arrays.copyOf(lines, rows.size()), delimiter);
        }
    }

    // ---------------------------------------------------------------- contents

    /** Where the table came from (a path, {@code builtin:iris}), for messages and provenance. */
    public String source() {
        return source;
    }

    /** The delimiter the fields were separated by (given or detected; a comma for tables made in memory). */
    public char delimiter() {
        return delimiter;
    }

    /** The column names, in file order. */
    public List<String> columns() {
        return columns;
    }

    /** Number of data rows (the header not counted); at least 1. */
    public int size() {
        return rows.size();
    }

    /** The index of the column named {@code name}, or -1. */
    public int indexOf(String name) {
        return columns.indexOf(name);
    }

    /** The index of the column named {@code name}; an error listing the columns when there is none. */
    public int column(String name) throws DataFormatException {
        int c = columns.indexOf(name);
        if (c < 0) {
            throw new DataFormatException(source + ": no column " + quote(name) + " (columns: " + String.join(", ", columns) + ")");
        }
        return c;
    }

    /** The text of one cell, stripped of surrounding spaces; empty when the file had nothing there. */
    public String cell(int row, int column) {
        return rows.get(row)[column];
    }

    /** The 1-based line where data row {@code row} starts. */
    public int line(int row) {
        Objects.checkIndex(row, rows.size());
        return lines[row];
    }

    /** The place of a cell for messages: {@code file.csv:7:3 (column 'age')}. */
    public String where(int row, int column) {
        return source + ":" + line(row) + ":" + (column + 1) + " (column " + quote(columns.get(column)) + ")";
    }

    /** A cell of a numeric column as a number; a cell that is not one is an error naming its place. */
    public double number(int row, int column) throws DataFormatException {
        double v = parse(cell(row, column));
        if (Double.isNaN(v)) throw new DataFormatException(where(row, column) + ": " + quote(cell(row, column)) + notANumber(cell(row, column)));
        return v;
    }

    /**
     * Why {@link #parse} refused {@code text}, for a message after the quoted cell: {@code " is not a number"}, or, for
     * a decimal number too large for the 32-bit floats the network computes with, {@code " is beyond the ±3.4e38 ..."}.
     */
    public static String notANumber(String text) {
        return isDecimal(text)
                ? " is too large: beyond the ±3.4e38 that a 32-bit float, what the network computes with, can hold"
                : NOT_A_NUMBER;
    }

    /** Whether {@code text} is written as a decimal number, whatever its size ({@code 1e400} is). */
    public static boolean isDecimal(String text) {
        return text.length() <= 400 && DECIMAL.matcher(text).matches();
    }

    /** What {@link #notANumber} says of text that is no decimal number at all. */
    public static final String NOT_A_NUMBER = " is not a number";

    /**
     * The value of a finite decimal number ({@code 3}, {@code -0.5}, {@code 1e-3}), or NaN when the text is not one:
     * not Java's extras (hexadecimal, {@code f}/{@code d} suffixes), not {@code NaN} or {@code Infinity}, not a
     * number beyond what a 32-bit float holds ({@code 1e39}, {@code 1e400}): the network would see it as infinite.
     */
    public static double parse(String text) {
        int n = text.length();
        if (n <= 9) {
            // Fast path for small whole numbers (pixel values, counts, class codes): most cells of large files.
            int v = 0, i = 0;
            while (i < n && text.charAt(i) >= '0' && text.charAt(i) <= '9') v = v * 10 + (text.charAt(i++) - '0');
            if (i == n && n > 0) return v;
        }
        if (n > 400 || !DECIMAL.matcher(text).matches()) return Double.NaN;
        double v = Double.parseDouble(text);
        return Math.abs(v) <= Float.MAX_VALUE ? v : Double.NaN;
    }

    /** Cell text fit for a one-line message: quoted, control characters escaped, long text cut. */
    public static String quote(String s) {
        return "'" + Messages.clean(s, 60) + "'";
    }

    @Override
    public String toString() {
        return "Table[" + source + ": " + rows.size() + " rows x " + columns.size() + " columns]";
    }
}
