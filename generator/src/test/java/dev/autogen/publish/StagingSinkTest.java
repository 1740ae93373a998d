package dev.autogen.publish;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StagingSinkTest {
    private static final String HEX = "0123456789abcdef".repeat(4);

    @Test
    void onlyDocumentsNamedByTheirDigestAreTakenAsContentAddressed() {
        assertTrue(StagingSink.isContentAddressed("private/docs/" + HEX + ".xml"));
        assertTrue(StagingSink.isContentAddressed("private/docs/" + HEX + ".plist"));
        // Anything else may hold different bytes under the same name, so a second put must still be compared.
        assertFalse(StagingSink.isContentAddressed("private/docs/" + HEX.toUpperCase() + ".xml"));
        assertFalse(StagingSink.isContentAddressed("private/docs/" + HEX.substring(1) + ".xml"));
        assertFalse(StagingSink.isContentAddressed("private/docs/" + HEX));
        assertFalse(StagingSink.isContentAddressed("private/docs/" + HEX + ".xml/x"));
        assertFalse(StagingSink.isContentAddressed("private/domains.tsv"));
        assertFalse(StagingSink.isContentAddressed("public/" + HEX + ".xml"));
        assertFalse(StagingSink.isContentAddressed("private/errors/autodiscover-600.xml"));
    }
}
