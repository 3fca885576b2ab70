package io.montage.deploy;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * deploy/systemd: systemd-analyze verify finds nothing to remark on the units (deploy/systemd/test.sh verify, which
 * installs /opt/montage in a private mount namespace first, as verify checks that ExecStart's binary exists), and
 * the env file sets only variables the platform reads. Starting the units is deploy/systemd/test.sh without
 * arguments: it needs the packaged jars, so `mvn test` does not run it.
 */
class SystemdUnitsTest {

    @Test
    void systemdAnalyzeVerifyHasNoRemarks() {
        assumeTrue(Manifests.installed("systemd-analyze") && Manifests.installed("unshare"),
                "systemd-analyze or unshare is not installed");
        Manifests.Result verified = Manifests.run(List.of("deploy/systemd/test.sh", "verify"));
        assertEquals(0, verified.status(), verified.output());
    }

    @Test
    void theEnvFileSetsOnlyVariablesThePlatformReads() {
        Set<String> unknown = new TreeSet<>();
        for (String line : Manifests.read(Manifests.file("deploy/systemd/montage.env")).split("\n")) {
            String name = line.split("=", 2)[0];
            if (name.startsWith("MONTAGE_")) {
                unknown.add(name);
            }
        }
        unknown.removeAll(Manifests.documentedVariables());
        assertEquals(Set.of(), unknown, "set in deploy/systemd/montage.env but not in docs/operations.md");
    }
}
