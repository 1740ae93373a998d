package dev.autogen.cli;

import dev.autogen.model.Provider;
import dev.autogen.model.Site;

import java.util.ArrayList;
import java.util.List;

/**
 * What {@code check} tells a hoster besides warnings: which names need DNS records and TLS certificates for the
 * default provider and the MX route (docs/hosters.md). Notes are facts to act on, not problems: they do not change
 * the exit status.
 */
final class HostingNotes {
    private HostingNotes() {}

    static List<String> of(Site site) {
        List<String> notes = new ArrayList<>();
        for (Provider p : site.hosters()) {
            Provider.Hosting h = p.hosting().orElseThrow();
            for (String mx : h.mxDomains()) {
                notes.add("note: MX route of provider " + p.id() + ": autoconfig." + mx + " needs a DNS record (A/AAAA,"
                        + " or a CNAME) to this web server and a name in its TLS certificate; Thunderbird and"
                        + " Thunderbird for Android try it for domains whose MX host is <name>." + mx);
            }
            if (h.anyDomain()) {
                notes.add("note: default provider " + p.id() + " answers any domain nobody lists: a customer domain"
                        + " is found directly only with autoconfig.<domain> (Thunderbird, K-9, KMail, Evolution) and"
                        + " autodiscover.<domain> (Outlook, Apple Mail's Exchange accounts) in DNS pointing here and"
                        + " in a TLS certificate (one per customer, e.g. from ACME; a wildcard cannot cover other"
                        + " domains)" + (h.mxDomains().isEmpty() && site.hosters().stream().allMatch(o -> o.hosting()
                        .orElseThrow().mxDomains().isEmpty()) ? "; without mxDomains there is no MX route to fall"
                        + " back on" : ", else through the MX route above"));
            }
        }
        return notes;
    }
}
