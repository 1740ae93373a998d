package dev.autogen.config;

import dev.autogen.model.DavServer;
import dev.autogen.model.Directory;
import dev.autogen.model.Domain;
import dev.autogen.model.MailServer;
import dev.autogen.model.MailServer.Authentication;
import dev.autogen.model.MailServer.Protocol;
import dev.autogen.model.MailServer.Security;
import dev.autogen.model.OAuth2;
import dev.autogen.model.Layout;
import dev.autogen.model.Pacc;
import dev.autogen.model.Provider;
import dev.autogen.model.Secret;
import dev.autogen.model.Signing;
import dev.autogen.model.Site;
import dev.autogen.model.WebSettings;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.events.Event;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Converts a composed YAML node tree into a {@link Site}, by hand, so that every problem can name its line and
 * column. Nothing stops at the first problem: each value is checked, problems are collected, and only at the end is
 * either a Site returned or one {@link ConfigException} thrown with all of them, sorted by position.
 */
final class SiteReader {
    private record Problem(int line, int column, String message) {}

    /** Tags the resolver gives plain values; anything else was written explicitly ({@code !foo}) and is refused. */
    private static final Set<Tag> IMPLICIT_TAGS =
            Set.of(Tag.STR, Tag.INT, Tag.FLOAT, Tag.BOOL, Tag.NULL, Tag.TIMESTAMP, Tag.MAP, Tag.SEQ);
    private static final Pattern ATTRIBUTE = Pattern.compile("[A-Za-z][A-Za-z0-9-]*|[0-9]+(\\.[0-9]+)+");
    private static final Pattern MEDIA_TYPE = Pattern.compile("[a-z0-9][a-z0-9!#$&^_.+-]*/[a-z0-9][a-z0-9!#$&^_.+-]*");

    private final String file;
    private final Path baseDirectory;
    private final Map<String, String> environment;
    private final List<Problem> problems = new ArrayList<>();
    /** Every domain listed so far and where ({@link #position}): the only per-domain state besides the model. */
    private final Map<String, Long> domainsSeen = new HashMap<>();
    private final Map<String, Mark> providerIdsSeen = new HashMap<>();
    private final Set<String> declaredDirectories = new HashSet<>();
    /** When signing certificates must be valid (the clock is read once per file). */
    private final Instant now = Instant.now();
    /** The top-level {@code signing:}, for providers without their own; empty when absent or broken. */
    private Optional<Signing> siteSigning = Optional.empty();
    private final SourceLocations locations;
    private final Map<String, Mark> mxDomainsSeen = new HashMap<>();
    /** Where the first {@code '*'} (default provider) was given; a second one is an error. */
    private Mark anyDomainSeen;
    /**
     * False while providers are read before the top-level {@code directories} and {@code signing} (which may come
     * after them in the file): directory names are then checked, and the site's signing given, at the end.
     */
    private boolean topLevelRead;
    private record PendingLdap(String name, Mark at) {}
    private final List<PendingLdap> pendingLdap = new ArrayList<>();
    /** Providers read before the top-level {@code signing} that take it (indices into the providers list). */
    private final List<Integer> takeSiteSigning = new ArrayList<>();
    /** The value node of a {@code providers} list walked by events, and what was read from it. */
    private SequenceNode streamedProviders;
    private final List<Provider> providers = new ArrayList<>();
    private int providerItems;

    SiteReader(String file, Path baseDirectory, Map<String, String> environment) {
        this(file, baseDirectory, environment, new SourceLocations());
    }

    /** As above, recording in {@code locations} where each provider, domain, server and directory was read. */
    SiteReader(String file, Path baseDirectory, Map<String, String> environment, SourceLocations locations) {
        this.file = file;
        this.baseDirectory = baseDirectory;
        this.environment = environment;
        this.locations = locations;
    }

    /** Records the position of {@code node} for {@code subject} and returns the subject. */
    private <T> T located(T subject, Node node) {
        return located(subject, position(node.getStartMark()));
    }

    private <T> T located(T subject, long position) {
        locations.put(subject, file, line(position) + 1, column(position) + 1);
        return subject;
    }

    /**
     * Reads the single document of {@code stream}. The top level, the {@code providers} list and each provider's
     * {@code domains} list are walked event by event and only their items composed into nodes, so that no more
     * than one provider's nodes (and, for a long domains list, one domain's) exist at a time; the result and every
     * message are the same as {@link #read(Node)} gives for the composed tree.
     */
    Site read(NodeStream stream) throws ConfigException {
        if (!stream.startDocument()) {
            return read((Node) null);
        }
        if (!stream.atPlainCollection(Event.ID.MappingStart)) {
            Node root = stream.compose();
            stream.endDocument();
            return read(root);
        }
        MappingNode top = stream.startMapping();
        Set<String> keys = new HashSet<>();
        while (!stream.at(Event.ID.MappingEnd)) {
            Node key = stream.compose();
            Node value;
            if (firstAllowedKey(key, keys, "providers") && stream.atPlainCollection(Event.ID.SequenceStart)) {
                streamedProviders = stream.startSequence();
                while (!stream.at(Event.ID.SequenceEnd)) {
                    providerItems++;
                    Provider p = stream.atPlainCollection(Event.ID.MappingStart) ? streamProvider(stream)
                            : readProviderItem(stream.compose());
                    if (p != null) {
                        providers.add(p);
                    }
                }
                stream.endCollection();
                value = streamedProviders;
            } else {
                value = stream.compose();
            }
            top.getValue().add(new NodeTuple(key, value));
        }
        stream.endCollection();
        stream.endDocument();
        return read(top);
    }

    /**
     * True when {@code key} is the first occurrence of the plain key {@code name}: the one {@link Fields} keeps.
     * Records every key in {@code keys}, so call it for each key of the mapping in order.
     */
    private boolean firstAllowedKey(Node key, Set<String> keys, String name) {
        if (!(key instanceof ScalarNode s) || isNull(key)) {
            return false;
        }
        return keys.add(s.getValue()) && s.getValue().equals(name) && IMPLICIT_TAGS.contains(key.getTag());
    }

    /** A provider's mapping walked by events, its {@code domains} list item by item. */
    private Provider streamProvider(NodeStream stream) {
        MappingNode node = stream.startMapping();
        Set<String> keys = new HashSet<>();
        DomainList domains = null;
        while (!stream.at(Event.ID.MappingEnd)) {
            Node key = stream.compose();
            Node value;
            if (firstAllowedKey(key, keys, "domains") && stream.atPlainCollection(Event.ID.SequenceStart)) {
                SequenceNode stub = stream.startSequence();
                domains = new DomainList(stub);
                while (!stream.at(Event.ID.SequenceEnd)) {
                    domains.add(stream.compose());
                }
                stream.endCollection();
                value = stub;
            } else {
                value = stream.compose();
            }
            node.getValue().add(new NodeTuple(key, value));
        }
        stream.endCollection();
        return readProvider(node, domains);
    }

