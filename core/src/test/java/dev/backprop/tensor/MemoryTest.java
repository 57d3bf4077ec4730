package dev.backprop.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class MemoryTest {
    @Test
    void whatFitsIsAllowedAndWhatDoesNotIsSaid() {
        assertNull(Memory.shortfall(1 << 20, "a megabyte"));
        String no = Memory.shortfall(1L << 50, "encoding 2,000,000 rows x 20,000 features");
        assertTrue(no.startsWith("encoding 2,000,000 rows x 20,000 features needs 1048576.0 GB; the heap has "), no);
        assertTrue(no.endsWith("(give it more with BACKPROP_JAVA_OPTS=-Xmx8g, or ask for less)"), no);
        assertTrue(Memory.shortfall(-1, "an overflowed size") != null, "a negative size is an overflow, and too much");
    }

    @Test
    void sizesReadAsPeopleWriteThem() {
        assertEquals("1 KB", Memory.size(1000));
        assertEquals("3.5 MB", Memory.size(3_670_016));
        assertEquals("4.3 GB", Memory.size(4_617_089_843L));
    }
}
