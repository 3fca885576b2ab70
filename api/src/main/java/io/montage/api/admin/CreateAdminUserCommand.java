package io.montage.api.admin;

import io.micronaut.context.annotation.Prototype;
import io.montage.admins.AdminAccounts;
import io.montage.admins.AdminUser;
import jakarta.inject.Inject;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.util.concurrent.Callable;

/**
 * Creates an operator of the admin console. A generated password goes alone to stdout (so scripts can capture it),
 * everything else to stderr; it is the only time it is shown.
 */
@Prototype
@Command(name = "create-admin-user", mixinStandardHelpOptions = true,
        description = "Create a console operator; print a generated password once.")
public class CreateAdminUserCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--username", required = true, description = "2-63 characters of a-z, 0-9, '.', '_', '-'")
    String username;

    @Option(names = "--role", defaultValue = AdminUser.ADMIN, description = "admin (may change) or viewer (looks only)")
    String role;

    @Option(names = "--if-missing", description = "Do nothing (and print nothing) when the user exists")
    boolean ifMissing;

    @Mixin
    AdminPasswordOption password;

    @Inject
    AdminAccounts accounts;
    @Inject
    CommandAudit audit;

    @Override
    public Integer call() {
        if (ifMissing && accounts.find(username).isPresent()) {
            spec.commandLine().getErr().println("admin user " + username + " exists; its password is unchanged");
            return 0;
        }
        String chosen = password.orGenerated();
        AdminUser user = audit.recorded("admin-user.create", "admin user " + username, "role " + role,
                () -> accounts.create(username, role, chosen));
        spec.commandLine().getErr().println("admin user " + user.username() + " (" + user.role() + ") created");
        if (password.given() == null) {
            spec.commandLine().getOut().println(chosen);
        }
        return 0;
    }
}
