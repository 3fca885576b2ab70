package io.montage.models;

import io.montage.errors.MontageException;

import java.util.Arrays;

/**
 * What happens to a text longer than the model's context (its tokenizer's maximum length), as a request's
 * {@code truncate} asks: {@link #END} drops the tokens past the context (the default, as Cohere's API does), keeping
 * the model's end-of-text token; {@link #NONE} refuses the text with {@code text_too_long}. The api checks the
 * request's value, the worker applies it: the tokenizer lives with the model.
 */
public enum Truncation {
    END("end"),
    NONE("none");

    private final String wireName;

    Truncation(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    /** The request's value; null means the default, {@link #END}. An unknown value is a 422. */
    public static Truncation parse(String value) {
        if (value == null) {
            return END;
        }
        return Arrays.stream(values()).filter(t -> t.wireName.equals(value)).findFirst()
                .orElseThrow(() -> MontageException.invalid("invalid_truncate", "truncate must be \"end\" (drop the "
                        + "tokens past the model's context; the default) or \"none\" (refuse such texts)"));
    }
}
