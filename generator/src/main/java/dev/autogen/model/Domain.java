package dev.autogen.model;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * One mail domain with its resolved settings (provider-level defaults already applied by the source).
 *
 * @param name             lower-case domain name (IDNs in their ASCII/punycode form)
 * @param servers          mail servers, in input order; use {@link #serversByPriority()} for output
 * @param davServers       CalDAV/CardDAV servers
 * @param oauth2           OAuth2 settings offered to clients that support them
 * @param activeSyncUrl    Exchange ActiveSync URL, announced through the MobileSync Autodiscover schema
 * @param autodiscoverHost host name that serves Autodiscover for this domain (default {@code autodiscover.<name>})
 * @param directory        name of the LDAP {@link Directory} that maps addresses to logins, if any
 */
public record Domain(String name, List<MailServer> servers, List<DavServer> davServers, Optional<OAuth2> oauth2,
                     Optional<String> activeSyncUrl, String autodiscoverHost, Optional<String> directory) {
    public Domain {
        servers = List.copyOf(servers);
        davServers = List.copyOf(davServers);
    }

    /** Servers ordered by priority (lower first), input order breaking ties: the order every format lists them in. */
    public List<MailServer> serversByPriority() {
        return servers.stream().sorted(Comparator.comparingInt(MailServer::priority)).toList();
    }

    public List<MailServer> servers(MailServer.Protocol protocol) {
        return serversByPriority().stream().filter(s -> s.protocol() == protocol).toList();
    }
}
