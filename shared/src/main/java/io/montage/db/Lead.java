package io.montage.db;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * The first statement of a unit of work, sent in the same round trip as its transaction's settings (the tenant or
 * the system role, the commit's durability): its SQL (one statement that returns rows), its parameters and what its
 * rows say. {@code fixedWidthRows}: every column of its rows has a fixed width (integers, uuids, timestamps; no text),
 * which lets a one-trip lead be server-prepared (see {@link Database}); a wrong claim fails closed (the statement
 * would run without the tenant or the system role, so it sees and may write nothing). The same shape serves a
 * trailer: a statement sent after the lead in its trip ({@link Database#inTenant(java.util.UUID, Durability, Lead,
 * Lead)}).
 */
public record Lead<T>(String sql, Bind bind, Read<T> read, boolean fixedWidthRows) {

    /** A lead whose rows may hold text. */
    public Lead(String sql, Bind bind, Read<T> read) {
        this(sql, bind, read, false);
    }

    /** A lead whose rows hold fixed-width columns only. */
    public static <T> Lead<T> fixedWidth(String sql, Bind bind, Read<T> read) {
        return new Lead<>(sql, bind, read, true);
    }

    /** Runs this statement alone on {@code c} (in whatever transaction it is in) and reads its rows. */
    public T runOn(Connection c) throws SQLException {
        try (PreparedStatement statement = c.prepareStatement(sql)) {
            bind.bind(SqlParams.of(c, statement));
            try (ResultSet rows = statement.executeQuery()) {
                return read.read(rows);
            }
        }
    }

    @FunctionalInterface
    public interface Bind {
        void bind(SqlParams params) throws SQLException;
    }

    @FunctionalInterface
    public interface Read<T> {
        /** Reads the statement's rows (the cursor before the first). */
        T read(ResultSet rows) throws SQLException;
    }
}
