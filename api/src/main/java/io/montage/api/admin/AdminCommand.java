package io.montage.api.admin;

import io.micronaut.context.ApplicationContext;
import io.montage.errors.MontageException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Operator commands that need no running server: bootstrap tenants, keys and console operators, apply migrations. */
@Command(name = "admin", mixinStandardHelpOptions = true,
        subcommands = {CreateTenantCommand.class, CreateKeyCommand.class, RevokeKeyCommand.class, MigrateCommand.class,
                RegisterModelCommand.class, SetDefaultModelCommand.class, SetQuotasCommand.class,
                CreateAdminUserCommand.class, SetAdminPasswordCommand.class, ImportDatasetCommand.class,
                EvaluateCommand.class, CancelEvaluationCommand.class})
public class AdminCommand {

    /** The admin command line; an operator error (unknown tenant, bad bundle…) prints its message and exits 2. */
    public static CommandLine commandLine(ApplicationContext context) {
        CommandLine commandLine = new CommandLine(AdminCommand.class, new BeanFactory(context));
        commandLine.setExecutionExceptionHandler((e, cmd, parsed) -> {
            if (e instanceof MontageException refused) {
                cmd.getErr().println(refused.code() + ": " + refused.getMessage());
                return 2;
            }
            throw e;
        });
        return commandLine;
    }
}
