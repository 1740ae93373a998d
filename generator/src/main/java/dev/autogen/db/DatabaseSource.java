package dev.autogen.db;

import dev.autogen.config.ConfigException;
import dev.autogen.config.SourceLocations;
import dev.autogen.model.Site;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.function.Consumer;

/**
 * Reads a site from automx2's database (SQLite, PostgreSQL, MariaDB/MySQL), so that an automx2 installation can be
 * served by autogen without exporting anything first. The database is only read, in one consistent snapshot.
 */
public final class DatabaseSource {
    private DatabaseSource() {}

    /**
     * @param url      JDBC URL or automx2's SQLAlchemy URL
     * @param strict   invalid rows are fatal instead of skipped with a warning
     * @param warnings receives one line per skipped row ("table server id 7: ...")
     * @throws DatabaseUnavailableException (an {@link java.io.IOException}) when the database cannot be read at all:
     *                                      bad URL, unreachable, wrong credentials, missing tables
     * @throws ConfigException              when {@code strict} and rows are invalid; lists every problem
     */
    public static Site load(String url, boolean strict, Consumer<String> warnings) throws Exception {
        return load(DatabaseUrl.parse(url), strict, warnings);
    }

    /** {@link #load(String, boolean, Consumer)} with a parsed URL; the narrow exception list of the real work. */
    public static Site load(DatabaseUrl url, boolean strict, Consumer<String> warnings)
            throws DatabaseUnavailableException, ConfigException {
        return load(url, strict, warnings, new SourceLocations());
    }

    /** As {@link #load(String, boolean, Consumer)}, recording the table and id of each provider, domain, server. */
    public static Site load(String url, boolean strict, Consumer<String> warnings, SourceLocations locations)
            throws Exception {
        return load(DatabaseUrl.parse(url), strict, warnings, locations);
    }

    private static Site load(DatabaseUrl url, boolean strict, Consumer<String> warnings, SourceLocations locations)
            throws DatabaseUnavailableException, ConfigException {
        Automx2Tables tables;
        try (Connection connection = Connections.open(url, true)) {
            tables = Automx2Tables.read(connection, url);
        } catch (SQLException e) { // from close(): the data was read, but report it honestly
            throw new DatabaseUnavailableException("cannot read " + url + ": " + Connections.describe(url, e), e);
        }
        return Automx2Mapping.toSite(tables, strict, warnings, locations);
    }
}
