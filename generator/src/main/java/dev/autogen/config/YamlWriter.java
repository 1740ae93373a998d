package dev.autogen.config;

import dev.autogen.model.DavServer;
import dev.autogen.model.Directory;
import dev.autogen.model.Domain;
import dev.autogen.model.MailServer;
import dev.autogen.model.OAuth2;
import dev.autogen.model.Pacc;
import dev.autogen.model.Provider;
import dev.autogen.model.Site;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.Yaml;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Writes a {@link Site} as YAML that {@link YamlSource} reads back to an equal Site ({@code autogen import} uses it to
 * turn an automx2 database into a file). Deterministic: same Site, same bytes. Compact: a setting shared by all of a
 * provider's domains is written once at provider level, otherwise per domain; values equal to the defaults are left
 * out. The YAML itself is produced by snakeyaml's emitter from ordered maps, so quoting is always right.
 */
public final class YamlWriter {
    private YamlWriter() {}

    public static String write(Site site) {
        Map<String, Object> top = new LinkedHashMap<>();
        if (site.layout() != dev.autogen.model.Layout.TREE) {
            top.put("layout", site.layout().id());
        }
        if (!site.pacc().equals(Pacc.DEFAULT)) {
            Map<String, Object> pacc = new LinkedHashMap<>();
            if (!site.pacc().enabled()) {
                pacc.put("enabled", false);
            }
            if (site.pacc().revision() != Pacc.DEFAULT.revision()) {
                pacc.put("revision", site.pacc().revision().id());
            }
            top.put("pacc", pacc);
        }
        List<Object> providers = new ArrayList<>();
        for (Provider p : site.providers()) {
            providers.add(provider(p));
        }
        top.put("providers", providers);
        if (!site.directories().isEmpty()) {
            Map<String, Object> directories = new LinkedHashMap<>();
            for (Directory d : site.directories()) {
                directories.put(d.name(), directory(d));
            }
            top.put("directories", directories);
        }
        boolean secrets = site.directories().stream().anyMatch(d -> d.bindPassword().isPresent());
        String header = "# autogen site description; every key is explained in docs/yaml-reference.md.\n"
                + (secrets ? "# Contains LDAP bind passwords: keep this file private (mode 0600).\n" : "");
        return header + yaml().dump(top);
    }

    private static Yaml yaml() {
        DumperOptions options = new DumperOptions();
        options.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
        options.setIndent(2);
        options.setIndicatorIndent(2);
        options.setIndentWithIndicator(true);
        options.setSplitLines(false);
        options.setLineBreak(DumperOptions.LineBreak.UNIX);
        return new Yaml(options);
    }

    private static Map<String, Object> provider(Provider p) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", p.id());
        m.put("name", p.name());
        if (!p.shortName().equals(p.name())) {
            m.put("shortName", p.shortName());
        }
        p.documentation().ifPresent(d -> {
            Map<String, Object> doc = new LinkedHashMap<>();
            doc.put("url", d.url());
            doc.put("description", d.description());
            m.put("documentation", doc);
        });
        if (!p.logos().isEmpty()) {
            List<Object> logos = new ArrayList<>();
            for (Provider.Logo logo : p.logos()) {
                Map<String, Object> l = new LinkedHashMap<>();
                l.put("url", logo.url());
                l.put("contentType", logo.contentType());
                logos.add(l);
            }
            m.put("logo", logos);
        }
        List<Domain> domains = p.domains();

        // Each setting goes to provider level when it is the most common value among the domains; domains with a
        // different value override it. An empty value (no servers, no oauth2...) cannot be written as an override,
        // so when some domain has one, nothing is written at provider level and the others carry their own.
        List<MailServer> servers = shared(domains, Domain::servers, List::isEmpty);
        List<DavServer> dav = shared(domains, Domain::davServers, List::isEmpty);
        Optional<OAuth2> oauth2 = shared(domains, Domain::oauth2, Optional::isEmpty);
        Optional<String> activeSync = shared(domains, Domain::activeSyncUrl, Optional::isEmpty);
        Optional<String> ldap = shared(domains, Domain::directory, Optional::isEmpty);
        // The default autodiscover.<domain> differs per domain, and any host can be written as an override.
        String autodiscoverHost = shared(domains, Domain::autodiscoverHost, h -> false);
        if (domains.size() == 1 && defaultAutodiscoverHost(domains.get(0))) {
            autodiscoverHost = null;
        }
        if (autodiscoverHost != null) {
            m.put("autodiscoverHost", autodiscoverHost);
        }
        putSettings(m, servers, dav, oauth2, activeSync, ldap);

