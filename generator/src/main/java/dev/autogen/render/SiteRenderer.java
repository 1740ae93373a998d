package dev.autogen.render;

import dev.autogen.model.DavServer;
import dev.autogen.model.Directory;
import dev.autogen.model.Domain;
import dev.autogen.model.Layout;
import dev.autogen.model.MailServer;
import dev.autogen.model.OAuth2;
import dev.autogen.model.Provider;
import dev.autogen.model.Site;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Renders every document of a site (see docs/site-format.md). Pure: the same site gives the same bytes.
 * Thread-safe: domains may be rendered in parallel.
 *
 * <p>Most domains of a provider share their servers, so most documents are identical across domains. They are
 * rendered once per distinct input and cached for the life of this renderer (use one renderer per render): this is
 * what makes 100k domains cheap, and content addressing then stores each distinct document once.
 */
public final class SiteRenderer {
    /**
     * Above this many domains, a provider's autoconfig lists only the domain it is served for (through the
     * {@code {{domain}}} slot) instead of all of them: listing 10,000 domains in each of 10,000 documents would make
     * the site quadratic in size. Clients need only one valid {@code <domain>}.
     */
    static final int MAX_LISTED_DOMAINS = 50;

    private final RenderSettings settings;
    private final Templates templates;
    private final AutoconfigRenderer autoconfigRenderer;
    private final AutodiscoverRenderer autodiscoverRenderer;
    private final SetupPageRenderer setupPageRenderer;

    private final Cache<AutoconfigKey, Autoconfig> autoconfigs = new Cache<>();
    private final Cache<List<MailServer>, Doc> outlooks = new Cache<>();
    private final Cache<String, Doc> mobileSyncs = new Cache<>();
    private final Cache<ProfileKey, Doc> profiles = new Cache<>();
    private final Cache<ProfileKey, AddresslessProfile> addresslessProfiles = new Cache<>();
    /**
     * Setup pages with the domain as slots, by their template model (which holds everything the page depends on).
     * Fewer entries than the other caches: a page is ~10 KB, twice over once split for filling (tree layout).
     */
    private final Cache<Map<String, Object>, SetupPage> setupPages = new Cache<>(512);
    private final Cache<PaccKey, PaccDoc> paccs = new Cache<>();
    /** Sites already checked by {@link #checkSite} (by identity; normally just one). */
    private final Map<Identity, Boolean> checkedSites = new ConcurrentHashMap<>();
    /**
     * The documents of each domain rendered so far, so {@link #renderSiteFiles} need not render them again. Not the
     * index line itself: the documents are shared by the domains of a provider (cached), a line is ~250 bytes of its
     * own, and at a million domains those lines were a quarter of a GB held to the end of the render. Only the paths:
     * holding the documents' bytes would keep every page alive once the caches have forgotten it (a site whose
     * domains all differ would then hold ~45 KB of setup page per domain).
     */
    private final Map<Identity, DocPaths> renderedDocs = new ConcurrentHashMap<>();

    public SiteRenderer(RenderSettings settings) {
        this.settings = settings;
        this.templates = new Templates(settings.templateDir());
        this.autoconfigRenderer = new AutoconfigRenderer(templates);
        this.autodiscoverRenderer = new AutodiscoverRenderer(templates);
        this.setupPageRenderer = new SetupPageRenderer(templates);
    }

    // FileSink may receive the same content-addressed path (private/docs/<sha>) from many domains.

