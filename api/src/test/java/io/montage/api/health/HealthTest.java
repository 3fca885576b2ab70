package io.montage.api.health;

import org.junit.jupiter.api.Test;

import static io.montage.api.ApiServer.send;
import static org.junit.jupiter.api.Assertions.assertEquals;

class HealthTest {

    @Test
    void livenessNeedsNoKey() {
        ApiServerResponse.assertStatus(send("GET", "/health", null, null), 200, "up");
    }

    @Test
    void readinessChecksTheDatabaseAndMigrations() {
        ApiServerResponse.assertStatus(send("GET", "/ready", null, null), 200, "ready");
    }

    private static final class ApiServerResponse {
        static void assertStatus(io.montage.api.ApiServer.Response response, int status, String value) {
            assertEquals(status, response.status(), response.body());
            assertEquals(value, response.json().get("status").getStringValue());
        }
    }
}
