package dev.autogen.model;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * An LDAP directory that maps an email address to a login (uid) and a display name (cn).
 *
 * @param name         how domains refer to it
 * @param url          {@code ldap://host[:port]} or {@code ldaps://host[:port]}
 * @param startTls     upgrade an {@code ldap://} connection with StartTLS
 * @param baseDn       search base
 * @param filter       search filter; {@code %EMAILADDRESS%}, {@code %EMAILLOCALPART%}, {@code %EMAILDOMAIN%} are
 *                     replaced by RFC 4515-escaped values at request time
 * @param uidAttribute attribute holding the login
 * @param cnAttribute  attribute holding the display name
 * @param bindDn       DN to bind as; anonymous when empty
 * @param bindPassword password for {@code bindDn}; never written anywhere public
 * @param tlsCa        the certificates TLS trusts for this directory instead of the JVM's default authorities
 */
public record Directory(String name, String url, boolean startTls, String baseDn, String filter, String uidAttribute,
                        String cnAttribute, Optional<String> bindDn, Optional<Secret> bindPassword,
                        Duration connectTimeout, Duration responseTimeout, Duration cacheTtl, Optional<CaFile> tlsCa) {

    /**
     * A directory's own certificate authorities.
     *
     * @param file where they were read from (absolute), so that the YAML writer can name it again
     * @param pem  the certificates, re-encoded as plain PEM (one block per certificate, nothing else)
     */
    public record CaFile(Path file, String pem) {}

    /** Without a CA file: the JVM's default trust store (automx2's database has no place for one). */
    public Directory(String name, String url, boolean startTls, String baseDn, String filter, String uidAttribute,
                     String cnAttribute, Optional<String> bindDn, Optional<Secret> bindPassword,
                     Duration connectTimeout, Duration responseTimeout, Duration cacheTtl) {
        this(name, url, startTls, baseDn, filter, uidAttribute, cnAttribute, bindDn, bindPassword, connectTimeout,
                responseTimeout, cacheTtl, Optional.empty());
    }

    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(2);
    public static final Duration DEFAULT_RESPONSE_TIMEOUT = Duration.ofSeconds(2);
    public static final Duration DEFAULT_CACHE_TTL = Duration.ofMinutes(5);
    public static final String DEFAULT_FILTER = "(mail=%EMAILADDRESS%)";
}
