package io.montage.api.admin;

import picocli.CommandLine.Command;

/** Operator commands that need no running server: bootstrap tenants and keys, apply migrations. */
@Command(name = "admin", mixinStandardHelpOptions = true,
        subcommands = {CreateTenantCommand.class, CreateKeyCommand.class, RevokeKeyCommand.class, MigrateCommand.class,
                RegisterModelCommand.class, SetDefaultModelCommand.class})
public class AdminCommand {
}
