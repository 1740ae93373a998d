package dev.autogen.config;

import org.yaml.snakeyaml.events.Event;
import org.yaml.snakeyaml.parser.Parser;

import java.util.Arrays;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * snakeyaml's parser on a thread of its own, a batch of events ahead of the reader. Scanning and parsing is a bit
 * more than half of reading a big site file and composing and checking the rest; both are single-threaded, and the
 * render's threads only start once the whole file is read, so the second core was idle for that time (at a million
 * domains, 24 s of it).
 *
 * <p>The consumer sees exactly what the parser gives, in the same order: events, then at the point where the
 * parser failed the very exception it threw (a {@code MarkedYAMLException} keeps its marks), then nothing.
 */
final class PrefetchingParser implements Parser, AutoCloseable {
    private static final int BATCH = 1024;

    /** Items: Event[] (a batch, the last one possibly shorter) or the RuntimeException/Error the parser threw. */
    private final BlockingQueue<Object> queue = new ArrayBlockingQueue<>(16);
    private final Thread thread;
    private Event[] batch = new Event[0];
    private int next;
    private boolean ended;

    PrefetchingParser(Parser parser) {
        thread = new Thread(() -> produce(parser), "autogen-yaml-parser");
        thread.setDaemon(true);
        thread.start();
    }

    private void produce(Parser parser) {
        Event[] events = new Event[BATCH];
        int n = 0;
        try {
            while (true) {
                Event e;
                try {
                    e = parser.getEvent();
                } catch (RuntimeException | Error failure) {
                    // The events before the failure first: the reader may report something earlier in the file.
                    if (n > 0) queue.put(Arrays.copyOf(events, n));
                    queue.put(failure);
                    return;
                }
                if (e == null) break; // past the stream's end
                events[n++] = e;
                boolean last = e.is(Event.ID.StreamEnd);
                if (n == BATCH || last) {
                    queue.put(n == BATCH ? events : Arrays.copyOf(events, n));
                    events = new Event[BATCH];
                    n = 0;
                }
                if (last) break;
            }
            queue.put(new Event[0]);
        } catch (InterruptedException e) {
            // close(): the reader gave up (a problem in the file); nobody waits for more events
        }
    }

    /** The next event without taking it; null after the stream's end, as snakeyaml's parser. */
    @Override
    public Event peekEvent() {
        while (next == batch.length) {
            if (ended) return null;
            Object item;
            try {
                item = queue.take();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while reading the site file");
            }
            if (item instanceof RuntimeException e) {
                ended = true;
                throw e;
            }
            if (item instanceof Error e) {
                ended = true;
                throw e;
            }
            batch = (Event[]) item;
            next = 0;
            if (batch.length == 0) ended = true;
        }
        return batch[next];
    }

    @Override
    public boolean checkEvent(Event.ID choice) {
        Event e = peekEvent();
        return e != null && e.is(choice);
    }

    @Override
    public Event getEvent() {
        Event e = peekEvent();
        if (e != null) batch[next++] = null; // the consumer's nodes keep what they need; let the rest go
        return e;
    }

    /** Stops the parser thread (it may be blocked on a full queue when the reader stopped early). */
    @Override
    public void close() {
        thread.interrupt();
    }
}
