package io.montage.cli;

import io.montage.cli.collections.CollectionsCommand;
import io.montage.cli.inference.ClassifyCommand;
import io.montage.cli.inference.EmbedCommand;
import io.montage.cli.jobs.JobsCommand;
import io.montage.cli.models.ModelsCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.util.Map;

/**
 * {@code montage}: the tenant's command line for a Montage api (docs/cli.md). Every command reads where the api is
 * and the key from {@link Settings}; failures print the server's problem {@code code} and {@code detail} and exit
 * with one of the {@link ExitCodes}.
 */
@Command(name = "montage", mixinStandardHelpOptions = true, versionProvider = MontageCli.Version.class,
        description = "Talk to a Montage api as a tenant: embeddings, zero-shot classification, bulk jobs with a "
                + "live progress bar, collections and models.",
        subcommands = {EmbedCommand.class, ClassifyCommand.class, JobsCommand.class, CollectionsCommand.class,
                ModelsCommand.class, CommandLine.HelpCommand.class},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
                "0:done",
                "1:an unexpected error (a bug: please report it)",
                "2:the command line is wrong (an unknown option, a missing argument)",
                "3:not configured: no API key (MONTAGE_API_KEY, --key or the config file)",
                "4:the api refused the request (its problem code and detail are printed)",
                "5:the api cannot be reached or answered 5xx: retry later",
                "6:a job ended with failed items, or failed or was cancelled"})
public final class MontageCli implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(commandLine(System.getenv()).execute(args));
    }

    /** The command line with its settings read from this environment (tests pass their own). */
    public static CommandLine commandLine(Map<String, String> environment) {
        CommandLine line = new CommandLine(new MontageCli(), new Factory(environment));
        line.setExecutionExceptionHandler(new Failures());
        return line;
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** Gives each command that wants them the settings from this environment. */
    private record Factory(Map<String, String> environment) implements CommandLine.IFactory {
        @Override
        public <K> K create(Class<K> type) throws Exception {
            if (type == ApiOptions.class) {
                return type.cast(new ApiOptions(environment));
            }
            return CommandLine.defaultFactory().create(type);
        }
    }

    /** The jar's version (its manifest), or "dev" when run from classes. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String version = MontageCli.class.getPackage().getImplementationVersion();
            return new String[] {"montage " + (version == null ? "dev" : version)};
        }
    }
}
