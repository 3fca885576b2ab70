package io.montage.api.problems;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;

import java.io.EOFException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Why a JSON body could not be read into a request, in the API's words: it is not JSON, it is empty, it passes a
 * parser limit, or a field has the wrong type. The parser's messages name its classes and settings, so only the
 * position is taken from them.
 */
final class JsonBodyProblems {

    /** Where the binder (not the parser) failed, as its message puts it; the last position is the failure's. */
    private static final Pattern POSITION = Pattern.compile("line: (\\d+), column: (\\d+)");

    private JsonBodyProblems() {
    }

    /** The body failed to parse or bind; {@code failure} is what the framework raised. */
    static Problem of(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof StreamConstraintsException) {
                StreamReadConstraints limits = StreamReadConstraints.defaults();
                return Problem.of(400, "json_too_complex", "the body passes a JSON limit: at most "
                        + limits.getMaxNestingDepth() + " levels of nesting, numbers of at most "
                        + limits.getMaxNumberLength() + " digits, strings of at most " + limits.getMaxStringLength()
                        + " characters");
            }
            if (cause instanceof JsonProcessingException parse) {
                return Problem.of(400, "invalid_json", "the body is not valid JSON" + at(parse.getLocation())
                        + "; check quotes, commas and brackets");
            }
            if (cause instanceof EOFException) {
                return missing();
            }
        }
        return Problem.of(400, "invalid_body", "a field of the body has the wrong JSON type" + at(failure)
                + "; see docs/api.md for this endpoint's fields");
    }

    static Problem missing() {
        return Problem.of(400, "missing_body", "this endpoint needs a JSON body (Content-Type: application/json)");
    }

    private static String at(JsonLocation location) {
        return location == null || location.getLineNr() < 1 ? ""
                : " (line " + location.getLineNr() + ", column " + location.getColumnNr() + ")";
    }

    private static String at(Throwable failure) {
        Matcher matcher = POSITION.matcher(String.valueOf(failure.getMessage()));
        String position = "";
        while (matcher.find()) {
            position = " (line " + matcher.group(1) + ", column " + matcher.group(2) + ")";
        }
        return position;
    }
}
