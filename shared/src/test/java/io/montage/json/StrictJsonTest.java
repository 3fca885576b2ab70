package io.montage.json;

import io.micronaut.json.tree.JsonNode;
import io.montage.errors.MontageException;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Hand-written hostile documents, each refused with its code and a detail that says where. */
class StrictJsonTest {

    private static JsonNode parse(String json) {
        return StrictJson.parse(json.getBytes(StandardCharsets.UTF_8), 0, json.getBytes(StandardCharsets.UTF_8).length,
                "the body");
    }

    private static MontageException refused(String json, int status, String code) {
        return refused(json.getBytes(StandardCharsets.UTF_8), status, code);
    }

    private static MontageException refused(byte[] json, int status, String code) {
        MontageException parsed = assertThrows(MontageException.class,
                () -> StrictJson.parse(json, 0, json.length, "the body"));
        MontageException checked = assertThrows(MontageException.class,
                () -> StrictJson.check(new ByteArrayInputStream(json), "the body", JsonShape.ANY));
        for (MontageException e : new MontageException[]{parsed, checked}) {
            assertEquals(code, e.code(), e.getMessage());
            assertEquals(status, e.status());
            assertFalse(e.getMessage().contains("Exception") || e.getMessage().toLowerCase().contains("jackson")
                    || e.getMessage().contains("Feature"), e.getMessage());
        }
        assertEquals(parsed.getMessage(), checked.getMessage(), "one check, two ways of reading");
        return parsed;
    }

    @Test
    void sixtyFourLevelsPassAndTheSixtyFifthIsTooDeep() {
        assertEquals(64, depth(parse("[".repeat(64) + "]".repeat(64))));
        MontageException e = refused("{\"a\":" + "[".repeat(64) + "]".repeat(64) + "}", 422, "json_too_deep");
        assertTrue(e.getMessage().contains("deeper than 64 levels (at /a/0/0/"), e.getMessage());
        refused("{\"a\":".repeat(65) + "1" + "}".repeat(65), 422, "json_too_deep");
    }

    @Test
    void hostileNestingIsRefusedWithoutExhaustingTheStack() {
        refused("[".repeat(1_000_000), 422, "json_too_deep");
        refused("{\"a\":".repeat(200_000), 422, "json_too_deep");
    }

    private static int depth(JsonNode node) {
        return node.isArray() ? 1 + (node.size() == 0 ? 0 : depth(node.get(0))) : 0;
    }

    @Test
    void aKeyTwiceInOneObjectIsRefusedWherever() {
        MontageException top = refused("{\"type\":\"echo\",\"type\":\"embed\"}", 400, "duplicate_json_key");
        assertEquals("key \"type\" appears twice in the body; every key of an object must be unique", top.getMessage());
        MontageException nested = refused("{\"items\":[{},{\"id\":1,\"x\":2,\"id\":3}]}", 400, "duplicate_json_key");
        assertTrue(nested.getMessage().contains("\"id\" appears twice in the body at /items/1"), nested.getMessage());
        assertEquals(2, parse("{\"a\":{\"id\":1},\"b\":{\"id\":2}}").size(), "the same key in two objects is fine");
    }

    @Test
    void nulIsRefusedInStringsAndKeysHoweverItIsWritten() {
        MontageException escaped = refused("{\"items\":[{\"custom_id\":\"a\\u0000b\"}]}", 422, "nul_character");
        assertTrue(escaped.getMessage().startsWith("the body at /items/0/custom_id contains a NUL character"),
                escaped.getMessage());
        MontageException key = refused("{\"meta\":{\"k\\u0000\":1}}", 422, "nul_character");
        assertTrue(key.getMessage().startsWith("a key of the body at /meta contains a NUL"), key.getMessage());
        // an overlong two-byte encoding of NUL (0xC0 0x80) is not UTF-8 at all
        refused(new byte[]{'[', '"', (byte) 0xC0, (byte) 0x80, '"', ']'}, 400, "invalid_json");
        refused("\"\\u0000\"", 422, "nul_character");
    }

    @Test
    void loneSurrogatesAreRefusedAndPairsPass() {
        refused("[\"\\ud800\"]", 422, "invalid_unicode");
        refused("[\"\\udc00\"]", 422, "invalid_unicode");
        refused("[\"\\udc00\\ud800\"]", 422, "invalid_unicode");
        refused("[\"a\\ud800\"]", 422, "invalid_unicode");
        MontageException key = refused("{\"\\ud800\":1}", 422, "invalid_unicode");
        assertTrue(key.getMessage().contains("\\ud800"), "named, not echoed raw: " + key.getMessage());
        // a surrogate encoded on its own as UTF-8 bytes (CESU-8), not escaped
        refused(new byte[]{'[', '"', (byte) 0xED, (byte) 0xA0, (byte) 0x80, '"', ']'}, 422, "invalid_unicode");
        assertEquals("\uD83D\uDE00", parse("[\"\\ud83d\\ude00\"]").get(0).getStringValue());
        assertEquals("\uD83D\uDE00", parse("[\"\uD83D\uDE00\"]").get(0).getStringValue());
    }

