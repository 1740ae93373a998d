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
    private final Map<Object, String> where = new IdentityHashMap<>();

    /** Records where {@code subject} (a provider, domain, server, DAV server or directory) was read; first wins. */
    public void put(Object subject, String location) {
        if (subject != null) {
            where.putIfAbsent(subject, location);
        }
    }

    /** Where {@code subject} was read, if the source said. */
    public Optional<String> of(Object subject) {
        return Optional.ofNullable(subject == null ? null : where.get(subject));
    }
}
