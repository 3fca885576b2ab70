package io.montage.db;

/** A database failure the caller cannot fix by changing its input. */
public class DataAccessException extends RuntimeException {
    public DataAccessException(String message, Throwable cause) {
        super(message, cause);
    }
}
