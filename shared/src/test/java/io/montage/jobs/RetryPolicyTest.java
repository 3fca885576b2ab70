package io.montage.jobs;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RetryPolicyTest {

    private final RetryPolicy policy = new RetryPolicy(
            new QueueConfig(100, 5, Duration.ofMinutes(1), Duration.ofSeconds(2), Duration.ofSeconds(60),
                    Duration.ofDays(7), 3));

    @Test
    void theCeilingDoublesPerAttemptUpToTheMaximum() {
        assertEquals(Duration.ofSeconds(2), policy.ceiling(1));
        assertEquals(Duration.ofSeconds(4), policy.ceiling(2));
        assertEquals(Duration.ofSeconds(32), policy.ceiling(5));
        assertEquals(Duration.ofSeconds(60), policy.ceiling(6));
        assertEquals(Duration.ofSeconds(60), policy.ceiling(1000));
    }

    @Test
    void delaysAreJitteredBetweenHalfAndAllOfTheCeiling() {
        long distinct = java.util.stream.IntStream.range(0, 200)
                .mapToObj(i -> policy.delayAfter(3))
                .peek(d -> assertTrue(d.compareTo(Duration.ofSeconds(4)) >= 0 && d.compareTo(Duration.ofSeconds(8)) <= 0, d.toString()))
                .distinct().count();
        assertTrue(distinct > 50, "delays are not spread out: " + distinct + " distinct values of 200");
    }
}