        List<Object> domainList = new ArrayList<>();
        for (Domain d : domains) {
            Map<String, Object> dm = new LinkedHashMap<>();
            dm.put("name", d.name());
            String inherited = autodiscoverHost != null ? autodiscoverHost : "autodiscover." + d.name();
            if (!d.autodiscoverHost().equals(inherited)) {
                dm.put("autodiscoverHost", d.autodiscoverHost());
            }
            putSettings(dm, override(d.servers(), servers), override(d.davServers(), dav),
                    override(d.oauth2(), oauth2), override(d.activeSyncUrl(), activeSync), override(d.directory(), ldap));
            domainList.add(dm.size() == 1 ? d.name() : dm);
        }
        m.put("domains", domainList);
        return m;
    }

    /**
     * The value to write at provider level, or null for none: the most common value (first seen on a tie) when it
     * is used by at least two domains (or the only domain), and no domain has an empty value.
     */
    private static <T> T shared(List<Domain> domains, Function<Domain, T> setting, Predicate<T> isEmpty) {
        Map<T, Integer> counts = new LinkedHashMap<>();
        for (Domain d : domains) {
            T value = setting.apply(d);
            if (isEmpty.test(value)) {
                return null;
            }
            counts.merge(value, 1, Integer::sum);
        }
        T best = null;
        int bestCount = 0;
        for (Map.Entry<T, Integer> e : counts.entrySet()) {
            if (e.getValue() > bestCount) {
                best = e.getKey();
                bestCount = e.getValue();
            }
        }
        return bestCount >= 2 || domains.size() == 1 ? best : null;
    }

    /** The domain's own value when it differs from what it inherits, else null (nothing to write). */
    private static <T> T override(T own, T inherited) {
        return own.equals(inherited) ? null : own;
    }

    /** Puts the given settings, leaving out null (not to be written) and empty ones. */
    private static void putSettings(Map<String, Object> m, List<MailServer> servers, List<DavServer> dav,
                                    Optional<OAuth2> oauth2, Optional<String> activeSync, Optional<String> ldap) {
        if (servers != null && !servers.isEmpty()) {
            m.put("servers", servers.stream().map(YamlWriter::server).toList());
        }
        if (dav != null && !dav.isEmpty()) {
            m.put("dav", dav.stream().map(YamlWriter::dav).toList());
        }
        if (oauth2 != null) {
            oauth2.ifPresent(o -> {
                Map<String, Object> om = new LinkedHashMap<>();
                om.put("issuer", o.issuer());
                om.put("scope", o.scope());
                om.put("authUrl", o.authUrl());
                om.put("tokenUrl", o.tokenUrl());
                m.put("oauth2", om);
            });
        }
        if (activeSync != null) {
            activeSync.ifPresent(u -> m.put("activeSync", u));
        }
        if (ldap != null) {
            ldap.ifPresent(n -> m.put("ldap", n));
        }
    }

    private static Map<String, Object> server(MailServer s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("type", s.protocol().id());
        m.put("hostname", s.hostname());
        if (s.port() != Values.defaultPort(s.protocol(), s.security())) {
            m.put("port", s.port());
        }
        if (s.security() != MailServer.Security.SSL) {
            m.put("security", s.security().id());
        }
        if (!s.authentication().equals(List.of(MailServer.Authentication.PASSWORD_CLEARTEXT))) {
            List<String> ids = s.authentication().stream().map(MailServer.Authentication::id).toList();
            m.put("authentication", ids.size() == 1 ? ids.get(0) : ids);
        }
        if (!s.username().equals(Values.DEFAULT_USERNAME)) {
            m.put("username", s.username());
        }
        if (s.priority() != 10) {
            m.put("priority", s.priority());
        }
        return m;
    }

    private static Map<String, Object> dav(DavServer d) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("type", d.type().id());
        m.put("url", d.url().toString());
        if (!d.username().equals(Values.DEFAULT_USERNAME)) {
            m.put("username", d.username());
        }
        return m;
    }

    private static Map<String, Object> directory(Directory d) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("url", d.url());
        if (d.startTls()) {
            m.put("startTls", true);
        }
        // Absolute: the written file may land in another directory than the one the path was relative to.
        d.tlsCa().ifPresent(ca -> m.put("tlsCaFile", ca.file().toString()));
        m.put("base", d.baseDn());
        if (!d.filter().equals(Directory.DEFAULT_FILTER)) {
            m.put("filter", d.filter());
        }
        if (!d.uidAttribute().equals("uid")) {
            m.put("uidAttribute", d.uidAttribute());
        }
        if (!d.cnAttribute().equals("cn")) {
            m.put("cnAttribute", d.cnAttribute());
        }
        d.bindDn().ifPresent(dn -> m.put("bindDn", dn));
        d.bindPassword().ifPresent(secret -> m.put("bindPassword", secret.value()));
        putDuration(m, "connectTimeout", d.connectTimeout(), Directory.DEFAULT_CONNECT_TIMEOUT);
        putDuration(m, "responseTimeout", d.responseTimeout(), Directory.DEFAULT_RESPONSE_TIMEOUT);
        putDuration(m, "cacheTtl", d.cacheTtl(), Directory.DEFAULT_CACHE_TTL);
        return m;
    }

    private static void putDuration(Map<String, Object> m, String key, java.time.Duration value,
                                    java.time.Duration defaultValue) {
        if (!value.equals(defaultValue)) {
            m.put(key, Values.formatDuration(value));
        }
    }

    private static boolean defaultAutodiscoverHost(Domain d) {
        return d.autodiscoverHost().equals("autodiscover." + d.name());
    }
}
