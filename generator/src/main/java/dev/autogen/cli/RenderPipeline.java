package dev.autogen.cli;

import dev.autogen.model.Domain;
import dev.autogen.model.Provider;
import dev.autogen.model.Site;
import dev.autogen.render.FileSink;
import dev.autogen.render.SiteRenderer;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Renders a whole site into a sink: every domain on a bounded pool of threads, then the site-wide files (after the
 * domains, so the renderer can build the index {@code private/domains.tsv} from what it already rendered).
 */
final class RenderPipeline {
    private RenderPipeline() {}

    private record Job(Provider provider, Domain domain) {}

    static void render(Site site, SiteRenderer renderer, FileSink sink, int threads, Runnable domainDone)
            throws Exception {
        List<Job> jobs = new ArrayList<>();
        for (Provider provider : site.providers()) {
            for (Domain domain : provider.domains()) {
                jobs.add(new Job(provider, domain));
            }
        }
        jobs.sort(Comparator.comparing(job -> job.domain().name()));

        // Batches keep the per-task overhead small for 100k domains and still balance the threads.
        int batch = Math.max(1, Math.min(256, jobs.size() / (threads * 16)));
        AtomicReference<Throwable> failure = new AtomicReference<>();
        AtomicInteger threadNumber = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "autogen-render-" + threadNumber.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int from = 0; from < jobs.size(); from += batch) {
                int start = from;
                int end = Math.min(jobs.size(), from + batch);
                futures.add(pool.submit(() -> {
                    for (int i = start; i < end && failure.get() == null; i++) {
                        Job job = jobs.get(i);
                        try {
                            renderer.renderDomain(site, job.provider(), job.domain(), sink);
                        } catch (RuntimeException | Error e) {
                            failure.compareAndSet(null, e);
                            throw e;
                        }
                        domainDone.run();
                    }
                }));
            }
            for (Future<?> future : futures) {
                try {
                    future.get();
                } catch (ExecutionException e) {
                    break; // the first failure is in `failure`; the others stop at their next domain
                }
            }
        } finally {
            pool.shutdownNow();
        }
        Throwable first = failure.get();
        if (first instanceof RuntimeException e) {
            throw e;
        }
        if (first instanceof Error e) {
            throw e;
        }

        renderer.renderSiteFiles(site, sink);
    }
}
