package dev.autogen.dns;

import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A real BIND {@code named} for tests: authoritative only, on a free loopback port, its whole configuration in a
 * temporary directory, in the foreground ({@code -g}) so that it dies with the test. Run as root it drops to the
 * {@code bind} user ({@code -u}); otherwise it runs as the current user.
 */
public final class NamedServer implements AutoCloseable {
    private final Path dir;
    private final int port;
    private final Process process;
    private final Path log;

    private NamedServer(Path dir, int port, Process process, Path log) {
        this.dir = dir;
        this.port = port;
        this.process = process;
        this.log = log;
    }

    /** The named binary, if installed (Debian: bind9). */
    public static Optional<Path> binary() {
        for (String c : List.of("/usr/sbin/named", "/usr/bin/named")) {
            if (Files.isExecutable(Path.of(c))) {
                return Optional.of(Path.of(c));
            }
        }
        return Optional.empty();
    }

    /**
     * Starts named serving {@code zones} (zone name without final dot → zone file text, which gets an SOA and NS
     * prepended) on {@code port}, or a free port when 0, and waits until it answers.
     */
    public static NamedServer start(Path dir, Map<String, String> zones, int port) throws Exception {
        Path named = binary().orElseThrow();
        Files.createDirectories(dir);
        int p = port != 0 ? port : freePort();
        StringBuilder conf = new StringBuilder()
                .append("options {\n")
                .append("  directory \"").append(dir).append("\";\n")
                .append("  pid-file \"").append(dir.resolve("named.pid")).append("\";\n")
                .append("  session-keyfile \"").append(dir.resolve("session.key")).append("\";\n")
                .append("  managed-keys-directory \"").append(dir).append("\";\n")
                .append("  listen-on port ").append(p).append(" { 127.0.0.1; };\n")
                .append("  listen-on-v6 { none; };\n")
                .append("  recursion no;\n")
                .append("  allow-query { 127.0.0.1; };\n")
                .append("  dnssec-validation no;\n")
                .append("  notify no;\n")
                .append("};\n")
                .append("controls { };\n");
        for (Map.Entry<String, String> z : zones.entrySet()) {
            Path file = dir.resolve(z.getKey() + ".zone");
            Files.writeString(file, "$ORIGIN " + z.getKey() + ".\n$TTL 300\n"
                    + "@ IN SOA ns." + z.getKey() + ". hostmaster." + z.getKey() + ". 1 3600 600 86400 300\n"
                    + "@ IN NS ns." + z.getKey() + ".\nns IN A 127.0.0.1\n" + z.getValue(), StandardCharsets.UTF_8);
            conf.append("zone \"").append(z.getKey()).append("\" { type primary; file \"").append(file)
                    .append("\"; };\n");
        }
        Path confFile = dir.resolve("named.conf");
        Files.writeString(confFile, conf.toString(), StandardCharsets.UTF_8);
        List<String> command = new ArrayList<>(List.of(named.toString(), "-g", "-c", confFile.toString()));
        if ("root".equals(System.getProperty("user.name")) && userExists("bind")) {
            // named drops its privileges to the bind user, which must be able to read (and write pid/keys in) dir.
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxrwxrwx"));
            for (Path f : List.of(dir.getParent(), dir.getParent().getParent())) {
                if (f != null && !Files.getPosixFilePermissions(f).contains(
                        java.nio.file.attribute.PosixFilePermission.OTHERS_EXECUTE)) {
                    Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rwxr-xr-x"));
                }
            }
            command.addAll(List.of("-u", "bind"));
        }
        Path log = dir.resolve("named.log");
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        NamedServer server = new NamedServer(dir, p, process, log);
        server.awaitReady(zones.keySet().iterator().next());
        return server;
    }

    public int port() {
        return port;
    }

    public String address() {
        return "127.0.0.1:" + port;
    }

    private void awaitReady(String zone) throws Exception {
        SimpleResolver r = new SimpleResolver(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
        r.setTimeout(Duration.ofMillis(300));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("named exited:\n" + Files.readString(log));
            }
            try {
                Message m = r.send(Message.newQuery(Record.newRecord(Name.fromString(zone + "."), Type.SOA, DClass.IN)));
                if (m.getRcode() == Rcode.NOERROR && !m.getSection(1).isEmpty()) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(100);
        }
        close();
        throw new IllegalStateException("named did not answer within 30 s:\n" + Files.readString(log));
    }

    @Override
    public void close() throws Exception {
        process.destroy();
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    /** A port free for both TCP and UDP on loopback (named listens on both). */
    static int freePort() throws IOException {
        for (int attempt = 0; attempt < 50; attempt++) {
            try (ServerSocket tcp = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                int p = tcp.getLocalPort();
                try (DatagramSocket udp = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), p))) {
                    return p;
                } catch (IOException e) {
                    // taken for UDP: try another
                }
            }
        }
        throw new IOException("no free loopback port for TCP and UDP");
    }

    private static boolean userExists(String user) throws IOException {
        return Files.readAllLines(Path.of("/etc/passwd")).stream().anyMatch(l -> l.startsWith(user + ":"));
    }

    @Override
    public String toString() {
        return "named on " + address() + " (" + dir + ")";
    }
}
