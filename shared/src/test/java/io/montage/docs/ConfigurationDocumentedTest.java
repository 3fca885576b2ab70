package io.montage.docs;

import io.montage.testing.ConfigurationDocs;

/** Every typed property of this module has its row, with the code's default, in docs/operations.md. */
class ConfigurationDocumentedTest extends ConfigurationDocs {
}
