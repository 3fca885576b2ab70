package io.montage.testing;

import io.micronaut.json.JsonMapper;
import io.micronaut.json.tree.JsonNode;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * Holds the configuration table of docs/operations.md to a module's typed properties: Micronaut's annotation
 * processor writes every {@code @ConfigurationProperties} property, with its {@code @Bindable} default, to
 * META-INF/spring-configuration-metadata.json; each must have a row, and the row's default must be the code's.
 * Each module runs it by extending this class with an empty test class of its own.
 */
public abstract class ConfigurationDocs {

    /** {@code | `montage.a.b` | default | …} and {@code | `montage.a.b` / `c` | …}, where c is a sibling of b. */
    private static final Pattern ROW = Pattern.compile("^\\| `([a-z0-9.-]+)`(?: / `([a-z0-9.-]+)`)? \\| ([^|]*) \\|",
            Pattern.MULTILINE);

    @Test
    void everyPropertyOfThisModuleIsInTheConfigurationTable() throws IOException {
        Path classes = Path.of("target/classes"); // the module's own, as Maven runs its tests in its directory
        Map<String, String> documented = rows(Files.readString(Path.of("../docs/operations.md")));
        JsonNode metadata = JsonMapper.createDefault().readValue(
                Files.readString(classes.resolve("META-INF/spring-configuration-metadata.json")), JsonNode.class);
        Set<String> wrong = new TreeSet<>();
        int checked = 0;
        for (JsonNode property : metadata.get("properties").values()) {
            String name = property.get("name").getStringValue();
            checked++;
            String row = documented.get(name);
            JsonNode code = property.get("defaultValue");
            if (row == null) {
                wrong.add(name + ": no row in the configuration table");
            } else if (code != null && !row.replace("`", "").contains(code.getStringValue())) {
                wrong.add(name + ": the code's default is " + code.getStringValue() + ", the table says " + row);
            }
        }
        assertFalse(checked == 0, "no properties found in " + classes);
        assertEquals(Set.of(), wrong, "docs/operations.md, Configuration");
    }

    private static Map<String, String> rows(String markdown) {
        Map<String, String> rows = new HashMap<>();
        Matcher row = ROW.matcher(markdown);
        while (row.find()) {
            rows.put(row.group(1), row.group(3).strip());
            if (row.group(2) != null) {
                rows.put(row.group(1).substring(0, row.group(1).lastIndexOf('.') + 1) + row.group(2), row.group(3).strip());
            }
        }
        return rows;
    }
}
