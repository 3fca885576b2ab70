package io.montage.api.architecture;

import io.montage.testing.ArchitectureRules;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertFalse;

class ApiArchitectureTest {

    @Test
    void apiFollowsTheArchitectureRules() {
        var classes = ArchitectureRules.productionClasses();
        assertFalse(classes.stream().noneMatch(c -> c.getPackageName().startsWith("io.montage.api")),
                "no api classes were imported");
        ArchitectureRules.forDeployable("api").forEach(rule -> rule.check(classes));
    }
}
