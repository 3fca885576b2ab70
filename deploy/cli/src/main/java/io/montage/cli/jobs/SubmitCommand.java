package io.montage.cli.jobs;

import io.montage.cli.Api;
import io.montage.cli.ApiOptions;
import io.montage.cli.ExitCodes;
import io.montage.cli.Terminal;
import io.montage.client.model.JobView;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code montage jobs submit PATH}: a folder of images (sent as a zip, streamed) or a JSONL file (one item a line,
 * streamed) as one bulk job, then its live progress bar until it ends ({@code --detach}: print the id and return).
 */
@Command(name = "submit", mixinStandardHelpOptions = true,
        description = {"Submit a folder of images or a JSONL file as a bulk job, and follow it with a live progress "
                + "bar (items/s, time left, failures).",
                "A folder: every jpg, jpeg, png, webp, gif and bmp under it is an item named by its path. "
                        + "A .jsonl / .ndjson file: one item object a line (docs/api.md, Jobs)."},
        footer = {"%nExamples:",
                "  montage jobs submit --type embed ./photos",
                "  montage jobs submit --type classify --labels sneaker,bag,'ankle boot' ./photos",
                "  montage jobs submit --type ingest --collection catalog ./photos",
                "  montage jobs submit --type embed items.jsonl --detach"})
public final class SubmitCommand implements Callable<Integer> {

    @CommandLine.Mixin
    ApiOptions options;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(paramLabel = "PATH", description = "A folder of images, or a .jsonl / .ndjson file of items")
    Path path;

    @Option(names = "--type", defaultValue = "embed",
            description = "The job type: embed, classify, predict, ingest or echo (default: ${DEFAULT-VALUE})")
    String type;

    @Option(names = "--model", description = "The model (default: the tenant's)")
    String model;

    @Option(names = "--labels", split = ",", paramLabel = "LABEL", description = "classify: the labels, comma-separated")
    List<String> labels = new ArrayList<>();

    @Option(names = "--templates", split = "\\|", paramLabel = "TEMPLATE",
            description = "classify: prompt templates with {} for the label, separated by |")
    List<String> templates = new ArrayList<>();

    @Option(names = "--collection", description = "ingest: the collection to add the items to")
    String collection;

    @Option(names = "--idempotency-key", paramLabel = "KEY",
            description = "Submitting again with the same key returns the same job instead of a new one")
    String idempotencyKey;

    @Option(names = "--detach", description = "Print the job's id and return without following it")
    boolean detach;

    @Override
    public Integer call() throws IOException, InterruptedException {
        Api api = options.connect();
        CommandLine line = spec.commandLine();
        HttpRequest.Builder request = api.request("/v1/jobs?" + query());
        if (idempotencyKey != null) {
            request.header("Idempotency-Key", idempotencyKey);
        }
        String what;
        if (Files.isDirectory(path)) {
            ImageFolder folder = ImageFolder.scan(path);
            if (folder.size() == 0) {
                throw new CommandLine.ParameterException(line, path + " holds no images (" + String.join(", ",
                        ImageFolder.EXTENSIONS.stream().sorted().toList()) + ")");
            }
            request.header("Content-Type", "application/zip")
                    .POST(HttpRequest.BodyPublishers.ofInputStream(() -> open(folder)));
            what = String.format("%,d images from %s", folder.size(), path);
        } else if (Files.isRegularFile(path)) {
            request.header("Content-Type", "application/x-ndjson").POST(HttpRequest.BodyPublishers.ofFile(path));
            what = "the items of " + path;
        } else {
            throw new CommandLine.ParameterException(line, path + " is neither a folder of images nor a JSONL file");
        }
        line.getErr().println("uploading " + what + " …");
        line.getErr().flush();
        JobView job = api.send(request, JobView.class);
        line.getOut().println("job " + job.getId() + " " + job.getStatus() + ": " + job.getCounts().getTotal()
                + " items (" + job.getType() + ")");
        line.getOut().flush();
        if (detach) {
            line.getOut().println("follow it: montage jobs watch " + job.getId());
            return ExitCodes.DONE;
        }
        return JobOutcome.report(new JobProgress(api, line.getErr(), Terminal.interactive()).follow(job.getId()),
                line.getOut());
    }

    private static InputStream open(ImageFolder folder) {
        try {
            return folder.zip();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The job's fields as the upload's query parameters (labels and templates repeated). */
    private String query() {
        List<String> parameters = new ArrayList<>();
        parameters.add(parameter("type", type));
        if (model != null) {
            parameters.add(parameter("model", model));
        }
        if (collection != null) {
            parameters.add(parameter("collection", collection));
        }
        labels.forEach(label -> parameters.add(parameter("labels", label.strip())));
        templates.forEach(template -> parameters.add(parameter("templates", template)));
        return String.join("&", parameters);
    }

    private static String parameter(String name, String value) {
        return name + "=" + URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
