package dev.backprop.tensor.blas;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The platforms for which {@code org.bytedeco:openblas} bundles a library we can load, each with the files its
 * classifier jar holds for it (in the order they are opened: dependencies first) and the binary format they must
 * have.
 *
 * <p>What each file needs was read from the libraries themselves (ELF {@code DT_NEEDED}, Mach-O
 * {@code LC_LOAD_DYLIB}, PE imports; {@code NativePlatformTest} reads them again on every build): on Linux only
 * libopenblas carries {@code RUNPATH $ORIGIN}, so its dependencies are opened before it; on macOS every library finds
 * its siblings through {@code @loader_path}; the arm64 macOS and the Windows libraries need nothing but the system.
 */
enum NativePlatform {
    LINUX_X86_64("linux-x86_64", Format.ELF, 62,
            List.of("libgcc_s.so.1", "libquadmath.so.0", "libgfortran.so.5", "libopenblas.so.0")),
    LINUX_ARM64("linux-arm64", Format.ELF, 183,
            List.of("libgcc_s.so.1", "libgfortran.so.5", "libopenblas.so.0")),
    MACOSX_X86_64("macosx-x86_64", Format.MACH_O, 0x01000007,
            List.of("libgcc_s.1.1.dylib", "libquadmath.0.dylib", "libgfortran.5.dylib", "libopenblas.0.dylib")),
    MACOSX_ARM64("macosx-arm64", Format.MACH_O, 0x0100000c,
            List.of("libopenblas.0.dylib")),
    WINDOWS_X86_64("windows-x86_64", Format.PE, 0x8664,
            List.of("libopenblas.dll"));

    /** The executable formats, told apart by their first bytes. */
    enum Format { ELF, MACH_O, PE }

    /** The JavaCPP platform name: the jar's classifier and the folder its files sit in. */
    final String id;
    final Format format;
    /** ELF {@code e_machine}, Mach-O {@code cputype} or PE {@code Machine} of this platform's processor. */
    final int machine;
    /** The files to extract, in the order they are opened. */
    final List<String> files;

    NativePlatform(String id, Format format, int machine, List<String> files) {
        this.id = id;
        this.format = format;
        this.machine = machine;
        this.files = files;
    }

    /** The class-path folder that holds this platform's files. */
    String resources() {
        return "org/bytedeco/openblas/" + id + "/";
    }

    /** The library whose symbols we call: the last one opened. */
    String library() {
        return files.get(files.size() - 1);
    }

    /** The platform this JVM runs on, if the bundle has one for it. */
    static Optional<NativePlatform> current() {
        return of(System.getProperty("os.name", ""), System.getProperty("os.arch", ""));
    }

    /** The platform for an {@code os.name} and {@code os.arch}, as the JVM spells them. */
    static Optional<NativePlatform> of(String osName, String osArch) {
        String os = osName.toLowerCase(Locale.ROOT), arch = osArch.toLowerCase(Locale.ROOT);
        boolean x64 = arch.equals("amd64") || arch.equals("x86_64");
        boolean arm64 = arch.equals("aarch64") || arch.equals("arm64");
        if (os.equals("linux")) return x64 ? Optional.of(LINUX_X86_64) : arm64 ? Optional.of(LINUX_ARM64) : Optional.empty();
        if (os.startsWith("mac")) return x64 ? Optional.of(MACOSX_X86_64) : arm64 ? Optional.of(MACOSX_ARM64) : Optional.empty();
        if (os.startsWith("windows") && x64) return Optional.of(WINDOWS_X86_64);
        return Optional.empty();
    }

    /**
     * Why {@code header} (a file's first bytes, 4 KiB are plenty) is not a 64-bit shared library of this platform's
     * format and processor, or {@code null} when it is. A macOS universal binary qualifies when one of its slices does.
     */
    String mismatch(byte[] header) {
        ByteBuffer le = ByteBuffer.wrap(header).order(ByteOrder.LITTLE_ENDIAN);
        ByteBuffer be = ByteBuffer.wrap(header).order(ByteOrder.BIG_ENDIAN);
        if (header.length < 64) return "too short for a shared library (" + header.length + " bytes)";
        Integer found = switch (format) {
            case ELF -> le.getInt(0) == 0x464c457f && header[4] == 2 && header[5] == 1 ? (int) le.getShort(18) & 0xffff : null;
            case MACH_O -> {
                if (le.getInt(0) == 0xfeedfacf) yield le.getInt(4);
                if (be.getInt(0) == 0xcafebabe) {
                    int slices = be.getInt(4);
                    for (int i = 0; i < slices && 8 + 20 * i + 4 <= header.length; i++) {
                        if (be.getInt(8 + 20 * i) == machine) yield machine;
                    }
                    yield slices > 0 ? be.getInt(8) : null;
                }
                yield null;
            }
            case PE -> {
                int pe = le.getShort(0) == 0x5a4d ? le.getInt(0x3c) : -1;
                yield pe > 0 && pe + 6 <= header.length && le.getInt(pe) == 0x4550 ? (int) le.getShort(pe + 4) & 0xffff : null;
            }
        };
        if (found == null) return "not a 64-bit " + describe(format) + " file";
        if (found != machine) return "built for machine " + String.format("0x%x", found) + ", not " + id;
        return null;
    }

    /** Reads the first 4 KiB of {@code in} and {@linkplain #mismatch checks} them. */
    String mismatch(InputStream in) throws IOException {
        return mismatch(in.readNBytes(4096));
    }

    private static String describe(Format f) {
        return switch (f) {
            case ELF -> "little-endian ELF";
            case MACH_O -> "Mach-O";
            case PE -> "PE (Windows DLL)";
        };
    }
}
