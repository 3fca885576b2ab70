package io.montage.collections;

import io.micronaut.json.tree.JsonNode;
import io.montage.errors.MontageException;
import io.montage.json.JsonCodec;
import io.montage.json.StrictJson;

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
 * <p>
 * Bounded: at most {@value #MAX_KEYS} keys, {@value #MAX_VALUES} values in a list and {@value #MAX_CONDITIONS}
 * conditions in all (every listed value, scalar and range bound counts one). PostgreSQL evaluates a path
 * recursively, one level per operator: a flat chain of 100,000 {@code ||} exceeded its stack. Chains are therefore
 * compiled as balanced trees, {@code ((a || b) || (c || d))}, whose depth is the logarithm of their length (at
 * most 21 levels at the caps: 11 for the conditions, 10 more for an {@code in} list among them). The caps are constants, not settings: they are part of the API's contract, and what the
 * database can evaluate was tested at them.
 */
public final class MetadataFilter {

    public static final int MAX_KEYS = 64;
    public static final int MAX_VALUES = 1000;
    public static final int MAX_CONDITIONS = 2000;
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
        if (filter.size() > MAX_KEYS) {
            throw tooLarge("filter has " + filter.size() + " keys; at most " + MAX_KEYS + " are allowed");
        }
        List<String> conditions = new ArrayList<>();
        int count = 0;
        for (Map.Entry<String, JsonNode> entry : filter.entries()) {
            String key = entry.getKey();
            StrictJson.checkText(key, "a filter key");
            if (!KEY.matcher(key).matches()) {
                throw invalid("filter key '" + key + "' must be 1-64 characters of letters, digits, '_', '.', '-'");
            }
            JsonNode condition = entry.getValue();
            count += weight(key, condition);
            if (count > MAX_CONDITIONS) {
                throw tooLarge("filter has more than " + MAX_CONDITIONS + " conditions (every listed value, scalar "
                        + "and range bound counts one); narrow it, or search without it and filter the hits");
            }
            String field = "$.\"" + key + "\"";
            if (condition.isArray()) {
                conditions.addAll(equalities(field, key, condition, json)); // all of them: part of the top-level &&
            } else if (!condition.isObject()) {
                conditions.add(field + " == " + scalar(key, condition, json));
            } else if (condition.size() == 0) {
                throw invalid("filter '" + key + "' holds no condition; use {\"in\": [values]} or numeric "
                        + "{\"gt\"|\"gte\"|\"lt\"|\"lte\": number}");
            } else {
                for (Map.Entry<String, JsonNode> op : condition.entries()) {
                    conditions.add(operator(field, key, op.getKey(), op.getValue(), json));
                }
            }
        }
        return conditions.isEmpty() ? NONE : new MetadataFilter(balanced(conditions, "&&"));
    }

    /** The SQL/JSON path predicate; null when nothing is filtered. */
    String path() {
        return path;
    }

    boolean isEmpty() {
        return path == null;
    }

    /**
     * How many conditions a key's condition counts for: one per listed value, scalar or range bound; a list over
     * {@link #MAX_VALUES} is refused here, before anything is built from it.
     */
    private static int weight(String key, JsonNode condition) {
        if (condition.isArray()) {
            return listed(key, condition);
        }
        if (!condition.isObject()) {
            return 1;
        }
        int weight = 0;
        for (Map.Entry<String, JsonNode> op : condition.entries()) {
            weight += op.getValue().isArray() ? listed(key, op.getValue()) : 1;
        }
        return weight;
    }

    private static int listed(String key, JsonNode values) {
        if (values.size() > MAX_VALUES) {
            throw tooLarge("filter '" + key + "' lists " + values.size() + " values; at most " + MAX_VALUES
                    + " are allowed in one list");
        }
        return values.size();
    }

    private static String operator(String field, String key, String op, JsonNode value, JsonCodec json) {
        if (op.equals("in") && value.isArray()) {
            return balanced(equalities(field, key, value, json), "||");
        }
        if (RANGE.containsKey(op) && value.isNumber()) {
            return field + " " + RANGE.get(op) + " " + json.write(value);
        }
        throw invalid("filter '" + key + "': use a value, an array of values, {\"in\": [values]} or numeric "
                + "{\"gt\"|\"gte\"|\"lt\"|\"lte\": number}; got '" + op + "'");
    }

    /** {@code field == value} for each listed value. */
    private static List<String> equalities(String field, String key, JsonNode values, JsonCodec json) {
        if (values.size() == 0) {
            throw invalid("filter '" + key + "': the list of values is empty");
        }
        List<String> out = new ArrayList<>(values.size());
        for (JsonNode value : values.values()) {
            out.add(field + " == " + scalar(key, value, json));
        }
        return out;
    }

    /** A string, number, boolean or null as a path literal. */
    private static String scalar(String key, JsonNode value, JsonCodec json) {
        if (value.isArray() || value.isObject()) {
            throw invalid("filter '" + key + "': list only strings, numbers, booleans or null");
        }
        if (value.isString()) {
            StrictJson.checkText(value.getStringValue(), "filter '" + key + "'");
        }
        return json.write(value);
    }

    /** {@code terms} joined by {@code op} as a balanced tree: nesting grows with the logarithm of the count. */
    private static String balanced(List<String> terms, String op) {
        if (terms.size() == 1) {
            return terms.getFirst();
        }
        int half = terms.size() / 2;
        return "(" + balanced(terms.subList(0, half), op) + " " + op + " " + balanced(terms.subList(half, terms.size()), op)
                + ")";
    }

    private static MontageException invalid(String detail) {
        return MontageException.invalid("invalid_filter", detail);
    }

    private static MontageException tooLarge(String detail) {
        return MontageException.invalid("filter_too_large", detail);
    }
}
