package io.montage.json;

import com.fasterxml.jackson.core.StreamReadConstraints;
import io.micronaut.context.event.BeanCreatedEvent;
import io.micronaut.context.event.BeanCreatedEventListener;
import io.micronaut.serde.jackson.SerdeJacksonConfiguration;
import jakarta.inject.Singleton;

/**
 * Applies {@link JsonReadLimits} to the JSON parser. Micronaut builds its parser factory from Jackson's default
 * read constraints and offers no setting for them, so the defaults are raised just before that factory is built:
 * when the configuration it is built from is created. Only the string length changes; the other limits (nesting
 * depth, number length) stay as they are, including any another part of Montage has set.
 */
@Singleton
public class JsonReadConstraints implements BeanCreatedEventListener<SerdeJacksonConfiguration> {

    private final JsonReadLimits limits;

    public JsonReadConstraints(JsonReadLimits limits) {
        this.limits = limits;
    }

    @Override
    public SerdeJacksonConfiguration onCreated(BeanCreatedEvent<SerdeJacksonConfiguration> event) {
        StreamReadConstraints.overrideDefaultStreamReadConstraints(StreamReadConstraints.defaults().rebuild()
                .maxStringLength(limits.maxStringLength()).build());
        return event.getBean();
    }
}
