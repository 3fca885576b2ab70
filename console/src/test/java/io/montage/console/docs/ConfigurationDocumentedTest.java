package io.montage.console.docs;

import io.montage.testing.ConfigurationDocs;

/** Every typed property of the console has its row, with the code's default, in docs/operations.md. */
class ConfigurationDocumentedTest extends ConfigurationDocs {
}
