package dev.autogen.cli;

import dev.autogen.model.Directory;
import dev.autogen.model.Provider;
import dev.autogen.model.Site;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

/**
 * A digest of everything a render's output depends on, stored with the version it produced
 * ({@code v-<id>/inputs.sha256}), so that an unchanged re-render can stop before reading the YAML file or, for a
 * database, before rendering. It covers: this build of autogen (its version and the size and modification time of
 * every class-path entry) and the Java runtime, the working directory, the options (except those that only change what is printed or how
 * many threads work), the templates directory's files, and either the YAML file's bytes or the database snapshot as
 * read (every provider, domain and directory, passwords included).
 *
 * <p>A YAML file that names other files or the environment (a key ending in {@code File} or {@code Env}, or a
 * {@code signing} section: their content is not in the file's bytes) gets no digest: it is read and rendered every
 * time, which is always correct.
 */
final class InputDigest {
    /** The digest, or null and why there is none. */
    record Result(String digest, String whyNone) {}

    /** Keys whose value names content outside the YAML file (the word before the colon, or its suffix). */
    private static final List<String> EXTERNAL_KEY_SUFFIXES = List.of("File", "Env");
    private static final List<String> EXTERNAL_KEYS = List.of("signing");

    private InputDigest() {}

    static Result ofYaml(Path config, Path templates, List<String> args) throws IOException {
        MessageDigest md = common(templates, args);
        update(md, "yaml " + config.toAbsolutePath().normalize());
        KeyScanner scanner = new KeyScanner();
        try (InputStream in = Files.newInputStream(config)) {
            byte[] buffer = new byte[1 << 16];
            int n;
            while ((n = in.read(buffer)) >= 0) {
                md.update(buffer, 0, n);
                scanner.scan(buffer, n);
            }
        }
        if (scanner.externalKey != null) {
            return new Result(null, "the site description names content outside it (" + scanner.externalKey + ":)");
        }
        return new Result(HexFormat.of().formatHex(md.digest()), null);
    }

    /** The digest of a site read from a database: every record as its components print, with the passwords. */
    static Result ofSite(Site site, Path templates, List<String> args) throws IOException {
        MessageDigest md = common(templates, args);
        update(md, "site");
        for (Provider provider : site.providers()) {
            update(md, provider.toString()); // records print every component, in order
        }
        for (Directory directory : site.directories()) {
            update(md, directory.toString());
            update(md, directory.bindPassword().map(s -> s.value()).orElse("")); // Secret prints as ****
        }
        update(md, site.web().toString());
        return new Result(HexFormat.of().formatHex(md.digest()), null);
    }

    /**
     * The site-wide part of the render memo's provider digests (docs/site-format.md, render-memo.tsv): the build,
     * the templates and the output options (as for the input digest), and the settings outside the providers that a
     * provider's documents use. What a provider holds itself is digested per provider ({@code RenderMemo}).
     */
    static String memo(Path templates, List<String> args, Site site) throws IOException {
        MessageDigest md = common(templates, args);
        update(md, "render memo 1");
        update(md, site.web().toString());
        update(md, site.pacc().toString());
        update(md, site.layout().toString());
        for (Directory directory : site.directories()) {
            update(md, directory.toString());
        }
        return HexFormat.of().formatHex(md.digest());
    }

    private static MessageDigest common(Path templates, List<String> args) throws IOException {
        MessageDigest md;
        try {
            md = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
        update(md, "autogen inputs 1");
        update(md, String.valueOf(Main.class.getPackage().getImplementationVersion()));
        update(md, System.getProperty("java.home") + " " + System.getProperty("java.version"));
        for (String entry : System.getProperty("java.class.path", "").split(java.io.File.pathSeparator)) {
            build(md, Path.of(entry));
        }
        update(md, System.getProperty("user.dir"));
        for (String arg : outputArgs(args)) {
            update(md, "arg " + arg);
        }
        if (templates != null) {
            List<Path> files;
            try (Stream<Path> walk = Files.walk(templates)) {
                files = new ArrayList<>(walk.filter(Files::isRegularFile).sorted().toList());
            }
            for (Path file : files) {
                update(md, "template " + templates.relativize(file));
                md.update(Files.readAllBytes(file));
            }
        }
        return md;
    }

    /** A class-path entry: a jar by size and time, a directory of classes (a development build) file by file. */
    private static void build(MessageDigest md, Path entry) throws IOException {
        if (Files.isRegularFile(entry)) {
            update(md, "jar " + entry.toAbsolutePath() + " " + Files.size(entry) + " " + Files.getLastModifiedTime(entry));
        } else if (Files.isDirectory(entry)) {
            try (Stream<Path> walk = Files.walk(entry)) {
                for (Path file : walk.filter(Files::isRegularFile).sorted().toList()) {
                    update(md, "class " + file + " " + Files.size(file) + " " + Files.getLastModifiedTime(file));
                }
            }
        }
    }

    /** The arguments without those that change only the printing or the speed: -v, -q, --threads. */
    static List<String> outputArgs(List<String> args) {
        List<String> kept = new ArrayList<>();
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            if (arg.matches("-[vq]+") || arg.equals("--verbose") || arg.equals("--quiet")
                    || arg.startsWith("--threads=")) {
                continue;
            }
            if (arg.equals("--threads")) {
                i++;
                continue;
            }
            kept.add(arg);
        }
        return kept;
    }

    private static void update(MessageDigest md, String s) {
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        md.update((bytes.length + ":").getBytes(StandardCharsets.US_ASCII)); // length-prefixed: no ambiguity
        md.update(bytes);
    }

    /**
     * Finds a key that names outside content, as bytes stream past: the word before each colon (crossing chunk
     * borders). It also matches in comments and values, which only costs a skipped shortcut.
     */
    static final class KeyScanner {
        private final StringBuilder word = new StringBuilder();
        private boolean afterWord;
        String externalKey;

        void scan(byte[] bytes, int n) {
            for (int i = 0; i < n && externalKey == null; i++) {
                char c = (char) (bytes[i] & 0xff);
                if (c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_') {
                    if (afterWord) {
                        word.setLength(0);
                        afterWord = false;
                    }
                    if (word.length() < 64) {
                        word.append(c);
                    }
                } else if (c == ' ' || c == '\t') {
                    afterWord = word.length() > 0;
                } else {
                    if (c == ':' && word.length() > 0) {
                        String key = word.toString();
                        if (EXTERNAL_KEYS.contains(key)
                                || EXTERNAL_KEY_SUFFIXES.stream().anyMatch(s -> key.endsWith(s) && key.length() > s.length())) {
                            externalKey = key;
                        }
                    }
                    word.setLength(0);
                    afterWord = false;
                }
            }
        }
    }
}
