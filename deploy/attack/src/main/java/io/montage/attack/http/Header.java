package io.montage.attack.http;

/** One request header line, sent as given (a probe may repeat a name or send odd values on purpose). */
public record Header(String name, String value) {
}
