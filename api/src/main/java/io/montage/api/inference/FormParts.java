package io.montage.api.inference;

import io.micronaut.http.multipart.CompletedFileUpload;
import io.micronaut.http.multipart.CompletedPart;
import io.micronaut.http.server.multipart.MultipartBody;
import io.montage.errors.MontageException;
import io.montage.jobs.contracts.ItemSource;
import io.montage.json.StrictJson;
import reactor.core.publisher.Flux;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The parts of a {@code multipart/form-data} inference request, in the order they were sent: text fields and files
 * (images). Each part's bytes are copied out as it completes, so the framework's buffers are released at once.
 * Only the named fields are accepted: a typo is a 422 naming the field, not a silently ignored input. Text fields
 * pass the same text check as JSON strings (no NUL, no lone surrogates).
 */
final class FormParts {

    /** One part: a text field, or a file's bytes (then {@code text} is null). */
    record Part(String name, String text, byte[] bytes) {
        boolean isFile() {
            return bytes != null;
        }
    }

    private final List<Part> parts;

    private FormParts(List<Part> parts) {
        this.parts = parts;
    }

    /**
     * Reads every part of the body (waiting at most {@code timeout} for the upload); fields outside {@code allowed}
     * are refused.
     */
    static FormParts read(MultipartBody body, Set<String> allowed, Duration timeout) {
        List<Part> parts = new ArrayList<>();
        List<CompletedPart> received = Flux.from(body).map(part -> {
            if (!allowed.contains(part.getName())) {
                throw MontageException.invalid("unknown_form_field", "form field '" + part.getName()
                        + "' is not one of " + allowed.stream().sorted().toList());
            }
            parts.add(copy(part));
            return part;
        }).collectList().block(timeout);
        if (received == null || received.isEmpty()) {
            throw MontageException.invalid("empty_form", "the form has no fields; send at least one input");
        }
        return new FormParts(parts);
    }

    private static Part copy(CompletedPart part) {
        try {
            byte[] bytes = part.getBytes();
            if (part instanceof CompletedFileUpload) {
                return new Part(part.getName(), null, bytes);
            }
            String text = new String(bytes, StandardCharsets.UTF_8);
            StrictJson.checkText(text, "form field '" + part.getName() + "'");
            return new Part(part.getName(), text, null);
        } catch (IOException e) {
            throw new MontageException(400, "upload_interrupted", "the form ended before it was complete; send it again");
        }
    }

    List<Part> all() {
        return parts;
    }

    /** The text fields named {@code name}, in order (a file sent under that name is refused). */
    List<String> texts(String name) {
        List<String> texts = new ArrayList<>();
        for (Part part : parts) {
            if (part.name().equals(name)) {
                if (part.isFile()) {
                    throw MontageException.invalid("invalid_form_field", "form field '" + name
                            + "' must be a text field, not a file");
                }
                texts.add(part.text());
            }
        }
        return texts;
    }

    /** The single text field {@code name}, or null when absent. */
    String text(String name) {
        List<String> texts = texts(name);
        if (texts.size() > 1) {
            throw MontageException.invalid("invalid_form_field", "form field '" + name + "' may appear once");
        }
        return texts.isEmpty() ? null : texts.getFirst();
    }

    /** The files sent as {@code name}, as image items of their bytes as sent (never base64), in order. */
    List<ItemSource> images(String name, InferenceLimits limits) {
        List<ItemSource> images = new ArrayList<>();
        for (Part part : parts) {
            if (part.name().equals(name)) {
                if (!part.isFile()) {
                    throw MontageException.invalid("invalid_form_field", "form field '" + name
                            + "' must be a file (an image), not a text field");
                }
                images.add(image(part, limits));
            }
        }
        return images;
    }

    static ItemSource image(Part part, InferenceLimits limits) {
        return ItemSource.image(InputEncoding.image(part.bytes(), "form file '" + part.name() + "'", limits));
    }
}
