package io.montage.cli.models;

import io.montage.cli.Api;
import io.montage.cli.ApiOptions;
import io.montage.cli.ExitCodes;
import io.montage.cli.Table;
import io.montage.client.model.ModelsControllerModelView;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code montage models list}: the ready models, through the generated client. */
@Command(name = "models", mixinStandardHelpOptions = true, description = "The models this api serves.",
        subcommands = CommandLine.HelpCommand.class)
public final class ModelsCommand {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List the ready models as a table.")
    int list(@CommandLine.Mixin ApiOptions options) {
        Api api = options.connect();
        Table table = new Table("ID", "KIND", "DIM", "INPUTS", "ENGINE");
        for (ModelsControllerModelView model : api.call(() -> api.models().listModels()).getData()) {
            table.row(model.getId(), model.getKind(), String.valueOf(model.getEmbeddingDim()),
                    String.join(",", model.getModalities()), model.getEngine());
        }
        spec.commandLine().getOut().print(table.render(spec.commandLine().getColorScheme()));
        spec.commandLine().getOut().flush();
        return ExitCodes.DONE;
    }
}
