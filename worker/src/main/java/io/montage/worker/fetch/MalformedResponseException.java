package io.montage.worker.fetch;

import java.io.IOException;

/** A response Montage refuses to read on; its message is Montage's own, written for the tenant who sent the URL. */
final class MalformedResponseException extends IOException {

    MalformedResponseException(String message) {
        super(message);
    }

    MalformedResponseException(String message, Throwable cause) {
        super(message, cause);
    }
}
