package io.montage.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Base64;

/** An image file as the api's JSON takes it: base64 (the api reads the format from the bytes). */
public final class Images {

    private Images() {
    }

    public static String base64(Path file) {
        try {
            return Base64.getEncoder().encodeToString(Files.readAllBytes(file));
        } catch (NoSuchFileException e) {
            throw new CliFailure(ExitCodes.REFUSED, "no such file: " + file);
        } catch (IOException e) {
            throw new CliFailure(ExitCodes.REFUSED, "cannot read " + file + ": " + e.getMessage());
        }
    }
}
