package dev.autogen.render;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A private CA and server certificates made at test time with the real {@code openssl} command (EC P-256, valid two
 * days): nothing secret is checked in, and the web servers load what an admin's certificates look like.
 */
final class TestCertificates {
    private final Path dir;
    private final Path openssl;

    private TestCertificates(Path dir, Path openssl) {
        this.dir = dir;
        this.openssl = openssl;
    }

    /** A new CA in {@code dir} ({@code ca.pem}); skips the test visibly when openssl is missing. */
    static TestCertificates ca(Path dir) throws Exception {
        Optional<Path> openssl = WebServerConfigTest.binary("/usr/bin/openssl", "openssl");
        if (openssl.isEmpty()) {
            System.err.println("SKIPPED: openssl not installed; `apt-get install -y openssl` to test HTTPS configs");
        }
        assumeTrue(openssl.isPresent(), "openssl not installed");
        Files.createDirectories(dir);
        TestCertificates t = new TestCertificates(dir, openssl.get());
        t.run("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                "-keyout", "ca.key", "-out", "ca.pem", "-days", "2", "-subj", "/CN=autogen test CA",
                "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign");
        return t;
    }

    Path caFile() {
        return dir.resolve("ca.pem");
    }

    /**
     * A certificate for {@code names} (the first is the subject) signed by this CA, written as
     * {@code <base>/fullchain.pem} and {@code <base>/privkey.pem} (the Let's Encrypt layout).
     */
    Path issue(String base, String... names) throws Exception {
        Path out = dir.resolve(base);
        Files.createDirectories(out);
        List<String> san = new ArrayList<>();
        for (String n : names) {
            san.add("DNS:" + n);
        }
        Path ext = out.resolve("ext.cnf");
        Files.writeString(ext, "subjectAltName=" + String.join(",", san)
                + "\nbasicConstraints=critical,CA:FALSE\nextendedKeyUsage=serverAuth\n");
        run("req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                "-keyout", out.resolve("privkey.pem").toString(), "-out", out.resolve("req.csr").toString(),
                "-subj", "/CN=" + names[0]);
        run("x509", "-req", "-in", out.resolve("req.csr").toString(), "-CA", "ca.pem", "-CAkey", "ca.key",
                "-CAcreateserial", "-days", "2", "-extfile", ext.toString(),
                "-out", out.resolve("cert.pem").toString());
        Files.write(out.resolve("fullchain.pem"), concat(Files.readAllBytes(out.resolve("cert.pem")),
                Files.readAllBytes(caFile())));
        return out;
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] all = new byte[a.length + b.length];
        System.arraycopy(a, 0, all, 0, a.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }

    private void run(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(openssl.toString()));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        String output;
        try (InputStream in = p.getInputStream()) {
            output = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("openssl timed out: " + command);
        }
        if (p.exitValue() != 0) {
            throw new AssertionError("openssl failed: " + command + "\n" + output);
        }
    }
}
