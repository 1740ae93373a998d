package dev.autogen.db;

import dev.autogen.config.ConfigException;
import dev.autogen.config.SourceLocations;
import dev.autogen.db.Automx2Tables.Link;
import dev.autogen.db.Automx2Tables.Row;
import dev.autogen.model.DavServer;
import dev.autogen.model.Directory;
import dev.autogen.model.Domain;
import dev.autogen.model.MailServer;
import dev.autogen.model.MailServer.Authentication;
import dev.autogen.model.MailServer.Protocol;
import dev.autogen.model.MailServer.Security;
import dev.autogen.model.Provider;
import dev.autogen.model.Secret;
import dev.autogen.model.Site;
import dev.autogen.text.Domains;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * Turns automx2's rows into the model. Pure: no I/O. Every row that cannot be used is reported as
 * {@code table <name> id <id>: <what is wrong>} and skipped (or, when strict, collected and thrown), and so is
 * everything that depended on it (a domain left without servers, a provider left without domains).
 * Output order is deterministic: providers, domains and servers by id (servers are listed by prio, then id, through
 * {@link Domain#serversByPriority()}).
 */
final class Automx2Mapping {
    static final String EMAIL_ADDRESS = "%EMAILADDRESS%";
    static final String EMAIL_LOCALPART = "%EMAILLOCALPART%";

    /** The placeholders clients (and the responder) replace; YAML input allows exactly these, and so do we. */
    private static final List<String> PLACEHOLDERS = List.of("%EMAILADDRESS%", "%EMAILLOCALPART%", "%EMAILDOMAIN%");
    private static final Pattern PLACEHOLDER = Pattern.compile("%[A-Za-z_]*%");
    private static final Pattern DIRECTORY_NAME = Pattern.compile("[a-z0-9][a-z0-9.-]{0,63}");

    /** automx2's {@code authentication} values (its own {@code plain} included) → autoconfig's methods. */
    private static final Map<String, Authentication> AUTHENTICATION = new LinkedHashMap<>();

    static {
        AUTHENTICATION.put("plain", Authentication.PASSWORD_CLEARTEXT);
        for (Authentication a : Authentication.values()) {
            AUTHENTICATION.put(a.id().toLowerCase(Locale.ROOT), a);
        }
    }

    private final boolean strict;
    private final Consumer<String> warnings;
    private final List<String> problems = new ArrayList<>();

    private final SourceLocations locations;

    private Automx2Mapping(boolean strict, Consumer<String> warnings, SourceLocations locations) {
        this.strict = strict;
        this.warnings = warnings;
        this.locations = locations;
    }

    /** Records the row {@code subject} was built from ("table server id 7") and returns the subject. */
    /**
     * One list object for equal server lists: the domains of a provider mostly have the same servers, and a million
     * domains must not each hold their own copy.
     */
    private final Map<List<?>, List<?>> sharedLists = new HashMap<>();

    @SuppressWarnings("unchecked")
    private <T> List<T> shared(List<T> list) {
        return (List<T>) sharedLists.computeIfAbsent(List.copyOf(list), l -> l);
    }

    private <T> T located(T subject, String table, long id) {
        locations.put(subject, table, id);
        return subject;
    }

    /**
     * @throws ConfigException when {@code strict} and any row is invalid; carries every problem found
     */
    static Site toSite(Automx2Tables tables, boolean strict, Consumer<String> warnings) throws ConfigException {
        return toSite(tables, strict, warnings, new SourceLocations());
    }

    /** As above, recording in {@code locations} the table and id of each provider, domain and server. */
    static Site toSite(Automx2Tables tables, boolean strict, Consumer<String> warnings, SourceLocations locations)
            throws ConfigException {
        Automx2Mapping mapping = new Automx2Mapping(strict, warnings, locations);
        Site site = mapping.map(tables);
        if (strict && !mapping.problems.isEmpty()) {
            throw new ConfigException(mapping.problems);
        }
        return site;
    }

    private void problem(String table, Object id, String message) {
        String line = "table " + table + " id " + id + ": " + message;
        problems.add(line);
        if (!strict) {
            warnings.accept(line);
        }
    }

    private void linkProblem(String table, Link link, String ownerColumn, String message) {
        String line = "table " + table + " (" + ownerColumn + " " + shown(link.ownerId()) + ", domain_id "
                + shown(link.domainId()) + "): " + message;
        problems.add(line);
        if (!strict) {
            warnings.accept(line);
        }
    }

    /** A server row that passed its checks, with its id (the order servers are listed in). */
    private record ServerEntry(long id, MailServer server) {}

    private Site map(Automx2Tables t) {
        Map<Long, Row> providerRows = byId(t.providers());
        Map<Long, Boolean> providerValid = new HashMap<>();
        for (Row row : t.providers()) {
            providerValid.put(row.id(), checkProvider(row));
        }

        Map<Long, Row> ldapRows = byId(t.ldapservers());
        Map<Long, Directory> directories = new TreeMap<>();
        Map<String, Integer> hostUse = new HashMap<>();
        for (Row row : t.ldapservers()) {
            String host = row.get("name") == null ? "" : hostname(row.get("name")).orElse("");
            hostUse.merge(host, 1, Integer::sum);
        }
        for (Row row : t.ldapservers()) {
            directory(row, hostUse).ifPresent(d -> directories.put(row.id(), located(d, "ldapserver", row.id())));
        }

        Map<Long, Row> serverRows = byId(t.servers());
        Map<Long, ServerEntry> servers = new HashMap<>();
        for (Row row : t.servers()) {
            mailServer(row).ifPresent(s -> servers.put(row.id(),
                    new ServerEntry(row.id(), located(s, "server", row.id()))));
        }

        Map<Long, Row> davRows = byId(t.davservers());
        Map<Long, DavServer> davServers = new HashMap<>();
        for (Row row : t.davservers()) {
            davServer(row).ifPresent(d -> davServers.put(row.id(), located(d, "davserver", row.id())));
        }

        Map<Long, Row> domainRows = byId(t.domains());
        Map<Long, List<ServerEntry>> serversOfDomain = new HashMap<>();
        for (Link link : t.serverDomains()) {
            Optional<Long> serverId = checkLink("server_domain", "server_id", "server", link, serverRows, domainRows);
            if (serverId.isPresent() && servers.containsKey(serverId.get())) {
                serversOfDomain.computeIfAbsent(integer(link.domainId()).orElseThrow(), k -> new ArrayList<>())
                        .add(servers.get(serverId.get()));
            }
        }
        Map<Long, List<Map.Entry<Long, DavServer>>> davOfDomain = new HashMap<>();
        for (Link link : t.davserverDomains()) {
            Optional<Long> davId = checkLink("davserver_domain", "davserver_id", "davserver", link, davRows,
                    domainRows);
            if (davId.isPresent() && davServers.containsKey(davId.get())) {
                davOfDomain.computeIfAbsent(integer(link.domainId()).orElseThrow(), k -> new ArrayList<>())
                        .add(Map.entry(davId.get(), davServers.get(davId.get())));
            }
        }

        // Domains, grouped by provider (rows come ordered by id).
        Map<Long, List<Domain>> domainsOfProvider = new TreeMap<>();
        Set<String> directoriesUsed = new HashSet<>();
        Set<String> namesSeen = new HashSet<>();
        Set<Long> providersWithDomainRows = new HashSet<>();
        for (Row row : t.domains()) {
            Optional<Long> providerId = integer(row.get("provider_id"));
            providerId.ifPresent(providersWithDomainRows::add);
            Optional<Domain> domain = domain(row, providerId, providerRows, providerValid, ldapRows, directories,
                    serversOfDomain.getOrDefault(row.id(), List.of()),
                    davOfDomain.getOrDefault(row.id(), List.of()), namesSeen);
            if (domain.isPresent()) {
                located(domain.get(), "domain", row.id());
                domainsOfProvider.computeIfAbsent(providerId.get(), k -> new ArrayList<>()).add(domain.get());
                domain.get().directory().ifPresent(directoriesUsed::add);
            }
        }

        List<Provider> providers = new ArrayList<>();
        for (Row row : t.providers()) {
            if (!providerValid.get(row.id())) {
                continue;
            }
            List<Domain> domains = domainsOfProvider.getOrDefault(row.id(), List.of());
            if (domains.isEmpty()) {
                problem("provider", row.id(), providersWithDomainRows.contains(row.id())
                        ? "no usable domain left (see the domain problems above)" : "has no domains");
                continue;
            }
            // autoconfig's emailProvider id must be a hostname (K-9 Mail insists): the first domain's name is one.
            providers.add(located(new Provider(domains.get(0).name(), row.get("name").strip(),
                    row.get("short_name").strip(), Optional.empty(), domains), "provider", row.id()));
        }

        // Only directories some served domain uses: an unused one would only spread its bind password.
        List<Directory> usedDirectories = directories.values().stream()
                .filter(d -> directoriesUsed.contains(d.name())).toList();
        return new Site(providers, usedDirectories);
    }

    // ---- providers ----

    private boolean checkProvider(Row row) {
        boolean ok = checkText("provider", row.id(), "name", row.get("name"));
        return checkText("provider", row.id(), "short_name", row.get("short_name")) && ok;
    }

    // ---- LDAP ----

    private Optional<Directory> directory(Row row, Map<String, Integer> hostUse) {
        long id = row.id();
        Optional<String> host = hostnameColumn("ldapserver", id, "name", row.get("name"));
        Optional<Integer> port = portColumn("ldapserver", id, row.get("port"));
        Optional<Boolean> ssl = bool("ldapserver", id, "use_ssl", row.get("use_ssl"));
        boolean ok = checkText("ldapserver", id, "search_base", row.get("search_base"));
        ok &= checkText("ldapserver", id, "attr_uid", row.get("attr_uid"));
        Optional<String> filter = ldapFilter(id, row.get("search_filter"));
        String cn = blank(row.get("attr_cn")) ? "cn" : row.get("attr_cn").strip();
        ok &= blank(row.get("attr_cn")) || checkText("ldapserver", id, "attr_cn", cn);
        Optional<String> bindDn = blank(row.get("bind_user")) ? Optional.empty()
                : Optional.of(row.get("bind_user").strip());
        ok &= bindDn.isEmpty() || checkText("ldapserver", id, "bind_user", bindDn.get());
        if (!ok || host.isEmpty() || port.isEmpty() || ssl.isEmpty() || filter.isEmpty()) {
            return Optional.empty();
        }
        // A readable, stable name: the host, plus the row id when several rows share a host.
        String name = hostUse.getOrDefault(host.get(), 0) > 1 ? host.get() + "-" + id : host.get();
        if (!DIRECTORY_NAME.matcher(name).matches()) { // directory names become file names: at most 64 characters
            name = "ldap-" + id;
        }
        String url = (ssl.get() ? "ldaps://" : "ldap://") + host.get() + ":" + port.get();
        Optional<Secret> password = row.get("bind_password") == null || row.get("bind_password").isEmpty()
                ? Optional.empty() : Optional.of(new Secret(row.get("bind_password")));
        return Optional.of(new Directory(name, url, false, row.get("search_base").strip(), filter.get(),
                row.get("attr_uid").strip(), cn, bindDn, password, Directory.DEFAULT_CONNECT_TIMEOUT,
                Directory.DEFAULT_RESPONSE_TIMEOUT, Directory.DEFAULT_CACHE_TTL));
    }

    /**
     * automx2 fills its filter with Python's {@code str.format(address)}: {@code {0}} (or {@code {}}) is the address,
     * {@code {{} and {@code }}} are literal braces. Ours uses {@code %EMAILADDRESS%}, which the responder escapes
     * per RFC 4515 (automx2 does not escape at all).
     */
    private Optional<String> ldapFilter(long id, String raw) {
        if (!checkText("ldapserver", id, "search_filter", raw == null ? null : raw.replace("{{", "").replace("}}", ""))) {
            return Optional.empty();
        }
        String filter = raw.strip();
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < filter.length(); i++) {
            char c = filter.charAt(i);
            if (c == '{') {
                if (i + 1 < filter.length() && filter.charAt(i + 1) == '{') {
                    out.append('{');
                    i++;
                    continue;
                }
                int close = filter.indexOf('}', i);
                String field = close < 0 ? null : filter.substring(i + 1, close);
                if (field == null || !(field.isEmpty() || field.equals("0"))) {
                    problem("ldapserver", id, "search_filter " + shown(raw) + ": only {0} (the address) can be"
                            + " substituted");
                    return Optional.empty();
                }
                out.append(EMAIL_ADDRESS);
                i = close;
            } else if (c == '}') {
                if (i + 1 < filter.length() && filter.charAt(i + 1) == '}') {
                    out.append('}');
                    i++;
                    continue;
                }
                problem("ldapserver", id, "search_filter " + shown(raw) + ": unmatched '}'");
                return Optional.empty();
            } else {
                out.append(c);
            }
        }
        String result = out.toString();
        if (result.contains("{{") || result.contains("}}")) {
            problem("ldapserver", id, "search_filter " + shown(raw) + ": contains '{{' or '}}'");
            return Optional.empty();
        }
        // RFC 4515 wants outer parentheses; add them rather than drop a directory over a missing pair.
        result = result.startsWith("(") ? result : "(" + result + ")";
        int depth = 0;
        for (int i = 0; i < result.length() && depth >= 0; i++) {
            depth += result.charAt(i) == '(' ? 1 : result.charAt(i) == ')' ? -1 : 0;
        }
        if (depth != 0) {
            problem("ldapserver", id, "search_filter " + shown(raw) + " has unbalanced parentheses");
            return Optional.empty();
        }
        if (!result.contains(EMAIL_ADDRESS)) {
            // without the address every user would get the same entry: one user's login handed to all
            problem("ldapserver", id, "search_filter " + shown(raw) + " does not use the address ({0})");
            return Optional.empty();
        }
        return Optional.of(result);
    }

    // ---- mail servers ----

    private Optional<MailServer> mailServer(Row row) {
        long id = row.id();
        Optional<Protocol> protocol = Optional.empty();
        String type = row.get("type");
        switch (type == null ? "" : type.strip().toLowerCase(Locale.ROOT)) {
            case "imap" -> protocol = Optional.of(Protocol.IMAP);
            case "pop" -> protocol = Optional.of(Protocol.POP3);
            case "smtp" -> protocol = Optional.of(Protocol.SMTP);
            default -> problem("server", id, "unknown type " + shown(type) + " (expected imap, pop, smtp)");
        }
        Optional<String> host = hostnameColumn("server", id, "name", row.get("name"));
        Optional<Integer> port = portColumn("server", id, row.get("port"));
        Optional<Security> security = security(id, row.get("socket_type"));
        Optional<Authentication> authentication = authentication(id, row.get("authentication"));
        String userName = row.get("user_name");
        boolean userOk = blank(userName) || checkTemplate("server", id, "user_name", userName);
        Optional<Integer> prio = Optional.of(10);
        if (!blank(row.get("prio"))) {
            prio = integer(row.get("prio")).filter(p -> p >= Integer.MIN_VALUE && p <= Integer.MAX_VALUE)
                    .map(Long::intValue);
            if (prio.isEmpty()) {
                problem("server", id, "prio " + shown(row.get("prio")) + " is not a number");
            }
        }
        if (protocol.isEmpty() || host.isEmpty() || port.isEmpty() || security.isEmpty() || authentication.isEmpty()
                || !userOk || prio.isEmpty()) {
            return Optional.empty();
        }
        // automx2's column default is %EMAILADDRESS%; an empty value would give clients an empty login.
        String username = blank(userName) ? EMAIL_ADDRESS : userName.strip();
        return Optional.of(new MailServer(protocol.get(), host.get(), port.get(), security.get(),
                List.of(authentication.get()), username, prio.get()));
    }

    private Optional<Security> security(long id, String raw) {
        String v = raw == null ? "" : raw.strip().toLowerCase(Locale.ROOT);
        return switch (v) {
            case "ssl" -> Optional.of(Security.SSL);
            case "starttls" -> Optional.of(Security.STARTTLS);
            case "plain", "none" -> Optional.of(Security.NONE);
            default -> {
                problem("server", id, "unknown socket_type " + shown(raw) + " (expected SSL, STARTTLS, plain)");
                yield Optional.empty();
            }
        };
    }

    private Optional<Authentication> authentication(long id, String raw) {
        Authentication a = raw == null ? null : AUTHENTICATION.get(raw.strip().toLowerCase(Locale.ROOT));
        if (a == null) {
            problem("server", id, "unknown authentication " + shown(raw) + " (expected plain, "
                    + String.join(", ", AUTHENTICATION.keySet().stream().skip(1).toList()) + ")");
            return Optional.empty();
        }
        return Optional.of(a);
    }

    // ---- CalDAV / CardDAV ----

    private Optional<DavServer> davServer(Row row) {
        long id = row.id();
        String type = row.get("type");
        Optional<DavServer.Type> davType = switch (type == null ? "" : type.strip().toLowerCase(Locale.ROOT)) {
            case "caldav" -> Optional.of(DavServer.Type.CALDAV);
            case "carddav" -> Optional.of(DavServer.Type.CARDDAV);
            default -> {
                problem("davserver", id, "unknown type " + shown(type) + " (expected caldav, carddav)");
                yield Optional.empty();
            }
        };
        Optional<Boolean> ssl = bool("davserver", id, "use_ssl", row.get("use_ssl"));
        Optional<Boolean> domainRequired = blank(row.get("domain_required")) ? Optional.of(false)
                : bool("davserver", id, "domain_required", row.get("domain_required"));
        Optional<Integer> port = Optional.of(0);
        if (!blank(row.get("port"))) {
            Optional<Long> p = integer(row.get("port"));
            if (p.isEmpty() || p.get() > 65535) {
                problem("davserver", id, "bad port " + shown(row.get("port")) + " (expected 1-65535, or 0 for the"
                        + " URL's port)");
                port = Optional.empty();
            } else {
                port = Optional.of((int) Math.max(0, p.get())); // automx2: a port below 1 means "take the URL's"
            }
        }
        String userName = row.get("user_name");
        boolean userOk = blank(userName) || checkTemplate("davserver", id, "user_name", userName);
        if (davType.isEmpty() || ssl.isEmpty() || domainRequired.isEmpty() || port.isEmpty() || !userOk) {
            davUrl(id, row.get("url"), false, 0); // still report a bad URL
            return Optional.empty();
        }
        Optional<URI> url = davUrl(id, row.get("url"), ssl.get(), port.get());
        if (url.isEmpty()) {
            return Optional.empty();
        }
        String username = !blank(userName) ? userName.strip()
                : domainRequired.get() ? EMAIL_ADDRESS : EMAIL_LOCALPART;
        return Optional.of(new DavServer(davType.get(), url.get(), username));
    }

    /**
     * automx2 keeps a URL (with or without scheme), a port (0: the URL's) and use_ssl separately. The absolute URL
     * takes its scheme from use_ssl (what automx2 announces to clients) and shows the port only when not the
     * scheme's default.
     */
    private Optional<URI> davUrl(long id, String raw, boolean ssl, int portColumn) {
        if (!checkText("davserver", id, "url", raw)) {
            return Optional.empty();
        }
        String value = raw.strip();
        URI parsed;
        try {
            parsed = new URI(value.contains("://") ? value : "//" + value);
        } catch (URISyntaxException e) {
            problem("davserver", id, "url " + shown(raw) + " is not a URL");
            return Optional.empty();
        }
        if (parsed.getScheme() != null && !parsed.getScheme().equalsIgnoreCase("http")
                && !parsed.getScheme().equalsIgnoreCase("https")) {
            problem("davserver", id, "url " + shown(raw) + ": scheme must be http or https");
            return Optional.empty();
        }
        if (parsed.getRawUserInfo() != null || parsed.getRawFragment() != null) {
            problem("davserver", id, "url " + shown(raw) + ": must not contain credentials or a #fragment");
            return Optional.empty();
        }
        Optional<String> host = parsed.getHost() == null ? Optional.empty() : hostname(parsed.getHost());
        if (host.isEmpty()) {
            problem("davserver", id, "url " + shown(raw) + " has no valid host name");
            return Optional.empty();
        }
        int port = portColumn >= 1 ? portColumn : parsed.getPort();
        int defaultPort = ssl ? 443 : 80;
        String path = parsed.getRawPath() == null || parsed.getRawPath().isEmpty() ? "/" : parsed.getRawPath();
        String query = parsed.getRawQuery() == null ? "" : "?" + parsed.getRawQuery();
        try {
            return Optional.of(new URI((ssl ? "https" : "http") + "://" + host.get()
                    + (port > 0 && port != defaultPort ? ":" + port : "") + path + query));
        } catch (URISyntaxException e) {
            problem("davserver", id, "url " + shown(raw) + " is not a URL");
            return Optional.empty();
        }
    }

    // ---- domains ----

    private Optional<Domain> domain(Row row, Optional<Long> providerId, Map<Long, Row> providerRows,
                                    Map<Long, Boolean> providerValid, Map<Long, Row> ldapRows,
                                    Map<Long, Directory> directories, List<ServerEntry> servers,
                                    List<Map.Entry<Long, DavServer>> davServers, Set<String> namesSeen) {
        long id = row.id();
        Optional<String> name = hostnameColumn("domain", id, "name", row.get("name"));
        boolean ok = name.isPresent();
        if (name.isPresent() && !namesSeen.add(name.get())) {
            problem("domain", id, "name " + shown(row.get("name")) + " is a duplicate of an earlier domain");
            ok = false;
        }
        if (providerId.isEmpty() || !providerRows.containsKey(providerId.get())) {
            problem("domain", id, "provider_id " + shown(row.get("provider_id")) + " does not exist");
            ok = false;
        } else if (!providerValid.get(providerId.get())) {
            problem("domain", id, "provider_id " + providerId.get() + " refers to an invalid provider");
            ok = false;
        }
        Optional<String> directory = Optional.empty();
        if (!blank(row.get("ldapserver_id"))) {
            Optional<Long> ldapId = integer(row.get("ldapserver_id"));
            if (ldapId.isEmpty() || !ldapRows.containsKey(ldapId.get())) {
                problem("domain", id, "ldapserver_id " + shown(row.get("ldapserver_id")) + " does not exist");
                ok = false;
            } else if (!directories.containsKey(ldapId.get())) {
                problem("domain", id, "ldapserver_id " + ldapId.get() + " refers to an invalid ldapserver");
                ok = false;
            } else {
                directory = Optional.of(directories.get(ldapId.get()).name());
            }
        }
        if (!ok) {
            return Optional.empty();
        }
        // By id, which is the input order; Domain.serversByPriority() (a stable sort) then gives prio-then-id, the
        // order every output format uses, exactly as for the same servers read from YAML.
        List<MailServer> ordered = shared(servers.stream().sorted(Comparator.comparingLong(ServerEntry::id))
                .map(ServerEntry::server).toList());
        boolean incoming = ordered.stream().anyMatch(s -> s.protocol().incoming());
        boolean smtp = ordered.stream().anyMatch(s -> s.protocol() == Protocol.SMTP);
        if (!incoming || !smtp) {
            problem("domain", id, shown(name.get()) + " has " + (ordered.isEmpty() ? "no usable server"
                    : !smtp ? "no usable smtp server" : "no usable imap or pop server")
                    + " (clients need one incoming and one smtp server)");
            return Optional.empty();
        }
        List<DavServer> dav = shared(davServers.stream().sorted(Map.Entry.comparingByKey()).map(Map.Entry::getValue)
                .toList());
        return Optional.of(new Domain(name.get(), ordered, dav, Optional.empty(), Optional.empty(),
                "autodiscover." + name.get(), directory));
    }

    /** Checks one association row; returns the owner's id when both ends exist. */
    private Optional<Long> checkLink(String table, String ownerColumn, String ownerTable, Link link,
                                     Map<Long, Row> owners, Map<Long, Row> domains) {
        Optional<Long> owner = integer(link.ownerId());
        Optional<Long> domain = integer(link.domainId());
        if (owner.isEmpty() || !owners.containsKey(owner.get())) {
            linkProblem(table, link, ownerColumn, ownerTable + " " + shown(link.ownerId()) + " does not exist");
            return Optional.empty();
        }
        if (domain.isEmpty() || !domains.containsKey(domain.get())) {
            linkProblem(table, link, ownerColumn, "domain " + shown(link.domainId()) + " does not exist");
            return Optional.empty();
        }
        return owner;
    }

    // ---- values ----

    /** A login template: text as below, with no placeholders but the three every client knows. */
    private boolean checkTemplate(String table, long id, String column, String value) {
        if (!checkText(table, id, column, value)) {
            return false;
        }
        java.util.regex.Matcher m = PLACEHOLDER.matcher(value);
        while (m.find()) {
            if (!PLACEHOLDERS.contains(m.group())) {
                problem(table, id, column + " " + shown(value) + " contains the unknown placeholder " + m.group()
                        + " (allowed: " + String.join(", ", PLACEHOLDERS) + ")");
                return false;
            }
        }
        return true;
    }

    /** Text that ends up in documents: present, one line, no slot markers (the site format reserves them). */
    private boolean checkText(String table, long id, String column, String value) {
        if (blank(value)) {
            problem(table, id, column + " is empty");
            return false;
        }
        if (value.contains("{{") || value.contains("}}")) {
            problem(table, id, column + " " + shown(value) + " contains '{{' or '}}'");
            return false;
        }
        if (value.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
            problem(table, id, column + " " + shown(value) + " contains a control character");
            return false;
        }
        return true;
    }

    private Optional<String> hostnameColumn(String table, long id, String column, String raw) {
        if (blank(raw)) {
            problem(table, id, column + " is empty");
            return Optional.empty();
        }
        try {
            return Optional.of(toAscii(raw));
        } catch (Domains.InvalidDomainException e) {
            problem(table, id, column + " " + shown(raw) + " is not a valid host name: it " + e.getMessage());
            return Optional.empty();
        }
    }

    /** Lower-case A-label (punycode) host name under IDNA2008 ({@link Domains}), or empty when {@code raw} is not one. */
    static Optional<String> hostname(String raw) {
        try {
            return Optional.of(toAscii(raw));
        } catch (Domains.InvalidDomainException e) {
            return Optional.empty();
        }
    }

    /** automx2 tolerated surrounding blanks and a trailing dot: so do we. */
    private static String toAscii(String raw) throws Domains.InvalidDomainException {
        return Domains.toAscii(raw.strip());
    }

    private Optional<Integer> portColumn(String table, long id, String raw) {
        Optional<Long> port = integer(raw);
        if (port.isEmpty() || port.get() < 1 || port.get() > 65535) {
            problem(table, id, "bad port " + shown(raw) + " (expected 1-65535)");
            return Optional.empty();
        }
        return Optional.of(port.get().intValue());
    }

    private Optional<Boolean> bool(String table, long id, String column, String raw) {
        String v = raw == null ? "" : raw.strip().toLowerCase(Locale.ROOT);
        return switch (v) {
            case "1", "t", "true", "y", "yes", "on" -> Optional.of(true);
            case "0", "f", "false", "n", "no", "off" -> Optional.of(false);
            default -> {
                problem(table, id, column + " " + shown(raw) + " is not a boolean");
                yield Optional.empty();
            }
        };
    }

    static Optional<Long> integer(String raw) {
        if (raw == null) {
            return Optional.empty();
        }
        String s = raw.strip();
        // SQLite may hand back 993.0 for a REAL-typed value
        if (s.endsWith(".0")) {
            s = s.substring(0, s.length() - 2);
        }
        // by hand, not a regex: this runs for every id of every association row
        int start = s.startsWith("-") ? 1 : 0;
        if (s.length() <= start || s.length() - start > 18) {
            return Optional.empty();
        }
        for (int i = start; i < s.length(); i++) {
            if (s.charAt(i) < '0' || s.charAt(i) > '9') {
                return Optional.empty();
            }
        }
        return Optional.of(Long.parseLong(s));
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }

    /** A value quoted for a one-line message (control characters made visible, long values cut). */
    static String shown(String value) {
        if (value == null) {
            return "NULL";
        }
        StringBuilder out = new StringBuilder("'");
        value.codePoints().limit(80).forEach(c -> {
            if (c < 0x20 || c == 0x7f) {
                out.append(String.format("\\x%02x", c));
            } else {
                out.appendCodePoint(c);
            }
        });
        if (value.codePointCount(0, value.length()) > 80) {
            out.append("...");
        }
        return out.append('\'').toString();
    }

    private static Map<Long, Row> byId(List<Row> rows) {
        Map<Long, Row> out = new HashMap<>();
        for (Row row : rows) {
            out.put(row.id(), row);
        }
        return out;
    }
}
