package io.montage.api.admin;

import io.montage.api.ApiServer;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.UUID;

import static io.montage.api.ApiServer.send;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CreateKeyCommandTest {

    private static String run(String... args) {
        StringWriter out = new StringWriter();
        CommandLine admin = AdminCommand.commandLine(ApiServer.get().getApplicationContext());
        admin.setOut(new PrintWriter(out, true));
        assertEquals(0, admin.execute(args), "exit code of admin " + String.join(" ", args));
        return out.toString().trim();
    }

    @Test
    void theBootstrapCommandPrintsAKeyThatWorks() {
        String slug = "boot-" + UUID.randomUUID().toString().substring(0, 6);
        String key = run("create-key", "--tenant", slug, "--create-tenant", "--name", "bootstrap");
        assertTrue(key.startsWith("mtg_live_"), key);
        assertEquals(200, send("GET", "/v1/jobs", key, null).status());
        String second = run("create-key", "--tenant", slug, "--scope", "jobs:read");
        assertEquals(200, send("GET", "/v1/jobs", second, null).status());
        assertEquals(403, send("POST", "/v1/jobs", second, "{\"type\":\"echo\",\"items\":[{\"input\":1}]}").status());
    }

    @Test
    void anUnknownTenantIsAnErrorWithoutCreateTenant() {
        int exit = AdminCommand.commandLine(ApiServer.get().getApplicationContext()).execute("create-key", "--tenant", "no-such-" + UUID.randomUUID().toString().substring(0, 6));
        assertEquals(2, exit);
    }
}
