package io.montage.api.admin;

import io.micronaut.context.annotation.Prototype;
import io.montage.db.Migrator;
import jakarta.inject.Inject;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.util.concurrent.Callable;

/** Applies pending migrations (what the api and worker also do at start unless migrate-on-start is false). */
@Prototype
@Command(name = "migrate", mixinStandardHelpOptions = true, description = "Apply pending database migrations.")
public class MigrateCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Inject
    Migrator migrator;

    @Override
    public Integer call() {
        int applied = migrator.migrate();
        spec.commandLine().getErr().println("applied " + applied + " migration(s); schema is current");
        return 0;
    }
}
