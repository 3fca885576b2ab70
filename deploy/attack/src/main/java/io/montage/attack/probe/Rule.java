package io.montage.attack.probe;

import io.montage.attack.http.Reply;

import java.util.function.Predicate;

/** An extra assertion on a reply, named for the failure list ("every score is a number"). */
public record Rule(String name, Predicate<Reply> holds) {
}
