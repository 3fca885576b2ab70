package io.montage.collections;

import io.micronaut.json.tree.JsonNode;
import io.montage.errors.MontageException;
import io.montage.json.JsonCodec;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Metadata conditions from a JSON object such as
 * {@code {"color": "red", "tags": ["new", "sale"], "size": {"in": ["s", "m"]}, "price": {"gte": 10, "lt": 20}}},
 * compiled into one SQL/JSON path predicate for {@code metadata @@ path}:
 * <ul>
 *   <li>a scalar: the key equals it, or holds an array containing it;</li>
 *   <li>an array of scalars: every one of them is there (all of the tags);</li>
 *   <li>{@code in}: any one of the values;</li>
 *   <li>{@code gt/gte/lt/lte}: numeric ranges (a value that is not a number never matches).</li>
 * </ul>
 * One typed value rather than SQL text: it is bound as a parameter (values are JSON literals, keys match a strict
 * pattern and are quoted), and the GIN index on {@code metadata} serves its equality parts.
 */
public final class MetadataFilter {

    private static final Pattern KEY = Pattern.compile("^[A-Za-z0-9_.-]{1,64}$");
    private static final Map<String, String> RANGE = Map.of("gt", ">", "gte", ">=", "lt", "<", "lte", "<=");
    public static final MetadataFilter NONE = new MetadataFilter(null);

    private final String path;

    private MetadataFilter(String path) {
        this.path = path;
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
        for (Map.Entry<String, JsonNode> entry : filter.entries()) {
            String key = entry.getKey();
            if (!KEY.matcher(key).matches()) {
                throw invalid("filter key '" + key + "' must be 1-64 characters of letters, digits, '_', '.', '-'");
            }
            String field = "$.\"" + key + "\"";
            JsonNode condition = entry.getValue();
            if (condition.isArray()) {
                conditions.add(all(field, key, condition, json));
            } else if (!condition.isObject()) {
                conditions.add(field + " == " + json.write(condition));
            } else {
                for (Map.Entry<String, JsonNode> op : condition.entries()) {
                    conditions.add(operator(field, key, op.getKey(), op.getValue(), json));
                }
            }
        }
        return conditions.isEmpty() ? NONE : new MetadataFilter(String.join(" && ", conditions));
    }

    /** The SQL/JSON path predicate; null when nothing is filtered. */
    String path() {
        return path;
    }

    boolean isEmpty() {
        return path == null;
    }

    private static String all(String field, String key, JsonNode values, JsonCodec json) {
        List<String> each = scalars(key, values, json).stream().map(v -> field + " == " + v).toList();
        return "(" + String.join(" && ", each) + ")";
    }

    private static String operator(String field, String key, String op, JsonNode value, JsonCodec json) {
        if (op.equals("in") && value.isArray()) {
            List<String> any = scalars(key, value, json).stream().map(v -> field + " == " + v).toList();
            return "(" + String.join(" || ", any) + ")";
        }
        if (RANGE.containsKey(op) && value.isNumber()) {
            return field + " " + RANGE.get(op) + " " + json.write(value);
        }
        throw invalid("filter '" + key + "': use a value, an array of values, {\"in\": [values]} or numeric "
                + "{\"gt\"|\"gte\"|\"lt\"|\"lte\": number}; got '" + op + "'");
    }

    private static List<String> scalars(String key, JsonNode values, JsonCodec json) {
        List<String> out = new ArrayList<>();
        for (JsonNode value : values.values()) {
            if (value.isArray() || value.isObject()) {
                throw invalid("filter '" + key + "': list only strings, numbers, booleans or null");
            }
            out.add(json.write(value));
        }
        if (out.isEmpty()) {
            throw invalid("filter '" + key + "': the list of values is empty");
        }
        return out;
    }

    private static MontageException invalid(String detail) {
        return MontageException.invalid("invalid_filter", detail);
    }
}
