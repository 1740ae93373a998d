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
 */
public record PublishResult(String versionId, Path versionDir, boolean switched, int added, int changed, int removed,
                            int unchanged, Phases phases) {

    /**
     * Wall time of each phase in nanoseconds: rendering and writing new files (the producer), creating the hard links
     * of unchanged and shared files, and flushing the new version to disk before the switch.
     */
    public record Phases(long produceNanos, long linkNanos, long flushNanos) {}
}
