package io.montage.api.openapi;

import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.rules.SecurityRule;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;

/**
 * The API's description, public: {@code /openapi.yml} is the spec generated from the controllers ({@link OpenApiSpec},
 * ADR 0024), {@code /docs} the interactive page (Swagger UI from its webjar, served under {@code /docs/} as static
 * resources) that reads it.
 */
@Tag(name = "Docs")
@EdgeProblems
@Controller
@Secured(SecurityRule.IS_ANONYMOUS)
public class ApiDocsController {

    /** RFC 9512's media type for YAML. */
    static final String YAML = "application/yaml";
    /**
     * The page loads only its own scripts and styles; Swagger UI sets inline styles and draws icons as data URLs,
     * and "Try it out" calls this api.
     */
    static final String PAGE_POLICY = "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
            + "img-src 'self' data:; font-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'none'; "
            + "frame-ancestors 'none'";

    private final byte[] spec;
    private final byte[] page = OpenApiSpec.resource("/io/montage/api/openapi/static/index.html");

    public ApiDocsController(OpenApiSpec spec) {
        this.spec = spec.yaml();
    }

    @Operation(operationId = "getOpenApi", summary = "This description of the API, as OpenAPI 3.1 YAML")
    @ApiResponse(responseCode = "200", description = "the spec",
            content = @Content(mediaType = YAML, schema = @Schema(type = "string")))
    @Get(value = "/openapi.yml", produces = YAML)
    public HttpResponse<byte[]> openApi() {
        return HttpResponse.ok(spec).contentType(YAML);
    }

    @Operation(operationId = "getApiDocs", summary = "The interactive API page (Swagger UI)")
    @ApiResponse(responseCode = "200", description = "the page",
            content = @Content(mediaType = MediaType.TEXT_HTML, schema = @Schema(type = "string")))
    @Get(value = "/docs", produces = MediaType.TEXT_HTML)
    public HttpResponse<byte[]> docs() {
        return HttpResponse.ok(page).contentType(MediaType.TEXT_HTML_TYPE)
                .header("Content-Security-Policy", PAGE_POLICY);
    }
}
