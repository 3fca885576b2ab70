package io.montage.testing;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;

import java.util.List;
import java.util.stream.Stream;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

/**
 * Montage's architecture as executable rules, run by each module's tests against its own classes:
 * the deployables (api, worker, console) never use each other; shared code has no HTTP server and no UI; code is
 * packaged by feature, not by layer.
 */
public final class ArchitectureRules {

    private static final List<String> DEPLOYABLES = List.of("api", "worker", "console");
    /** Layer names. Not "model(s)": Model is a feature of Montage's vocabulary (io.montage.models). */
    private static final List<String> LAYER_PACKAGE_NAMES =
            List.of("controller", "controllers", "service", "services", "repository", "repositories", "dao",
                    "dto", "dtos", "entity", "entities", "util", "utils", "helpers");

    private ArchitectureRules() {
    }

    /** The production classes of the module whose tests call this. */
    public static JavaClasses productionClasses() {
        return new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_JARS)
                .importPackages("io.montage");
    }

    /** Rules for one deployable module ("api", "worker", "console"). */
    public static List<ArchRule> forDeployable(String module) {
        Stream<ArchRule> others = DEPLOYABLES.stream().filter(m -> !m.equals(module))
                .map(other -> noClasses().that().resideInAPackage("io.montage." + module + "..")
                        .should().dependOnClassesThat().resideInAPackage("io.montage." + other + "..")
                        .because(module + " and " + other + " deploy separately and share only io.montage shared code"));
        return Stream.concat(others, Stream.of(packagedByFeature())).toList();
    }

    /** Rules for the shared module. */
    public static List<ArchRule> forShared() {
        ArchRule noDeployables = noClasses().should().dependOnClassesThat()
                .resideInAnyPackage(DEPLOYABLES.stream().map(m -> "io.montage." + m + "..").toArray(String[]::new))
                .because("shared is below api, worker and console");
        ArchRule noHttpNoUi = noClasses().should().dependOnClassesThat()
                .resideInAnyPackage("io.micronaut.http..", "io.netty..", "com.vaadin..", "jakarta.servlet..",
                        "org.eclipse.jetty..")
                .because("shared holds domain, persistence, queue and auth: no HTTP server, no UI");
        return List.of(noDeployables, noHttpNoUi, packagedByFeature());
    }

    private static ArchRule packagedByFeature() {
        return noClasses().should().resideInAnyPackage(
                        LAYER_PACKAGE_NAMES.stream().map(name -> ".." + name + "..").toArray(String[]::new))
                .because("packages are named after features (io.montage.jobs), not layers");
    }
}
