package dev.autogen.probe;

import com.dd.plist.NSDictionary;
import org.junit.jupiter.api.Test;

import static dev.autogen.probe.Documents.ADDRESS;
import static dev.autogen.probe.Documents.mailPayload;
import static dev.autogen.probe.Documents.plist;
import static dev.autogen.probe.Documents.profile;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ProfileRulesTest {
    private static final String TYPE = "application/x-apple-aspen-config";

    private static void assertProblem(ClientVerdict verdict, String fragment) {
        assertFalse(verdict.ok(), () -> "Apple should reject: " + fragment);
        assertTrue(verdict.problems().stream().anyMatch(p -> p.contains(fragment)),
                () -> "no problem mentioning \"" + fragment + "\" in " + verdict.problems());
    }

    @Test
    void perUserAndAddressLessProfilesAreAccepted() {
        ClientVerdict perUser = ProfileRules.apple("test", plist(profile(ADDRESS)), TYPE, ADDRESS);
        assertTrue(perUser.ok(), perUser.problems()::toString);
        assertEquals(new ServerSetting("incoming", "IMAP", "imap.example.com", 993, "TLS", "EmailAuthPassword", ADDRESS),
                perUser.servers().get(0));
        ClientVerdict generic = ProfileRules.apple("test", plist(profile(null)), TYPE, null);
        assertTrue(generic.ok(), generic.problems()::toString);
        assertEquals(null, generic.servers().get(1).username());
    }

    @Test
    void wrongContentTypeAndAddressMismatchAreReported() {
        assertProblem(ProfileRules.apple("test", plist(profile(ADDRESS)), "application/xml", ADDRESS), "Content-Type");
        assertProblem(ProfileRules.apple("test", plist(profile("bob@example.com")), TYPE, ADDRESS), "not the address asked for");
        assertProblem(ProfileRules.apple("test", plist(profile(ADDRESS)), TYPE, null), "address-less profile names");
    }

    @Test
    void realPortsPlaceholdersAndMissingKeysAreReported() {
        NSDictionary realPort = profile(ADDRESS);
        mailPayload(realPort).put("IncomingMailServerPortNumber", 993.0);
        assertProblem(ProfileRules.apple("test", plist(realPort), TYPE, ADDRESS), "not an <integer>");

        NSDictionary placeholder = profile(ADDRESS);
        mailPayload(placeholder).put("IncomingMailServerUsername", "%EMAILADDRESS%");
        assertProblem(ProfileRules.apple("test", plist(placeholder), TYPE, ADDRESS), "do not expand");

        NSDictionary noUuid = profile(ADDRESS);
        noUuid.remove("PayloadUUID");
        assertProblem(ProfileRules.apple("test", plist(noUuid), TYPE, ADDRESS), "PayloadUUID is missing");

        NSDictionary badAuth = profile(ADDRESS);
        mailPayload(badAuth).put("OutgoingMailServerAuthentication", "password");
        assertProblem(ProfileRules.apple("test", plist(badAuth), TYPE, ADDRESS), "OutgoingMailServerAuthentication");
    }

    @Test
    void notAPlistIsReported() {
        assertProblem(ProfileRules.apple("test", Documents.bytes("<html>"), TYPE, ADDRESS), "not a property list");
    }
}