    /**
     * Files that exist once per site: error documents, LDAP settings, web server configs and the index
     * {@code private/domains.tsv} (domains already given to {@link #renderDomain} are not rendered again).
     *
     * @throws IllegalArgumentException when two providers claim the same domain, or a domain names an unknown
     *                                  directory (sources reject both with file/line context; this is the last guard)
     */
    public void renderSiteFiles(Site site, FileSink sink) {
        checkSite(site);
        for (int code : new int[] {600, 601}) {
            sink.put("private/errors/autodiscover-" + code + ".xml", autodiscoverError(code));
        }
        // The responder signs per-user profiles with this key; one file per provider that signs (a site-wide key
        // gives identical files, stored once).
        for (Provider provider : site.providers()) {
            provider.signing().ifPresent(signing -> sink.put("private/signing/" + requireDomainName(provider.id())
                    + ".pem", ProfileSigner.privateFile(signing)));
        }
        for (Directory directory : site.directories()) {
            sink.put("private/ldap/" + directory.name() + ".properties", ldapSettings(directory));
            directory.tlsCa().ifPresent(ca -> sink.put("private/ldap/" + LdapSettingsRenderer.caFileName(directory),
                    ca.pem().getBytes(StandardCharsets.US_ASCII)));
        }
        // These grow with the site (a host map, a line per domain): at 100k domains each takes a second or so, so
        // they are rendered side by side instead of leaving all but one core idle at the end of a render. The two web
        // configs share one model (built once: its host table is three entries per domain on a tree site).
        WebServerConfig.Model[] web = new WebServerConfig.Model[1];
        List<Supplier<List<byte[]>>> large = List.of(
                () -> {
                    web[0] = WebServerConfig.model(templates, site, settings);
                    return List.of(WebServerConfig.nginx(templates, web[0]), WebServerConfig.apache(templates, web[0]));
                },
                () -> domainsIndex(site), () -> List.of(paccIndex(site)));
        List<List<byte[]>> rendered = large.parallelStream().map(Supplier::get).toList();
        sink.put("conf/nginx/autogen.conf", rendered.get(0).get(0));
        sink.put("conf/apache/autogen.conf", rendered.get(0).get(1));
        sink.put("private/domains.tsv", rendered.get(1));
        // The setup page's header for whoever serves it (the responder in the compact layout): every logo origin.
        sink.put("private/" + SETUP_PAGE_CSP, utf8(web[0].setupPageCsp() + "\n"));
        sink.put("private/" + PACC_INDEX, rendered.get(2));
        if (site.layout() == Layout.COMPACT && memo.active()) {
            sink.put("private/" + RenderMemo.FILE, memoFile(site));
        }
        if (settings.setupIndex()) {
            sink.put("private/setup-index.html", setupPageRenderer.index(site));
        }
        renderHosting(site, sink);
        List<DavRedirects.Entry> redirects = DavRedirects.of(site);
        if (!redirects.isEmpty()) {
            sink.put("private/wellknown.tsv", utf8(DavRedirects.file(redirects)));
        }
    }

    // ---- hosters: the default provider and MX domains (docs/hosters.md)

    /** The header of {@code private/hosting.tsv}. */
    public static final String HOSTING_HEADER = "#autogen-hosting 1";

    /**
     * The documents of every provider that answers for domains it does not list, rendered once each from the
     * provider's own settings with the mail domain as the {@code {{domain}}} slot, and their index
     * {@code private/hosting.tsv} (docs/site-format.md): a line {@code *} for the default provider and one per MX
     * domain. Written only when the site has such a provider; the number of files never depends on the domains.
     */
    private void renderHosting(Site site, FileSink sink) {
        List<String> lines = new ArrayList<>();
        for (Provider provider : site.hosters()) {
            Provider.Hosting hosting = provider.hosting().orElseThrow();
            Domain open = openDomain(hosting.settings());
            Doc autoconfig = Doc.of(utf8(autoconfigRenderer.render(provider, open, List.of(Slots.DOMAIN))), "xml");
            DomainDocs docs = new DomainDocs(new Autoconfig(autoconfig, null, null), outlook(open), mobileSync(open),
                    Doc.of(perUserProfile(provider, open), "plist"), null, null);
            for (Doc doc : List.of(autoconfig, docs.outlook, docs.profile)) {
                sink.put("private/" + doc.path, doc.bytes);
            }
            docs.mobileSync.ifPresent(doc -> sink.put("private/" + doc.path, doc.bytes));
            String addressless = "-";
            if (hosting.anyDomain()) {
                // The default provider's PACC document, the same for every domain it answers (it names none);
                // private/pacc.tsv lists it as '*' (see paccIndex).
                PaccDoc pacc = pacc(site, provider, open);
                if (pacc.doc != null) {
                    sink.put("private/" + pacc.doc.path, pacc.doc.bytes);
                }
                Doc profile = Doc.of(utf8(MobileconfigRenderer.addresslessTemplate(provider, open)), "plist");
                sink.put("private/" + profile.path, profile.bytes);
                addressless = profile.path;
                lines.add(hostingLine(Provider.Hosting.ANY, provider, open, docs, addressless));
            }
            for (String mx : hosting.mxDomains()) {
                lines.add(hostingLine(requireDomainName(mx), provider, open, docs, "-"));
            }
        }
        if (!lines.isEmpty()) {
            StringBuilder out = new StringBuilder(HOSTING_HEADER).append('\n');
            lines.stream().sorted().forEach(line -> out.append(line).append('\n'));
            sink.put("private/hosting.tsv", utf8(out.toString()));
        }
    }

