package dev.autogen.cli;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code autogen check} names what a hoster must put into DNS and certificates; notes never fail the check. */
class HostingNotesTest {
    @Test
    void checkNamesTheHostsThatNeedDnsAndCertificates() {
        CliRun run = CliRun.of("check", "../samples/hoster.yaml");
        assertEquals(0, run.exitCode(), run.toString());
        assertTrue(run.out().contains("note: MX route of provider hoster.example: autoconfig.hoster.example needs a DNS"
                + " record"), run.out());
        assertTrue(run.out().contains("note: default provider hoster.example answers any domain nobody lists:"
                + " a customer domain is found directly only with autoconfig.<domain>"), run.out());
        assertFalse(run.out().contains("warning"), run.out());
        CliRun quiet = CliRun.of("check", "--quiet", "../samples/hoster.yaml");
        assertEquals("", quiet.out(), quiet.toString());
    }

    @Test
    void sitesWithoutHostersGetNoNotes() {
        CliRun run = CliRun.of("check", "../samples/minimal.yaml");
        assertEquals(0, run.exitCode(), run.toString());
        assertFalse(run.out().contains("note:"), run.out());
    }
}
