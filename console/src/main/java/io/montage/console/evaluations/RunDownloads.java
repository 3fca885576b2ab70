package io.montage.console.evaluations;

import com.vaadin.flow.server.streams.DownloadHandler;
import io.montage.evaluation.runs.EvalRun;
import io.montage.json.JsonCodec;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A finished run's results as files: JSON in the shape of the api's {@code GET /v1/evaluations/{id}} (without the
 * job progress, which is over), and the long CSV of {@link ResultsCsv}.
 */
final class RunDownloads {

    private final RunResults results;
    private final JsonCodec json;

    RunDownloads(RunResults results, JsonCodec json) {
        this.results = results;
        this.json = json;
    }

    DownloadHandler json() {
        byte[] bytes = json.write(document()).getBytes(StandardCharsets.UTF_8);
        return event -> {
            event.setFileName("evaluation-" + results.run().id() + ".json");
            event.setContentType("application/json");
            event.getOutputStream().write(bytes);
        };
    }

    DownloadHandler csv() {
        byte[] bytes = ResultsCsv.of(results.models(), results.classes()).getBytes(StandardCharsets.UTF_8);
        return event -> {
            event.setFileName("evaluation-" + results.run().id() + ".csv");
            event.setContentType("text/csv; charset=utf-8");
            event.getOutputStream().write(bytes);
        };
    }

    Map<String, Object> document() {
        EvalRun run = results.run();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("id", run.id().toString());
        out.put("object", "evaluation");
        out.put("task", run.task());
        out.put("status", run.status());
        out.put("record", json.read(run.recordJson(), Map.class));
        List<Map<String, Object>> models = run.models().stream().map(m -> {
            ModelOutcome outcome = ModelOutcome.of(m, json);
            Map<String, Object> model = new LinkedHashMap<>();
            model.put("model", m.modelRef());
            model.put("model_sha256", m.modelSha256());
            model.put("results", outcome.results());
            model.put("cost", outcome.cost());
            model.put("failure", m.failure());
            model.put("finished_at", m.finishedAt() == null ? null : m.finishedAt().toString());
            return model;
        }).toList();
        out.put("models", models);
        out.put("created_at", run.createdAt().toString());
        out.put("finished_at", run.finishedAt() == null ? null : run.finishedAt().toString());
        return out;
    }
}