    /**
     * A provider's own settings as the domain {@code {{domain}}}: everything rendered from it names the mail domain
     * through the slot ({@code autodiscover.*}, the default Autodiscover host, becomes {@code autodiscover.{{domain}}}).
     */
    static Domain openDomain(Domain settings) {
        String host = settings.autodiscoverHost().equals("autodiscover." + Provider.Hosting.ANY)
                ? "autodiscover." + Slots.DOMAIN : settings.autodiscoverHost();
        return new Domain(Slots.DOMAIN, settings.servers(), settings.davServers(), settings.oauth2(),
                settings.activeSyncUrl(), host, settings.directory());
    }

    /** {@code <key>} then the eight columns of a domains.tsv line after the domain, then the address-less profile. */
    private static String hostingLine(String key, Provider provider, Domain open, DomainDocs docs, String addressless) {
        IndexLine index = index(provider, open, docs);
        return new IndexLine(key, index.providerId(), index.autoconfig(), index.outlook(), index.mobileSync(),
                index.profile(), index.directory(), index.autodiscoverUrl(), index.activeSyncUrl()).format()
                + "\t" + addressless;
    }

    /** The setup page's Content-Security-Policy header value, one line (docs/site-format.md). */
    public static final String SETUP_PAGE_CSP = "setup-page.csp";

    /**
     * Every file of one domain. Both layouts: its content-addressed private documents (shared with every domain of
     * the same settings, so mostly already written). Tree layout only: public autoconfig, profile, PACC document and
     * setup page under {@code public/<domain>/}, and the DNS zone {@code conf/dns/<domain>.zone}.
     */
    public void renderDomain(Site site, Provider provider, Domain domain, FileSink sink) {
        checkSite(site);
        String name = requireDomainName(domain.name());
        if (site.layout() == Layout.COMPACT) {
            DocPaths reused = reused(provider, domain, sink);
            if (reused != null) { // the provider is what the previous render rendered: its documents are there
                renderedDocs.put(new Identity(domain), reused);
                return;
            }
        }
        // Everything is rendered and validated before the first put: a domain that fails leaves nothing behind.
        DomainDocs docs = documents(provider, domain);
        index(provider, domain, docs); // validates the columns
        PaccDoc pacc = pacc(site, provider, domain);
        boolean tree = site.layout() == Layout.TREE;
        byte[] publicAutoconfig = tree ? publicAutoconfig(provider, domain) : null;
        byte[] profile = tree ? addresslessProfile(provider, domain) : null;
        byte[] zone = tree ? DnsZoneRenderer.render(templates, provider, domain,
                Optional.ofNullable(pacc.doc).map(Doc::bytes), site.pacc().revision()) : null;
        byte[] setupPage = tree ? docs.setupPage.compiled().fill(name) : null;

        sink.put("private/" + docs.autoconfig.doc.path, docs.autoconfig.doc.bytes);
        sink.put("private/" + docs.outlook.path, docs.outlook.bytes);
        docs.mobileSync.ifPresent(doc -> sink.put("private/" + doc.path, doc.bytes));
        sink.put("private/" + docs.profile.path, docs.profile.bytes);
        sink.put("private/" + docs.profileTemplate.path, docs.profileTemplate.bytes);
        sink.put("private/" + docs.setupPage.doc.path, docs.setupPage.doc.bytes);
        if (pacc.doc != null) {
            sink.put("private/" + pacc.doc.path, pacc.doc.bytes);
        }
        if (!tree) {
            // Compact: nothing per domain; the responder serves it all from these documents and domains.tsv.
            renderedDocs.put(new Identity(domain), docs.paths().withPacc(pacc));
            return;
        }
        sink.put("public/" + name + "/mail/config-v1.1.xml", publicAutoconfig);
        sink.put("public/" + name + "/.well-known/autoconfig/mail/config-v1.1.xml", publicAutoconfig);
        // In the domain's own directory, not a mobileconfig/ of its own: directories are most of what a first render
        // of a big site costs (five per domain are unavoidable; a sixth made 100k domains about 18 % slower).
        sink.put("public/" + name + "/" + name + ".mobileconfig", profile);
        sink.put("conf/dns/" + name + ".zone", zone);
        if (pacc.doc != null) {
            // Public for the web server, content-addressed in private/ for the responder (private/pacc.tsv): the
            // same bytes, which the zone's TXT digest covers.
            sink.put("public/" + name + "/" + PaccRenderer.PATH, pacc.doc.bytes);
        }
        sink.put("public/" + name + "/index.html", setupPage);
        renderedDocs.put(new Identity(domain), docs.paths().withPacc(pacc));
    }

