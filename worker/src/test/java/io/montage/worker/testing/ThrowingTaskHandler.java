package io.montage.worker.testing;

import io.micronaut.json.tree.JsonNode;
import io.montage.db.DataAccessException;
import io.montage.jobs.ItemOutcome;
import io.montage.jobs.contracts.JobContract;
import io.montage.worker.tasks.Item;
import io.montage.worker.tasks.Task;
import io.montage.worker.tasks.TaskHandler;
import jakarta.inject.Singleton;

import java.sql.SQLException;
import java.util.List;

/**
 * Type "test-throwing": every attempt throws what the job's {@code throw} parameter names, each carrying internals
 * a tenant must never read: {@code bug} (an unclassified error), {@code sql-data} (a data exception, SQLState
 * 22P02) or {@code sql-connection} (a lost connection, 08006).
 */
@Singleton
public class ThrowingTaskHandler implements TaskHandler<JsonNode, JsonNode, JsonNode> {

    public static final String TYPE = "test-throwing";
    /** What the thrown exceptions' messages hold: SQL, a class name, a table. */
    public static final String INTERNALS = "ERROR: invalid input syntax for type integer: \"x\" in SELECT n FROM "
            + "items; org.postgresql.util.PSQLException at io.montage.worker.Secret";

    private static final JobContract<JsonNode, JsonNode, JsonNode> CONTRACT = TestContracts.anyJson(TYPE);

    @Override
    public JobContract<JsonNode, JsonNode, JsonNode> contract() {
        return CONTRACT;
    }

    @Override
    public List<ItemOutcome> run(Task<JsonNode, JsonNode> task, List<Item<JsonNode>> items) {
        String what = task.params().get("throw").getStringValue();
        throw switch (what) {
            case "bug" -> new IllegalStateException(INTERNALS);
            case "sql-data" -> new DataAccessException("database: " + INTERNALS, new SQLException(INTERNALS, "22P02"));
            case "sql-connection" -> new DataAccessException("database: " + INTERNALS,
                    new SQLException(INTERNALS, "08006"));
            default -> new IllegalArgumentException(what);
        };
    }
}