    private Provider readProviderItem(Node item) {
        MappingNode m = mapping(item, "providers");
        return m == null ? null : readProvider(m, null);
    }

    Site read(Node root) throws ConfigException {
        if (root == null || isNull(root)) {
            problems.add(new Problem(1, 1, "the file is empty; expected a mapping with the key 'providers' "
                    + "(see samples/minimal.yaml)"));
            throw failure();
        }
        MappingNode top = mapping(root, "the top level");
        if (top == null) {
            throw failure();
        }
        Fields fields = new Fields(top, "the top level", Keys.TOP);
        // Directories first, wherever they are in the file: domains refer to them by name.
        Map<String, Directory> directories = readDirectories(fields.value("directories"));
        Layout layout = readLayout(fields.value("layout"));
        Pacc pacc = readPacc(fields.value("pacc"));
        Optional<Signing> signing = readSigning(fields.value("signing"));
        siteSigning = signing == null ? Optional.empty() : signing;
        topLevelRead = true;
        for (PendingLdap ldap : pendingLdap) {
            checkDirectory(ldap.name(), ldap.at());
        }
        for (int i : takeSiteSigning) {
            Provider p = providers.get(i);
            Provider signed = new Provider(p.id(), p.name(), p.shortName(), p.documentation(), p.domains(), p.logos(),
                    p.hosting(), siteSigning);
            locations.of(p).ifPresent(where -> locations.put(signed, where));
            providers.set(i, signed);
        }
        Node providersNode = fields.required("providers");
        if (providersNode != null && providersNode == streamedProviders) {
            if (providerItems == 0) {
                error(providersNode, "providers: the list is empty; expected at least one provider");
            }
        } else {
            List<Node> items = list(providersNode, "providers");
            if (items != null && items.isEmpty()) {
                error(providersNode, "providers: the list is empty; expected at least one provider");
            }
            for (Node item : items == null ? List.<Node>of() : items) {
                Provider p = readProviderItem(item);
                if (p != null) {
                    providers.add(p);
                }
            }
        }
        WebSettings web = readWeb(fields.value("web"));
        if (!problems.isEmpty()) {
            throw failure();
        }
        return new Site(providers, List.copyOf(directories.values()), web, pacc, layout);
    }

    /** {@code layout: tree | compact} (docs/site-format.md); tree when absent. */
    private Layout readLayout(Node node) {
        String raw = string(node, "layout");
        if (raw == null) {
            return Layout.TREE;
        }
        Optional<Layout> layout = Layout.of(raw.toLowerCase(java.util.Locale.ROOT));
        if (layout.isEmpty()) {
            error(node, "layout: '" + raw + "' is not a layout; allowed: "
                    + Arrays.stream(Layout.values()).map(Layout::id).collect(Collectors.joining(", ")));
        }
        return layout.orElse(Layout.TREE);
    }

    private Pacc readPacc(Node node) {
        MappingNode m = mapping(node, "pacc");
        if (m == null) {
            return Pacc.DEFAULT;
        }
        Fields f = new Fields(m, "pacc", Keys.PACC);
        Boolean enabled = f.value("enabled") == null ? Boolean.TRUE : bool(f.value("enabled"), "enabled");
        // Quoted or not ("03" or 03, which YAML reads as the number 3): both mean draft revision -03.
        Pacc.Revision revision = Pacc.DEFAULT.revision();
        Node revisionNode = f.value("revision");
        String raw = string(revisionNode, "revision");
        if (raw != null) {
            String id = raw.length() == 1 ? "0" + raw : raw;
            revision = Arrays.stream(Pacc.Revision.values()).filter(r -> r.id().equals(id)).findFirst().orElse(null);
            if (revision == null) {
                error(revisionNode, "revision: '" + raw + "' is not a draft revision autogen can write; allowed: "
                        + Arrays.stream(Pacc.Revision.values()).map(r -> "\"" + r.id() + "\"")
                                .collect(Collectors.joining(", ")));
            }
        }
        return enabled == null || revision == null ? Pacc.DEFAULT : new Pacc(enabled, revision);
    }

    private ConfigException failure() {
        List<String> messages = problems.stream()
                .sorted(Comparator.comparingInt(Problem::line).thenComparingInt(Problem::column))
                .map(p -> file + ":" + p.line() + ":" + p.column() + ": " + p.message())
                .toList();
        return new ConfigException(messages);
    }

    // ---- providers and domains ----

    /** Settings a provider gives its domains and a domain may override; null fields were not given. */
    private record Settings(List<MailServer> servers, boolean serversComplete, List<DavServer> dav, OAuth2 oauth2,
                            String activeSync, String ldap, String autodiscoverHost) {
        static final Settings NONE = new Settings(null, true, null, null, null, null, null);

        Settings over(Settings defaults) {
            return new Settings(servers != null ? servers : defaults.servers,
                    servers != null ? serversComplete : defaults.serversComplete,
                    dav != null ? dav : defaults.dav,
                    oauth2 != null ? oauth2 : defaults.oauth2,
                    activeSync != null ? activeSync : defaults.activeSync,
                    ldap != null ? ldap : defaults.ldap,
                    autodiscoverHost != null ? autodiscoverHost : defaults.autodiscoverHost);
        }
    }

    /** A domain as listed, before its provider's settings are known: name, own settings, {@link #position}. */
    private record Listed(String name, Settings own, long at) {}

    /**
     * A provider's {@code domains}, taken item by item (from a composed list or as the parser gives them): what
     * does not depend on the provider's settings is checked at once, the rest when the provider is complete.
     */
    private final class DomainList {
        final SequenceNode stub;
        final List<Listed> listed = new ArrayList<>();
        Node anyDomainNode;
        /** Some entry other than {@code '*'} was given (and so reported its own problem if it had one). */
        boolean otherThanAny;
        int items;

        DomainList(SequenceNode stub) {
            this.stub = stub;
        }

