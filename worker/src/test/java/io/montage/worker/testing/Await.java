package io.montage.worker.testing;

import java.time.Duration;
import java.time.Instant;
import java.util.function.Predicate;
import java.util.function.Supplier;

/** Waits for what the worker does on its own threads: polls a probe until its value satisfies a condition. */
public final class Await {

    private static final Duration POLL = Duration.ofMillis(25);

    private Await() {
    }

    /** The first value of {@code probe} that satisfies {@code done}; fails once {@code timeout} passed. */
    public static <T> T until(Duration timeout, String what, Supplier<T> probe, Predicate<? super T> done) {
        Instant deadline = Instant.now().plus(timeout);
        T value = probe.get();
        while (!done.test(value)) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("not within " + timeout + ": " + what + " (last seen: " + value + ")");
            }
            try {
                Thread.sleep(POLL);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted while waiting until " + what, e);
            }
            value = probe.get();
        }
        return value;
    }
}
