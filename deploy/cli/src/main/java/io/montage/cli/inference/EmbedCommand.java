package io.montage.cli.inference;

import io.montage.cli.Api;
import io.montage.cli.ApiOptions;
import io.montage.cli.CliFailure;
import io.montage.cli.ExitCodes;
import io.montage.cli.Images;
import io.montage.cli.Json;
import io.montage.client.model.EmbeddingsControllerEmbedding;
import io.montage.client.model.EmbeddingsControllerRequest;
import io.montage.client.model.EmbeddingsControllerResponse;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code montage embed}: texts and image files embedded synchronously ({@code POST /v1/embeddings}), one JSON line
 * per input on standard output: {@code {"input": …, "embedding": […]}}. The body is JSON sent with java.net.http:
 * the generated client has no body parameter for this operation, which also takes a form (ADR 0029).
 */
@Command(name = "embed", mixinStandardHelpOptions = true,
        description = "Embed texts and/or image files; prints one JSON line per input (input, embedding).",
        footer = {"%nExamples:", "  montage embed --text 'ankle boot' --text 'a red bag'",
                "  montage embed photo.jpg other.png > vectors.jsonl"})
public final class EmbedCommand implements Callable<Integer> {

    @CommandLine.Mixin
    ApiOptions options;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = {"-t", "--text"}, paramLabel = "TEXT", description = "A text to embed (repeatable)")
    List<String> texts = new ArrayList<>();

    @Parameters(paramLabel = "IMAGE", arity = "0..*", description = "Image files to embed")
    List<Path> images = new ArrayList<>();

    @Option(names = "--model", description = "The model (default: the tenant's)")
    String model;

    @Override
    public Integer call() {
        if (texts.isEmpty() && images.isEmpty()) {
            throw new CommandLine.ParameterException(spec.commandLine(), "give a --text or an image file");
        }
        List<Object> inputs = new ArrayList<>(texts);
        List<String> names = new ArrayList<>(texts);
        for (Path image : images) {
            inputs.add(Map.of("image", Images.base64(image)));
            names.add(image.toString());
        }
        Api api = options.connect();
        EmbeddingsControllerRequest request = new EmbeddingsControllerRequest().input(inputs).model(model);
        EmbeddingsControllerResponse answer = api.send(api.request("/v1/embeddings")
                .header("Content-Type", "application/json").POST(Json.body(api.json(), request)),
                EmbeddingsControllerResponse.class);
        if (answer.getData().size() != inputs.size()) {
            throw new CliFailure(ExitCodes.UNAVAILABLE, "the api answered " + answer.getData().size()
                    + " embeddings for " + inputs.size() + " inputs");
        }
        for (EmbeddingsControllerEmbedding embedding : answer.getData()) {
            Map<String, Object> line = new LinkedHashMap<>();
            line.put("input", names.get(embedding.getIndex()));
            line.put("embedding", embedding.getEmbedding());
            spec.commandLine().getOut().println(Json.line(api.json(), line));
        }
        spec.commandLine().getOut().flush();
        spec.commandLine().getErr().println(inputs.size() + (inputs.size() == 1 ? " input" : " inputs")
                + " embedded by " + answer.getModel());
        return ExitCodes.DONE;
    }
}
