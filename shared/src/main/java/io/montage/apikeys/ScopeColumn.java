package io.montage.apikeys;

import io.micronaut.core.convert.ConversionContext;
import io.micronaut.data.model.runtime.convert.AttributeConverter;
import jakarta.inject.Singleton;

import java.sql.Array;
import java.sql.SQLException;
import java.util.EnumSet;
import java.util.Set;

/**
 * A key's scopes as the text[] of wire names the database holds; a name this version does not know is dropped.
 * Written as a String[], read as the driver's {@link Array} (the mapper hands a converter the column's raw value).
 */
@Singleton
class ScopeColumn implements AttributeConverter<Set<Scope>, Object> {

    @Override
    public Object convertToPersistedValue(Set<Scope> scopes, ConversionContext context) {
        return scopes == null ? null : scopes.stream().map(Scope::wireName).toArray(String[]::new);
    }

    @Override
    public Set<Scope> convertToEntityValue(Object column, ConversionContext context) {
        return scopes(column);
    }

    /** The scopes of a column value: the driver's {@link Array} or the names themselves. */
    static Set<Scope> scopes(Object column) {
        Set<Scope> scopes = EnumSet.noneOf(Scope.class);
        for (Object name : names(column)) {
            Scope.fromWireName(String.valueOf(name)).ifPresent(scopes::add);
        }
        return scopes;
    }

    private static Object[] names(Object column) {
        try {
            return column instanceof Array array ? (Object[]) array.getArray()
                    : column instanceof Object[] names ? names : new Object[0];
        } catch (SQLException e) {
            throw new IllegalStateException("api_keys.scopes is unreadable", e);
        }
    }
}
