package io.montage.api.admin;

import io.montage.api.ApiServer;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;

/** The admin CLI run in the test api's context, keeping what each run printed for the test to read. */
final class AdminRun {

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    /** Runs {@code admin args…} after forgetting what earlier runs printed; the exit code. */
    int execute(String... args) {
        out.getBuffer().setLength(0);
        err.getBuffer().setLength(0);
        CommandLine admin = AdminCommand.commandLine(ApiServer.get().getApplicationContext());
        admin.setOut(new PrintWriter(out, true));
        admin.setErr(new PrintWriter(err, true));
        return admin.execute(args);
    }

    String out() {
        return out.toString();
    }

    String err() {
        return err.toString();
    }
}
