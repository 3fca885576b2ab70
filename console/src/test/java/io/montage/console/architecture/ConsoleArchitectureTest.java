package io.montage.console.architecture;

import io.montage.testing.ArchitectureRules;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertFalse;

class ConsoleArchitectureTest {

    @Test
    void consoleDependsOnSharedOnly() {
        var classes = ArchitectureRules.productionClasses();
        assertFalse(classes.isEmpty(), "no production classes were imported");
        ArchitectureRules.forDeployable("console").forEach(rule -> rule.check(classes));
    }
}
