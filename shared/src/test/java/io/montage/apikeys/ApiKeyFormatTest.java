package io.montage.apikeys;

import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ApiKeyFormatTest {

    @Test
    void generatedKeysHaveThePrefixFullEntropyAndAValidChecksum() {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 1000; i++) {
            String key = ApiKeyFormat.generate();
            assertTrue(key.startsWith("mtg_live_"), key);
            assertEquals(9 + 43 + 6, key.length());
            assertNotNull(ApiKeyFormat.parse(key).key(), key);
            assertTrue(seen.add(key));
        }
    }

    @Test
    void everySingleCharacterTypoInTheSecretIsCaughtByTheChecksum() {
        String key = ApiKeyFormat.generate();
        int caught = 0;
        for (int i = 9; i < 9 + 43; i++) {
            char replacement = key.charAt(i) == 'a' ? 'b' : 'a';
            String typo = key.substring(0, i) + replacement + key.substring(i + 1);
            if (ApiKeyFormat.parse(typo).defect() == ApiKeyFormat.Defect.BAD_CHECKSUM) {
                caught++;
            }
        }
        assertEquals(43, caught);
    }

    @Test
    void wrongShapesAreMalformed() {
        String key = ApiKeyFormat.generate();
        for (String bad : new String[]{null, "", "Bearer " + key, key.substring(0, key.length() - 1), key + "x",
                key.replace("mtg_live_", "mtg_test_"), key.replace('A', '-')}) {
            if (bad != null && bad.equals(key)) {
                continue;
            }
            assertEquals(ApiKeyFormat.Defect.MALFORMED, ApiKeyFormat.parse(bad).defect(), String.valueOf(bad));
        }
    }

    @Test
    void theLookupPrefixAndHashAreStableForAKey() {
        String key = ApiKeyFormat.generate();
        ApiKeyFormat.ParsedKey one = ApiKeyFormat.parse(key).key();
        ApiKeyFormat.ParsedKey two = ApiKeyFormat.parse(key).key();
        assertEquals(key.substring(9, 19), one.lookupPrefix());
        assertArrayEquals(one.hash(), two.hash());
        assertEquals(32, one.hash().length);
    }
}