        void add(Node item) {
            items++;
            if (!(item instanceof ScalarNode sc && Provider.Hosting.ANY.equals(sc.getValue()))) {
                otherThanAny = true;
            }
            String domainName;
            Settings own;
            if (item instanceof ScalarNode any && !isNull(item) && Provider.Hosting.ANY.equals(any.getValue())) {
                if (anyDomainSeen != null) {
                    error(item, "domains: '*' (the default provider) may be given only once per site; first at "
                            + where(anyDomainSeen));
                } else {
                    anyDomainSeen = item.getStartMark();
                    anyDomainNode = item;
                }
                return;
            }
            if (item instanceof MappingNode m) {
                Fields df = new Fields(m, "a domain", Keys.DOMAIN);
                domainName = hostname(df.required("name"), "name");
                own = readSettings(df);
            } else if (item instanceof ScalarNode && !isNull(item)) {
                domainName = hostname(item, "domains");
                own = Settings.NONE;
            } else {
                error(item, "domains: expected a domain name or a mapping with 'name', got " + describe(item));
                return;
            }
            if (domainName == null) {
                return;
            }
            long at = position(item.getStartMark());
            Long first = domainsSeen.putIfAbsent(domainName, at);
            if (first != null) {
                error(item, "domain " + domainName + " is listed twice; first at " + where(first));
            }
            listed.add(new Listed(domainName, own, at));
        }
    }

    /** {@code streamed}: the domains list as already walked by events, or null to take it from {@code node}. */
    private Provider readProvider(MappingNode node, DomainList streamed) {
        int before = problems.size();
        Fields f = new Fields(node, "a provider", Keys.PROVIDER);
        Node idNode = f.value("id");
        String id = hostname(idNode, "id");
        String name = string(f.required("name"), "name");
        String shortName = f.value("shortName") == null ? name : string(f.value("shortName"), "shortName");
        Optional<Provider.Documentation> documentation = readDocumentation(f.value("documentation"));
        List<Provider.Logo> logos = readLogos(f.value("logo"));
        Settings defaults = readSettings(f);
        boolean siteDefault = f.value("signing") == null;
        Optional<Signing> signing = siteDefault ? siteSigning : readSigning(f.value("signing"));

        List<Domain> domains = new ArrayList<>();
        List<String> inheritWithoutSmtp = new ArrayList<>();
        Node domainsNode = f.required("domains");
        DomainList list;
        if (streamed != null && domainsNode == streamed.stub) {
            list = streamed;
            if (list.items == 0) {
                error(domainsNode, "domains: the list is empty; a provider needs at least one domain");
            }
        } else {
            list = new DomainList(null);
            List<Node> items = list(domainsNode, "domains");
            if (items != null && items.isEmpty()) {
                error(domainsNode, "domains: the list is empty; a provider needs at least one domain");
            }
            for (Node item : items == null ? List.<Node>of() : items) {
                list.add(item);
            }
        }
        Node anyDomainNode = list.anyDomainNode;
        for (Listed d : list.listed) {
            String domainName = d.name();
            Settings own = d.own();
            Settings s = own.over(defaults);
            List<MailServer> servers = s.servers() == null ? List.of() : s.servers();
            boolean hasSmtp = servers.stream().anyMatch(ms -> ms.protocol() == Protocol.SMTP);
            if (s.serversComplete() && !hasSmtp) {
                if (own.servers() != null) {
                    error(d.at(), "domain " + domainName + " has no SMTP server; every domain needs one (type: smtp)");
                } else {
                    inheritWithoutSmtp.add(domainName);
                }
            }
            domains.add(located(new Domain(domainName, servers, s.dav() == null ? List.of() : s.dav(),
                    Optional.ofNullable(s.oauth2()), Optional.ofNullable(s.activeSync()),
                    s.autodiscoverHost() == null ? "autodiscover." + domainName : s.autodiscoverHost(),
                    Optional.ofNullable(s.ldap())), d.at()));
        }
        if (!inheritWithoutSmtp.isEmpty()) {
            Node at = f.key("servers") != null ? f.key("servers") : node;
            error(at, "provider " + (name == null ? "" : "'" + name + "' ") + "has no SMTP server (its domain"
                    + (inheritWithoutSmtp.size() == 1 ? " " : "s ") + String.join(", ", inheritWithoutSmtp)
                    + " use" + (inheritWithoutSmtp.size() == 1 ? "s" : "") + " the provider's servers); "
                    + "every domain needs one (type: smtp)");
        }
        List<String> mxDomains = readMxDomains(f.value("mxDomains"));
        Optional<Provider.Hosting> hosting = Optional.empty();
        if (anyDomainNode != null || !mxDomains.isEmpty()) {
            // Rendered once from the provider's own settings, so those must be complete on their own.
            Node at = anyDomainNode != null ? anyDomainNode : f.key("mxDomains");
            String why = anyDomainNode != null ? "'*' (the default provider)" : "mxDomains";
            boolean smtp = defaults.servers() != null
                    && defaults.servers().stream().anyMatch(ms -> ms.protocol() == Protocol.SMTP);
            if (defaults.servers() == null) {
                error(at, why + " needs servers at provider level: documents for domains the provider does not list"
                        + " are rendered from the provider's own settings");
            } else if (defaults.serversComplete() && !smtp) {
                error(at, why + " needs an SMTP server among the provider's own servers (type: smtp)");
            } else {
                hosting = Optional.of(new Provider.Hosting(anyDomainNode != null, mxDomains,
                        new Domain(Provider.Hosting.ANY, defaults.servers(),
                                defaults.dav() == null ? List.of() : defaults.dav(),
                                Optional.ofNullable(defaults.oauth2()), Optional.ofNullable(defaults.activeSync()),
                                defaults.autodiscoverHost() == null ? "autodiscover." + Provider.Hosting.ANY
                                        : defaults.autodiscoverHost(),
                                Optional.ofNullable(defaults.ldap()))));
            }
        }
        if (id == null && idNode == null && domains.isEmpty() && anyDomainNode != null && !list.otherThanAny) {
            error(anyDomainNode, "a provider whose only domain is '*' needs an 'id' (a host name, e.g. the hoster's"
                    + " own domain): it is the emailProvider id of every answer");
        }
        if (id == null && idNode == null && !domains.isEmpty()) {
            id = domains.get(0).name();
        }
        if (id != null) {
            Mark at = idNode != null ? idNode.getStartMark() : node.getStartMark();
            Mark first = providerIdsSeen.putIfAbsent(id, at);
            if (first != null) {
                error(at, "provider id " + id + " is used twice; first at " + where(first)
                        + (idNode == null ? " (the id defaults to the first domain; set 'id' explicitly)" : ""));
            }
        }
        if (problems.size() > before) {
            return null;
        }
        if (siteDefault && !topLevelRead) {
            takeSiteSigning.add(providers.size()); // the index it gets: only the providers list adds after this
        }
        return located(new Provider(id, name, shortName, documentation, domains, logos, hosting, signing), node);
    }

