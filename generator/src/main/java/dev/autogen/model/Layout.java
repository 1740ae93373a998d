package dev.autogen.model;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * How a site is laid out on disk (docs/site-format.md, docs/scaling.md): {@code tree} writes a directory of public
 * files per domain and a DNS zone file per domain, which any static web server or CDN can serve; {@code compact}
 * writes nothing per domain (only content-addressed documents and the indexes), and the web configs proxy every
 * autogen request to the responder.
 */
public enum Layout {
    TREE, COMPACT;

    /** The name in YAML and on the command line. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<Layout> of(String id) {
        return Arrays.stream(values()).filter(l -> l.id().equals(id)).findFirst();
    }
}
