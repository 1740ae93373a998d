package dev.autogen.db;

import dev.autogen.model.DavServer;
import dev.autogen.model.Directory;
import dev.autogen.model.Domain;
import dev.autogen.model.MailServer;
import dev.autogen.model.Provider;
import dev.autogen.model.Site;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Inserts a {@link Site} into automx2's schema, so that automx2 (still running during a migration) and autogen read
 * the same data. automx2's schema cannot hold everything the model can; what is lost is returned, one line each, and
 * nothing is invented to hide it. Rows get ids after the highest existing ones; one transaction.
 */
public final class DatabaseWriter {
    private DatabaseWriter() {}

    /** Writes {@code site} into the database at {@code url} (the schema must exist). */
    public static List<String> write(DatabaseUrl url, Site site) throws DatabaseUnavailableException {
        try (Connection connection = Connections.open(url, false)) {
            connection.setAutoCommit(false);
            try {
                List<String> losses = write(connection, site);
                Schema.resetSequences(connection, url);
                connection.commit();
                return losses;
            } catch (SQLException e) {
                connection.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw new DatabaseUnavailableException("cannot write to " + url + ": " + Connections.describe(url, e), e);
        }
    }

    /** Inserts into an open connection, inside the caller's transaction; returns what automx2 cannot represent. */
    static List<String> write(Connection connection, Site site) throws SQLException {
        List<String> losses = new ArrayList<>();
        Ids ids = new Ids(connection);

        Map<String, Long> directoryIds = new HashMap<>();
        for (Directory d : site.directories()) {
            directoryIds.put(d.name(), insertDirectory(connection, ids.next("ldapserver"), d, losses));
        }
        Map<MailServer, Long> serverIds = new LinkedHashMap<>();
        Map<DavServer, Long> davIds = new LinkedHashMap<>();
        for (Provider p : site.providers()) {
            long providerId = ids.next("provider");
            insert(connection, "INSERT INTO provider (id, name, short_name) VALUES (?, ?, ?)",
                    providerId, p.name(), p.shortName());
            if (!p.domains().isEmpty() && !p.id().equals(p.domains().get(0).name())) {
                losses.add("provider " + p.id() + ": automx2 has no provider id; it will read back as "
                        + p.domains().get(0).name() + " (its first domain)");
            }
            p.documentation().ifPresent(doc -> losses.add("provider " + p.id() + ": documentation is not stored"));
            p.signing().ifPresent(signing -> losses.add("provider " + p.id() + ": signing is not stored (automx2 "
                    + "has no place for a certificate or key)"));
            for (Domain d : p.domains()) {
                long domainId = ids.next("domain");
                Object ldap = d.directory().map(directoryIds::get).map(Object.class::cast)
                        .orElse(new SqlNull(Types.INTEGER));
                insert(connection, "INSERT INTO domain (id, name, provider_id, ldapserver_id) VALUES (?, ?, ?, ?)",
                        domainId, d.name(), providerId, ldap);
                domainLosses(d, losses);
                for (MailServer s : d.servers()) {
                    Long serverId = serverIds.get(s);
                    if (serverId == null) {
                        serverId = ids.next("server");
                        serverIds.put(s, serverId);
                        insertServer(connection, serverId, s, d.name(), losses);
                    }
                    insert(connection, "INSERT INTO server_domain (server_id, domain_id) VALUES (?, ?)",
                            serverId, domainId);
                }
                for (DavServer s : d.davServers()) {
                    Long davId = davIds.get(s);
                    if (davId == null) {
                        davId = ids.next("davserver");
                        davIds.put(s, davId);
                        insertDav(connection, davId, s);
                    }
                    insert(connection, "INSERT INTO davserver_domain (davserver_id, domain_id) VALUES (?, ?)",
                            davId, domainId);
                }
            }
        }
        return losses;
    }

    private static void domainLosses(Domain d, List<String> losses) {
        if (d.oauth2().isPresent()) {
            losses.add("domain " + d.name() + ": oauth2 settings are not stored");
        }
        if (d.activeSyncUrl().isPresent()) {
            losses.add("domain " + d.name() + ": activeSyncUrl is not stored");
        }
        if (!d.autodiscoverHost().equals("autodiscover." + d.name())) {
            losses.add("domain " + d.name() + ": autodiscoverHost " + d.autodiscoverHost()
                    + " is not stored (reads back as autodiscover." + d.name() + ")");
        }
    }

    private static void insertServer(Connection c, long id, MailServer s, String domain, List<String> losses)
            throws SQLException {
        String type = switch (s.protocol()) {
            case IMAP -> "imap";
            case POP3 -> "pop";
            case SMTP -> "smtp";
        };
        // automx2's own spellings where it has them, so that automx2's Apple profiles keep working.
        String socketType = switch (s.security()) {
            case SSL -> "SSL";
            case STARTTLS -> "STARTTLS";
            case NONE -> "plain";
        };
        MailServer.Authentication first = s.authentication().isEmpty() ? MailServer.Authentication.PASSWORD_CLEARTEXT
                : s.authentication().get(0);
        String authentication = first == MailServer.Authentication.PASSWORD_CLEARTEXT ? "plain" : first.id();
        if (s.authentication().size() > 1) {
            losses.add("domain " + domain + ": server " + s.hostname() + ":" + s.port()
                    + " keeps only its first authentication method (" + first.id() + ")");
        }
        insert(c, "INSERT INTO server (id, prio, name, port, type, socket_type, user_name, authentication)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?)", id, s.priority(), s.hostname(), s.port(), type, socketType,
                s.username(), authentication);
    }

    private static void insertDav(Connection c, long id, DavServer s) throws SQLException {
        boolean defaultPort = s.url().getPort() == -1;
        insert(c, "INSERT INTO davserver (id, url, port, type, use_ssl, domain_required, user_name)"
                        + " VALUES (?, ?, ?, ?, ?, ?, ?)", id, s.url().toString(), defaultPort ? 0 : s.port(),
                s.type().id(), s.tls(), s.username().contains(Automx2Mapping.EMAIL_ADDRESS), s.username());
    }

    private static long insertDirectory(Connection c, long id, Directory d, List<String> losses) throws SQLException {
        java.net.URI uri = java.net.URI.create(d.url());
        boolean ssl = "ldaps".equalsIgnoreCase(uri.getScheme());
        int port = uri.getPort() != -1 ? uri.getPort() : ssl ? 636 : 389;
        if (d.startTls()) {
            losses.add("directory " + d.name() + ": automx2 cannot use StartTLS; stored as plain ldap://");
        }
        if (!d.connectTimeout().equals(Directory.DEFAULT_CONNECT_TIMEOUT)
                || !d.responseTimeout().equals(Directory.DEFAULT_RESPONSE_TIMEOUT)
                || !d.cacheTtl().equals(Directory.DEFAULT_CACHE_TTL)) {
            losses.add("directory " + d.name() + ": timeouts and cache TTL are not stored");
        }
        String filter = d.filter().replace("{", "{{").replace("}", "}}")
                .replace(Automx2Mapping.EMAIL_ADDRESS, "{0}");
        if (filter.contains("%EMAILLOCALPART%") || filter.contains("%EMAILDOMAIN%")) {
            losses.add("directory " + d.name() + ": automx2's filter can only hold the whole address ({0});"
                    + " %EMAILLOCALPART% and %EMAILDOMAIN% are stored literally");
        }
        insert(c, "INSERT INTO ldapserver (id, name, port, use_ssl, search_base, search_filter, attr_uid, attr_cn,"
                        + " bind_password, bind_user) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", id, uri.getHost(), port,
                ssl, d.baseDn(), filter, d.uidAttribute(), d.cnAttribute(),
                d.bindPassword().map(s -> (Object) s.value()).orElse(new SqlNull(Types.VARCHAR)),
                d.bindDn().map(Object.class::cast).orElse(new SqlNull(Types.VARCHAR)));
        return id;
    }

    private static void insert(Connection c, String sql, Object... values) throws SQLException {
        try (PreparedStatement st = c.prepareStatement(sql)) {
            for (int i = 0; i < values.length; i++) {
                Object v = values[i];
                if (v instanceof SqlNull n) {
                    st.setNull(i + 1, n.sqlType());
                } else if (v instanceof Boolean b) {
                    st.setBoolean(i + 1, b);
                } else if (v instanceof Integer n) {
                    st.setInt(i + 1, n);
                } else if (v instanceof Long n) {
                    st.setLong(i + 1, n);
                } else {
                    st.setString(i + 1, v.toString());
                }
            }
            st.executeUpdate();
        }
    }

    /** A NULL parameter of a given SQL type (PostgreSQL will not cast an untyped NULL to integer). */
    private record SqlNull(int sqlType) {}

    /** Next free id per table, starting after the highest existing one. */
    private static final class Ids {
        private final Connection connection;
        private final Map<String, Long> next = new HashMap<>();

        Ids(Connection connection) {
            this.connection = connection;
        }

        long next(String table) throws SQLException {
            Long id = next.get(table);
            if (id == null) {
                try (Statement st = connection.createStatement();
                     ResultSet rs = st.executeQuery("SELECT MAX(id) FROM " + table)) {
                    rs.next();
                    id = rs.getLong(1) + 1;
                }
            }
            next.put(table, id + 1);
            return id;
        }
    }
}
