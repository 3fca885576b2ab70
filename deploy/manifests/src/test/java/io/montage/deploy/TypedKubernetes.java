package io.montage.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.KubernetesResource;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * Built-in Kubernetes objects read into fabric8's typed model (the Kubernetes API's own types, generated from its
 * OpenAPI). fabric8 keeps a field it does not know, or one of the wrong type, in the object's additionalProperties
 * instead of failing; this reports every such field with its path, which makes the parse strict.
 */
final class TypedKubernetes {

    private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

    private TypedKubernetes() {
    }

    /** What the typed model could not place in the object, or that it knows no such kind at all. */
    static List<String> problems(JsonNode resource) {
        Object typed = SERIALIZATION.unmarshal(resource.toString());
        String what = resource.get("kind").asText() + " " + resource.at("/metadata/name").asText();
        if (typed instanceof GenericKubernetesResource) {
            return List.of(what + ": " + resource.get("apiVersion").asText() + " " + resource.get("kind").asText()
                    + " is no built-in kind");
        }
        List<String> problems = new ArrayList<>();
        walk(typed, what, problems);
        return problems;
    }

    private static void walk(Object value, String path, List<String> problems) {
        if (value instanceof Collection<?> list) {
            int i = 0;
            for (Object element : list) {
                walk(element, path + "[" + i++ + "]", problems);
            }
        } else if (value instanceof Map<?, ?> map) {
            map.forEach((key, element) -> walk(element, path + "." + key, problems));
        } else if (value instanceof KubernetesResource) {
            for (Class<?> type = value.getClass(); type != Object.class; type = type.getSuperclass()) {
                for (Field field : type.getDeclaredFields()) {
                    if (Modifier.isStatic(field.getModifiers())) {
                        continue;
                    }
                    field.setAccessible(true);
                    Object content = get(field, value);
                    if (field.getName().equals("additionalProperties") && content instanceof Map<?, ?> extra) {
                        extra.forEach((key, unknown) -> problems.add(path + "." + key + ": not a field of "
                                + value.getClass().getSimpleName() + " (or of the wrong type): " + unknown));
                    } else {
                        walk(content, path + "." + field.getName(), problems);
                    }
                }
            }
        }
    }

    private static Object get(Field field, Object owner) {
        try {
            return field.get(owner);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
        }
    }
}
