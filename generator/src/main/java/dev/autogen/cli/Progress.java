package dev.autogen.cli;

import java.io.PrintWriter;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A progress bar on stderr for long renders: {@code [#####-----]  51234/100000 domains  8123/s  ETA 0:06}.
 * Redrawn in place four times a second by a background thread, so rendering threads only increment a counter.
 * Disabled (every method a no-op) unless stderr is a terminal and the site is big enough to wait for.
 */
final class Progress implements AutoCloseable {
    /** Below this many domains a render takes about a second: a bar would only flicker. */
    static final int MIN_DOMAINS = 200;
    private static final int BAR_WIDTH = 30;

    private final PrintWriter err;
    private final int total;
    private final boolean enabled;
    private final AtomicInteger done = new AtomicInteger();
    private final long start = System.nanoTime();
    private ScheduledExecutorService ticker;

    private Progress(PrintWriter err, int total, boolean enabled) {
        this.err = err;
        this.total = total;
        this.enabled = enabled;
    }

    /** A bar that draws itself when {@code interactive} and {@code total} is above {@link #MIN_DOMAINS}. */
    static Progress start(PrintWriter err, int total, boolean interactive) {
        Progress progress = new Progress(err, total, interactive && total > MIN_DOMAINS);
        if (progress.enabled) {
            progress.ticker = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "autogen-progress");
                t.setDaemon(true);
                return t;
            });
            progress.ticker.scheduleAtFixedRate(progress::draw, 250, 250, TimeUnit.MILLISECONDS);
        }
        return progress;
    }

    void domainDone() {
        done.incrementAndGet();
    }

    int done() {
        return done.get();
    }

    private synchronized void draw() {
        double seconds = (System.nanoTime() - start) / 1e9;
        err.print("\r" + line(done.get(), total, seconds));
        err.flush();
    }

    /** Stops the bar and clears its line, so the summary that follows starts on a clean line. */
    @Override
    public synchronized void close() {
        if (ticker != null) {
            ticker.shutdownNow();
            ticker = null;
            err.print("\r" + " ".repeat(line(total, total, 1).length() + 8) + "\r");
            err.flush();
        }
    }

    /** One rendering of the bar; pure, for tests. */
    static String line(int done, int total, double elapsedSeconds) {
        int filled = total == 0 ? BAR_WIDTH : (int) ((long) done * BAR_WIDTH / total);
        double rate = elapsedSeconds > 0 ? done / elapsedSeconds : 0;
        String eta = rate > 0 ? duration((total - done) / rate) : "--:--";
        int width = String.valueOf(total).length();
        return String.format(Locale.ROOT, "[%s%s] %" + width + "d/%d domains  %.0f/s  ETA %s",
                "#".repeat(filled), "-".repeat(BAR_WIDTH - filled), done, total, rate, eta);
    }

    static String duration(double seconds) {
        long s = Math.round(seconds);
        return s >= 3600 ? String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60)
                : String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
    }
}
