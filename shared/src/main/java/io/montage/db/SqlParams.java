package io.montage.db;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;

/**
 * Binds a statement's parameters in the order they appear, from wherever they start: a statement sent in one round
 * trip behind the settings of its transaction ({@link Database#inTenant(java.util.UUID, Durability, Lead)}) has its
 * own first parameter after theirs, and sequential binding keeps that offset out of every caller (and lets a column
 * be added with one line).
 */
public final class SqlParams {

    private final Connection connection;
    private final PreparedStatement statement;
    private int next;

    SqlParams(Connection connection, PreparedStatement statement, int first) {
        this.connection = connection;
        this.statement = statement;
        this.next = first;
    }

    /** The parameters of a statement of the caller's own, from its first. */
    public static SqlParams of(Connection connection, PreparedStatement statement) {
        return new SqlParams(connection, statement, 1);
    }

    /** The next parameter; a Java null binds SQL NULL (the SQL gives its type with a cast). */
    public SqlParams add(Object value) throws SQLException {
        statement.setObject(next++, value);
        return this;
    }

    /** The next parameter as an array of PostgreSQL's {@code elementType} ({@code "text"}, {@code "int4"}, …). */
    public SqlParams array(String elementType, Object[] values) throws SQLException {
        statement.setArray(next++, connection.createArrayOf(elementType, values));
        return this;
    }
}
