package io.montage.bench.cpu;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The whole machine's CPU time from the first line of {@code /proc/stat}, in clock ticks summed over cores: what
 * was idle and what the hypervisor stole. Together with the platform's own CPU time this tells "the platform left
 * the cores idle" (a stall worth fixing) apart from "someone else had them" (noise).
 */
record MachineTicks(long total, long idle, long steal) {

    static MachineTicks read() {
        try {
            String[] f = Files.readAllLines(Path.of("/proc/stat")).getFirst().trim().split("\\s+");
            // cpu user nice system idle iowait irq softirq steal [guest guest_nice — already inside user/nice]
            long total = 0;
            for (int i = 1; i <= 8 && i < f.length; i++) {
                total += Long.parseLong(f[i]);
            }
            return new MachineTicks(total, Long.parseLong(f[4]) + Long.parseLong(f[5]),
                    f.length > 8 ? Long.parseLong(f[8]) : 0);
        } catch (IOException | RuntimeException e) {
            return new MachineTicks(0, 0, 0);
        }
    }
}
