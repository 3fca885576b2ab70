package io.montage.api;

import io.micronaut.runtime.Micronaut;
import io.montage.api.admin.AdminCommand;
import io.swagger.v3.oas.annotations.OpenAPIDefinition;
import io.swagger.v3.oas.annotations.info.Info;
import io.swagger.v3.oas.annotations.security.SecurityScheme;
import io.swagger.v3.oas.annotations.tags.Tag;
import io.swagger.v3.oas.annotations.enums.SecuritySchemeType;

/**
 * Starts the HTTP API, or, with arguments, runs an admin command ({@code montage-api admin create-tenant …}).
 */
@OpenAPIDefinition(info = @Info(title = "Montage API", version = "v1",
        description = "Multimodal (image + text) model serving: jobs, embeddings, search. Guide: docs/api.md."),
        tags = {@Tag(name = "Jobs"), @Tag(name = "Inference"), @Tag(name = "Collections"), @Tag(name = "Models"),
                @Tag(name = "Evaluations"), @Tag(name = "Health"), @Tag(name = "Docs")}) // the API page's order
@SecurityScheme(name = "apiKey", type = SecuritySchemeType.HTTP, scheme = "bearer", bearerFormat = "mtg_live_…")
public final class ApiMain {

    private ApiMain() {
    }

    public static void main(String[] args) {
        if (args.length > 0 && args[0].equals("admin")) {
            System.exit(AdminCommand.run(java.util.Arrays.copyOfRange(args, 1, args.length)));
        }
        Micronaut.run(ApiMain.class, args);
    }
}
