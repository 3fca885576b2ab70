package io.montage.collections;

import io.micronaut.json.tree.JsonNode;
import io.montage.db.Database;
import io.montage.errors.MontageException;
import io.montage.json.JsonCodec;
import io.montage.testing.SharedContext;
import org.junit.jupiter.api.Test;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Filters at and past their caps, and hostile values: refused with the limits, or evaluable by PostgreSQL. */
class MetadataFilterTest {

    private static final JsonCodec JSON = SharedContext.bean(JsonCodec.class);

    private static MetadataFilter parse(String json) {
        return MetadataFilter.parse(JSON.read(json, JsonNode.class), JSON);
    }

    private static MontageException refused(JsonNode filter, String code) {
        MontageException e = assertThrows(MontageException.class, () -> MetadataFilter.parse(filter, JSON));
        assertEquals(code, e.code(), e.getMessage());
        assertEquals(422, e.status());
        return e;
    }

    private static JsonNode list(int values) {
        return JsonNode.createArrayNode(IntStream.range(0, values).mapToObj(JsonNode::createNumberNode).toList());
    }

    private static JsonNode keys(int count, java.util.function.IntFunction<JsonNode> condition) {
        Map<String, JsonNode> filter = new LinkedHashMap<>();
        for (int i = 0; i < count; i++) {
            filter.put("k" + i, condition.apply(i));
        }
        return JsonNode.createObjectNode(filter);
    }

    /** The largest filter in every dimension at once: 64 keys, lists of up to 1,000, 2,000 conditions. */
    private static JsonNode atTheCaps() {
        return keys(64, i -> i == 0 ? JsonNode.createObjectNode(Map.of("in", list(1000)))
                : i == 1 ? list(1000 - 62) : JsonNode.createStringNode("v" + i));
    }

    @Test
    void capsAreRefusedWithTheLimitsInTheDetail() {
        assertTrue(refused(keys(65, JsonNode::createNumberNode), "filter_too_large").getMessage().contains("at most 64"));
        MontageException values = refused(JsonNode.createObjectNode(Map.of("size",
                JsonNode.createObjectNode(Map.of("in", list(100_000))))), "filter_too_large");
        assertTrue(values.getMessage().contains("lists 100000 values; at most 1000"), values.getMessage());
        refused(JsonNode.createObjectNode(Map.of("tags", list(1001))), "filter_too_large");
        MontageException total = refused(keys(3, i -> JsonNode.createObjectNode(Map.of("in", list(1000)))),
                "filter_too_large");
        assertTrue(total.getMessage().contains("more than 2000 conditions"), total.getMessage());
        MetadataFilter.parse(atTheCaps(), JSON);
    }

    @Test
    void longChainsAreBalancedSoTheirNestingStaysShallow() {
        String path = MetadataFilter.parse(atTheCaps(), JSON).path();
        int depth = 0;
        int deepest = 0;
        for (char c : path.toCharArray()) {
            depth += c == '(' ? 1 : c == ')' ? -1 : 0;
            deepest = Math.max(deepest, depth);
        }
        assertTrue(deepest <= 21, "nesting " + deepest);
        assertEquals("$.\"a\" == 1", parse("{\"a\": 1}").path(), "a single condition stays plain");
        assertEquals("($.\"a\" == 1 && $.\"b\" == 2)", parse("{\"a\": 1, \"b\": 2}").path());
    }

    @Test
    void aFilterAtTheCapsRunsInPostgresqlThroughTheGinIndex() {
        String path = MetadataFilter.parse(atTheCaps(), JSON).path();
        long matches = SharedContext.bean(Database.class).inTenant(SharedContext.newTenant().id(), c -> {
            try (Statement s = c.createStatement()) {
                s.execute("CREATE TEMP TABLE filtered (metadata jsonb) ON COMMIT DROP");
                s.execute("INSERT INTO filtered SELECT jsonb_build_object('k0', g, 'k1', g, 'k2', 'v2') "
                        + "FROM generate_series(1, 2000) g");
                s.execute("CREATE INDEX ON filtered USING gin (metadata jsonb_path_ops)");
                s.execute("ANALYZE filtered");
                s.execute("SET LOCAL enable_seqscan = off");
            }
            try (PreparedStatement select = c.prepareStatement(
                    "SELECT count(*) FROM filtered WHERE metadata @@ ?::jsonpath")) {
                select.setString(1, path);
                try (ResultSet rs = select.executeQuery()) {
                    rs.next();
                    return rs.getLong(1);
                }
            }
        });
        assertEquals(0, matches, "k3 … k63 are in no item");
    }

    @Test
    void hostileValuesAreRefusedNotSentToTheDatabase() {
        assertEquals("invalid_unicode", refused(JsonNode.createObjectNode(Map.of("color",
                JsonNode.createStringNode("red\uD800"))), "invalid_unicode").code());
        refused(JsonNode.createObjectNode(Map.of("tags", JsonNode.createArrayNode(List.of(
                JsonNode.createStringNode("ok"), JsonNode.createStringNode("\uDC00"))))), "invalid_unicode");
        refused(JsonNode.createObjectNode(Map.of("k", JsonNode.createObjectNode(Map.of("in",
                JsonNode.createArrayNode(List.of(JsonNode.createStringNode("a\u0000"))))))), "nul_character");
        refused(JsonNode.createObjectNode(Map.of("k\u0000", JsonNode.createNumberNode(1))), "nul_character");
        refused(JsonNode.createObjectNode(Map.of("k", JsonNode.createObjectNode(Map.of()))), "invalid_filter");
    }
}
