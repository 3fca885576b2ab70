package io.montage.api.admin;

import io.micronaut.context.ApplicationContext;
import io.montage.errors.MontageException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;

import java.util.function.Supplier;

/** Operator commands that need no running server: bootstrap tenants, keys and console operators, apply migrations. */
@Command(name = "admin", mixinStandardHelpOptions = true,
        description = "Operator commands, run against the database (montage.database.*). 'admin <command> --help' "
                + "describes one.",
        subcommands = {CreateTenantCommand.class, ListTenantsCommand.class, SuspendTenantCommand.class,
                ResumeTenantCommand.class, CreateKeyCommand.class, ListKeysCommand.class, RevokeKeyCommand.class,
                MigrateCommand.class, RegisterModelCommand.class, SetDefaultModelCommand.class,
                SetQuotasCommand.class, CreateAdminUserCommand.class, SetAdminPasswordCommand.class,
                ImportDatasetCommand.class, EvaluateCommand.class, CancelEvaluationCommand.class})
public class AdminCommand {

    /** Runs {@code admin args…} as the jar does, in a context of its own that only a command that runs starts. */
    public static int run(String... args) {
        try (ContextOnDemand context = new ContextOnDemand()) {
            return commandLine(context).execute(args);
        }
    }

    /** The admin command line over a running context (the tests' api). */
    public static CommandLine commandLine(ApplicationContext context) {
        return commandLine(() -> context);
    }

    /**
     * The admin command line. picocli builds the commands and parses into them without any context; only a command
     * that is about to run gets the context started and its services injected ({@link ApplicationContext#inject}).
     * An operator error (unknown tenant, bad bundle…) prints its message and exits 2, as usage errors do.
     */
    static CommandLine commandLine(Supplier<ApplicationContext> context) {
        CommandLine commandLine = new CommandLine(AdminCommand.class);
        commandLine.setExecutionStrategy(parsed -> {
            Integer help = CommandLine.executeHelpRequest(parsed);
            if (help != null) {
                return help;
            }
            requireCommand(parsed);
            ApplicationContext started = context.get();
            parsed.asCommandLineList().forEach(command -> started.inject(command.getCommand()));
            return new CommandLine.RunLast().execute(parsed);
        });
        commandLine.setExecutionExceptionHandler((e, cmd, parsed) -> {
            if (e instanceof MontageException refused) {
                cmd.getErr().println(refused.code() + ": " + refused.getMessage());
                return 2;
            }
            throw e;
        });
        return commandLine;
    }

    private static void requireCommand(ParseResult parsed) {
        if (!parsed.hasSubcommand()) {
            throw new ParameterException(parsed.commandSpec().commandLine(),
                    "Missing a command: 'admin --help' lists them");
        }
    }
}
