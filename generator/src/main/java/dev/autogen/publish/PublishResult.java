package dev.autogen.publish;

import java.nio.file.Path;

/**
 * What a publish did, compared with the version that was current before it.
 *
 * @param versionId  the id of the version now current (16 hex digits)
 * @param versionDir the directory of that version
 * @param switched   false when the rendered site equals the current one and nothing was touched
 * @param added      paths that did not exist in the previous version
 * @param changed    paths whose content differs from the previous version
 * @param removed    paths of the previous version that no longer exist
 * @param unchanged  paths with the same content as in the previous version (hard-linked, not rewritten)
 * @param phases     where the time went, for {@code --verbose}
 * @param previousId the id of the version that was current before, or null when there was none
 * @param webConfigChanged true when the switch changed a web-server config ({@code conf/nginx/}, {@code conf/apache/}):
 *                   the web server must be reloaded to route new host names
 */
public record PublishResult(String versionId, Path versionDir, boolean switched, int added, int changed, int removed,
                            int unchanged, Phases phases, String previousId, boolean webConfigChanged) {

    /** The directories under {@code conf/} a web server reads. */
    public static final java.util.List<String> WEB_CONFIG_DIRS = java.util.List.of("conf/nginx/", "conf/apache/");

    public PublishResult(String versionId, Path versionDir, boolean switched, int added, int changed, int removed,
                         int unchanged, Phases phases) {
        this(versionId, versionDir, switched, added, changed, removed, unchanged, phases, null, false);
    }

    /**
     * Wall time of each phase in nanoseconds: rendering and writing new files (the producer), creating the hard links
     * of unchanged and shared files, flushing the new version to disk before the switch, and switching {@code current}
     * (with renaming older versions out of the way; deleting them comes after the lock, {@code removeRetired}).
     */
    public record Phases(long produceNanos, long linkNanos, long flushNanos, long switchNanos) {}
}
