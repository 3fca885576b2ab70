package io.montage.api.admin;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code admin --help}, each command's help and usage errors work without a database: run as the jar runs them
 * (ApiMain in a JVM of its own), with the database URL pointing at a socket of the test's that records whether
 * anything connected to it. A command that runs does connect there, which shows the socket would have seen it.
 */
class AdminHelpWithoutDatabaseTest {

    private record Run(int exit, String output) {
    }

    @Test
    void helpAndUsageErrorsNeverConnectToTheDatabase() throws Exception {
        try (ServerSocketChannel database = ServerSocketChannel.open().bind(new InetSocketAddress("127.0.0.1", 0))) {
            database.configureBlocking(false);
            Run help = admin(database, "--help");
            assertEquals(0, help.exit(), help.output());
            for (String command : List.of("list-tenants", "suspend-tenant", "resume-tenant", "list-keys",
                    "revoke-key", "create-key", "migrate")) {
                assertTrue(help.output().contains(command), command + " in\n" + help.output());
            }
            Run commandHelp = admin(database, "revoke-key", "--help");
            assertEquals(0, commandHelp.exit(), commandHelp.output());
            assertTrue(commandHelp.output().contains("Usage: admin revoke-key"), commandHelp.output());

            Run missing = admin(database, "suspend-tenant");
            assertEquals(2, missing.exit(), missing.output());
            assertTrue(missing.output().contains("Missing required option: '--tenant=ID|SLUG'"), missing.output());
            Run halfGiven = admin(database, "revoke-key", "--tenant", "acme");
            assertEquals(2, halfGiven.exit(), halfGiven.output());
            assertTrue(halfGiven.output().contains("Missing required argument"), halfGiven.output());
            Run none = admin(database);
            assertEquals(2, none.exit(), none.output());
            assertTrue(none.output().contains("Missing a command: 'admin --help' lists them"), none.output());
            assertNull(database.accept(), "nothing connected to the database");

            database.configureBlocking(true);
            Process running = start(database, "list-tenants");
            try (SocketChannel connected = database.accept()) {
                assertNotNull(connected, "a command that runs connects");
            }
            assertTrue(running.waitFor(120, TimeUnit.SECONDS));
            assertNotEquals(0, running.exitValue(), "the 'database' hung up on it");
        }
    }

    private static Run admin(ServerSocketChannel database, String... args) throws IOException, InterruptedException {
        Process process = start(database, args);
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(120, TimeUnit.SECONDS));
        return new Run(process.exitValue(), output);
    }

    private static Process start(ServerSocketChannel database, String... args) throws IOException {
        int port = ((InetSocketAddress) database.getLocalAddress()).getPort();
        List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"),
                "-Dmontage.database.url=jdbc:postgresql://127.0.0.1:" + port + "/montage",
                "-cp", System.getProperty("java.class.path"), "io.montage.api.ApiMain", "admin"));
        command.addAll(List.of(args));
        return new ProcessBuilder(command).redirectErrorStream(true).start();
    }
}
