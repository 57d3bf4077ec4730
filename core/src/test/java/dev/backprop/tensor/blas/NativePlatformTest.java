package dev.backprop.tensor.blas;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * What can be checked here of the platforms we cannot run on: each platform's jar (all five are on the test class
 * path) holds the files the loader opens, where it looks for them, each a shared library in that platform's format
 * for its processor, and everything they link against is either one of them, opened earlier, or part of the system.
 */
class NativePlatformTest {

    /** What each operating system provides itself; anything else a library needs must be bundled. */
    private static final Set<String> LINUX_SYSTEM = Set.of("libc.so.6", "libm.so.6", "libdl.so.2", "libpthread.so.0",
            "librt.so.1", "ld-linux-x86-64.so.2", "ld-linux-aarch64.so.1");
    private static final Set<String> MAC_SYSTEM = Set.of("/usr/lib/libSystem.B.dylib");
    private static final Set<String> WINDOWS_SYSTEM = Set.of("kernel32.dll", "msvcrt.dll");

    @ParameterizedTest
    @EnumSource(NativePlatform.class)
    void eachPlatformsFilesAreBundledInItsFormatWithEverythingTheyNeed(NativePlatform platform) throws IOException {
        List<String> opened = new ArrayList<>();
        for (String file : platform.files) {
            byte[] bytes = resource(platform.resources() + file);
            assertNull(platform.mismatch(bytes), platform.id + "/" + file);
            for (String needed : needs(platform, bytes)) {
                String name = platform.format == NativePlatform.Format.MACH_O
                        ? needed.replace("@rpath/", "") : needed;
                boolean system = switch (platform.format) {
                    case ELF -> LINUX_SYSTEM.contains(needed);
                    case MACH_O -> MAC_SYSTEM.contains(needed);
                    case PE -> WINDOWS_SYSTEM.contains(needed.toLowerCase(java.util.Locale.ROOT));
                };
                boolean self = name.equals(file);
                assertTrue(system || self || opened.contains(name),
                        platform.id + "/" + file + " needs " + needed + ", which is neither bundled and opened before it"
                                + " nor part of the system");
            }
            opened.add(file);
        }
        assertTrue(platform.library().startsWith("libopenblas"), platform.library());
    }

    @Test
    void theJvmsPlatformNamesMapToTheBundlesFolders() {
        assertEquals(Optional.of(NativePlatform.LINUX_X86_64), NativePlatform.of("Linux", "amd64"));
        assertEquals(Optional.of(NativePlatform.LINUX_ARM64), NativePlatform.of("Linux", "aarch64"));
        assertEquals(Optional.of(NativePlatform.MACOSX_ARM64), NativePlatform.of("Mac OS X", "aarch64"));
        assertEquals(Optional.of(NativePlatform.MACOSX_X86_64), NativePlatform.of("Mac OS X", "x86_64"));
        assertEquals(Optional.of(NativePlatform.WINDOWS_X86_64), NativePlatform.of("Windows 11", "amd64"));
        assertEquals(Optional.empty(), NativePlatform.of("Windows 11", "aarch64"));
        assertEquals(Optional.empty(), NativePlatform.of("FreeBSD", "amd64"));
        assertEquals(Optional.empty(), NativePlatform.of("Linux", "ppc64le"));
    }

    @Test
    void aLibraryForAnotherProcessorIsNamedAsSuch() throws IOException {
        byte[] arm = resource(NativePlatform.LINUX_ARM64.resources() + NativePlatform.LINUX_ARM64.library());
        assertEquals("built for machine 0xb7, not linux-x86_64", NativePlatform.LINUX_X86_64.mismatch(arm));
        byte[] dll = resource(NativePlatform.WINDOWS_X86_64.resources() + NativePlatform.WINDOWS_X86_64.library());
        assertEquals("not a 64-bit little-endian ELF file", NativePlatform.LINUX_X86_64.mismatch(dll));
        assertEquals("not a 64-bit Mach-O file", NativePlatform.MACOSX_ARM64.mismatch(dll));
        byte[] macIntel = resource(NativePlatform.MACOSX_X86_64.resources() + NativePlatform.MACOSX_X86_64.library());
        assertNotNull(NativePlatform.MACOSX_ARM64.mismatch(macIntel));
        assertEquals("too short for a shared library (3 bytes)", NativePlatform.WINDOWS_X86_64.mismatch(new byte[3]));
    }

    private static byte[] resource(String path) throws IOException {
        try (InputStream in = NativePlatformTest.class.getClassLoader().getResourceAsStream(path)) {
            if (in == null) fail(path + " is not on the test class path");
            return in.readAllBytes();
        }
    }

