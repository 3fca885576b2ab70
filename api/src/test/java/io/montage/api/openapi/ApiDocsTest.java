package io.montage.api.openapi;

import io.montage.api.ApiServer;
import org.junit.jupiter.api.Test;

import static io.montage.api.ApiServer.send;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The spec and the API page are public, served as what they are; the 404 that points to the spec is true. */
class ApiDocsTest {

    @Test
    void theSpecIsServedAsYamlWithoutAKey() {
        ApiServer.Response response = send("GET", "/openapi.yml", null, null);
        assertEquals(200, response.status(), response.body());
        assertEquals("application/yaml", response.contentType());
        assertTrue(response.body().startsWith("openapi: 3.1"), response.body());
        assertTrue(response.body().contains("operationId: createJob"), "POST /v1/jobs is named for what it does");
        assertFalse(response.body().contains("encodingFormat"), "wire names only");
        assertTrue(response.body().contains("encoding_format"));
        assertTrue(send("GET", "/no/such/route", null, null).json().get("detail").getStringValue()
                .contains("/openapi.yml"), "the 404 points to where the spec really is");
    }

    @Test
    void theApiPageLoadsSwaggerUiFromTheApiItself() {
        ApiServer.Response page = send("GET", "/docs", null, null);
        assertEquals(200, page.status(), page.body());
        assertTrue(page.contentType().startsWith("text/html"), page.contentType());
        String policy = page.header("Content-Security-Policy");
        assertTrue(policy.contains("script-src 'self'") && !policy.contains("unsafe-eval"), policy);
        for (String file : new String[]{"/docs/swagger-ui-bundle.js", "/docs/swagger-ui.css", "/docs/swagger-initializer.js"}) {
            assertTrue(page.body().contains(file), file);
            ApiServer.Response asset = send("GET", file, null, null);
            assertEquals(200, asset.status(), file);
            assertFalse(asset.body().isEmpty(), file);
        }
        String start = send("GET", "/docs/swagger-initializer.js", null, null).body();
        assertTrue(start.contains("/openapi.yml") && !start.contains("petstore"), "the webjar's demo start script is shadowed");
        assertEquals(page.body(), send("GET", "/docs/index.html", null, null).body(), "and its demo page");
    }
}
