package dev.autogen.db;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Reads {@code db_uri} from an automx2 config file, the way automx2 does (Python's {@code configparser}:
 * {@code key = value} or {@code key: value}, {@code #}/{@code ;} comment lines, case-insensitive keys, indented
 * continuation lines, {@code [DEFAULT]} values, {@code %%} and {@code %(key)s} interpolation).
 */
public final class Automx2Config {
    private Automx2Config() {}

    static final String SECTION = "automx2";

    /**
     * @param file the config file; empty: automx2's own search order ($AUTOMX2_CONF, ~/.automx2.conf,
     *             /etc/automx2/automx2.conf, /etc/automx2.conf), first existing file wins
     * @return the {@code db_uri} of the {@code [automx2]} section
     * @throws IOException the file cannot be read, none was found, or it has no usable {@code db_uri}
     */
    public static String dbUri(Optional<Path> file) throws IOException {
        Path chosen;
        if (file.isPresent()) {
            chosen = file.get();
        } else {
            List<Path> candidates = searchOrder(System.getenv(), Path.of(System.getProperty("user.home")));
            chosen = candidates.stream().filter(Files::isRegularFile).findFirst().orElseThrow(() ->
                    new DatabaseUnavailableException("no automx2 config file found (looked for "
                            + String.join(", ", candidates.stream().map(Path::toString).toList())
                            + "); give one with --automx2-conf FILE or the database with --db URL"));
        }
        return dbUriOf(chosen);
    }

    /** automx2's search order, for the given environment and home directory. */
    static List<Path> searchOrder(Map<String, String> env, Path home) {
        List<Path> out = new ArrayList<>();
        String fromEnv = env.get("AUTOMX2_CONF");
        if (fromEnv != null && !fromEnv.isEmpty()) {
            out.add(Path.of(fromEnv));
        }
        out.add(home.resolve(".automx2.conf"));
        out.add(Path.of("/etc/automx2/automx2.conf"));
        out.add(Path.of("/etc/automx2.conf"));
        return out;
    }

    static String dbUriOf(Path file) throws IOException {
        Map<String, Map<String, String>> sections = parse(file);
        Map<String, String> section = sections.get(SECTION);
        String raw = section == null ? null : section.get("db_uri");
        if (raw == null) {
            raw = sections.getOrDefault("DEFAULT", Map.of()).get("db_uri");
        }
        if (raw == null || raw.isBlank()) {
            // automx2 would fall back to sqlite:///:memory:, an empty database: useless to read.
            throw new DatabaseUnavailableException(file + ": no db_uri in section [" + SECTION + "]");
        }
        return interpolate(file, raw, section == null ? Map.of() : section,
                sections.getOrDefault("DEFAULT", Map.of()), 0);
    }

    /** Sections by name (case-sensitive, like configparser), keys lower-cased. */
    static Map<String, Map<String, String>> parse(Path file) throws IOException {
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        Map<String, Map<String, String>> sections = new LinkedHashMap<>();
        Map<String, String> current = null;
        String lastKey = null;
        int lastKeyIndent = 0;
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            String stripped = line.strip();
            int indent = line.length() - line.stripLeading().length();
            if (stripped.isEmpty() || stripped.startsWith("#") || stripped.startsWith(";")) {
                if (stripped.isEmpty()) {
                    lastKey = null;
                }
                continue;
            }
            if (current != null && lastKey != null && indent > lastKeyIndent) {
                current.put(lastKey, current.get(lastKey) + "\n" + stripped);
                continue;
            }
            if (stripped.startsWith("[") && stripped.endsWith("]")) {
                String name = stripped.substring(1, stripped.length() - 1);
                if (sections.containsKey(name)) {
                    throw new DatabaseUnavailableException(file + ":" + (i + 1) + ": section [" + name
                            + "] appears twice");
                }
                current = new LinkedHashMap<>();
                sections.put(name, current);
                lastKey = null;
                continue;
            }
            if (current == null) {
                throw new DatabaseUnavailableException(file + ":" + (i + 1) + ": expected a [section] header first");
            }
            int eq = stripped.indexOf('=');
            int colon = stripped.indexOf(':');
            int sep = eq < 0 ? colon : colon < 0 ? eq : Math.min(eq, colon);
            if (sep <= 0) {
                throw new DatabaseUnavailableException(file + ":" + (i + 1) + ": expected key = value");
            }
            String key = stripped.substring(0, sep).strip().toLowerCase(Locale.ROOT);
            if (current.containsKey(key)) {
                throw new DatabaseUnavailableException(file + ":" + (i + 1) + ": option " + key + " appears twice");
            }
            current.put(key, stripped.substring(sep + 1).strip());
            lastKey = key;
            lastKeyIndent = indent;
        }
        return sections;
    }

    /** configparser's BasicInterpolation: {@code %%} is a percent sign, {@code %(name)s} another option's value. */
    private static String interpolate(Path file, String value, Map<String, String> section,
                                      Map<String, String> defaults, int depth) throws IOException {
        if (depth > 10) {
            throw new DatabaseUnavailableException(file + ": db_uri: interpolation nested too deeply");
        }
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c != '%') {
                out.append(c);
                continue;
            }
            if (i + 1 < value.length() && value.charAt(i + 1) == '%') {
                out.append('%');
                i++;
            } else if (i + 1 < value.length() && value.charAt(i + 1) == '(') {
                int close = value.indexOf(")s", i);
                if (close < 0) {
                    throw new DatabaseUnavailableException(file + ": db_uri: bad interpolation syntax ('%' must be"
                            + " written '%%')");
                }
                String name = value.substring(i + 2, close).toLowerCase(Locale.ROOT);
                Map<String, String> merged = new HashMap<>(defaults);
                merged.putAll(section);
                String referenced = merged.get(name);
                if (referenced == null) {
                    throw new DatabaseUnavailableException(file + ": db_uri refers to missing option '" + name + "'");
                }
                out.append(interpolate(file, referenced, section, defaults, depth + 1));
                i = close + 1;
            } else {
                throw new DatabaseUnavailableException(file + ": db_uri: '%' must be followed by '%' or '(' (write a"
                        + " literal percent sign as '%%', as automx2 requires)");
            }
        }
        return out.toString();
    }
}
