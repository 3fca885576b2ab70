package io.montage.bench.dashboard;

import javax.sql.DataSource;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * A pool whose connections, while {@link #plansOf} runs, first run {@code EXPLAIN (ANALYZE, BUFFERS)} of every
 * prepared query they are asked to execute, with the same parameters and in the same transaction (the system role,
 * row-level security), then the query itself. So the report shows the plans of the very statements the production
 * classes send, without a copy of their SQL in the bench.
 */
final class ExplainingDataSource {

    private record Setting(Method setter, Object[] args) {
    }

    private final DataSource pool;
    private final ThreadLocal<List<String>> plans = new ThreadLocal<>(); // set while plansOf runs on this thread

    ExplainingDataSource(DataSource pool) {
        this.pool = pool;
    }

    /** The pool to hand the platform's classes. */
    DataSource dataSource() {
        return proxy(DataSource.class, (method, args) -> {
            Object result = call(method, pool, args);
            return method.getName().equals("getConnection") ? connection((Connection) result) : result;
        });
    }

    /** The plans of the queries {@code call} executes (on this thread), each after its SQL text. */
    List<String> plansOf(Supplier<?> call) {
        List<String> collected = new ArrayList<>();
        plans.set(collected);
        try {
            call.get();
        } finally {
            plans.remove();
        }
        return collected;
    }

    private Connection connection(Connection connection) {
        return proxy(Connection.class, (method, args) -> {
            Object result = call(method, connection, args);
            if (method.getName().equals("prepareStatement") && args.length == 1) {
                return statement(connection, (String) args[0], (PreparedStatement) result);
            }
            return result;
        });
    }

    private PreparedStatement statement(Connection connection, String sql, PreparedStatement statement) {
        List<Setting> settings = new ArrayList<>();
        return proxy(PreparedStatement.class, (method, args) -> {
            if (method.getName().startsWith("set") && args != null && args.length >= 2 && args[0] instanceof Integer) {
                settings.add(new Setting(method, args));
            } else if (method.getName().equals("clearParameters")) {
                settings.clear();
            } else if (method.getName().equals("executeQuery") && args == null && plans.get() != null) {
                plans.get().add(sql + "\n" + explain(connection, sql, settings));
            }
            return call(method, statement, args);
        });
    }

    private static String explain(Connection connection, String sql, List<Setting> settings) throws Exception {
        try (PreparedStatement explain = connection.prepareStatement("EXPLAIN (ANALYZE, BUFFERS) " + sql)) {
            for (Setting setting : settings) {
                call(setting.setter(), explain, setting.args());
            }
            StringBuilder plan = new StringBuilder();
            try (ResultSet rs = explain.executeQuery()) {
                while (rs.next()) {
                    plan.append(rs.getString(1)).append('\n');
                }
            }
            return plan.toString();
        }
    }

    private interface Handler {
        Object handle(Method method, Object[] args) throws Exception;
    }

    @SuppressWarnings("unchecked")
    private static <T> T proxy(Class<T> type, Handler handler) {
        InvocationHandler invocation = (self, method, args) -> handler.handle(method, args);
        return (T) Proxy.newProxyInstance(ExplainingDataSource.class.getClassLoader(), new Class<?>[]{type}, invocation);
    }

    /** The call on the real object, its own exception unwrapped (the pool and the driver throw SQLExceptions). */
    private static Object call(Method method, Object target, Object[] args) throws Exception {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            if (e.getCause() instanceof SQLException sql) {
                throw sql;
            }
            throw e.getCause() instanceof Exception other ? other : e;
        }
    }
}
