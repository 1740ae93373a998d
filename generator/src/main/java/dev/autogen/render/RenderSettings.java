package dev.autogen.render;

import java.nio.file.Path;
import java.util.Optional;

/**
 * Settings of a render that are not part of the site description.
 *
 * @param templateDir   directory with FreeMarker templates overriding the built-in ones, if any
 * @param publicRoot    absolute path NGINX should serve the public tree from (normally {@code OUT/current/public})
 * @param responderUrl  where NGINX proxies dynamic requests to, e.g. {@code http://127.0.0.1:4243}
 * @param setupIndex    also write {@code private/setup-index.html}, a page linking every domain's setup page
 */
public record RenderSettings(Optional<Path> templateDir, String publicRoot, String responderUrl, boolean setupIndex) {
    /** Without the setup-page index (the default: it lists every customer, so only on request). */
    public RenderSettings(Optional<Path> templateDir, String publicRoot, String responderUrl) {
        this(templateDir, publicRoot, responderUrl, false);
    }
}