    /** The libraries a shared library names as its dependencies. */
    static List<String> needs(NativePlatform platform, byte[] bytes) {
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        return switch (platform.format) {
            case ELF -> elfNeeded(b);
            case MACH_O -> machOLoads(b, platform.machine);
            case PE -> peImports(b);
        };
    }

    /** ELF64: the DT_NEEDED entries of the SHT_DYNAMIC section, names read from the string table it links to. */
    private static List<String> elfNeeded(ByteBuffer b) {
        long shoff = b.getLong(0x28);
        int shentsize = b.getShort(0x3a) & 0xffff, shnum = b.getShort(0x3c) & 0xffff;
        List<String> needed = new ArrayList<>();
        for (int i = 0; i < shnum; i++) {
            int sh = (int) (shoff + (long) i * shentsize);
            if (b.getInt(sh + 4) != 6) continue;                       // SHT_DYNAMIC
            int offset = (int) b.getLong(sh + 0x18), size = (int) b.getLong(sh + 0x20);
            int strtab = (int) b.getLong((int) (shoff + (long) b.getInt(sh + 0x28) * shentsize) + 0x18);
            for (int e = offset; e + 16 <= offset + size; e += 16) {
                long tag = b.getLong(e);
                if (tag == 0) break;
                if (tag == 1) needed.add(cString(b, strtab + (int) b.getLong(e + 8)));   // DT_NEEDED
            }
        }
        assertTrue(!needed.isEmpty(), "no DT_NEEDED found: the ELF reader is wrong");
        return needed;
    }

    /** Mach-O 64 (or the matching slice of a universal binary): LC_LOAD_DYLIB, weak and re-exported ones. */
    private static List<String> machOLoads(ByteBuffer b, int cpu) {
        int base = 0;
        if (b.order(ByteOrder.BIG_ENDIAN).getInt(0) == 0xcafebabe) {
            int slices = b.getInt(4);
            base = -1;
            for (int i = 0; i < slices; i++) if (b.getInt(8 + 20 * i) == cpu) base = b.getInt(8 + 20 * i + 8);
            assertTrue(base >= 0, "no slice for the platform's processor");
        }
        b.order(ByteOrder.LITTLE_ENDIAN);
        int ncmds = b.getInt(base + 16);
        List<String> loads = new ArrayList<>();
        int cmd = base + 32;
        for (int i = 0; i < ncmds; i++) {
            int kind = b.getInt(cmd), size = b.getInt(cmd + 4);
            if (kind == 0xc || kind == 0x80000018 || kind == 0x8000001f) {  // LC_LOAD_DYLIB, _WEAK_, LC_REEXPORT_DYLIB
                loads.add(cString(b, cmd + b.getInt(cmd + 8)));
            }
            cmd += size;
        }
        assertTrue(!loads.isEmpty(), "no LC_LOAD_DYLIB found: the Mach-O reader is wrong");
        return loads;
    }

    /** PE32+: the DLL names of the import directory (data directory 1), RVAs mapped to file offsets by section. */
    private static List<String> peImports(ByteBuffer b) {
        int pe = b.getInt(0x3c);
        int sections = b.getShort(pe + 6) & 0xffff, optionalSize = b.getShort(pe + 20) & 0xffff;
        int optional = pe + 24;
        int importRva = b.getInt(optional + 112 + 8);                    // PE32+: data directories start at 112
        int table = optional + optionalSize;
        List<String> imports = new ArrayList<>();
        for (int d = rvaToOffset(b, table, sections, importRva); b.getInt(d + 12) != 0; d += 20) {
            imports.add(cString(b, rvaToOffset(b, table, sections, b.getInt(d + 12))));
        }
        assertTrue(!imports.isEmpty(), "no imports found: the PE reader is wrong");
        return imports;
    }

    private static int rvaToOffset(ByteBuffer b, int table, int sections, int rva) {
        for (int s = 0; s < sections; s++) {
            int h = table + 40 * s;
            int virtualAddress = b.getInt(h + 12), virtualSize = b.getInt(h + 8), raw = b.getInt(h + 20);
            if (rva >= virtualAddress && rva < virtualAddress + Math.max(virtualSize, b.getInt(h + 16))) {
                return rva - virtualAddress + raw;
            }
        }
        throw new AssertionError("RVA " + rva + " is in no section");
    }

    private static String cString(ByteBuffer b, int at) {
        int end = at;
        while (b.get(end) != 0) end++;
        byte[] s = new byte[end - at];
        b.get(at, s);
        return new String(s, StandardCharsets.US_ASCII);
    }
}
