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
import io.micronaut.http.MediaType;
import io.montage.api.openapi.EdgeProblems;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;

import java.sql.Statement;

/**
 * Liveness ({@code /health}: the process serves HTTP) and readiness ({@code /ready}: the database answers and
 * every migration is applied). Load balancers send traffic only where {@code /ready} is 200.
 */
@Tag(name = "Health")
@EdgeProblems
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

    @Operation(operationId = "getHealth", summary = "Liveness: the process serves HTTP")
    @Get("/health")
    public Status health() {
        return new Status("up");
    }

    @Operation(operationId = "getReadiness", summary = "Readiness: the database answers and every migration is applied")
    @ApiResponse(responseCode = "200", description = "ready", content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = Status.class)))
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
