package io.montage.collections;

import io.micronaut.json.tree.JsonNode;
import io.montage.errors.MontageException;
import io.montage.json.JsonCodec;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Metadata conditions as SQL over {@code collection_items.metadata}, from a JSON object such as
 * {@code {"color": "red", "size": {"in": ["s", "m"]}, "price": {"gte": 10, "lt": 20}}}: a plain value means
 * equality (served by the GIN index), {@code in} a set of values, {@code gt/gte/lt/lte} numeric ranges (items whose
 * value is not a number never match). Values are always bound parameters; keys are checked against a strict pattern.
 */
public final class MetadataFilter {

    private static final Pattern KEY = Pattern.compile("^[A-Za-z0-9_.-]{1,64}$");
    private static final Map<String, String> RANGE = Map.of("gt", ">", "gte", ">=", "lt", "<", "lte", "<=");
    public static final MetadataFilter NONE = new MetadataFilter(List.of(), List.of());

    private final List<String> conditions;
    private final List<Object> parameters;

    private MetadataFilter(List<String> conditions, List<Object> parameters) {
        this.conditions = conditions;
        this.parameters = parameters;
    }

    /** Parses a filter object; a malformed one is a 422 naming the offending key. */
    public static MetadataFilter parse(JsonNode filter, JsonCodec json) {
        if (filter == null || filter.isNull()) {
            return NONE;
        }
        if (!filter.isObject()) {
            throw invalid("filter must be an object of metadata keys");
        }
        List<String> conditions = new ArrayList<>();
        List<Object> parameters = new ArrayList<>();
        for (Map.Entry<String, JsonNode> entry : filter.entries()) {
            String key = entry.getKey();
            if (!KEY.matcher(key).matches()) {
                throw invalid("filter key '" + key + "' must be 1-64 characters of letters, digits, '_', '.', '-'");
            }
            JsonNode condition = entry.getValue();
            if (!condition.isObject()) {
                conditions.add("metadata @> ?::jsonb");
                parameters.add("{" + json.write(key) + ":" + json.write(condition) + "}");
                continue;
            }
            for (Map.Entry<String, JsonNode> op : condition.entries()) {
                if (op.getKey().equals("in") && op.getValue().isArray() && op.getValue().size() > 0) {
                    List<String> values = new ArrayList<>();
                    op.getValue().values().forEach(v -> values.add(json.write(v)));
                    conditions.add("metadata -> ? = ANY (?::jsonb[])");
                    parameters.add(key);
                    parameters.add(values.toArray(String[]::new));
                } else if (RANGE.containsKey(op.getKey()) && op.getValue().isNumber()) {
                    conditions.add("CASE WHEN jsonb_typeof(metadata -> ?) = 'number' THEN (metadata ->> ?)::numeric END "
                            + RANGE.get(op.getKey()) + " ?");
                    parameters.add(key);
                    parameters.add(key);
                    parameters.add(new BigDecimal(op.getValue().getNumberValue().toString()));
                } else {
                    throw invalid("filter '" + key + "': use a value, {\"in\": [values]} or numeric "
                            + "{\"gt\"|\"gte\"|\"lt\"|\"lte\": number}; got '" + op.getKey() + "'");
                }
            }
        }
        return new MetadataFilter(List.copyOf(conditions), List.copyOf(parameters));
    }

    /** {@code " AND …"} for every condition, or nothing. */
    String sql() {
        return conditions.stream().map(c -> " AND " + c).reduce("", String::concat);
    }

    List<Object> parameters() {
        return parameters;
    }

    private static MontageException invalid(String detail) {
        return MontageException.invalid("invalid_filter", detail);
    }
}