    // ---- the render memo (compact layout): providers unchanged since the previous render are not rendered again

    private volatile RenderMemo memo = RenderMemo.NONE;
    /** Per provider (by identity): its domains' paths from the memo, when all its documents could be reused. */
    private final Map<Identity, Optional<Map<Domain, DocPaths>>> memoHits = new ConcurrentHashMap<>();
    private final Map<Identity, Optional<String>> memoDigests = new ConcurrentHashMap<>();

    /** Uses {@code memo} (the previous version's) and records a new one with the site files of a compact site. */
    public void useMemo(RenderMemo memo) {
        this.memo = memo;
    }

    /** How many providers' documents this render took from the memo instead of rendering them. */
    public int memoReusedProviders() {
        return (int) memoHits.values().stream().filter(Optional::isPresent).count();
    }

    private Optional<String> memoDigest(Provider provider) {
        return memoDigests.computeIfAbsent(new Identity(provider), k -> memo.digest(provider));
    }

    /** The domain's paths from the memo, when its provider is unchanged and the sink has all its documents; else null. */
    private DocPaths reused(Provider provider, Domain domain, FileSink sink) {
        if (!memo.active()) return null;
        return memoHits.computeIfAbsent(new Identity(provider), k -> reusable(provider, sink))
                .map(domains -> domains.get(domain)).orElse(null);
    }

    private Optional<Map<Domain, DocPaths>> reusable(Provider provider, FileSink sink) {
        Optional<List<DocPaths>> previous = memoDigest(provider)
                .flatMap(digest -> memo.previous(digest, provider.domains().size()));
        if (previous.isEmpty()) return Optional.empty();
        java.util.Set<String> docs = new java.util.LinkedHashSet<>();
        for (DocPaths p : previous.get()) {
            p.documents().forEach(doc -> doc.ifPresent(docs::add));
        }
        // All or nothing: a document the sink does not have makes the provider render (and reuse nothing).
        for (String doc : docs) {
            if (!sink.reusable("private/" + doc)) return Optional.empty();
        }
        docs.forEach(doc -> sink.reuse("private/" + doc));
        Map<Domain, DocPaths> byDomain = new java.util.IdentityHashMap<>();
        for (int i = 0; i < provider.domains().size(); i++) {
            byDomain.put(provider.domains().get(i), previous.get().get(i));
        }
        return Optional.of(byDomain);
    }

    /** {@code private/render-memo.tsv}: a line per memoised provider whose domains were all rendered (or reused). */
    private List<byte[]> memoFile(Site site) {
        List<byte[]> blocks = site.providers().parallelStream().map(provider -> {
            Optional<String> digest = memoDigest(provider);
            if (digest.isEmpty()) return new byte[0];
            List<DocPaths> paths = new ArrayList<>(provider.domains().size());
            for (Domain domain : provider.domains()) {
                DocPaths p = renderedDocs.get(new Identity(domain));
                if (p == null) return new byte[0];
                paths.add(p);
            }
            return utf8(RenderMemo.line(digest.get(), paths) + "\n");
        }).toList();
        List<byte[]> parts = new ArrayList<>(blocks.size() + 1);
        parts.add(utf8(memo.header() + "\n"));
        parts.addAll(blocks);
        return parts;
    }

    /**
     * The responder's index of PACC documents: {@code domain TAB docs/<sha256>.json}, one line per domain, and
     * {@code * TAB ...} for the default provider's document.
     */
    public static final String PACC_INDEX = "pacc.tsv";
    public static final String PACC_INDEX_HEADER = "#autogen-pacc 1";

    /** The PACC document of a domain (null when it has none) and what it leaves out; see {@link PaccRenderer}. */
    record PaccDoc(Doc doc, List<String> leftOut) {}

    /** Everything the PACC document depends on (it holds nothing of the domain itself). */
    private record PaccKey(Identity provider, List<MailServer> servers, List<DavServer> davServers,
                           Optional<OAuth2> oauth2, dev.autogen.model.Pacc settings) {}

    PaccDoc pacc(Site site, Provider provider, Domain domain) {
        return paccs.get(new PaccKey(new Identity(provider), domain.servers(), domain.davServers(), domain.oauth2(),
                site.pacc()), key -> {
                    PaccRenderer.Result r = PaccRenderer.render(provider, domain, site.pacc());
                    return new PaccDoc(r.document().map(bytes -> Doc.of(bytes, "json")).orElse(null), r.leftOut());
                });
    }

