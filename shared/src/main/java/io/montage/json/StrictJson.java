package io.montage.json;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import io.micronaut.json.tree.JsonNode;
import io.montage.errors.MontageException;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The one strict reading of JSON that callers send (request bodies, lines of uploads), in a single streaming pass
 * over jackson-core's parser. It refuses what is valid JSON but cannot be stored or means two things:
 * <ul>
 *   <li>nesting deeper than {@value #MAX_DEPTH} levels: 422 {@code json_too_deep};</li>
 *   <li>a key twice in one object (which one wins is parser folklore): 400 {@code duplicate_json_key};</li>
 *   <li>NUL ({@code \u0000}) in a string or key (database text cannot hold it): 422 {@code nul_character};</li>
 *   <li>a lone UTF-16 surrogate ({@code "\ud800"}), which no UTF-8 text can encode: 422 {@code invalid_unicode};</li>
 *   <li>a number beyond the range of a 64-bit float ({@code 1e999}): 422 {@code number_out_of_range};</li>
 * </ul>
 * and anything that is not one JSON value (bad syntax, trailing data): 400 {@code invalid_json}, as are bytes that
 * are not well-formed UTF-8 ({@link StrictUtf8}). Where the document is read into typed fields, its values must have
 * their fields' JSON types ({@link JsonShape}): 400 {@code invalid_body}.
 * Every refusal names where, as a JSON pointer (RFC 6901). Hand-written over the token stream because the
 * parser's own checks neither say where nor cover NUL and surrogates; the walk recurses at most
 * {@value #MAX_DEPTH} levels, so hostile nesting cannot exhaust the stack.
 */
public final class StrictJson {

    /** Levels of nested objects and arrays a document may have (the top-level value is level 1). */
    public static final int MAX_DEPTH = 64;
    /** The parser's limit on a number's length, in characters. */
    public static final int MAX_NUMBER_CHARS = 1000;
    /** A key or string segment of a pointer shown in a message is cut to this many characters. */
    private static final int SHOWN_SEGMENT_CHARS = 64;

    /**
     * Strings and keys are bounded only by the body or line holding them (both have their own limits). Keys are
     * not interned: hostile keys must not fill the JVM's string table. (They stay canonicalised: without that,
     * jackson-core reads bytes through a lenient decoder that turns malformed UTF-8 into U+FFFD instead of failing.)
     */
    private static final JsonFactory FACTORY = JsonFactory.builder()
            .disable(JsonFactory.Feature.INTERN_FIELD_NAMES)
            .streamReadConstraints(StreamReadConstraints.builder()
                    .maxNestingDepth(MAX_DEPTH + 1)
                    .maxNumberLength(MAX_NUMBER_CHARS)
                    .maxStringLength(Integer.MAX_VALUE)
                    .maxNameLength(Integer.MAX_VALUE)
                    .build())
            .build();

    /** What the top level of a checked document is. */
    public enum Top { NOTHING, OBJECT, OTHER }

    private final JsonParser parser;
    private final String what;
    private final boolean build;
    private final JsonShape shape;
    /** The keys (String) and indexes (Integer) from the top level down to the value being read. */
    private final List<Object> path = new ArrayList<>();
    private JsonNode root;
    /** The first value of the wrong type; refused once the whole document is known to be readable JSON. */
    private MontageException mismatch;

    private StrictJson(JsonParser parser, String what, boolean build, JsonShape shape) {
        this.parser = parser;
        this.what = what;
        this.build = build;
        this.shape = shape;
    }

    /**
     * The document as a tree, checked strictly. {@code what} names it in messages ("line 3").
     *
     * @throws MontageException if the document is refused; {@code code()} says why
     */
    public static JsonNode parse(byte[] utf8, int offset, int length, String what) {
        StrictUtf8 encoding = new StrictUtf8(what);
        encoding.feed(utf8, offset, length);
        encoding.end();
        try (JsonParser parser = FACTORY.createParser(utf8, offset, length)) {
            return new StrictJson(parser, what, true, JsonShape.ANY).tree();
        } catch (IOException e) {
            throw new UncheckedIOException(e); // reading an array cannot fail
        }
    }

    /**
     * Checks a document as it streams, without building it, and holds its values to {@code shape}
     * ({@link JsonShape#ANY} for none); an empty stream is {@link Top#NOTHING}.
     *
     * @throws MontageException if the document is refused
     * @throws UncheckedIOException if the stream itself fails
     */
    public static Top check(InputStream utf8, String what, JsonShape shape) {
        try (JsonParser parser = FACTORY.createParser(StrictUtf8.checking(utf8, what))) {
            JsonToken first = new StrictJson(parser, what, false, shape).walk();
            return first == null ? Top.NOTHING : first == JsonToken.START_OBJECT ? Top.OBJECT : Top.OTHER;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The plain text check, for text that arrives outside JSON (query parameters, archive entry names, form
     * fields): no NUL, no lone surrogate. {@code where} names the text in the message.
     */
    public static void checkText(String text, String where) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == 0) {
                throw MontageException.invalid("nul_character", where + " contains a NUL character (\\u0000) at "
                        + "position " + i + "; text cannot hold NUL, remove it");
            }
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                i++; // a pair: one character outside the Basic Multilingual Plane
            } else if (Character.isSurrogate(c)) {
                throw MontageException.invalid("invalid_unicode", where + " contains a lone UTF-16 surrogate (\\u"
                        + Integer.toHexString(c) + ") at position " + i + "; send valid Unicode (a surrogate "
                        + "is only valid as half of a pair)");
            }
        }
    }

    /** Reads the whole document; returns its first token (null when there is none) and keeps the tree. */
    private JsonToken walk() throws IOException {
        try {
            JsonToken first = parser.nextToken();
            if (first != null) {
                root = value(first, 0, shape);
                end();
                if (mismatch != null) {
                    throw mismatch;
                }
            }
            return first;
        } catch (JsonProcessingException e) {
            throw unreadable(e);
        }
    }

    private JsonNode tree() throws IOException {
        if (walk() == null) {
            throw new MontageException(400, "invalid_json", what + " holds no JSON value");
        }
        return root;
    }

    private void end() throws IOException {
        if (parser.nextToken() != null) {
            throw new MontageException(400, "invalid_json", what + " holds more than one JSON value"
                    + location(parser.currentTokenLocation()) + "; send exactly one");
        }
    }

    private JsonNode value(JsonToken token, int depth, JsonShape shape) throws IOException {
        JsonShape below = conforms(token, shape);
        return switch (token) {
            case START_OBJECT -> object(depth + 1, below);
            case START_ARRAY -> array(depth + 1, below);
            case VALUE_STRING -> {
                String text = parser.getText();
                checkText(text, at());
                yield build ? JsonNode.createStringNode(text) : null;
            }
            case VALUE_NUMBER_INT -> build ? integer() : null;
            case VALUE_NUMBER_FLOAT -> {
                double number = parser.getDoubleValue();
                if (Double.isInfinite(number)) {
                    throw MontageException.invalid("number_out_of_range", at() + ": " + parser.getText()
                            + " is beyond the range of a 64-bit float (about ±1.8e308)");
                }
                yield build ? JsonNode.createNumberNode(number) : null;
            }
            case VALUE_TRUE, VALUE_FALSE -> build ? JsonNode.createBooleanNode(token == JsonToken.VALUE_TRUE) : null;
            case VALUE_NULL -> build ? JsonNode.nullNode() : null;
            default -> throw new IllegalStateException("no JSON value starts with " + token);
        };
    }

    /**
     * A value of another JSON type than its field's is refused, never coerced to the field's; what it holds is then
     * held to no shape. The refusal waits for the end of the document: a document that is not strict JSON (too deep,
     * a key twice, bad syntax further on) is refused as that first, as it would be with no shape at all.
     *
     * @return the shape the value's own contents are held to
     */
    private JsonShape conforms(JsonToken token, JsonShape shape) throws IOException {
        if (shape.type() == null || token == JsonToken.VALUE_NULL && shape.nullable()) {
            return shape;
        }
        boolean fits = switch (shape.type()) {
            case STRING -> token == JsonToken.VALUE_STRING;
            case INTEGER -> token == JsonToken.VALUE_NUMBER_INT;
            case NUMBER -> token == JsonToken.VALUE_NUMBER_INT || token == JsonToken.VALUE_NUMBER_FLOAT;
            case BOOLEAN -> token == JsonToken.VALUE_TRUE || token == JsonToken.VALUE_FALSE;
            case ARRAY -> token == JsonToken.START_ARRAY;
            case OBJECT -> token == JsonToken.START_OBJECT;
        };
        if (!fits) {
            return mismatched(at() + " must be " + shape.type().words + ", got " + got(token, shape));
        }
        if (shape.type() == JsonShape.Type.INTEGER && !(parser.getNumberType() == JsonParser.NumberType.INT
                || shape.bits() == 64 && parser.getNumberType() == JsonParser.NumberType.LONG)) {
            return mismatched(at() + " must be an integer from " + (shape.bits() == 32
                    ? Integer.MIN_VALUE + " to " + Integer.MAX_VALUE : Long.MIN_VALUE + " to " + Long.MAX_VALUE)
                    + ", got " + shown(parser.getText()));
        }
        return shape;
    }

    private JsonShape mismatched(String detail) {
        if (mismatch == null) {
            mismatch = new MontageException(400, "invalid_body", detail);
        }
        return JsonShape.ANY;
    }

    /** The value at hand, as a message names it. */
    private String got(JsonToken token, JsonShape expected) throws IOException {
        return switch (token) {
            case START_OBJECT -> "an object";
            case START_ARRAY -> "an array";
            case VALUE_STRING -> "a string";
            case VALUE_NUMBER_FLOAT -> expected.type() == JsonShape.Type.INTEGER
                    ? shown(parser.getText()) + " (an integer has no fraction or exponent)" : "a number";
            case VALUE_NUMBER_INT -> "a number";
            default -> parser.getText(); // true, false, null
        };
    }

    private JsonNode object(int level, JsonShape shape) throws IOException {
        tooDeep(level);
        Map<String, JsonNode> fields = build ? new LinkedHashMap<>() : null;
        Set<String> keys = new HashSet<>();
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String key = parser.currentName();
            checkText(key, "a key of " + at());
            if (!keys.add(key)) {
                throw new MontageException(400, "duplicate_json_key", "key \"" + shown(key) + "\" appears twice in "
                        + at() + "; every key of an object must be unique");
            }
            path.add(key);
            JsonNode value = value(parser.nextToken(), level, shape.field(key));
            path.removeLast();
            if (build) {
                fields.put(key, value);
            }
        }
        return build ? JsonNode.createObjectNode(fields) : null;
    }

    private JsonNode array(int level, JsonShape shape) throws IOException {
        tooDeep(level);
        List<JsonNode> elements = build ? new ArrayList<>() : null;
        JsonToken token;
        for (int i = 0; (token = parser.nextToken()) != JsonToken.END_ARRAY; i++) {
            path.add(i);
            JsonNode value = value(token, level, shape.elements());
            path.removeLast();
            if (build) {
                elements.add(value);
            }
        }
        return build ? JsonNode.createArrayNode(elements) : null;
    }

    private void tooDeep(int level) {
        if (level > MAX_DEPTH) {
            throw MontageException.invalid("json_too_deep", what + " nests objects and arrays deeper than "
                    + MAX_DEPTH + " levels (at " + pointer() + "); flatten it");
        }
    }

    private JsonNode integer() throws IOException {
        return switch (parser.getNumberType()) {
            case INT -> JsonNode.createNumberNode(parser.getIntValue());
            case LONG -> JsonNode.createNumberNode(parser.getLongValue());
            default -> JsonNode.createNumberNode(parser.getBigIntegerValue());
        };
    }

    private MontageException unreadable(JsonProcessingException e) {
        if (e instanceof StreamConstraintsException) {
            return new MontageException(400, "invalid_json", what + " has a number longer than "
                    + MAX_NUMBER_CHARS + " characters" + location(e.getLocation()));
        }
        return new MontageException(400, "invalid_json", what + " is not valid JSON" + location(e.getLocation()));
    }

    private static String location(JsonLocation location) {
        if (location == null || location.getLineNr() < 1) {
            return "";
        }
        return " (line " + location.getLineNr() + ", column " + location.getColumnNr() + ")";
    }

    /** "what at /pointer", or just "what" at the top level. */
    private String at() {
        return path.isEmpty() ? what : what + " at " + pointer();
    }

    /** The JSON pointer of the value being read; its segments shown safely (escaped, cut). */
    private String pointer() {
        if (path.isEmpty()) {
            return "the top level";
        }
        StringBuilder out = new StringBuilder();
        for (Object segment : path) {
            out.append('/').append(segment instanceof String key
                    ? shown(key).replace("~", "~0").replace("/", "~1") : segment);
        }
        return out.toString();
    }

    /** A key as a message may show it: control characters and surrogates escaped, long keys cut. */
    private static String shown(String key) {
        StringBuilder out = new StringBuilder();
        int n = Math.min(key.length(), SHOWN_SEGMENT_CHARS);
        for (int i = 0; i < n; i++) {
            char c = key.charAt(i);
            if (c < 0x20 || Character.isSurrogate(c)) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        return key.length() > n ? out.append('…').toString() : out.toString();
    }
}
