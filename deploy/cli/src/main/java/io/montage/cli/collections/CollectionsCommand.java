package io.montage.cli.collections;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.montage.cli.Api;
import io.montage.cli.ApiOptions;
import io.montage.cli.CliFailure;
import io.montage.cli.ExitCodes;
import io.montage.cli.Images;
import io.montage.cli.Json;
import io.montage.cli.Table;
import io.montage.client.model.CollectionControllerHit;
import io.montage.client.model.CollectionControllerSearchResults;
import io.montage.client.model.CollectionRequestsCreate;
import io.montage.client.model.CollectionRequestsItem;
import io.montage.client.model.CollectionRequestsQuery;
import io.montage.client.model.CollectionRequestsSearch;
import io.montage.client.model.CollectionRequestsUpsert;
import io.montage.client.model.CollectionView;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** {@code montage collections create|add|search}: vector collections, through the generated client. */
@Command(name = "collections", mixinStandardHelpOptions = true,
        description = "Collections: create one, add images and texts, search it (a table of hits).",
        subcommands = CommandLine.HelpCommand.class)
public final class CollectionsCommand {

    /** Items per write request, well under the api's 256 and its 32 MiB body with camera-size photos. */
    static final int PER_REQUEST = 32;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Command(name = "create", mixinStandardHelpOptions = true, description = "Create a collection.")
    int create(@CommandLine.Mixin ApiOptions options,
               @Parameters(paramLabel = "NAME", description = "a-z, 0-9, '.', '_', '-'") String name,
               @Option(names = "--model", description = "Its model (default: the tenant's)") String model) {
        Api api = options.connect();
        CollectionView created = api.call(() -> api.collections()
                .createCollection(new CollectionRequestsCreate().name(name).model(model)));
        out().println("collection " + created.getName() + " created (model " + created.getModel() + ")");
        out().flush();
        return ExitCodes.DONE;
    }

    @Command(name = "add", mixinStandardHelpOptions = true,
            description = {"Add (or replace) items: image files, each with its file name as id, and texts.",
                    "For a folder of thousands: montage jobs submit --type ingest --collection NAME FOLDER"})
    int add(@CommandLine.Mixin ApiOptions options,
            @Parameters(index = "0", paramLabel = "NAME", description = "The collection") String name,
            @Parameters(index = "1..*", arity = "0..*", paramLabel = "IMAGE", description = "Image files")
            List<Path> images,
            @Option(names = {"-t", "--text"}, paramLabel = "ID=TEXT", description = "A text item (repeatable)")
            Map<String, String> texts,
            @Option(names = "--metadata", paramLabel = "JSON",
                    description = "A JSON object attached to every item added") String metadata) {
        List<CollectionRequestsItem> items = new ArrayList<>();
        Object attached = metadata == null ? null : parseMetadata(metadata);
        for (Path image : images == null ? List.<Path>of() : images) {
            items.add(new CollectionRequestsItem().id(image.getFileName().toString()).image(Images.base64(image))
                    .metadata(attached));
        }
        if (texts != null) {
            texts.forEach((id, text) -> items.add(new CollectionRequestsItem().id(id).text(text).metadata(attached)));
        }
        if (items.isEmpty()) {
            throw new CommandLine.ParameterException(spec.commandLine(), "give image files or --text ID=TEXT");
        }
        Api api = options.connect();
        int written = 0;
        for (int start = 0; start < items.size(); start += PER_REQUEST) {
            CollectionRequestsUpsert batch = new CollectionRequestsUpsert()
                    .items(items.subList(start, Math.min(items.size(), start + PER_REQUEST)));
            written += api.call(() -> api.collections().upsertCollectionItems(name, batch)).getIds().size();
        }
        out().println(written + (written == 1 ? " item" : " items") + " written to " + name);
        out().flush();
        return ExitCodes.DONE;
    }

    @Command(name = "search", mixinStandardHelpOptions = true,
            description = "Search a collection by a text, an image file or one of its items; prints a table.")
    int search(@CommandLine.Mixin ApiOptions options,
               @Parameters(paramLabel = "NAME", description = "The collection") String name,
               @CommandLine.ArgGroup(multiplicity = "1") Query query,
               @Option(names = {"-k", "--top-k"}, defaultValue = "10",
                       description = "Hits (default: ${DEFAULT-VALUE})") int topK,
               @Option(names = "--filter", paramLabel = "JSON",
                       description = "A metadata filter, e.g. '{\"color\": \"red\"}' (docs/api.md)") String filter) {
        Api api = options.connect();
        CollectionRequestsSearch request = new CollectionRequestsSearch().query(query.toRequest()).topK(topK)
                .filter(filter == null ? null : parseMetadata(filter));
        CollectionControllerSearchResults results = api.call(() -> api.collections().searchCollection(name, request));
        Table table = new Table("#", "ID", "SCORE", "METADATA");
        int rank = 1;
        for (CollectionControllerHit hit : results.getData()) {
            table.row(String.valueOf(rank++), hit.getId(), String.format("%.4f", hit.getScore()),
                    hit.getMetadata() == null ? "" : Json.line(api.json(), hit.getMetadata()));
        }
        out().print(table.render(spec.commandLine().getColorScheme()));
        out().println(results.getData().size() + " hits from " + name + " (" + results.getModel()
                + (Boolean.TRUE.equals(results.getExact()) ? ", exact" : "") + ")");
        out().flush();
        return ExitCodes.DONE;
    }

    /** What a search is by: exactly one of these. */
    static final class Query {
        @Option(names = "--text", description = "Items like this text") String text;
        @Option(names = "--image", paramLabel = "FILE", description = "Items like this image") Path image;
        @Option(names = "--item", paramLabel = "ID", description = "Items like this item of the collection")
        String item;

        CollectionRequestsQuery toRequest() {
            return new CollectionRequestsQuery().text(text).image(image == null ? null : Images.base64(image))
                    .itemId(item);
        }
    }

    private static Object parseMetadata(String json) {
        try {
            return new ObjectMapper().readValue(json, Map.class);
        } catch (JsonProcessingException e) {
            throw new CliFailure(ExitCodes.REFUSED, "not a JSON object: " + json + " (" + e.getOriginalMessage() + ")");
        }
    }

    private PrintWriter out() {
        return spec.commandLine().getOut();
    }
}
