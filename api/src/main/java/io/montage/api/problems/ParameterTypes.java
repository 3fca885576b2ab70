package io.montage.api.problems;

import java.util.UUID;

/** What a path or query parameter of a type must be, as a message says it ("limit must be an integer"). */
public final class ParameterTypes {

    private ParameterTypes() {
    }

    public static String expected(Class<?> type) {
        if (type == UUID.class) {
            return "a UUID";
        }
        if (type == Integer.class || type == int.class || type == Long.class || type == long.class) {
            return "an integer";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "true or false";
        }
        return Number.class.isAssignableFrom(type) || type.isPrimitive() ? "a number" : "a valid value";
    }
}