    private byte[] paccIndex(Site site) {
        record Entry(Provider provider, Domain domain) {}
        List<Entry> entries = new ArrayList<>();
        for (Provider provider : site.providers()) {
            for (Domain domain : provider.domains()) {
                entries.add(new Entry(provider, domain));
            }
        }
        List<String> lines = entries.parallelStream()
                .map(e -> {
                    DocPaths rendered = renderedDocs.get(new Identity(e.domain()));
                    Optional<String> path = rendered != null ? rendered.pacc()
                            : Optional.ofNullable(pacc(site, e.provider(), e.domain()).doc).map(Doc::path);
                    return path.map(p -> e.domain().name() + "\t" + p).orElse(null);
                })
                .filter(java.util.Objects::nonNull).sorted().toList();
        // A size hint only: capped so that millions of lines cannot overflow it.
        StringBuilder out = new StringBuilder((int) Math.min(1 << 30, 64L + lines.size() * 96L))
                .append(PACC_INDEX_HEADER).append('\n');
        // '*': the default provider's document, for domains nobody lists (docs/hosters.md); sorts first.
        for (Provider provider : site.hosters()) {
            if (provider.hosting().orElseThrow().anyDomain()) {
                PaccDoc p = pacc(site, provider, openDomain(provider.hosting().orElseThrow().settings()));
                if (p.doc != null) {
                    out.append(Provider.Hosting.ANY).append('\t').append(p.doc.path).append('\n');
                }
            }
        }
        for (String line : lines) {
            out.append(line).append('\n');
        }
        return utf8(out.toString());
    }

    /** The DNS zone snippet of one domain, exactly as {@link #renderDomain} writes it to {@code conf/dns/}. */
    public byte[] dnsZone(Site site, Provider provider, Domain domain) {
        PaccDoc pacc = pacc(site, provider, domain);
        return DnsZoneRenderer.render(templates, provider, domain, Optional.ofNullable(pacc.doc).map(Doc::bytes),
                site.pacc().revision());
    }

    /** The records of {@link #dnsZone} as data (what {@code autogen dns records} and {@code dns check} use). */
    public List<DnsZoneRenderer.Expected> dnsRecords(Site site, Provider provider, Domain domain) {
        PaccDoc pacc = pacc(site, provider, domain);
        return DnsZoneRenderer.records(provider, domain, Optional.ofNullable(pacc.doc).map(Doc::bytes),
                site.pacc().revision());
    }

    /** What the domain's PACC document leaves out, and why (empty when nothing); for render and check warnings. */
    public List<String> paccLeftOut(Site site, Provider provider, Domain domain) {
        return pacc(site, provider, domain).leftOut();
    }

    /** The {@code private/domains.tsv} line of one domain (without the line end). */
    public String indexLine(Provider provider, Domain domain) {
        DocPaths paths = renderedDocs.get(new Identity(domain));
        if (paths == null) {
            requireDomainName(domain.name());
            paths = documents(provider, domain).paths();
        }
        return index(provider, domain, paths).format();
    }

    // ---- documents

    /** A private document: its path relative to {@code private/} (content-addressed) and its bytes. */
    record Doc(String path, byte[] bytes) {
        static Doc of(byte[] bytes, String extension) {
            return new Doc("docs/" + sha256Hex(bytes) + "." + extension, bytes);
        }
    }

    /**
     * The private autoconfig and its public bytes; when those differ per domain (the document then holds a
     * {@code {{domain}}} slot) {@code publicBytes} is {@code null} and {@code publicText} is the public document with
     * only {@code {{domain}}} left to fill.
     */
    record Autoconfig(Doc doc, byte[] publicBytes, String publicText) {}

    /**
     * @param profileTemplate the address-less Apple profile with {@code {{domain}}} (domains.tsv column 10); null in
     *                        hosting.tsv, which has its own column for it
     * @param setupPage       the setup page with the domain as slots (column 11); null in hosting.tsv
     */
    record DomainDocs(Autoconfig autoconfig, Doc outlook, Optional<Doc> mobileSync, Doc profile, Doc profileTemplate,
                      SetupPage setupPage) {
        DocPaths paths() {
            return new DocPaths(autoconfig.doc.path, outlook.path, mobileSync.map(Doc::path), profile.path,
                    Optional.ofNullable(profileTemplate).map(Doc::path),
                    Optional.ofNullable(setupPage).map(p -> p.doc.path), Optional.empty());
        }
    }

