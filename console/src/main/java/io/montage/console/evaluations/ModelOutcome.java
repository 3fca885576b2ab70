package io.montage.console.evaluations;

import io.montage.evaluation.runs.EvalRunModel;
import io.montage.json.JsonCodec;

import java.util.List;
import java.util.Map;

/**
 * One model's results and cost as stored (docs/evaluation.md names every field), read as the views use them. The
 * maps are null until the model's job is done, and stay null when it failed ({@code failure} says why).
 */
record ModelOutcome(int position, String modelRef, String modelSha256, Map<String, Object> results,
                    Map<String, Object> cost, String failure) {

    static ModelOutcome of(EvalRunModel model, JsonCodec json) {
        return new ModelOutcome(model.position(), model.modelRef(), model.modelSha256(), map(json,
                model.resultsJson()), map(json, model.costJson()), model.failure());
    }

    boolean measured() {
        return results != null;
    }

    /** The promotion gate's metrics by wire name (top1_accuracy, image_to_text_recall_at_1…); empty when none. */
    Map<String, Object> gate() {
        return measured() ? section(results, "gate") : Map.of();
    }

    Double metric(String name) {
        return number(gate().get(name));
    }

    Double cost(String name) {
        return cost == null ? null : number(cost.get(name));
    }

    @SuppressWarnings("unchecked")
    List<Map<String, Object>> perClass() {
        return (List<Map<String, Object>>) results.get("per_class");
    }

    @SuppressWarnings("unchecked")
    List<List<Number>> confusion() {
        return (List<List<Number>>) results.get("confusion_matrix");
    }

    /** A retrieval direction's numbers: image_to_text or text_to_image. */
    Map<String, Object> direction(String name) {
        return section(results, name);
    }

    static Double number(Object value) {
        return value instanceof Number n ? n.doubleValue() : null;
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> section(Map<String, Object> map, String name) {
        Object value = map.get(name);
        return value instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(JsonCodec json, String text) {
        return text == null ? null : json.read(text, Map.class);
    }
}
