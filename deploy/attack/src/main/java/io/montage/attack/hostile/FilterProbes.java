package io.montage.attack.hostile;

import io.montage.attack.Fixtures;
import io.montage.attack.Keys;
import io.montage.attack.inputs.Bodies;

import static io.montage.attack.probe.Expect.any;
import static io.montage.attack.probe.Expect.refused;
import static io.montage.attack.probe.Expect.success;

/**
 * Search filters built to hurt the database or the filter compiler: huge {@code in} lists and key counts, odd and
 * nested operators, keys outside the allowed alphabet, values that try to escape the JSON path they are put in.
 */
final class FilterProbes extends Catalogue {

    FilterProbes(Keys keys, Fixtures fixtures) {
        super("filter", keys, fixtures);
    }

    private void filter(String description, String filter, io.montage.attack.probe.Expect expect) {
        json(description, search(), searchBody("{\"vector\":" + f.vector() + "}", filter), expect);
    }

    @Override
    void build() {
        filter("in list of 100,000 values", "{\"kind\":{\"in\":" + Bodies.strings(100_000, "v") + "}}", refused());
        filter("in list of 100,000 numbers", "{\"price\":{\"in\":" + Bodies.array(100_000, String::valueOf) + "}}", refused());
        filter("in list of 1,000 values", "{\"kind\":{\"in\":" + Bodies.strings(1000, "v") + "}}", any());
        filter("all-of list of 100,000 values", "{\"tags\":" + Bodies.strings(100_000, "t") + "}", refused());
        filter("100,000 keys", "{" + String.join(",", java.util.stream.IntStream.range(0, 100_000)
                .mapToObj(i -> "\"k" + i + "\":1").toList()) + "}", refused());
        filter("in of in", "{\"kind\":{\"in\":{\"in\":[\"shoe\"]}}}", refused());
        filter("in of a string", "{\"kind\":{\"in\":\"shoe\"}}", refused());
        filter("in of objects", "{\"kind\":{\"in\":[{\"a\":1}]}}", refused());
        filter("in of arrays", "{\"kind\":{\"in\":[[\"shoe\"]]}}", refused());
        filter("unknown operator", "{\"kind\":{\"regex\":\".*\"}}", refused());
        filter("mongo-style operator", "{\"kind\":{\"$ne\":\"shoe\"}}", refused());
        filter("operator of operator", "{\"price\":{\"gte\":{\"lt\":5}}}", refused());
        filter("range of an array", "{\"price\":{\"gte\":[1]}}", refused());
        filter("operators nested 30 deep", "{\"price\":" + "{\"in\":".repeat(30) + "[1]" + "}".repeat(30) + "}", refused());
        filter("empty operator object", "{\"kind\":{}}", any());
        filter("empty all-of list", "{\"tags\":[]}", any());
        filter("nested array value", "{\"tags\":[[\"new\"]]}", refused());
        filter("object in an all-of list", "{\"tags\":[{\"a\":1}]}", refused());
        filter("empty key", "{\"\":\"shoe\"}", refused());
        filter("key of 65 characters", "{\"" + "k".repeat(65) + "\":1}", refused());
        filter("key with a space", "{\"ki nd\":\"shoe\"}", refused());
        filter("key with a quote", "{\"kind\\\"\":\"shoe\"}", refused());
        filter("key with a backslash", "{\"kind\\\\\":\"shoe\"}", refused());
        filter("key with a dollar", "{\"$\":\"shoe\"}", refused());
        filter("key escaping the path", "{\"kind\\\") || (true\":1}", refused());
        filter("key with non-ASCII letters", "{\"größe\":\"m\"}", refused());
        filter("key with a lone surrogate", "{\"\\ud800\":1}", refused());
        filter("value with a lone surrogate", "{\"kind\":\"\\ud800\"}", refused());
        filter("in value with a lone surrogate", "{\"kind\":{\"in\":[\"\\udc00\"]}}", refused());
        filter("value escaping the path (quotes)", "{\"kind\":\"\\\" || @ == @ || \\\"\"}", any().and("nothing matches", Replies.NOTHING_MATCHED));
        filter("value escaping the path (SQL)", "{\"kind\":\"shoe') or 1=1 --\"}", any().and("nothing matches", Replies.NOTHING_MATCHED));
        filter("value that is a path", "{\"kind\":\"$.kind\"}", any().and("nothing matches", Replies.NOTHING_MATCHED));
        filter("value like_regex", "{\"kind\":\"shoe\\\" || @ like_regex \\\".*\"}", any().and("nothing matches", Replies.NOTHING_MATCHED));
        filter("in value escaping the path", "{\"kind\":{\"in\":[\"x\\\") || (true\"]}}", any().and("nothing matches", Replies.NOTHING_MATCHED));
        filter("range with a string", "{\"price\":{\"gte\":\"10\"}}", any());
        filter("range NaN as a string", "{\"price\":{\"lt\":\"NaN\"}}", any());
        filter("empty range", "{\"price\":{\"gte\":10,\"lt\":5}}", success().and("nothing matches", Replies.NOTHING_MATCHED));
        filter("null, boolean and number values", "{\"kind\":null,\"flag\":true,\"price\":12}", success().and("nothing matches", Replies.NOTHING_MATCHED));
        filter("100,000-character value", "{\"kind\":\"" + "s".repeat(100_000) + "\"}", any());
        filter("filter on 64-character key (allowed)", "{\"" + "k".repeat(64) + "\":1}", success().and("nothing matches", Replies.NOTHING_MATCHED));
        filter("filter 'kind' = shoe (control)", "{\"kind\":\"shoe\"}", success()
                .and("two shoes come back", r -> r.text().contains("\"v1\"") && r.text().contains("\"v3\"") && !r.text().contains("\"v2\"")));
    }
}
