package io.montage.errors;

import java.time.Duration;
import java.util.Optional;

/**
 * A failure the caller can act on, with a stable machine-readable {@code code} and an HTTP-style status that the
 * api turns into problem JSON. Shared code knows no HTTP; the status is just the number every edge agrees on.
 * A refusal that waiting cures (a full queue, a daily quota) says how long to wait, which the api sends as
 * {@code Retry-After}.
 */
public class MontageException extends RuntimeException {

    private final int status;
    private final String code;
    private final Duration retryAfter;

    public MontageException(int status, String code, String detail) {
        this(status, code, detail, null);
    }

    public MontageException(int status, String code, String detail, Duration retryAfter) {
        super(detail);
        this.status = status;
        this.code = code;
        this.retryAfter = retryAfter;
    }

    public static MontageException invalid(String code, String detail) {
        return new MontageException(422, code, detail);
    }

    public static MontageException notFound(String code, String detail) {
        return new MontageException(404, code, detail);
    }

    public static MontageException conflict(String code, String detail) {
        return new MontageException(409, code, detail);
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }

    /** How long to wait before trying again, when waiting helps. */
    public Optional<Duration> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }
}
