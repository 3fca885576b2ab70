package io.montage.cli;

import java.io.IOException;
import java.io.Reader;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;

/**
 * Where the api is and the key to send, each from the first place that has it: the command line
 * ({@code --url}, {@code --key}), the environment ({@code MONTAGE_API_URL}, {@code MONTAGE_API_KEY}), the config
 * file ({@code url=}, {@code key=} in {@code MONTAGE_CONFIG}, else {@code $XDG_CONFIG_HOME/montage/config.properties},
 * else {@code ~/.config/montage/config.properties}). The url defaults to {@code http://localhost:8080}; a key
 * is required.
 */
public record Settings(URI url, String key) {

    static final String DEFAULT_URL = "http://localhost:8080";

    static Settings resolve(String urlOption, String keyOption, Map<String, String> environment) {
        Properties file = configFile(environment);
        String url = first(urlOption, environment.get("MONTAGE_API_URL"), file.getProperty("url"), DEFAULT_URL);
        String key = first(keyOption, environment.get("MONTAGE_API_KEY"), file.getProperty("key"), null);
        if (key == null) {
            throw new CliFailure(ExitCodes.NOT_CONFIGURED, "no API key: set MONTAGE_API_KEY, pass --key, or put "
                    + "key=mtg_live_... in " + configPath(environment));
        }
        URI base;
        try {
            base = URI.create(url.endsWith("/") ? url.substring(0, url.length() - 1) : url);
        } catch (IllegalArgumentException e) {
            throw new CliFailure(ExitCodes.NOT_CONFIGURED, "the api url '" + url + "' is not a URL: " + e.getMessage());
        }
        if (!"http".equals(base.getScheme()) && !"https".equals(base.getScheme()) || base.getHost() == null) {
            throw new CliFailure(ExitCodes.NOT_CONFIGURED,
                    "the api url '" + url + "' must be http(s)://host[:port], e.g. " + DEFAULT_URL);
        }
        return new Settings(base, key.strip());
    }

    static Path configPath(Map<String, String> environment) {
        String explicit = environment.get("MONTAGE_CONFIG");
        if (explicit != null && !explicit.isBlank()) {
            return Path.of(explicit);
        }
        String xdg = environment.get("XDG_CONFIG_HOME");
        Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg)
                : Path.of(environment.getOrDefault("HOME", System.getProperty("user.home")), ".config");
        return base.resolve("montage").resolve("config.properties");
    }

    private static Properties configFile(Map<String, String> environment) {
        Properties properties = new Properties();
        Path path = configPath(environment);
        if (Files.isRegularFile(path)) {
            try (Reader in = Files.newBufferedReader(path)) {
                properties.load(in);
            } catch (IOException e) {
                throw new CliFailure(ExitCodes.NOT_CONFIGURED, "cannot read " + path + ": " + e.getMessage());
            }
        }
        return properties;
    }

    private static String first(String... values) {
        for (String value : values) {
            if (value != null && !value.isBlank()) {
                return value;
            }
        }
        return null;
    }

    @Override
    public String toString() {
        return "Settings[url=" + url + ", key=" + (key.length() > 12 ? key.substring(0, 12) + "…" : "…") + "]";
    }
}
