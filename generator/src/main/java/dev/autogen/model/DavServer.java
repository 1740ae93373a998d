package dev.autogen.model;

import java.net.URI;

/**
 * A CalDAV or CardDAV server.
 *
 * @param url      absolute http(s) URL of the service root (host, optional port, path)
 * @param username login template, same placeholders as {@link MailServer#username()}
 */
public record DavServer(Type type, URI url, String username) {
    public enum Type {
        CALDAV("caldav"), CARDDAV("carddav");

        private final String id;

        Type(String id) { this.id = id; }

        public String id() { return id; }
    }

    public boolean tls() { return "https".equalsIgnoreCase(url.getScheme()); }

    /** The explicit port, else the scheme's default. */
    public int port() {
        return url.getPort() != -1 ? url.getPort() : tls() ? 443 : 80;
    }

    /** The path, {@code /} when empty. */
    public String path() {
        String p = url.getRawPath();
        return p == null || p.isEmpty() ? "/" : p;
    }
}
