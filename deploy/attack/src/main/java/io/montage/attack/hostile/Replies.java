package io.montage.attack.hostile;

import io.montage.attack.http.Reply;
import io.montage.attack.inputs.Json;

import java.util.function.Predicate;

/** Assertions on reply bodies that several probe classes share. */
final class Replies {

    private Replies() {
    }

    /** A refusal, or a success whose {@code data} is empty: the value matched nothing (no injection widened it). */
    static final Predicate<Reply> NOTHING_MATCHED = reply -> reply.status() != 200
            || Json.parse(reply.text()).map(r -> r.path("data").isArray() && r.path("data").isEmpty()).orElse(false);
}
