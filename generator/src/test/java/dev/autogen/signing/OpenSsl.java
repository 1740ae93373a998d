package dev.autogen.signing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Debian's openssl, run as a process: the independent judge of every signed profile. */
public final class OpenSsl {
    private OpenSsl() {}

    public static boolean installed() {
        try {
            return run(List.of("openssl", "version")).exitCode == 0;
        } catch (IOException e) {
            return false;
        }
    }

    public record Result(int exitCode, String output) {}

    /**
     * {@code openssl cms -verify -inform DER -CAfile ca -purpose any}: the exit code, and the verified content in
     * {@code content} when it succeeds.
     */
    public static Result verify(Path signed, Path ca, Path content) throws IOException {
        Files.deleteIfExists(content);
        return run(List.of("openssl", "cms", "-verify", "-inform", "DER", "-in", signed.toString(), "-CAfile",
                ca.toString(), "-purpose", "any", "-out", content.toString()));
    }

    /** The signer certificate(s) embedded in a signed profile, as PEM. */
    public static Result signers(Path signed, Path ca, Path out) throws IOException {
        return run(List.of("openssl", "cms", "-verify", "-inform", "DER", "-in", signed.toString(), "-CAfile",
                ca.toString(), "-purpose", "any", "-out", "/dev/null", "-signer", out.toString()));
    }

    public static Result run(List<String> command) throws IOException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        try {
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException("timed out: " + command);
            }
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted: " + command);
        }
        return new Result(p.exitValue(), new String(p.getInputStream().readAllBytes()));
    }
}
