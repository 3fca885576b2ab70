package io.montage.api.admin;

import io.micronaut.context.annotation.Prototype;
import io.montage.admins.AdminAccounts;
import jakarta.inject.Inject;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.util.concurrent.Callable;

/** Gives a console operator a new password (a forgotten one cannot be shown: only its hash is stored). */
@Prototype
@Command(name = "set-admin-password", mixinStandardHelpOptions = true,
        description = "Set a console operator's password; print a generated one once.")
public class SetAdminPasswordCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--username", required = true, description = "The operator")
    String username;

    @Mixin
    AdminPasswordOption password;

    @Inject
    AdminAccounts accounts;
    @Inject
    CommandAudit audit;

    @Override
    public Integer call() {
        String chosen = password.orGenerated();
        audit.recorded("admin-user.set-password", "admin user " + username, null, () -> {
            accounts.setPassword(username, chosen);
            return username;
        });
        spec.commandLine().getErr().println("admin user " + username + " has a new password");
        if (password.given() == null) {
            spec.commandLine().getOut().println(chosen);
        }
        return 0;
    }
}
