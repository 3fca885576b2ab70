package io.montage.console.access;

/** A viewer (or a session that is no longer signed in) tried to change something. */
public class NotPermitted extends RuntimeException {
    NotPermitted(String message) {
        super(message);
    }
}
