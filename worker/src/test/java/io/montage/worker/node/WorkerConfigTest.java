package io.montage.worker.node;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;

class WorkerConfigTest {

    private static WorkerConfig heartbeatEvery(Duration interval) {
        return new WorkerConfig(4, Duration.ofSeconds(2), interval, Duration.ofSeconds(15), Duration.ofSeconds(30),
                100, null, Duration.ofSeconds(30), Duration.ofMinutes(10), 2,
                Duration.ofDays(1), Duration.ofSeconds(5), interval.multipliedBy(3), Duration.ofDays(7));
    }

    @Test
    void heartbeatsMustComeAtLeastThreeTimesPerLease() {
        Duration lease = Duration.ofSeconds(60);

        assertDoesNotThrow(() -> heartbeatEvery(Duration.ofSeconds(20)).requireHeartbeatWellWithin(lease));
        assertThrows(IllegalStateException.class,
                () -> heartbeatEvery(Duration.ofSeconds(21)).requireHeartbeatWellWithin(lease));
    }

    @Test
    void aWorkerIsLostOnlyAfterThreeMissedHeartbeats() {
        assertDoesNotThrow(() -> withLostAfter(Duration.ofSeconds(30)));
        assertThrows(IllegalArgumentException.class, () -> withLostAfter(Duration.ofSeconds(29)));
    }

    private static WorkerConfig withLostAfter(Duration lostAfter) {
        return new WorkerConfig(4, Duration.ofSeconds(2), Duration.ofSeconds(10), Duration.ofSeconds(15),
                Duration.ofSeconds(30), 100, null, Duration.ofSeconds(30), Duration.ofMinutes(10), 2,
                Duration.ofDays(1), Duration.ofSeconds(5), lostAfter, Duration.ofDays(7));
    }

    @Test
    void aWorkerRunsAtLeastOneTaskAtATime() {
        assertThrows(IllegalArgumentException.class, () -> new WorkerConfig(0, Duration.ofSeconds(2),
                Duration.ofSeconds(10), Duration.ofSeconds(15), Duration.ofSeconds(30), 100, null, Duration.ofSeconds(30), Duration.ofMinutes(10), 2,
                Duration.ofDays(1), Duration.ofSeconds(5), Duration.ofSeconds(30), Duration.ofDays(7)));
    }

    @Test
    void reservedInteractiveSlotsAreOptionalButNeverNegative() {
        assertDoesNotThrow(() -> new WorkerConfig(4, Duration.ofSeconds(2), Duration.ofSeconds(10),
                Duration.ofSeconds(15), Duration.ofSeconds(30), 100, null, Duration.ofSeconds(30), Duration.ofMinutes(10), 0,
                Duration.ofDays(1), Duration.ofSeconds(5), Duration.ofSeconds(30), Duration.ofDays(7)));
        assertThrows(IllegalArgumentException.class, () -> new WorkerConfig(4, Duration.ofSeconds(2),
                Duration.ofSeconds(10), Duration.ofSeconds(15), Duration.ofSeconds(30), 100, null, Duration.ofSeconds(30), Duration.ofMinutes(10), -1,
                Duration.ofDays(1), Duration.ofSeconds(5), Duration.ofSeconds(30), Duration.ofDays(7)));
    }
}
