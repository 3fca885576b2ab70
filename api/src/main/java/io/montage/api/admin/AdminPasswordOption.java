package io.montage.api.admin;

import io.montage.admins.AdminAccounts;
import picocli.CommandLine.Option;

/**
 * Where an admin user's password comes from: the environment variable the operator names (never an argument, which
 * other users of the machine could read in the process list), or else a generated one that the command prints once.
 */
class AdminPasswordOption {

    @Option(names = "--password-env", defaultValue = "MONTAGE_ADMIN_PASSWORD", paramLabel = "VAR",
            description = "Take the password from this environment variable if it is set (default: ${DEFAULT-VALUE}); "
                    + "otherwise generate one and print it")
    String variable;

    /** The operator's password, or null when one must be generated. */
    String given() {
        String value = System.getenv(variable);
        return value == null || value.isEmpty() ? null : value;
    }

    String orGenerated() {
        String given = given();
        return given != null ? given : AdminAccounts.generatePassword();
    }
}
