package dev.autogen.publish;

import dev.autogen.render.FileSink;

/** Renders a complete site version into a sink; may use several threads, but must return only when done. */
@FunctionalInterface
public interface SiteProducer {
    void produce(FileSink sink) throws Exception;
}