    /** {@code mxDomains}: host names, each claimed by one provider only. */
    private List<String> readMxDomains(Node node) {
        List<String> result = new ArrayList<>();
        for (Node item : node == null ? List.<Node>of() : listOrEmpty(node, "mxDomains")) {
            String name = hostname(item, "mxDomains");
            if (name == null) {
                continue;
            }
            Mark first = mxDomainsSeen.putIfAbsent(name, item.getStartMark());
            if (first != null) {
                error(item, "mxDomains: " + name + " is listed twice; first at " + where(first)
                        + " (one MX domain answers for one provider)");
                continue;
            }
            result.add(name);
        }
        return result;
    }

    private Settings readSettings(Fields f) {
        List<MailServer> servers = null;
        boolean serversComplete = true;
        Node serversNode = f.value("servers");
        if (serversNode != null) {
            int before = problems.size();
            servers = new ArrayList<>();
            for (Node item : listOrEmpty(serversNode, "servers")) {
                MailServer s = readServer(item);
                if (s != null) {
                    servers.add(s);
                }
            }
            serversComplete = problems.size() == before;
        }
        List<DavServer> dav = null;
        Node davNode = f.value("dav");
        if (davNode != null) {
            dav = new ArrayList<>();
            for (Node item : listOrEmpty(davNode, "dav")) {
                DavServer d = readDav(item);
                if (d != null) {
                    dav.add(d);
                }
            }
        }
        OAuth2 oauth2 = readOAuth2(f.value("oauth2"));
        String activeSync = url(f.value("activeSync"), "activeSync", true) == null ? null
                : string(f.value("activeSync"), "activeSync");
        String ldap = null;
        Node ldapNode = f.value("ldap");
        String ldapName = string(ldapNode, "ldap");
        if (ldapName != null) {
            if (!topLevelRead) {
                pendingLdap.add(new PendingLdap(ldapName, ldapNode.getStartMark()));
                ldap = ldapName; // unused when it turns out unknown: the read then fails
            } else if (checkDirectory(ldapName, ldapNode.getStartMark())) {
                ldap = ldapName;
            }
        }
        String autodiscoverHost = hostname(f.value("autodiscoverHost"), "autodiscoverHost");
        // Immutable here, so that the Domain of each of a provider's domains keeps this one list, not a copy.
        return new Settings(servers == null ? null : List.copyOf(servers), serversComplete,
                dav == null ? null : List.copyOf(dav), oauth2, activeSync, ldap, autodiscoverHost);
    }

    private boolean checkDirectory(String ldapName, Mark at) {
        if (declaredDirectories.contains(ldapName)) {
            return true;
        }
        String known = declaredDirectories.isEmpty() ? "no directories are defined (top-level 'directories')"
                : "defined: " + declaredDirectories.stream().sorted().collect(Collectors.joining(", "));
        error(at, "ldap: unknown directory '" + ldapName + "'; " + known);
        return false;
    }

    private Optional<Provider.Documentation> readDocumentation(Node node) {
        MappingNode m = mapping(node, "documentation");
        if (m == null) {
            return Optional.empty();
        }
        Fields f = new Fields(m, "documentation", Keys.DOCUMENTATION);
        Node urlNode = f.required("url");
        // https only: the PACC document carries it, and the draft allows no other scheme (users should not be sent
        // to a help page over plain http anyway).
        String url = url(urlNode, "url", true) == null ? null : string(urlNode, "url");
        String description = string(f.required("description"), "description");
        return url == null || description == null ? Optional.empty()
                : Optional.of(new Provider.Documentation(url, description));
    }

    /** A single logo mapping or a list of them; each an https URL and a media type (guessed from the file name). */
    private List<Provider.Logo> readLogos(Node node) {
        if (node == null) {
            return List.of();
        }
        List<Node> items = node instanceof MappingNode ? List.of(node) : list(node, "logo");
        List<Provider.Logo> logos = new ArrayList<>();
        for (Node item : items == null ? List.<Node>of() : items) {
            MappingNode m = mapping(item, "logo");
            if (m == null) {
                if (isNull(item)) {
                    error(item, "logo: expected a mapping with url (and contentType), got nothing");
                }
                continue;
            }
            Fields f = new Fields(m, "a logo", Keys.LOGO);
            Node urlNode = f.required("url");
            String url = url(urlNode, "url", true) == null ? null : string(urlNode, "url");
            String contentType = null;
            Node typeNode = f.value("contentType");
            if (typeNode != null) {
                contentType = string(typeNode, "contentType");
                if (contentType != null && !MEDIA_TYPE.matcher(contentType).matches()) {
                    error(typeNode, "contentType: '" + contentType + "' is not a media type like image/svg+xml");
                    contentType = null;
                }
            } else if (url != null) {
                contentType = Values.imageType(url);
                if (contentType == null) {
                    error(urlNode, "url: cannot tell the image type from '" + url + "'; add contentType "
                            + "(e.g. image/svg+xml, image/png)");
                }
            }
            if (url != null && contentType != null) {
                logos.add(new Provider.Logo(url, contentType));
            }
        }
        return logos;
    }

    private MailServer readServer(Node node) {
        MappingNode m = mapping(node, "servers");
        if (m == null) {
            return null;
        }
        Fields f = new Fields(m, "a server", Keys.SERVER);
        Protocol type = choice(f.required("type"), "type", Protocol.values(), Protocol::id);
        String hostname = hostname(f.required("hostname"), "hostname");
        Security security = f.value("security") == null ? Security.SSL
                : choice(f.value("security"), "security", Security.values(), Security::id);
        Integer port = f.value("port") == null
                ? (type == null || security == null ? null : Values.defaultPort(type, security))
                : integer(f.value("port"), "port", 1, 65535);
        List<Authentication> authentication = readAuthentication(f.value("authentication"));
        String username = login(f.value("username"), "username");
        Integer priority = f.value("priority") == null ? Integer.valueOf(10)
                : integer(f.value("priority"), "priority", 0, 65535);
        if (type == null || hostname == null || security == null || port == null || authentication == null
                || username == null || priority == null) {
            return null;
        }
        return located(new MailServer(type, hostname, port, security, authentication, username, priority), node);
    }

