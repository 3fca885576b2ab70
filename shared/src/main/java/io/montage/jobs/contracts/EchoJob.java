package io.montage.jobs.contracts;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.micronaut.json.tree.JsonNode;
import io.micronaut.serde.annotation.Serdeable;

/**
 * Job type "echo": each item's input is any JSON, and its result is {@code {"echo": <the input>}}; an input object
 * with a string field {@code "fail"} fails that item instead. Lets the queue be shown end to end without a model.
 */
public final class EchoJob {

    public static final String NAME = "echo";

    /** An item's result: its input, as it came. */
    @Serdeable
    @JsonInclude(JsonInclude.Include.ALWAYS) // an echoed JSON null stays {"echo":null}
    public record Result(JsonNode echo) {
    }

    public static final JobContract<NoParams, JsonNode, Result> CONTRACT =
            new JobContract<>(NAME, NoParams.class, JsonNode.class, Result.class);

    private EchoJob() {
    }
}
