package io.montage.api.docs;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every error code the code base can answer with is in the docs: docs/api.md for what tenants get (HTTP problems
 * and item errors), docs/operations.md for what only admin commands say. The codes are read from the sources the
 * way they are written (a status and a code, the MontageException factories, task failures, key rejections), so a
 * new code cannot ship undocumented.
 */
class ErrorCodesDocumentedTest {

    private static final Path ROOT = Path.of("..");
    private static final String CODE = "\"([a-z][a-z0-9]*(?:_[a-z0-9]+)*_?)\"";
    private static final List<Pattern> WRITTEN_AS = List.of(
            Pattern.compile("\\b[1-5]\\d\\d,\\s*" + CODE),                              // Problem.of(422, "code"
            Pattern.compile("MontageException\\.(?:invalid|notFound|conflict)\\(\\s*" + CODE), // .invalid("code"
            Pattern.compile("Exception\\(\\s*" + CODE + "\\s*[,+]"),                    // new …Exception("code", …
            Pattern.compile("\\bfailed\\([^,()]*(?:\\(\\))?,\\s*" + CODE));             // ItemOutcome.failed(seq, "code"
    private static final Pattern KEY_REJECTION = Pattern.compile("^\\s+[A-Z_]+\\(" + CODE, Pattern.MULTILINE);
    /** `…` spans of a markdown file. */
    private static final Pattern BACKTICKS = Pattern.compile("`([^`\\n]+)`");

    @Test
    void everyErrorCodeIsDocumented() throws IOException {
        Set<String> codes = codesInSources();
        assertTrue(codes.size() > 100, "the scan finds the codes: " + codes);
        Set<String> documented = documented(ROOT.resolve("docs/api.md"));
        documented.addAll(documented(ROOT.resolve("docs/operations.md")));
        Set<String> missing = new TreeSet<>();
        for (String code : codes) {
            boolean prefix = code.endsWith("_"); // "missing_" + field: some documented code must start with it
            if (prefix ? documented.stream().noneMatch(d -> d.startsWith(code)) : !documented.contains(code)) {
                missing.add(code);
            }
        }
        assertEquals(Set.of(), missing, "error codes in the code but not in docs/api.md (or, admin only, docs/operations.md)");
    }

    private static Set<String> codesInSources() throws IOException {
        Set<String> codes = new TreeSet<>();
        for (String module : List.of("api", "shared", "worker")) {
            try (Stream<Path> files = Files.walk(ROOT.resolve(module).resolve("src/main/java"))) {
                for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                    String source = Files.readString(file);
                    WRITTEN_AS.forEach(pattern -> collect(pattern.matcher(source), codes));
                    if (file.endsWith("KeyRejection.java")) {
                        collect(KEY_REJECTION.matcher(source), codes);
                    }
                }
            }
        }
        return codes;
    }

    /** Words that look like codes inside the backtick spans of a markdown file. */
    private static Set<String> documented(Path markdown) {
        Set<String> words = new TreeSet<>();
        try {
            Matcher span = BACKTICKS.matcher(Files.readString(markdown));
            while (span.find()) {
                for (String word : span.group(1).split("[^a-z0-9_]+")) {
                    words.add(word);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return words;
    }

    private static void collect(Matcher matcher, Set<String> into) {
        while (matcher.find()) {
            into.add(matcher.group(1));
        }
    }
}
