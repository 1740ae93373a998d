package dev.autogen.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The YAML {@code web:} section and the {@code render} options that override it, through {@link Main#run}. */
class RenderWebOptionsTest {
    private static final String SITE = """
            providers:
              - name: Example
                servers:
                  - type: imap
                    hostname: imap.example.com
                  - type: smtp
                    hostname: smtp.example.com
                domains: [example.com]
            web:
              https: ["443", "[::]:443"]
              certificate: /etc/ssl/autogen/fullchain.pem
              certificateKey: /etc/ssl/autogen/privkey.pem
              accessLog: /var/log/nginx/autogen.log
            """;

    @TempDir
    Path tmp;

    @Test
    void theYamlSectionShapesBothConfigsAndOptionsOverrideIt() throws Exception {
        Path yaml = Files.writeString(tmp.resolve("site.yaml"), SITE);
        Path out = tmp.resolve("site");
        CliRun run = CliRun.of("render", yaml.toString(), "--out", out.toString(), "-q");
        assertEquals(ExitCodes.OK, run.exitCode(), run.toString());
        String nginx = Files.readString(out.resolve("current/conf/nginx/autogen.conf"));
        assertTrue(nginx.contains("    listen 443 ssl;\n    listen [::]:443 ssl;\n"), nginx);
        assertTrue(nginx.contains("ssl_certificate     \"/etc/ssl/autogen/fullchain.pem\";"), nginx);
        assertTrue(nginx.contains("access_log \"/var/log/nginx/autogen.log\";"), nginx);
        assertTrue(nginx.contains("    listen 80;\n    listen [::]:80;\n"), "default http, its own server");
        assertTrue(nginx.contains("return 301 https://$host$request_uri;"), nginx);
        String apache = Files.readString(out.resolve("current/conf/apache/autogen.conf"));
        assertTrue(apache.contains("<VirtualHost *:443>") && apache.contains("<VirtualHost *:80>"), apache);
        assertTrue(apache.contains("SSLCertificateFile \"/etc/ssl/autogen/fullchain.pem\""), apache);
        assertEquals(ExitCodes.OK, CliRun.of("check", yaml.toString()).exitCode());

        run = CliRun.of("render", yaml.toString(), "--out", out.toString(), "-q", "--http-listen", "none",
                "--https-listen", "192.0.2.1:8443", "--tls-certificate", "/etc/letsencrypt/live/autoconfig.{domain}/fullchain.pem",
                "--tls-key", "/etc/letsencrypt/live/autoconfig.{domain}/privkey.pem", "--access-log", "off");
        assertEquals(ExitCodes.OK, run.exitCode(), run.toString());
        nginx = Files.readString(out.resolve("current/conf/nginx/autogen.conf"));
        assertTrue(nginx.contains("    listen 192.0.2.1:8443 ssl;\n"), nginx);
        assertFalse(nginx.contains("listen 80"), nginx);
        assertTrue(nginx.contains("autoconfig.${autogen_tls_domain}/fullchain.pem"), nginx);
        assertTrue(nginx.contains("access_log off;"), nginx);
        apache = Files.readString(out.resolve("current/conf/apache/autogen.conf"));
        assertTrue(apache.contains("SSLCertificateFile \"/etc/letsencrypt/live/autoconfig.example.com/fullchain.pem\""),
                apache);

        run = CliRun.of("render", yaml.toString(), "--out", out.toString(), "-q", "--http-listen", "8080",
                "--no-https-redirect");
        assertEquals(ExitCodes.OK, run.exitCode(), run.toString());
        nginx = Files.readString(out.resolve("current/conf/nginx/autogen.conf"));
        assertTrue(nginx.contains("    listen 8080;\n    listen 443 ssl;\n"), "one server for both: " + nginx);
        assertFalse(nginx.contains("return 301 https://"), nginx); // (the .well-known redirects are 301s too)
    }

    @Test
    void badOptionsAreUsageErrorsAndWriteNothing() throws Exception {
        Path yaml = Files.writeString(tmp.resolve("site.yaml"), SITE);
        Path out = tmp.resolve("site");
        CliRun run = CliRun.of("render", yaml.toString(), "--out", out.toString(), "--https-listen", "localhost:443",
                "--access-log", "logs/x.log");
        assertEquals(ExitCodes.USAGE, run.exitCode(), run.toString());
        assertTrue(run.err().contains("--https-listen: 'localhost:443' is not a listen address"), run.toString());
        assertTrue(run.err().contains("--access-log: 'logs/x.log' must be an absolute path"), run.toString());
        assertFalse(Files.exists(out), "nothing written");

        run = CliRun.of("render", "../samples/minimal.yaml", "--out", out.toString(), "--https-listen", "443");
        assertEquals(ExitCodes.USAGE, run.exitCode(), run.toString());
        assertTrue(run.err().contains("https needs both certificate and certificateKey"), run.toString());
        assertFalse(run.err().contains("Exception"), run.toString());
        assertFalse(Files.exists(out), "nothing written");
    }
}
