package io.montage.api.admin;

import io.montage.admins.AdminAccounts;
import io.montage.api.ApiServer;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The first console operator comes from the admin command: its generated password is printed once and works. */
class AdminUserCommandsTest {

    /** An environment variable no one sets: the commands generate the password. */
    private static final String[] GENERATE = {"--password-env", "MONTAGE_TEST_UNSET_" + UUID.randomUUID().toString().replace("-", "")};

    private static String run(String... args) {
        StringWriter out = new StringWriter();
        CommandLine admin = AdminCommand.commandLine(ApiServer.get().getApplicationContext());
        admin.setOut(new PrintWriter(out, true));
        admin.setErr(new PrintWriter(new StringWriter(), true));
        assertEquals(0, admin.execute(args), "exit code of admin " + String.join(" ", args));
        return out.toString().trim();
    }

    private static String[] with(String... args) {
        String[] all = java.util.Arrays.copyOf(args, args.length + GENERATE.length);
        System.arraycopy(GENERATE, 0, all, args.length, GENERATE.length);
        return all;
    }

    @Test
    void aGeneratedPasswordIsPrintedOnceAndSignsIn() {
        String name = "ops-" + UUID.randomUUID().toString().substring(0, 6);
        String password = run(with("create-admin-user", "--username", name, "--role", "viewer"));
        AdminAccounts accounts = ApiServer.get().getApplicationContext().getBean(AdminAccounts.class);
        assertTrue(accounts.authenticate(name, password).isPresent(), "the printed password signs in");
        assertFalse(accounts.authenticate(name, password).orElseThrow().mayChange(), "a viewer");
        assertEquals("", run(with("create-admin-user", "--username", name, "--if-missing")), "exists: nothing printed");
        assertTrue(accounts.authenticate(name, password).isPresent(), "and nothing changed");
        String replaced = run(with("set-admin-password", "--username", name));
        assertNotEquals(password, replaced);
        assertTrue(accounts.authenticate(name, replaced).isPresent());
        assertTrue(accounts.authenticate(name, password).isEmpty());
    }

    @Test
    void aSecondUserOfTheSameNameIsRefused() {
        String name = "ops-" + UUID.randomUUID().toString().substring(0, 6);
        run(with("create-admin-user", "--username", name));
        CommandLine admin = AdminCommand.commandLine(ApiServer.get().getApplicationContext());
        StringWriter err = new StringWriter();
        admin.setErr(new PrintWriter(err, true));
        assertEquals(2, admin.execute(with("create-admin-user", "--username", name)));
        assertTrue(err.toString().startsWith("admin_user_exists"), err.toString());
    }
}
