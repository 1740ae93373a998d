package dev.autogen.config;

import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Where the parts of a loaded site came from, so that a warning about a server can name its place in the input:
 * {@code site.yaml:12:9} for YAML, {@code table server id 7} for automx2's database. Keyed by identity: two equal
 * servers written in two places are two entries, and each warning names the object it is about. Filled by the
 * source while it builds the site; not thread-safe.
 */
public final class SourceLocations {
    /** A {@link String}, {@link Position} or {@link TableRow}: the text is made when asked for, not once per domain. */
    private final Map<Object, Object> where = new IdentityHashMap<>();

    private record Position(String file, int line, int column) {
        @Override
        public String toString() {
            return file + ":" + line + ":" + column;
        }
    }

    private record TableRow(String table, long id) {
        @Override
        public String toString() {
            return "table " + table + " id " + id;
        }
    }

    /** Records where {@code subject} (a provider, domain, server, DAV server or directory) was read; first wins. */
    public void put(Object subject, String location) {
        if (subject != null) {
            where.putIfAbsent(subject, location);
        }
    }

    /** As {@link #put(Object, String)} for {@code file:line:column} (line and column from 1). */
    public void put(Object subject, String file, int line, int column) {
        if (subject != null) {
            where.putIfAbsent(subject, new Position(file, line, column));
        }
    }

    /** As {@link #put(Object, String)} for a database row: {@code table TABLE id ID}. */
    public void put(Object subject, String table, long id) {
        if (subject != null) {
            where.putIfAbsent(subject, new TableRow(table, id));
        }
    }

    /** Where {@code subject} was read, if the source said. */
    public Optional<String> of(Object subject) {
        Object at = subject == null ? null : where.get(subject);
        return at == null ? Optional.empty() : Optional.of(at.toString());
    }
}
