package io.montage.api.admin;

import io.micronaut.json.JsonMapper;
import jakarta.inject.Inject;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;

/** A command that lists rows: as a table for people, or with {@code --json} as one JSON array for scripts. */
abstract class ListingCommand<T> implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--json", description = "Print a JSON array (snake_case fields) instead of a table")
    boolean json;

    @Inject
    JsonMapper jsonMapper;

    /** The rows, as the JSON array holds them (@Serdeable records). */
    abstract List<T> rows();

    abstract Table table(List<T> rows);

    @Override
    public Integer call() throws IOException {
        List<T> rows = rows();
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            out.println(jsonMapper.writeValueAsString(rows));
        } else {
            table(rows).print(out);
        }
        return 0;
    }
}