    /**
     * The document columns of an index line (the strings are the documents' own: nothing is copied), and the
     * domain's PACC document (private/pacc.tsv) once {@link #renderDomain} has rendered it.
     */
    record DocPaths(String autoconfig, String outlook, Optional<String> mobileSync, String profile,
                    Optional<String> profileTemplate, Optional<String> setupPage, Optional<String> pacc) {
        /**
         * The seven documents in the render memo's column order (autoconfig, Outlook, MobileSync, profile, address-less
         * profile, setup page, PACC); empty where the domain has none.
         */
        List<Optional<String>> documents() {
            return List.of(Optional.of(autoconfig), Optional.of(outlook), mobileSync, Optional.of(profile),
                    profileTemplate, setupPage, pacc);
        }

        DocPaths withPacc(PaccDoc doc) {
            return new DocPaths(autoconfig, outlook, mobileSync, profile, profileTemplate, setupPage,
                    Optional.ofNullable(doc.doc).map(Doc::path));
        }
    }

    /**
     * A setup page with the domain as slots: the document (column 11) and, once asked for, the same text split for
     * filling. Split on demand: only the tree layout fills pages (one per domain in public/); in the compact layout
     * the responder does, and splitting 120,000 pages nobody fills here was 3 % of a million-domain render.
     */
    static final class SetupPage {
        final Doc doc;
        private volatile dev.autogen.qr.SetupPageSlots.Compiled compiled;

        SetupPage(Doc doc) {
            this.doc = doc;
        }

        dev.autogen.qr.SetupPageSlots.Compiled compiled() {
            dev.autogen.qr.SetupPageSlots.Compiled c = compiled;
            if (c == null) { // two threads may both split it: the same result, one is kept
                compiled = c = dev.autogen.qr.SetupPageSlots.compile(new String(doc.bytes, StandardCharsets.UTF_8));
            }
            return c;
        }
    }

    /** The address-less profile with the domain as a slot: the document (column 10) and its text for filling. */
    record AddresslessProfile(Doc doc, String template) {}

    /** Everything the autoconfig document depends on; the provider by identity (its equals walks all domains). */
    private record AutoconfigKey(Identity provider, List<MailServer> servers, List<DavServer> davServers,
                                 Optional<OAuth2> oauth2) {}

    /** Everything the per-user Apple profile depends on (it holds nothing of the domain itself). */
    private record ProfileKey(Identity provider, List<MailServer> servers, List<DavServer> davServers) {
        static ProfileKey of(Provider provider, Domain domain) {
            return new ProfileKey(new Identity(provider), domain.servers(), domain.davServers());
        }
    }

    DomainDocs documents(Provider provider, Domain domain) {
        Doc profile = profiles.get(ProfileKey.of(provider, domain),
                key -> Doc.of(perUserProfile(provider, domain), "plist"));
        return new DomainDocs(autoconfig(provider, domain), outlook(domain), mobileSync(domain), profile,
                addressless(provider, domain).doc, setupPageTemplate(provider, domain));
    }

    private AddresslessProfile addressless(Provider provider, Domain domain) {
        return addresslessProfiles.get(ProfileKey.of(provider, domain), key -> {
            String template = MobileconfigRenderer.addresslessTemplate(provider, domain);
            return new AddresslessProfile(Doc.of(utf8(template), "plist"), template);
        });
    }

    /** The domain's setup page with the domain as slots, rendered once per distinct model. */
    SetupPage setupPageTemplate(Provider provider, Domain domain) {
        return setupPages.get(setupPageRenderer.model(provider, domain), model -> {
            return new SetupPage(Doc.of(utf8(setupPageRenderer.template(model)), "html"));
        });
    }

    Autoconfig autoconfig(Provider provider, Domain domain) {
        return autoconfigs.get(
                new AutoconfigKey(new Identity(provider), domain.servers(), domain.davServers(), domain.oauth2()),
                key -> renderAutoconfig(provider, domain));
    }

    /** The public autoconfig of {@code domain}: no slots left. */
    byte[] publicAutoconfig(Provider provider, Domain domain) {
        Autoconfig autoconfig = autoconfig(provider, domain);
        return autoconfig.publicBytes != null ? autoconfig.publicBytes
                : utf8(autoconfig.publicText.replace(Slots.DOMAIN, domain.name()));
    }

