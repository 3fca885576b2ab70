package io.montage.worker.architecture;

import io.montage.testing.ArchitectureRules;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertFalse;

class WorkerArchitectureTest {

    @Test
    void workerFollowsTheArchitectureRules() {
        var classes = ArchitectureRules.productionClasses();
        assertFalse(classes.isEmpty(), "no production classes were imported");
        ArchitectureRules.forDeployable("worker").forEach(rule -> rule.check(classes));
    }
}
