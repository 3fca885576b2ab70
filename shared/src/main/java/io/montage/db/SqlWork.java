package io.montage.db;

import java.sql.Connection;
import java.sql.SQLException;

/** A unit of work inside one transaction. It may run more than once when the database asks for a retry. */
@FunctionalInterface
public interface SqlWork<T> {
    T run(Connection connection) throws SQLException;
}
