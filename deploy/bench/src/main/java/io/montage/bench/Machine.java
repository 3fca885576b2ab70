package io.montage.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/** One line saying what this ran on: numbers from a shared 2-core VM mean little without it. */
public final class Machine {

    private Machine() {
    }

    public static String describe() {
        return cpuModel() + ", " + Runtime.getRuntime().availableProcessors() + " cores visible to the JVM, "
                + memory() + System.getProperty("os.name") + " " + System.getProperty("os.version") + ", JDK "
                + Runtime.version() + " (" + System.getProperty("java.vm.vendor") + ")";
    }

    /** {@code /proc/loadavg}'s first three fields. */
    public static String loadAverage() {
        try {
            String[] fields = Files.readString(Path.of("/proc/loadavg")).split(" ");
            return fields[0] + ", " + fields[1] + ", " + fields[2];
        } catch (IOException e) {
            return "unknown";
        }
    }

    /** The model name, and the family and bf16 support a VM's terse "AMD EPYC" leaves out (they decide bf16 speed). */
    private static String cpuModel() {
        try {
            List<String> info = Files.readAllLines(Path.of("/proc/cpuinfo"));
            String model = field(info, "model name").orElse("unknown CPU");
            String family = field(info, "cpu family").map(f -> "family " + f).orElse("");
            boolean bf16 = field(info, "flags").map(f -> (" " + f + " ").contains(" avx512_bf16 ")).orElse(false);
            return model + " (" + family + (bf16 ? ", avx512_bf16" : ", no avx512_bf16") + ")";
        } catch (IOException e) {
            return "unknown CPU";
        }
    }

    /** {@code MemTotal} in GB, e.g. {@code "23 GB, "}; nothing when /proc/meminfo cannot be read. */
    private static String memory() {
        try {
            return Files.readAllLines(Path.of("/proc/meminfo")).stream().filter(l -> l.startsWith("MemTotal"))
                    .findFirst().map(l -> Long.parseLong(l.replaceAll("\\D", "")) / 1024 / 1024 + " GB, ").orElse("");
        } catch (IOException e) {
            return "";
        }
    }

    private static Optional<String> field(List<String> cpuinfo, String name) {
        return cpuinfo.stream().filter(l -> l.startsWith(name)).findFirst()
                .map(l -> l.substring(l.indexOf(':') + 1).trim());
    }
}