    Doc outlook(Domain domain) {
        return outlooks.get(domain.servers(),
                servers -> Doc.of(utf8(autodiscoverRenderer.outlook(domain)), "xml"));
    }

    Optional<Doc> mobileSync(Domain domain) {
        return domain.activeSyncUrl().map(url -> mobileSyncs.get(url,
                u -> Doc.of(utf8(autodiscoverRenderer.mobileSync(u)), "xml")));
    }

    byte[] autodiscoverError(int code) {
        return utf8(autodiscoverRenderer.error(code));
    }

    private Autoconfig renderAutoconfig(Provider provider, Domain domain) {
        boolean listAll = provider.domains().size() <= MAX_LISTED_DOMAINS;
        List<String> listed = listAll ? provider.domains().stream().map(Domain::name).toList() : List.of(Slots.DOMAIN);
        String text = autoconfigRenderer.render(provider, domain, listed);
        String publicText = Slots.publicAutoconfig(text);
        return listAll ? new Autoconfig(Doc.of(utf8(text), "xml"), utf8(publicText), null)
                : new Autoconfig(Doc.of(utf8(text), "xml"), null, publicText);
    }

    private static IndexLine index(Provider provider, Domain domain, DomainDocs docs) {
        return index(provider, domain, docs.paths());
    }

    private static IndexLine index(Provider provider, Domain domain, DocPaths paths) {
        String autodiscoverUrl = "https://" + domain.autodiscoverHost() + "/autodiscover/autodiscover.xml";
        return new IndexLine(domain.name(), provider.id(), paths.autoconfig, paths.outlook, paths.mobileSync,
                paths.profile, domain.directory(), autodiscoverUrl, domain.activeSyncUrl(), paths.profileTemplate,
                paths.setupPage);
    }

    private List<byte[]> domainsIndex(Site site) {
        record Entry(Provider provider, Domain domain) {}
        List<Entry> entries = new ArrayList<>();
        for (Provider provider : site.providers()) {
            for (Domain domain : provider.domains()) {
                entries.add(new Entry(provider, domain));
            }
        }
        // A line starts with its domain and a tab, which sorts before every character a domain name has: lines in
        // domain order are sorted lines. Formatted in blocks, in parallel (domains not rendered yet, for a caller
        // that only wants the index, are rendered here), and joined once: the text exists only as bytes.
        entries.sort(java.util.Comparator.comparing(e -> e.domain().name()));
        int block = 4096;
        List<byte[]> blocks = java.util.stream.IntStream.range(0, (entries.size() + block - 1) / block).parallel()
                .mapToObj(b -> {
                    StringBuilder out = new StringBuilder(block * 256);
                    for (Entry e : entries.subList(b * block, Math.min(entries.size(), (b + 1) * block))) {
                        out.append(indexLine(e.provider(), e.domain())).append('\n');
                    }
                    return utf8(out.toString());
                }).toList();
        byte[] header = utf8(IndexLine.HEADER + "\n");
        long size = header.length;
        for (byte[] b : blocks) {
            size += b.length;
        }
        if (size > Integer.MAX_VALUE - 16) {
            throw new IllegalArgumentException("private/domains.tsv would be larger than 2 GiB (" + entries.size()
                    + " domains)");
        }
        // Left in blocks: the sink hashes and writes them in turn. Joined, the file was another copy of half a GB
        // at a million domains, at the render's peak.
        List<byte[]> parts = new ArrayList<>(blocks.size() + 1);
        parts.add(header);
        parts.addAll(blocks);
        return parts;
    }

