package dev.autogen.bench;

import dev.autogen.config.YamlSource;
import dev.autogen.model.Site;

import java.nio.file.Path;

/**
 * Reads a site description and reports how long it took and how much heap the model holds afterwards, for the
 * reader's benchmark (generator/bench/read-bench.sh). Peak RSS is measured outside, with /usr/bin/time.
 *
 * <p>Usage: {@code java -cp ... dev.autogen.bench.ReadBench SITE.yaml}
 */
public final class ReadBench {
    private ReadBench() {}

    public static void main(String[] args) throws Exception {
        long start = System.nanoTime();
        Site site = YamlSource.load(Path.of(args[0]));
        long ms = (System.nanoTime() - start) / 1_000_000;
        Runtime rt = Runtime.getRuntime();
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        long live = rt.totalMemory() - rt.freeMemory();
        int domains = site.providers().stream().mapToInt(p -> p.domains().size()).sum();
        System.out.printf("read_ms %d domains %d providers %d live_model_MiB %d%n", ms, domains,
                site.providers().size(), live >> 20);
    }
}
