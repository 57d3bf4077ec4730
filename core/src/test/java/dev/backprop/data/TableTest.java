package dev.backprop.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TableTest {
    static Table csv(String text) throws IOException {
        return Table.readCsv(new StringReader(text), "t.csv");
    }

    static String error(String text) {
        return assertThrows(DataFormatException.class, () -> csv(text)).getMessage();
    }

    @Test
    void readsHeaderRowsAndQuotedFields() throws IOException {
        Table t = csv("name,note,age\n\"Smith, J\",\"said \"\"hi\"\"\",41\n  Lee , plain ,  7 \n");
        assertEquals(List.of("name", "note", "age"), t.columns());
        assertEquals(2, t.size());
        assertEquals("Smith, J", t.cell(0, 0));
        assertEquals("said \"hi\"", t.cell(0, 1));
        assertEquals("Lee", t.cell(1, 0), "surrounding spaces are removed");
        assertEquals("7", t.cell(1, 2));
        assertEquals(2, t.line(0));
        assertEquals(3, t.line(1));
        assertEquals("t.csv:3:2 (column 'note')", t.where(1, 1));
    }

    @Test
    void quotedLineBreaksAndBlankLinesKeepLineNumbersExact() throws IOException {
        // line 1 header, 2 a row whose quoted field runs onto line 3, 4 blank, 5 a row, 6 blank (CRLF endings)
        Table t = csv("a,b\r\n1,\"two\r\nlines\"\r\n\r\n3,4\r\n\r\n");
        assertEquals(2, t.size());
        assertEquals("two\r\nlines", t.cell(0, 1));
        assertEquals(2, t.line(0));
        assertEquals(5, t.line(1));
        Table e = csv("a,b\n1,\"x\ny\"\n\n3,\n");
        assertEquals(5, e.line(1));
        assertEquals("", e.cell(1, 1), "an empty cell is kept as empty text");
    }

    @Test
    void aByteOrderMarkIsNotPartOfTheFirstName() throws IOException {
        assertEquals(List.of("x", "y"), csv("\uFEFFx,y\n1,2\n").columns());
    }

    @Test
    void emptyFileHasNoHeader() {
        assertEquals("t.csv: no header row (the file is empty)", error(""));
        assertEquals("t.csv: no header row (the file is empty)", error("\n\n"));
    }

    @Test
    void headerOnlyHasNoRows() {
        assertEquals("t.csv: no data rows after the header", error("a,b,c\n"));
    }

    @Test
    void columnNamesMustBeDistinctAndNonEmpty() {
        assertEquals("t.csv:1:3: column name 'a' repeats column 1", error("a,b,a\n1,2,3\n"));
        assertEquals("t.csv:1:2: empty column name in the header", error("a, ,c\n1,2,3\n"));
    }

    @Test
    void raggedRowsNameTheLine() {
        assertEquals("t.csv: line 7: 3 fields, the header has 4",
                error("a,b,c,d\n1,2,3,4\n1,2,3,4\n1,2,3,4\n1,2,3,4\n1,2,3,4\n1,2,3\n"));
        assertEquals("t.csv: line 3: 5 fields, the header has 4", error("a,b,c,d\n1,2,3,4\n1,2,3,4,5\n"));
    }

    @Test
    void emptyCellsAreKeptForTheReaderToJudge() throws IOException {
        Table t = csv("name,x,age\na,1,2\nb,2,\n\"\",3,NA\n");
        assertEquals("", t.cell(1, 2));
        assertEquals("", t.cell(2, 0));
        assertEquals("NA", t.cell(2, 2));
        assertEquals("t.csv:3:3 (column 'age')", t.where(1, 2));
    }

    @Test
    void theDelimiterIsDetectedFromTheFirstLines() throws IOException {
        assertEquals(';', Table.detectDelimiter("a;b;c\n1,5;2;3\n4;5,5;6\n"), "decimal commas do not make it a comma file");
        assertEquals('\t', Table.detectDelimiter("a\tb\n1\t2\n"));
        assertEquals('|', Table.detectDelimiter("a|b|c\n1|2|3\n"));
        assertEquals(',', Table.detectDelimiter("a,b\n\"x;y;z\",2\n"), "delimiters inside quotes do not count");
        assertEquals(',', Table.detectDelimiter("single\n1\n2\n"), "one column: a comma");
        assertEquals(',', Table.detectDelimiter(""));
        assertEquals(';', Table.detectDelimiter("a;b"), "a header alone");
        Table t = csv("price;city\n1,5;Oslo\n\n2;\"Bergen; west\"\n");
        assertEquals(';', t.delimiter());
        assertEquals(List.of("price", "city"), t.columns());
        assertEquals("1,5", t.cell(0, 0));
        assertEquals("Bergen; west", t.cell(1, 1));
        Table given = Table.readCsv(new StringReader("a|b\n1|2\n"), "t.csv", '|');
        assertEquals("2", given.cell(0, 1));
        assertThrows(IllegalArgumentException.class, () -> Table.readCsv(new StringReader("a\n1\n"), "t.csv", '"'));
    }

    @Test
    void brokenQuotingIsAnErrorWithItsLine() {
        String m = error("a,b\n1,2\n3,\"open\n");
        assertTrue(m.startsWith("t.csv: line 3: invalid CSV: "), m);
    }

    @Test
    void numbersAreFiniteDecimalsOnly() throws IOException {
        Table t = csv("a,b,c,d,e,f\n1.5,red,-2e-3,NaN,0x10,1f\n2,3,4,5,6,7\n");
        assertEquals(1.5, Table.parse(t.cell(0, 0)));
        assertTrue(Double.isNaN(Table.parse(t.cell(0, 1))));
        assertTrue(Double.isNaN(Table.parse("NaN")), "NaN is not accepted as a number");
        assertTrue(Double.isNaN(Table.parse("0x10")), "no hexadecimal");
        assertTrue(Double.isNaN(Table.parse("1f")), "no Java float suffix");
        assertTrue(Double.isNaN(Table.parse("1,5")), "no decimal comma");
        assertEquals(-0.002, t.number(0, 2));
        assertTrue(Double.isNaN(Table.parse("Infinity")), "Infinity is not a number");
        assertTrue(Double.isNaN(Table.parse("1e999")), "an overflow is not a finite number");
        assertTrue(Double.isNaN(Table.parse("-1e39")), "beyond a float: the network would see infinity");
        assertEquals(3.4e38, Table.parse("3.4e38"));
        assertEquals(1e-50, Table.parse("1e-50"), "tiny numbers are numbers (a float rounds them to 0)");
        assertEquals(" is not a number", Table.notANumber("0x10"));
        assertTrue(Table.notANumber("1e39").startsWith(" is too large"));
        assertEquals(0.5, Table.parse(".5"));
        assertEquals(-300.0, Table.parse("-3E2"));
    }

    @Test
    void aNonNumberInANumericColumnNamesItsPlace() throws IOException {
        StringBuilder b = new StringBuilder("id,price\n");
        for (int i = 0; i < 10; i++) b.append(i).append(",").append(i * 1.5).append("\n");
        b.append("10,abc\n");
        Table t = csv(b.toString());
        DataFormatException e = assertThrows(DataFormatException.class, () -> t.number(10, 1));
        assertEquals("t.csv:12:2 (column 'price'): 'abc' is not a number", e.getMessage());
    }

    @Test
    void readsFilesAndNamesThemInMessages(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("file.csv");
        Files.writeString(f, "x,y\n1,2\n3\n");
        DataFormatException e = assertThrows(DataFormatException.class, () -> Table.readCsv(f));
        assertEquals(f + ": line 3: 1 field, the header has 2", e.getMessage());
        Files.writeString(f, "x;y\n1;2\n");
        assertEquals(';', Table.readCsv(f).delimiter());
        Files.writeString(f, "x,y\n1,2\n");
        assertEquals(1, Table.readCsv(f).size());
        IOException missing = assertThrows(IOException.class, () -> Table.readCsv(dir.resolve("nope.csv")));
        assertTrue(missing.getMessage().endsWith("nope.csv: no such file"), missing.getMessage());
        Files.write(f, new byte[] {'x', '\n', (byte) 0xC3, '(', '\n'});
        DataFormatException latin = assertThrows(DataFormatException.class, () -> Table.readCsv(f));
        assertEquals(f + ": line 2, byte 1: not UTF-8 text (save the file as UTF-8)", latin.getMessage());
    }

    @Test
    void inMemoryTablesAreCheckedLikeFiles() throws DataFormatException {
        Table t = Table.of("mem", List.of("a", "b"), List.of(List.of("1", "2"), List.of("3", "4")));
        assertEquals(3, t.line(1));
        DataFormatException e = assertThrows(DataFormatException.class,
                () -> Table.of("mem", List.of("a", "b"), List.of(List.of("1", "2"), List.of("3"))));
        assertEquals("mem: line 3: 1 field, the header has 2", e.getMessage());
    }

    @Test
    void tablesPastTheCellLimitAreRefused() throws IOException {
        String text = "a,b,c\n1,2,3\n4,5,6\n7,8,9\n";
        assertEquals(3, Table.readCsvLimited(new StringReader(text), "t.csv", 9).size());
        DataFormatException e = assertThrows(DataFormatException.class, () -> Table.readCsvLimited(new StringReader(text), "t.csv", 8));
        assertEquals("t.csv: line 4: more than 8 cells (2 rows of 3 columns); too large to hold in memory", e.getMessage());
    }

    @Test
    void unknownColumnListsTheColumns() throws IOException {
        Table t = csv("a,b\n1,2\n");
        assertEquals(-1, t.indexOf("c"));
        assertEquals("t.csv: no column 'c' (columns: a, b)", assertThrows(DataFormatException.class, () -> t.column("c")).getMessage());
    }

    @Test
    void controlCharactersInMessagesAreEscaped() {
        String n = error("a,\"b\nc\",a\n1,2,3\n");
        assertEquals("t.csv:1:3: column name 'a' repeats column 1", n);
        String o = error("a,\"b\u0007c\",\"b\u0007c\"\n1,2,3\n");
        assertEquals("t.csv:1:3: column name 'b\\u0007c' repeats column 2", o);
    }
}
