package io.montage.cli;

import picocli.CommandLine.Option;

import java.util.Map;

/** The options every command that calls the api has (a mixin), over the environment and the config file. */
public final class ApiOptions {

    private final Map<String, String> environment;

    @Option(names = "--url", paramLabel = "URL",
            description = "The api's base URL (default: MONTAGE_API_URL, the config file, else http://localhost:8080)")
    String url;

    @Option(names = "--key", paramLabel = "KEY",
            description = "The API key, mtg_live_... (default: MONTAGE_API_KEY, else the config file)")
    String key;

    public ApiOptions(Map<String, String> environment) {
        this.environment = environment;
    }

    /** A connection to the api these options name. */
    public Api connect() {
        return new Api(Settings.resolve(url, key, environment));
    }
}
