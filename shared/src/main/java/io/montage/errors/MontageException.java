package io.montage.errors;

/**
 * A failure the caller can act on, with a stable machine-readable {@code code} and an HTTP-style status that the
 * api turns into problem JSON. Shared code knows no HTTP; the status is just the number every edge agrees on.
 */
public class MontageException extends RuntimeException {

    private final int status;
    private final String code;

    public MontageException(int status, String code, String detail) {
        super(detail);
        this.status = status;
        this.code = code;
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
}
