package io.montage.api.health;

import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.rules.SecurityRule;
import io.micronaut.serde.annotation.Serdeable;
import io.montage.api.problems.Problem;
import io.montage.db.Database;
import io.montage.db.Migrator;

import java.sql.Statement;

/**
 * Liveness ({@code /health}: the process serves HTTP) and readiness ({@code /ready}: the database answers and
 * every migration is applied). Load balancers send traffic only where {@code /ready} is 200.
 */
@Controller
@Secured(SecurityRule.IS_ANONYMOUS)
public class HealthController {

    @Serdeable
    public record Status(String status) {
    }

    private final Database database;
    private final Migrator migrator;
    /** Applied migrations never become unapplied: once current, only a newer build can change that. */
    private volatile boolean schemaCurrent;

    public HealthController(Database database, Migrator migrator) {
        this.database = database;
        this.migrator = migrator;
    }

    @Get("/health")
    public Status health() {
        return new Status("up");
    }

    @Get("/ready")
    public HttpResponse<?> ready() {
        try {
            database.asSystem(c -> {
                try (Statement s = c.createStatement()) {
                    return s.execute("SELECT 1");
                }
            });
        } catch (RuntimeException e) {
            return Problem.of(503, "database_unavailable", "the database does not answer: " + e.getMessage())
                    .toResponse();
        }
        if (!schemaCurrent) {
            String[] pending = migrator.pendingVersions();
            if (pending.length > 0) {
                return Problem.of(503, "migrations_pending",
                        "database migrations not yet applied: " + String.join(", ", pending)).toResponse();
            }
            schemaCurrent = true;
        }
        return HttpResponse.ok(new Status("ready"));
    }
}