    /**
     * What no single domain can check: each domain belongs to one provider, each directory a domain names exists and
     * can be a file name. Done once per site (the first caller pays), before anything of it is written, so a bad site
     * fails with a clear message instead of a clash in the sink.
     */
    private void checkSite(Site site) {
        checkedSites.computeIfAbsent(new Identity(site), key -> {
            Set<String> directories = new HashSet<>();
            for (Directory directory : site.directories()) {
                requireFileName(directory.name(), "directory name");
                if (!directories.add(directory.name())) {
                    throw new IllegalArgumentException("directory '" + directory.name() + "' is defined twice");
                }
            }
            Map<String, String> mxOwners = new HashMap<>();
            int defaults = 0;
            for (Provider provider : site.hosters()) {
                Provider.Hosting hosting = provider.hosting().orElseThrow();
                if (hosting.anyDomain() && ++defaults > 1) {
                    throw new IllegalArgumentException("more than one default provider ('*'): '" + provider.id() + "'");
                }
                for (String mx : hosting.mxDomains()) {
                    String previous = mxOwners.putIfAbsent(requireDomainName(mx), provider.id());
                    if (previous != null) {
                        throw new IllegalArgumentException("MX domain '" + mx + "' belongs to provider '" + previous
                                + "' and to provider '" + provider.id() + "'");
                    }
                }
                hosting.settings().directory().filter(d -> !directories.contains(d)).ifPresent(d -> {
                    throw new IllegalArgumentException("provider '" + provider.id() + "' refers to directory '" + d
                            + "', which is not defined");
                });
            }
            Map<String, String> owners = new HashMap<>();
            for (Provider provider : site.providers()) {
                for (Domain domain : provider.domains()) {
                    String previous = owners.putIfAbsent(domain.name(), provider.id());
                    if (previous != null) {
                        throw new IllegalArgumentException("domain '" + domain.name() + "' belongs to provider '"
                                + previous + "' and to provider '" + provider.id() + "'");
                    }
                    domain.directory().filter(d -> !directories.contains(d)).ifPresent(d -> {
                        throw new IllegalArgumentException("domain '" + domain.name() + "' refers to directory '"
                                + d + "', which is not defined");
                    });
                }
            }
            return Boolean.TRUE;
        });
    }

    // ---- documents rendered by MobileconfigRenderer, DnsZoneRenderer, WebServerConfig, LdapSettingsRenderer

    private byte[] perUserProfile(Provider provider, Domain domain) {
        return MobileconfigRenderer.perUserTemplate(provider, domain);
    }

    private byte[] addresslessProfile(Provider provider, Domain domain) {
        String template = addressless(provider, domain).template;
        byte[] profile = MobileconfigRenderer.fillAddressless(template, domain.name());
        return provider.signing().map(signing -> ProfileSigner.sign(profile, signing)).orElse(profile);
    }

    /** The domain's setup page (docs/setup-page.md): the cached page with the domain as slots, filled. */
    byte[] setupPage(Provider provider, Domain domain) {
        return setupPageTemplate(provider, domain).compiled().fill(requireDomainName(domain.name()));
    }

    private byte[] ldapSettings(Directory directory) {
        return LdapSettingsRenderer.render(directory);
    }

    // ---- helpers

    static String sha256Hex(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK must provide SHA-256", e);
        }
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /**
     * A domain name becomes a path segment: only lower-case letters, digits, {@code -}, {@code _} and dots between
     * labels, so it can never climb out of {@code public/} or name a hidden directory.
     */
    static String requireDomainName(String name) {
        boolean ok = !name.isEmpty() && name.length() <= 253 && name.charAt(0) != '.'
                && name.charAt(name.length() - 1) != '.' && !name.contains("..");
        for (int i = 0; ok && i < name.length(); i++) {
            char c = name.charAt(i);
            ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.';
        }
        if (!ok) {
            throw new IllegalArgumentException("not a lower-case ASCII domain name: '" + name + "'");
        }
        return name;
    }

    private static void requireFileName(String name, String what) {
        if (name.isEmpty() || name.startsWith(".") || name.contains("/") || name.contains("\\")
                || name.chars().anyMatch(c -> c < ' ' || c == 0x7f)) {
            throw new IllegalArgumentException(what + " cannot be used as a file name: '" + name + "'");
        }
    }

    /**
     * A cache of pure results that forgets everything when it grows past {@link #LIMIT} entries: a site whose every
     * provider is distinct would otherwise keep one set of documents per domain in memory. Forgetting is always safe,
     * it only costs a re-render.
     */
    private static final class Cache<K, V> {
        static final int LIMIT = 4096;
        private final Map<K, V> map = new ConcurrentHashMap<>();
        private final int limit;

        Cache() {
            this(LIMIT);
        }

        Cache(int limit) {
            this.limit = limit;
        }

        V get(K key, java.util.function.Function<K, V> compute) {
            V value = map.get(key);
            if (value == null) {
                if (map.size() >= limit) {
                    map.clear();
                }
                value = map.computeIfAbsent(key, compute);
            }
            return value;
        }
    }

    /** Compares by identity: for records whose equals/hashCode would walk large structures. */
    private record Identity(Object value) {
        @Override
        public boolean equals(Object other) {
            return other instanceof Identity that && that.value == value;
        }

        @Override
        public int hashCode() {
            return System.identityHashCode(value);
        }
    }
}
