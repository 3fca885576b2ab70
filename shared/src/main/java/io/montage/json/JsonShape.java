package io.montage.json;

import java.util.Map;

/**
 * The JSON type each place of a document must have where the document is read into typed fields, for
 * {@link StrictJson#check(java.io.InputStream, String, JsonShape)} to hold it to. Binders coerce scalars ("10"
 * read as 10, 1 read as "1", 1 as true); a client that sends the wrong type has a bug that coercion hides, and
 * silently changed values (a vector of strings, an id that was a number) are worse. Keys an object shape does not
 * name may hold anything, as the binder ignores them.
 *
 * @param type     the JSON type; null for any value at all (then nothing below is checked either)
 * @param nullable whether {@code null} is accepted here (an optional field), in place of the type
 * @param element  for arrays, the shape of every element
 * @param fields   for objects, the shape of each named field
 * @param bits     for integers, the width of the field (32 or 64): an integer beyond it is refused
 */
public record JsonShape(Type type, boolean nullable, JsonShape element, Map<String, JsonShape> fields, int bits) {

    /** The JSON types a field may take, named as a message says them. */
    public enum Type {
        STRING("a string"), INTEGER("an integer"), NUMBER("a number"), BOOLEAN("true or false"),
        ARRAY("an array"), OBJECT("an object");

        final String words;

        Type(String words) {
            this.words = words;
        }
    }

    /** Anything, null included: the field is a JSON tree its reader checks itself. */
    public static final JsonShape ANY = new JsonShape(null, true, null, Map.of(), 0);

    public static JsonShape of(Type type) {
        return new JsonShape(type, false, null, Map.of(), 0);
    }

    public static JsonShape integer(int bits) {
        return new JsonShape(Type.INTEGER, false, null, Map.of(), bits);
    }

    public static JsonShape arrayOf(JsonShape element) {
        return new JsonShape(Type.ARRAY, false, element, Map.of(), 0);
    }

    public static JsonShape object(Map<String, JsonShape> fields) {
        return new JsonShape(Type.OBJECT, false, null, Map.copyOf(fields), 0);
    }

    /** The same shape, or null. */
    public JsonShape orNull() {
        return new JsonShape(type, true, element, fields, bits);
    }

    /** The shape of the value under {@code key} of an object of this shape. */
    JsonShape field(String key) {
        return fields.getOrDefault(key, ANY);
    }

    /** The shape of each element of an array of this shape. */
    JsonShape elements() {
        return element == null ? ANY : element;
    }
}