    private List<Authentication> readAuthentication(Node node) {
        if (node == null) {
            return List.of(Authentication.PASSWORD_CLEARTEXT);
        }
        List<Node> items = node instanceof SequenceNode ? list(node, "authentication") : List.of(node);
        if (items == null) {
            return null;
        }
        if (items.isEmpty()) {
            error(node, "authentication: the list is empty; omit the key for the default password-cleartext");
            return null;
        }
        List<Authentication> result = new ArrayList<>();
        boolean ok = true;
        for (Node item : items) {
            Authentication a = choice(item, "authentication", Authentication.values(), Authentication::id);
            if (a == null) {
                ok = false;
            } else if (result.contains(a)) {
                error(item, "authentication: " + a.id() + " is listed twice");
                ok = false;
            } else {
                result.add(a);
            }
        }
        return ok ? result : null;
    }

    private DavServer readDav(Node node) {
        MappingNode m = mapping(node, "dav");
        if (m == null) {
            return null;
        }
        Fields f = new Fields(m, "a dav server", Keys.DAV);
        DavServer.Type type = choice(f.required("type"), "type", DavServer.Type.values(), DavServer.Type::id);
        java.net.URI url = url(f.required("url"), "url", false);
        if (url != null && url.toString().contains("$")) {
            // The URL becomes a value in NGINX's configuration (the .well-known redirect), where '$' starts a variable.
            error(f.required("url"), "url: '" + url + "' contains '$'; write it percent-encoded (%24)");
            url = null;
        }
        String username = login(f.value("username"), "username");
        return type == null || url == null || username == null ? null
                : located(new DavServer(type, url, username), node);
    }

    private OAuth2 readOAuth2(Node node) {
        MappingNode m = mapping(node, "oauth2");
        if (m == null) {
            return null;
        }
        Fields f = new Fields(m, "oauth2", Keys.OAUTH2);
        String issuer = hostname(f.required("issuer"), "issuer");
        String scope = string(f.required("scope"), "scope");
        Node authNode = f.required("authUrl");
        Node tokenNode = f.required("tokenUrl");
        String authUrl = url(authNode, "authUrl", true) == null ? null : string(authNode, "authUrl");
        String tokenUrl = url(tokenNode, "tokenUrl", true) == null ? null : string(tokenNode, "tokenUrl");
        return issuer == null || scope == null || authUrl == null || tokenUrl == null ? null
                : new OAuth2(issuer, scope, authUrl, tokenUrl);
    }

    // ---- directories ----

    private Map<String, Directory> readDirectories(Node node) {
        Map<String, Directory> result = new LinkedHashMap<>();
        MappingNode m = mapping(node, "directories");
        if (m == null) {
            return result;
        }
        Map<String, Mark> seen = new HashMap<>();
        for (NodeTuple t : m.getValue()) {
            String name = string(t.getKeyNode(), "directory name");
            if (name == null) {
                continue;
            }
            try {
                Values.directoryName(name);
            } catch (IllegalArgumentException e) {
                error(t.getKeyNode(), "directories: " + e.getMessage());
                continue;
            }
            Mark first = seen.putIfAbsent(name, t.getKeyNode().getStartMark());
            if (first != null) {
                error(t.getKeyNode(), "directory '" + name + "' is defined twice; first at " + where(first));
                continue;
            }
            declaredDirectories.add(name);
            MappingNode dm = mapping(t.getValueNode(), name);
            if (isNull(t.getValueNode())) {
                error(t.getKeyNode(), "directory '" + name + "' has no settings; expected at least url and base");
            }
            Directory d = dm == null ? null : readDirectory(name, dm);
            if (d != null) {
                result.put(name, d);
            }
        }
        return result;
    }

    private Directory readDirectory(String name, MappingNode node) {
        Fields f = new Fields(node, "a directory", Keys.DIRECTORY);
        String url = null;
        Node urlNode = f.required("url");
        String rawUrl = string(urlNode, "url");
        if (rawUrl != null) {
            try {
                url = Values.ldapUrl(rawUrl);
            } catch (IllegalArgumentException e) {
                error(urlNode, "url: " + e.getMessage());
            }
        }
        Boolean startTls = f.value("startTls") == null ? Boolean.FALSE : bool(f.value("startTls"), "startTls");
        if (Boolean.TRUE.equals(startTls) && url != null && url.startsWith("ldaps:")) {
            error(f.value("startTls"), "startTls: an ldaps:// connection is already encrypted; StartTLS applies to "
                    + "ldap:// only");
        }
        Optional<Directory.CaFile> ca = Optional.empty();
        Node caNode = f.value("tlsCaFile");
        if (caNode != null) {
            ca = caFile(caNode);
            if (ca != null && url != null && url.startsWith("ldap:") && Boolean.FALSE.equals(startTls)) {
                error(caNode, "tlsCaFile: a plain ldap:// connection uses no TLS; use ldaps:// or startTls: true");
                ca = null;
            }
        }
        String base = string(f.required("base"), "base");
        String filter = Directory.DEFAULT_FILTER;
        Node filterNode = f.value("filter");
        if (filterNode != null) {
            filter = string(filterNode, "filter");
            if (filter != null) {
                try {
                    Values.ldapFilter(filter);
                } catch (IllegalArgumentException e) {
                    error(filterNode, "filter: " + e.getMessage());
                    filter = null;
                }
            }
        }
        String uid = attribute(f.value("uidAttribute"), "uidAttribute", "uid");
        String cn = attribute(f.value("cnAttribute"), "cnAttribute", "cn");
        Node bindDnNode = f.value("bindDn");
        String bindDn = string(bindDnNode, "bindDn");
        Optional<Secret> password = readBindPassword(f, bindDnNode);
        Duration connect = duration(f.value("connectTimeout"), "connectTimeout", Directory.DEFAULT_CONNECT_TIMEOUT, false);
        Duration response = duration(f.value("responseTimeout"), "responseTimeout", Directory.DEFAULT_RESPONSE_TIMEOUT, false);
        Duration ttl = duration(f.value("cacheTtl"), "cacheTtl", Directory.DEFAULT_CACHE_TTL, true);
        if (url == null || startTls == null || base == null || filter == null || uid == null || cn == null
                || (bindDnNode != null && bindDn == null) || password == null || connect == null || response == null
                || ttl == null || ca == null) {
            return null;
        }
        return located(new Directory(name, url, startTls, base, filter, uid, cn, Optional.ofNullable(bindDn), password,
                connect, response, ttl, ca), node);
    }

