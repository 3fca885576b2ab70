package io.montage.api.input;

import io.micronaut.core.beans.BeanIntrospection;
import io.micronaut.core.beans.BeanIntrospector;
import io.micronaut.core.type.Argument;
import io.micronaut.serde.config.naming.PropertyNamingStrategy;
import io.montage.json.JsonShape;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * The {@link JsonShape} of a route's body type, read from its Java type the way the binder reads it: records by
 * their components (named by the configured naming strategy: {@code topK} is {@code top_k}), strings, integers
 * (int and long), numbers, booleans, lists, sets and arrays of any of them. A component may be null unless it is
 * primitive (the route decides what a missing value means); an element of a list never is. Types the binder reads
 * some other way (JSON trees, maps, anything unknown) are left to their readers: any value.
 */
final class BodyShapes {

    private static final Set<Class<?>> STRINGS = Set.of(String.class, CharSequence.class, UUID.class);
    private static final Set<Class<?>> INTS = Set.of(int.class, Integer.class, short.class, Short.class, byte.class,
            Byte.class);
    private static final Set<Class<?>> LONGS = Set.of(long.class, Long.class, BigInteger.class);
    private static final Set<Class<?>> NUMBERS = Set.of(float.class, Float.class, double.class, Double.class,
            BigDecimal.class);

    private final PropertyNamingStrategy naming;

    BodyShapes(PropertyNamingStrategy naming) {
        this.naming = naming;
    }

    JsonShape of(Argument<?> argument) {
        Class<?> type = argument.getType();
        if (type == Optional.class) {
            return of(argument.getFirstTypeVariable().orElse(Argument.OBJECT_ARGUMENT)).orNull();
        }
        if (STRINGS.contains(type) || type.isEnum()) {
            return JsonShape.of(JsonShape.Type.STRING);
        }
        if (INTS.contains(type) || LONGS.contains(type)) {
            return JsonShape.integer(INTS.contains(type) ? 32 : 64);
        }
        if (NUMBERS.contains(type)) {
            return JsonShape.of(JsonShape.Type.NUMBER);
        }
        if (type == boolean.class || type == Boolean.class) {
            return JsonShape.of(JsonShape.Type.BOOLEAN);
        }
        if (type.isArray() && type != byte[].class) { // bytes bind from base64 text
            return JsonShape.arrayOf(of(Argument.of(type.getComponentType())));
        }
        if (Iterable.class.isAssignableFrom(type)) {
            return JsonShape.arrayOf(of(argument.getFirstTypeVariable().orElse(Argument.OBJECT_ARGUMENT)));
        }
        return BeanIntrospector.SHARED.findIntrospection(type).map(this::object).orElse(JsonShape.ANY);
    }

    /** A record (or any type built through its constructor): one field per constructor argument. */
    private JsonShape object(BeanIntrospection<?> introspection) {
        Map<String, JsonShape> fields = new LinkedHashMap<>();
        for (Argument<?> component : introspection.getConstructorArguments()) {
            JsonShape shape = of(component);
            fields.put(naming.translate(component), component.getType().isPrimitive() ? shape : shape.orNull());
        }
        return fields.isEmpty() ? JsonShape.ANY : JsonShape.object(fields);
    }
}
