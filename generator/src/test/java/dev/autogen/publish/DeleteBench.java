package dev.autogen.publish;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Deletion benchmark (not a test): builds a tree shaped like a version of the tree layout (per domain a directory
 * of five with two files and a hard link, a zone file; a shared documents directory) and times deleting it with
 * the given thread counts. Usage: {@code java -cp ... dev.autogen.publish.DeleteBench DIR DOMAINS THREADS...}
 */
public final class DeleteBench {
    private DeleteBench() {}

    public static void main(String[] args) throws Exception {
        Path base = Path.of(args[0]);
        int domains = Integer.parseInt(args[1]);
        System.out.printf("%-8s %8s %9s %10s%n", "threads", "entries", "seconds", "entries/s");
        for (int i = 2; i < args.length; i++) {
            int threads = Integer.parseInt(args[i]);
            Path root = base.resolve("tree-" + threads);
            build(root, domains);
            long start = System.nanoTime();
            long deleted = TreeDeletion.delete(root, threads);
            double s = (System.nanoTime() - start) / 1e9;
            System.out.printf("%-8d %8d %9.2f %10.0f%n", threads, deleted, s, deleted / s);
        }
    }

    private static void build(Path root, int domains) throws Exception {
        Path docs = Files.createDirectories(root.resolve("private/docs"));
        Path dns = Files.createDirectories(root.resolve("conf/dns"));
        for (int d = 0; d < domains; d++) {
            Path dir = root.resolve("public/d" + d + ".example");
            Path mail = Files.createDirectories(dir.resolve("mail"));
            Path wellKnown = Files.createDirectories(dir.resolve(".well-known/autoconfig/mail"));
            Path doc = docs.resolve("doc" + (d / 10) + ".xml");
            if (d % 10 == 0) {
                Files.writeString(doc, "<clientConfig/>\n");
            }
            Files.createLink(mail.resolve("config-v1.1.xml"), doc);
            Files.createLink(wellKnown.resolve("config-v1.1.xml"), doc);
            Files.writeString(dir.resolve("index.html"), "<!doctype html>\n");
            Files.writeString(dns.resolve("d" + d + ".example.zone"), "; zone\n");
        }
    }
}