    /**
     * The certificates of {@code tlsCaFile} (resolved as {@code bindPasswordFile} is), re-encoded as plain PEM;
     * null when a problem was reported.
     */
    private Optional<Directory.CaFile> caFile(Node node) {
        String value = string(node, "tlsCaFile");
        if (value == null) {
            return null;
        }
        Path path = baseDirectory.resolve(value);
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(path);
        } catch (NoSuchFileException e) {
            error(node, "tlsCaFile: " + path + " does not exist (relative paths are relative to this file)");
            return null;
        } catch (IOException e) {
            error(node, "tlsCaFile: cannot read " + path + " (" + reason(e) + ")");
            return null;
        }
        StringBuilder pem = new StringBuilder();
        try {
            for (Certificate c : CertificateFactory.getInstance("X.509")
                    .generateCertificates(new java.io.ByteArrayInputStream(bytes))) {
                // Re-encoded, so the site holds certificates only: text around the blocks (comments, openssl's
                // "subject=" lines) is dropped, and the same certificates always give the same bytes.
                pem.append("-----BEGIN CERTIFICATE-----\n")
                        .append(Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(c.getEncoded()))
                        .append("\n-----END CERTIFICATE-----\n");
            }
        } catch (CertificateException e) {
            error(node, "tlsCaFile: " + path + " is not a PEM file of X.509 certificates (" + e.getMessage() + ")");
            return null;
        }
        if (pem.isEmpty()) {
            error(node, "tlsCaFile: " + path + " holds no X.509 certificate (expected -----BEGIN CERTIFICATE-----)");
            return null;
        }
        return Optional.of(new Directory.CaFile(path.toAbsolutePath().normalize(), pem.toString()));
    }

    /** Exactly one source, or none for an anonymous bind; null when a problem was reported. */
    private Optional<Secret> readBindPassword(Fields f, Node bindDnNode) {
        List<String> sources = List.of("bindPassword", "bindPasswordFile", "bindPasswordEnv");
        List<String> given = sources.stream().filter(f::has).toList();
        if (given.size() > 1) {
            error(f.key(given.get(1)), given.get(1) + ": more than one password source (" + String.join(", ", given)
                    + "); give exactly one");
            return null;
        }
        if (given.isEmpty()) {
            if (bindDnNode != null) {
                error(bindDnNode, "bindDn: needs a password: one of bindPassword, bindPasswordFile, bindPasswordEnv "
                        + "(omit bindDn for an anonymous bind)");
                return null;
            }
            return Optional.empty();
        }
        String source = given.get(0);
        if (bindDnNode == null) {
            error(f.key(source), source + ": a bind password needs bindDn (the DN to bind as)");
            return null;
        }
        Node node = f.value(source);
        String value = string(node, source);
        if (value == null) {
            if (node == null) {
                error(f.key(source), source + ": has no value");
            }
            return null;
        }
        return switch (source) {
            case "bindPassword" -> Optional.of(new Secret(value));
            case "bindPasswordFile" -> passwordFromFile(node, value);
            default -> passwordFromEnvironment(node, value);
        };
    }

    // ---- signing ----

    /**
     * A {@code signing:} mapping: the certificate chain and the key, checked against each other and the clock; empty
     * when the node is absent, null when a problem was reported. Paths resolve like {@code bindPasswordFile}.
     */
    private Optional<Signing> readSigning(Node node) {
        MappingNode m = mapping(node, "signing");
        if (m == null) {
            return node == null ? Optional.empty() : null;
        }
        Fields f = new Fields(m, "signing", Keys.SIGNING);
        Node certificateNode = f.required("certificate");
        Node keyNode = f.required("key");
        List<String> sources = List.of("keyPassword", "keyPasswordFile", "keyPasswordEnv");
        List<String> given = sources.stream().filter(f::has).toList();
        Optional<Secret> password = Optional.empty();
        if (given.size() > 1) {
            error(f.key(given.get(1)), given.get(1) + ": more than one password source (" + String.join(", ", given)
                    + "); give exactly one");
            password = null;
        } else if (given.size() == 1) {
            String source = given.get(0);
            Node passwordNode = f.value(source);
            String value = string(passwordNode, source);
            if (value == null && passwordNode == null) {
                error(f.key(source), source + ": has no value");
            }
            password = value == null ? null : switch (source) {
                case "keyPassword" -> Optional.of(new Secret(value));
                case "keyPasswordFile" -> passwordFromFile(passwordNode, value, source);
                default -> passwordFromEnvironment(passwordNode, value, source);
            };
        }
        Path certificateFile = signingFile(certificateNode, "certificate");
        Path keyFile = signingFile(keyNode, "key");
        List<X509Certificate> chain = null;
        if (certificateFile != null) {
            try {
                chain = SigningFiles.certificates(Files.readAllBytes(certificateFile), certificateFile.toString());
                String problem = SigningFiles.certificateProblem(chain.get(0), now);
                if (problem != null) {
                    error(certificateNode, "certificate: '" + chain.get(0).getSubjectX500Principal().getName()
                            + "' in " + certificateFile + " " + problem);
                    chain = null;
                }
            } catch (IOException e) {
                error(certificateNode, "certificate: cannot read " + certificateFile + " (" + reason(e)
                        + ")");
            } catch (IllegalArgumentException e) {
                error(certificateNode, "certificate: " + e.getMessage());
            }
        }
        PrivateKey key = null;
        if (keyFile != null && password != null) {
            try {
                key = SigningFiles.key(Files.readAllBytes(keyFile), keyFile.toString(),
                        password.map(p -> p.value().toCharArray()).orElse(null));
            } catch (IOException e) {
                error(keyNode, "key: cannot read " + keyFile + " (" + reason(e) + ")");
            } catch (IllegalArgumentException e) {
                error(keyNode, "key: " + e.getMessage());
            }
        }
        if (key != null && chain != null) {
            String problem = SigningFiles.keyProblem(key, chain.get(0));
            if (problem != null) {
                error(keyNode, "key: " + keyFile + " " + problem);
                key = null;
            }
        }
        if (chain == null || key == null) {
            return null;
        }
        return Optional.of(new Signing(certificateFile.toAbsolutePath().normalize(), chain,
                keyFile.toAbsolutePath().normalize(), key));
    }

    /** An existing, readable file named by {@code node}; null (after reporting) otherwise. */
    private Path signingFile(Node node, String key) {
        String value = string(node, key);
        if (value == null) {
            return null;
        }
        Path path = baseDirectory.resolve(value);
        if (!Files.exists(path)) {
            error(node, key + ": " + path + " does not exist (relative paths are relative to this file)");
            return null;
        }
        if (!Files.isRegularFile(path) || !Files.isReadable(path)) {
            error(node, key + ": cannot read " + path + " (not a readable file)");
            return null;
        }
        return path;
    }

    private Optional<Secret> passwordFromFile(Node node, String value) {
        return passwordFromFile(node, value, "bindPasswordFile");
    }

    private Optional<Secret> passwordFromFile(Node node, String value, String key) {
        Path path = baseDirectory.resolve(value);
        String content;
        try {
            content = StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(Files.readAllBytes(path)))
                    .toString();
        } catch (NoSuchFileException e) {
            error(node, key + ": " + path + " does not exist (relative paths are relative to this file)");
            return null;
        } catch (CharacterCodingException e) {
            error(node, key + ": " + path + " is not valid UTF-8");
            return null;
        } catch (IOException e) {
            error(node, key + ": cannot read " + path + " (" + reason(e) + ")");
            return null;
        }
        // Editors add a final line break; the password is everything before it.
        String password = content.replaceAll("(\r?\n)+$", "");
        if (password.isEmpty()) {
            error(node, key + ": " + path + " is empty");
            return null;
        }
        if (password.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
            error(node, key + ": " + path + " must hold the password on a single line");
            return null;
        }
        return Optional.of(new Secret(password));
    }

    private Optional<Secret> passwordFromEnvironment(Node node, String variable) {
        return passwordFromEnvironment(node, variable, "bindPasswordEnv");
    }

    private Optional<Secret> passwordFromEnvironment(Node node, String variable, String key) {
        String password = environment.get(variable);
        if (password == null) {
            error(node, key + ": the environment variable " + variable + " is not set");
            return null;
        }
        if (password.isEmpty()) {
            error(node, key + ": the environment variable " + variable + " is empty");
            return null;
        }
        return Optional.of(new Secret(password));
    }

    // ---- web ----

    /** The {@code web:} section; defaults for what is not given. Null after a problem (reported). */
    private WebSettings readWeb(Node node) {
        MappingNode m = mapping(node, "web");
        if (m == null) {
            return WebSettings.DEFAULT;
        }
        int before = problems.size();
        Fields f = new Fields(m, "web", Keys.WEB);
        WebSettings d = WebSettings.DEFAULT;
        List<String> http = f.has("http") ? listen(f, "http") : d.http();
        List<String> https = f.has("https") ? listen(f, "https") : d.https();
        Optional<String> certificate = webPath(f.value("certificate"), "certificate", true);
        Optional<String> key = webPath(f.value("certificateKey"), "certificateKey", true);
        Boolean redirect = bool(f.value("redirectToHttps"), "redirectToHttps");
        Optional<String> accessLog = Optional.empty();
        String log = string(f.value("accessLog"), "accessLog");
        if (log != null) {
            String problem = WebSettings.accessLogProblem(log);
            if (problem != null) {
                error(f.value("accessLog"), "accessLog: " + problem + " (or off)");
            }
            accessLog = Optional.of(log);
        }
        if (problems.size() > before) {
            return null;
        }
        WebSettings web = new WebSettings(http, https, certificate, key,
                redirect == null ? d.redirectToHttps() : redirect, accessLog);
        for (String problem : web.consistencyProblems()) {
            error(m, "web: " + problem);
        }
        return web;
    }

    /** A list of listen addresses; a single value is taken as a one-element list, null or [] as none. */
    private List<String> listen(Fields f, String key) {
        Node node = f.value(key);
        List<Node> items = node == null ? List.of() : node instanceof SequenceNode ? list(node, key) : List.of(node);
        List<String> result = new ArrayList<>();
        for (Node item : items == null ? List.<Node>of() : items) {
            String v = string(item, key);
            if (v != null) {
                String problem = WebSettings.listenProblem(v);
                if (problem != null) {
                    error(item, key + ": " + problem);
                } else {
                    result.add(v);
                }
            }
        }
        return result;
    }

    private Optional<String> webPath(Node node, String key, boolean slotAllowed) {
        String v = string(node, key);
        if (v == null) {
            return Optional.empty();
        }
        String problem = WebSettings.pathProblem(v, slotAllowed);
        if (problem != null) {
            error(node, key + ": " + problem);
        }
        return Optional.of(v);
    }

    // ---- mappings ----

    /** The keys of one mapping, checked against the allowed ones; unknown and duplicate keys are reported. */
    private final class Fields {
        private final MappingNode node;
        private final String what;
        private final Map<String, NodeTuple> tuples = new LinkedHashMap<>();

        Fields(MappingNode node, String what, List<String> allowed) {
            this.node = node;
            this.what = what;
            Map<String, Mark> seen = new HashMap<>();
            for (NodeTuple t : node.getValue()) {
                Node keyNode = t.getKeyNode();
                if (!(keyNode instanceof ScalarNode scalarKey) || isNull(keyNode)) {
                    error(keyNode, "keys must be plain names, got " + describe(keyNode));
                    continue;
                }
                String key = scalarKey.getValue();
                Mark first = seen.putIfAbsent(key, keyNode.getStartMark());
                if (first != null) {
                    error(keyNode, "duplicate key '" + key + "'; first at " + where(first));
                    continue;
                }
                if (Tag.MERGE.equals(keyNode.getTag())) {
                    error(keyNode, "merge keys (<<) are not supported; put shared settings at provider level, "
                            + "or share whole lists with an alias (*name)");
                    continue;
                }
                if (!tagAllowed(keyNode)) {
                    continue;
                }
                if (!allowed.contains(key)) {
                    String suggestion = Values.closest(key, allowed);
                    error(keyNode, "unknown key '" + key + "' in " + what
                            + (suggestion != null ? " (did you mean '" + suggestion + "'?)" : "")
                            + "; allowed keys: " + String.join(", ", allowed));
                    continue;
                }
                tuples.put(key, t);
            }
        }

        boolean has(String key) {
            return tuples.containsKey(key);
        }

        Node key(String key) {
            NodeTuple t = tuples.get(key);
            return t == null ? null : t.getKeyNode();
        }

        /** The value, or null when the key is absent or has no value (YAML null). */
        Node value(String key) {
            NodeTuple t = tuples.get(key);
            return t == null || isNull(t.getValueNode()) ? null : t.getValueNode();
        }

        Node required(String key) {
            NodeTuple t = tuples.get(key);
            if (t == null) {
                error(node, what + " is missing the required key '" + key + "'");
                return null;
            }
            if (isNull(t.getValueNode())) {
                error(t.getKeyNode(), key + ": has no value");
                return null;
            }
            return t.getValueNode();
        }
    }

    // ---- single values: each returns null after reporting a problem (or when node is null) ----

    private MappingNode mapping(Node node, String key) {
        if (node == null || isNull(node)) {
            return null;
        }
        if (!(node instanceof MappingNode m)) {
            error(node, key + ": expected a mapping (key: value lines), got " + describe(node));
            return null;
        }
        return tagAllowed(node) ? m : null;
    }

    private List<Node> list(Node node, String key) {
        if (node == null) {
            return null;
        }
        if (!(node instanceof SequenceNode s)) {
            error(node, key + ": expected a list (lines starting with '- '), got " + describe(node));
            return null;
        }
        return tagAllowed(node) ? s.getValue() : null;
    }

    private List<Node> listOrEmpty(Node node, String key) {
        List<Node> l = list(node, key);
        return l == null ? List.of() : l;
    }

    private String string(Node node, String key) {
        if (node == null) {
            return null;
        }
        if (!(node instanceof ScalarNode s)) {
            error(node, key + ": expected a single value, got " + describe(node));
            return null;
        }
        if (!tagAllowed(node)) {
            return null;
        }
        String v = s.getValue();
        if (v.isEmpty()) {
            error(node, key + ": must not be empty");
            return null;
        }
        if (v.contains("{{") || v.contains("}}")) {
            error(node, key + ": must not contain '{{' or '}}' (reserved for the site's substitution slots)");
            return null;
        }
        if (v.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
            error(node, key + ": must not contain control characters (tabs, line breaks)");
            return null;
        }
        return v;
    }

    private Integer integer(Node node, String key, int min, int max) {
        String v = string(node, key);
        if (v == null) {
            return null;
        }
        long n;
        try {
            n = Long.parseLong(v);
        } catch (NumberFormatException e) {
            error(node, key + ": expected a whole number, got '" + v + "'");
            return null;
        }
        if (n < min || n > max) {
            error(node, key + ": " + v + " is out of range " + min + ".." + max);
            return null;
        }
        return (int) n;
    }

    private Boolean bool(Node node, String key) {
        String v = string(node, key);
        if (v == null) {
            return null;
        }
        return switch (v.toLowerCase(Locale.ROOT)) {
            case "true" -> Boolean.TRUE;
            case "false" -> Boolean.FALSE;
            default -> {
                error(node, key + ": expected true or false, got '" + v + "'");
                yield null;
            }
        };
    }

    /** One of the values' ids, matched case-insensitively. */
    private <E> E choice(Node node, String key, E[] values, Function<E, String> id) {
        String v = string(node, key);
        if (v == null) {
            return null;
        }
        for (E e : values) {
            if (id.apply(e).equalsIgnoreCase(v)) {
                return e;
            }
        }
        List<String> ids = Arrays.stream(values).map(id).toList();
        String suggestion = Values.closest(v, ids);
        error(node, key + ": invalid value '" + v + "'"
                + (suggestion != null ? " (did you mean '" + suggestion + "'?)" : "")
                + "; allowed: " + String.join(", ", ids));
        return null;
    }

    private String hostname(Node node, String key) {
        String v = string(node, key);
        if (v == null) {
            return null;
        }
        try {
            return Values.hostname(v);
        } catch (IllegalArgumentException e) {
            error(node, key + ": " + e.getMessage());
            return null;
        }
    }

    private java.net.URI url(Node node, String key, boolean httpsOnly) {
        String v = string(node, key);
        if (v == null) {
            return null;
        }
        try {
            return Values.webUrl(v, httpsOnly);
        } catch (IllegalArgumentException e) {
            error(node, key + ": " + e.getMessage());
            return null;
        }
    }

    /** A login template; absent means the full address. */
    private String login(Node node, String key) {
        if (node == null) {
            return Values.DEFAULT_USERNAME;
        }
        String v = string(node, key);
        if (v == null) {
            return null;
        }
        try {
            Values.placeholders(v);
            return v;
        } catch (IllegalArgumentException e) {
            error(node, key + ": " + e.getMessage());
            return null;
        }
    }

    private String attribute(Node node, String key, String defaultValue) {
        if (node == null) {
            return defaultValue;
        }
        String v = string(node, key);
        if (v != null && !ATTRIBUTE.matcher(v).matches()) {
            error(node, key + ": '" + v + "' is not an LDAP attribute name (like uid, mail, cn)");
            return null;
        }
        return v;
    }

    private Duration duration(Node node, String key, Duration defaultValue, boolean zeroAllowed) {
        if (node == null) {
            return defaultValue;
        }
        String v = string(node, key);
        if (v == null) {
            return null;
        }
        try {
            return Values.duration(v, zeroAllowed);
        } catch (IllegalArgumentException e) {
            error(node, key + ": " + e.getMessage());
            return null;
        }
    }

    // ---- helpers ----

    private boolean tagAllowed(Node node) {
        if (IMPLICIT_TAGS.contains(node.getTag())) {
            return true;
        }
        error(node, "YAML tags (" + node.getTag().getValue() + ") are not supported; write plain values");
        return false;
    }

    private static boolean isNull(Node node) {
        return node instanceof ScalarNode && Tag.NULL.equals(node.getTag());
    }

    private static String describe(Node node) {
        if (node instanceof MappingNode) {
            return "a mapping";
        }
        if (node instanceof SequenceNode) {
            return "a list";
        }
        if (isNull(node)) {
            return "nothing";
        }
        String v = ((ScalarNode) node).getValue();
        return "'" + (v.length() > 40 ? v.substring(0, 40) + "..." : v) + "'";
    }

    private String where(Mark mark) {
        return file + ":" + (mark.getLine() + 1) + ":" + (mark.getColumn() + 1);
    }

    /** A mark's line and column (both from 0) in one long: what is kept per domain instead of a mark. */
    private static long position(Mark mark) {
        return ((long) mark.getLine() << 32) | (mark.getColumn() & 0xffffffffL);
    }

    private static int line(long position) {
        return (int) (position >>> 32);
    }

    private static int column(long position) {
        return (int) position;
    }

    private String where(long position) {
        return file + ":" + (line(position) + 1) + ":" + (column(position) + 1);
    }

    private void error(long position, String message) {
        problems.add(new Problem(line(position) + 1, column(position) + 1, message));
    }

    private void error(Node node, String message) {
        error(node.getStartMark(), message);
    }

    private void error(Mark mark, String message) {
        problems.add(new Problem(mark.getLine() + 1, mark.getColumn() + 1, message));
    }

    /** Why a file could not be read, as strerror says it ("permission denied"), without the path or a class name. */
    private static String reason(Exception e) {
        if (e instanceof java.nio.file.FileSystemException f) {
            return dev.autogen.text.IoErrors.reason(f);
        }
        return dev.autogen.text.IoErrors.describe(e);
    }
}