    @Test
    void malformedDocumentsAreInvalidJsonWithTheirPlace() {
        refused(new byte[]{'[', '"', (byte) 0xFF, '"', ']'}, 400, "invalid_json");
        MontageException syntax = refused("{\"a\": tru}", 400, "invalid_json");
        assertTrue(syntax.getMessage().startsWith("the body is not valid JSON (line 1, column "), syntax.getMessage());
        assertTrue(refused("{\n\"a\":\n}", 400, "invalid_json").getMessage().contains("(line 3, column "));
        refused("{} {}", 400, "invalid_json");
        refused("{}x", 400, "invalid_json");
        refused("[1" + "0".repeat(1000) + "]", 400, "invalid_json");
        assertThrows(MontageException.class, () -> parse("  "));
        assertEquals(StrictJson.Top.NOTHING,
                StrictJson.check(new ByteArrayInputStream(new byte[0]), "the body", JsonShape.ANY));
    }

    @Test
    void onlyWellFormedUtf8IsRead() {
        byte[][] malformed = {
                {'[', '"', 'a', (byte) 0xC0, (byte) 0xAF, '"', ']'},                   // overlong '/'
                {'[', '"', (byte) 0xE0, (byte) 0x80, (byte) 0xAF, '"', ']'},            // overlong in three bytes
                {'[', '"', (byte) 0xF0, (byte) 0x80, (byte) 0x80, (byte) 0xAF, '"', ']'}, // and in four
                {'[', '"', (byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80, '"', ']'}, // beyond U+10FFFF
                {'[', '"', (byte) 0xE2, (byte) 0x82, '"', ']'},                         // cut short
                {'[', '"', (byte) 0x80, '"', ']'},                                      // a stray continuation
                {'[', '"', (byte) 0xE2, (byte) 0x82},                                   // cut short by the end
        };
        for (byte[] json : malformed) {
            assertTrue(refused(json, 400, "invalid_json").getMessage().startsWith("the body is not valid UTF-8: at "
                    + "byte "));
        }
        MontageException overlong = refused(new byte[]{'[', '"', 'a', (byte) 0xC0, (byte) 0xAF, '"', ']'}, 400,
                "invalid_json");
        assertTrue(overlong.getMessage().contains("at byte 3, an overlong UTF-8 sequence"), overlong.getMessage());
        assertEquals("\u20ac\uD83D\uDE00", parse("[\"\u20ac\uD83D\uDE00\"]").get(0).getStringValue(),
                "three- and four-byte characters pass");
    }

    @Test
    void utf16AndUtf32AreRefusedAsNotUtf8() {
        MontageException utf16 = refused("{\"a\":\"b\"}".getBytes(StandardCharsets.UTF_16LE), 400, "invalid_json");
        assertTrue(utf16.getMessage().contains("at byte 1, a zero byte") && utf16.getMessage().contains("UTF-16"),
                utf16.getMessage());
        refused("{\"a\":\"b\"}".getBytes(StandardCharsets.UTF_16BE), 400, "invalid_json");
        MontageException bom = refused("{\"a\":\"b\"}".getBytes(StandardCharsets.UTF_16), 400, "invalid_json");
        assertTrue(bom.getMessage().contains("byte order mark"), bom.getMessage());
        refused("{\"a\":\"b\"}".getBytes(java.nio.charset.Charset.forName("UTF-32")), 400, "invalid_json");
    }

    @Test
    void valuesOfTheWrongTypeForTheirFieldAreRefusedWithTheirPointer() {
        JsonShape shape = JsonShape.object(java.util.Map.of(
                "name", JsonShape.of(JsonShape.Type.STRING).orNull(),
                "top_k", JsonShape.integer(32).orNull(),
                "exact", JsonShape.of(JsonShape.Type.BOOLEAN).orNull(),
                "ids", JsonShape.arrayOf(JsonShape.of(JsonShape.Type.STRING)).orNull(),
                "vector", JsonShape.arrayOf(JsonShape.of(JsonShape.Type.NUMBER)).orNull(),
                "query", JsonShape.object(java.util.Map.of("text", JsonShape.of(JsonShape.Type.STRING).orNull())),
                "count", JsonShape.integer(64)));
        java.util.Map<String, String> refusals = java.util.Map.of(
                "{\"name\":1}", "the body at /name must be a string, got a number",
                "{\"top_k\":\"10\"}", "the body at /top_k must be an integer, got a string",
                "{\"top_k\":1.5}", "the body at /top_k must be an integer, got 1.5 (an integer has no fraction or "
                        + "exponent)",
                "{\"top_k\":3000000000}", "the body at /top_k must be an integer from -2147483648 to 2147483647, "
                        + "got 3000000000",
                "{\"exact\":1}", "the body at /exact must be true or false, got a number",
                "{\"ids\":[\"a\",null]}", "the body at /ids/1 must be a string, got null",
                "{\"vector\":[0.5,true]}", "the body at /vector/1 must be a number, got true",
                "{\"vector\":[[0.5]]}", "the body at /vector/0 must be a number, got an array",
                "{\"query\":{\"text\":{}}}", "the body at /query/text must be a string, got an object",
                "{\"count\":null}", "the body at /count must be an integer, got null");
        refusals.forEach((json, message) -> {
            MontageException e = assertThrows(MontageException.class, () -> StrictJson.check(stream(json), "the body",
                    shape), json);
            assertEquals("invalid_body", e.code(), json);
            assertEquals(400, e.status());
            assertEquals(message, e.getMessage());
        });
        assertEquals(StrictJson.Top.OBJECT, StrictJson.check(stream("{\"name\":null,\"top_k\":10,\"exact\":false,"
                + "\"ids\":[],\"vector\":[1,-2.5e-3],\"query\":{},\"count\":3000000000,\"other\":[1,\"x\",null]}"),
                "the body", shape), "the right types, nulls where optional, and keys the shape does not name pass");
    }

    @Test
    void aDocumentThatIsNotStrictJsonIsRefusedAsThatBeforeAnyTypeIsChecked() {
        JsonShape shape = JsonShape.object(java.util.Map.of("name", JsonShape.of(JsonShape.Type.STRING).orNull(),
                "size", JsonShape.integer(32).orNull()));
        java.util.Map<String, String> codes = java.util.Map.of(
                "{\"name\":" + "[".repeat(70) + "]".repeat(70) + "}", "json_too_deep",
                "{\"name\":1,\"a\":1,\"a\":2}", "duplicate_json_key",
                "{\"name\":{\"k\":\"\\u0000\"}}", "nul_character",
                "{\"name\":1,", "invalid_json");
        codes.forEach((json, code) -> assertEquals(code, assertThrows(MontageException.class,
                () -> StrictJson.check(stream(json), "the body", shape)).code(), json));
        assertEquals("the body at /size must be an integer, got a string", assertThrows(MontageException.class,
                () -> StrictJson.check(stream("{\"size\":\"1\",\"name\":2}"), "the body", shape)).getMessage(),
                "the first value of a wrong type is named");
    }

    @Test
    void numbersBeyondADoubleAreRefused() {
        refused("[1e999]", 422, "number_out_of_range");
        refused("{\"v\":[-1e400]}", 422, "number_out_of_range");
        assertEquals(1e308, parse("[1e308]").get(0).getDoubleValue());
    }

    @Test
    void theTreeIsTheDocument() {
        JsonNode tree = parse("{\"z\":1,\"a\":[true,false,null],\"big\":123456789012345678901234567890,"
                + "\"long\":12345678901,\"pi\":3.25,\"s\":\"\\\"x\\\"\"}");
        assertEquals(java.util.List.of("z", "a", "big", "long", "pi", "s"),
                java.util.stream.StreamSupport.stream(tree.entries().spliterator(), false).map(java.util.Map.Entry::getKey)
                        .toList(), "key order kept");
        assertEquals(1, tree.get("z").getIntValue());
        assertTrue(tree.get("a").get(2).isNull());
        assertEquals(new BigInteger("123456789012345678901234567890"), tree.get("big").getBigIntegerValue());
        assertEquals(12345678901L, tree.get("long").getLongValue());
        assertEquals(3.25, tree.get("pi").getDoubleValue());
        assertEquals("\"x\"", tree.get("s").getStringValue());
        assertTrue(parse("null").isNull());
    }

    @Test
    void checkTellsWhatTheTopLevelIs() {
        assertEquals(StrictJson.Top.OBJECT, StrictJson.check(stream("{\"a\":1}"), "the body", JsonShape.ANY));
        assertEquals(StrictJson.Top.OTHER, StrictJson.check(stream("[1]"), "the body", JsonShape.ANY));
        assertEquals(StrictJson.Top.OTHER, StrictJson.check(stream("null"), "the body", JsonShape.ANY));
    }

    private static ByteArrayInputStream stream(String json) {
        return new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void pointersEscapeTheirKeysAndCutLongOnes() {
        MontageException slash = refused("{\"a/b~c\":{\"\\u0001\":\"\\u0000\"}}", 422, "nul_character");
        assertTrue(slash.getMessage().startsWith("the body at /a~1b~0c/\\u0001 contains"), slash.getMessage());
        MontageException longKey = refused("{\"" + "k".repeat(500) + "\":[\"\\ud800\"]}", 422, "invalid_unicode");
        assertTrue(longKey.getMessage().contains("/" + "k".repeat(64) + "…/0"), longKey.getMessage());
    }

    @Test
    void plainTextIsCheckedTheSameWay() {
        StrictJson.checkText("caf\u00e9 \uD83D\uDE00", "label");
        assertEquals("nul_character", assertThrows(MontageException.class,
                () -> StrictJson.checkText("a\u0000", "query parameter 'labels'")).code());
        MontageException surrogate = assertThrows(MontageException.class, () -> StrictJson.checkText("\uDFFFx", "name"));
        assertEquals("invalid_unicode", surrogate.code());
        assertTrue(surrogate.getMessage().startsWith("name contains a lone UTF-16 surrogate (\\udfff) at position 0"));
    }
}
