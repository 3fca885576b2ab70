package io.montage.architecture;

import io.montage.testing.ArchitectureRules;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertFalse;

class SharedArchitectureTest {

    @Test
    void sharedFollowsTheArchitectureRules() {
        var classes = ArchitectureRules.productionClasses();
        assertFalse(classes.isEmpty(), "no production classes were imported");
        ArchitectureRules.forShared().forEach(rule -> rule.check(classes));
    }
}
