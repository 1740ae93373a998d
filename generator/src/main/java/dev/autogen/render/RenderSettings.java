package dev.autogen.render;

import java.nio.file.Path;
import java.util.Optional;

/**
 * Settings of a render that are not part of the site description.
 *
 * @param templateDir   directory with FreeMarker templates overriding the built-in ones, if any
 * @param publicRoot    absolute path NGINX should serve the public tree from (normally {@code OUT/current/public})
 * @param responderUrl  where NGINX proxies dynamic requests to, e.g. {@code http://127.0.0.1:4243}
 */
public record RenderSettings(Optional<Path> templateDir, String publicRoot, String responderUrl) {}
