package dev.autogen.db;

import java.nio.file.Path;
import java.util.Optional;

/** Reads {@code db_uri} from an automx2 config file. (Owned by the database work: stub until implemented.) */
public final class Automx2Config {
    private Automx2Config() {}

    /**
     * @param file the config file; empty: automx2's own search order ($AUTOMX2_CONF, ~/.automx2.conf,
     *             /etc/automx2/automx2.conf, /etc/automx2.conf)
     * @return the {@code db_uri} of the {@code [automx2]} section
     */
    public static String dbUri(Optional<Path> file) throws java.io.IOException {
        throw new UnsupportedOperationException("not implemented yet");
    }
}
