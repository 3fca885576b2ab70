package io.montage.cli.inference;

import io.montage.cli.Api;
import io.montage.cli.ApiOptions;
import io.montage.cli.ExitCodes;
import io.montage.cli.Images;
import io.montage.cli.Json;
import io.montage.cli.Table;
import io.montage.client.model.ClassifyControllerClassification;
import io.montage.client.model.ClassifyControllerRequest;
import io.montage.client.model.ClassifyControllerResponse;
import io.montage.client.model.ClassifyJobRanked;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code montage classify}: zero-shot classification of image files ({@code POST /v1/classify}), the best labels
 * of each as a table. JSON over java.net.http, as for embed (ADR 0029). Images go in requests of at most
 * {@value #PER_REQUEST}, under the api's per-request caps; a whole folder is a job ({@code jobs submit --type
 * classify}).
 */
@Command(name = "classify", mixinStandardHelpOptions = true,
        description = "Classify image files zero-shot against labels; prints each image's best labels.",
        footer = {"%nExample:", "  montage classify --labels sneaker,bag,'ankle boot' boot.png bag.jpg"})
public final class ClassifyCommand implements Callable<Integer> {

    static final int PER_REQUEST = 32;

    @CommandLine.Mixin
    ApiOptions options;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(paramLabel = "IMAGE", arity = "1..*", description = "Image files to classify")
    List<Path> images;

    @Option(names = {"-l", "--labels"}, required = true, split = ",", paramLabel = "LABEL",
            description = "The labels to choose from, comma-separated")
    List<String> labels;

    @Option(names = "--templates", split = "\\|", paramLabel = "TEMPLATE",
            description = "Prompt templates with {} for the label, separated by | (default: the model's)")
    List<String> templates;

    @Option(names = "--top", defaultValue = "3", description = "Labels shown per image (default: ${DEFAULT-VALUE})")
    int top;

    @Option(names = "--model", description = "The model (default: the tenant's)")
    String model;

    @Override
    public Integer call() {
        Api api = options.connect();
        Table table = new Table("IMAGE", "LABEL", "SCORE");
        for (int start = 0; start < images.size(); start += PER_REQUEST) {
            List<Path> batch = images.subList(start, Math.min(images.size(), start + PER_REQUEST));
            ClassifyControllerRequest request = new ClassifyControllerRequest().model(model)
                    .images(batch.stream().map(Images::base64).toList()).labels(labels.stream().map(String::strip)
                            .toList()).templates(templates);
            ClassifyControllerResponse answer = api.send(api.request("/v1/classify")
                    .header("Content-Type", "application/json").POST(Json.body(api.json(), request)),
                    ClassifyControllerResponse.class);
            for (ClassifyControllerClassification result : answer.getData()) {
                String image = batch.get(result.getIndex()).toString();
                for (ClassifyJobRanked ranked : result.getLabels().subList(0, Math.min(top, result.getLabels().size()))) {
                    table.row(image, ranked.getLabel(), String.format("%.3f", ranked.getScore()));
                    image = "";
                }
            }
        }
        spec.commandLine().getOut().print(table.render(spec.commandLine().getColorScheme()));
        spec.commandLine().getOut().flush();
        return ExitCodes.DONE;
    }
}
