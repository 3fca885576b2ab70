import io.montage.api.openapi.OpenApiSpec;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes the spec the api serves at {@code /openapi.yml} (micronaut-openapi's output as the api's OpenApiSpec
 * repairs it) to the path given, for the client generator. Run at build time by this module's pom with the java
 * source launcher, on the api's classes: the client is generated from exactly what the server serves (ADR 0029).
 */
final class ServedSpec {

    public static void main(String[] args) throws Exception {
        Path target = Path.of(args[0]);
        Files.createDirectories(target.getParent());
        Files.write(target, new OpenApiSpec().yaml());
    }
}
