package dev.autogen.render;

import dev.autogen.model.Domain;
import dev.autogen.model.MailServer;
import dev.autogen.model.Provider;
import dev.autogen.model.Site;
import dev.autogen.publish.Publisher;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static dev.autogen.render.SetupPages.elements;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The setup page as a user sees it: the sample site rendered and published for real, served by a real NGINX with
 * the rendered config (and so under its Content-Security-Policy header), loaded by Debian's headless Chromium
 * through NGINX as its proxy (no DNS, nothing leaves the loopback interface). One browser launch per DOM dump or
 * screenshot, each with a hard timeout. Screenshots for review: {@code target/setup-page/*.png}.
 */
class SetupPageBrowserTest {
    private static final String DOMAIN = "example.com";
    private static final String PAGE = "http://autoconfig." + DOMAIN + "/";
    private static final Path SHOTS = Path.of("target", "setup-page");
    private static final int LAUNCH_TIMEOUT_SECONDS = 60;

    @TempDir
    static Path dir;
    private static Path chromium;
    private static Process nginx;
    private static int port;
    private static Site site;

    @BeforeAll
    static void serveTheRenderedSample() throws Exception {
        Optional<Path> browser = WebServerConfigTest.binary("/usr/bin/chromium", "chromium", "chromium-browser");
        Optional<Path> server = WebServerConfigTest.binary("/usr/sbin/nginx", "nginx");
        if (browser.isEmpty() || server.isEmpty()) {
            System.err.println("SKIPPED: chromium or nginx not installed; `apt-get install -y chromium nginx` to test"
                    + " the setup page in a real browser");
        }
        assumeTrue(browser.isPresent() && server.isPresent(), "chromium or nginx not installed");
        chromium = browser.get();

        site = TestSites.sample("example.yaml");
        Path out = dir.resolve("site");
        // The responder is not needed: the page is static. A free port nobody listens on.
        RenderSettings settings = new RenderSettings(Optional.empty(), out.resolve("current/public").toString(),
                "http://127.0.0.1:" + WebServerConfigTest.freePort());
        SiteRenderer renderer = new SiteRenderer(settings);
        new Publisher(out).publish(sink -> {
            for (Provider p : site.providers()) {
                for (Domain d : p.domains()) {
                    renderer.renderDomain(site, p, d, sink);
                }
            }
            renderer.renderSiteFiles(site, sink);
        });
        port = WebServerConfigTest.freePort();
        Path conf = dir.resolve("nginx");
        Files.createDirectories(conf);
        Path wrapper = WebServerConfigTest.wrap(conf, Files.readAllBytes(out.resolve("current/conf/nginx/autogen.conf")),
                port);
        nginx = new ProcessBuilder(server.get().toString(), "-p", conf.toString(), "-c", wrapper.toString(),
                "-g", "daemon off;").redirectErrorStream(true).redirectOutput(conf.resolve("stdout.log").toFile())
                .start();
        waitForNginx(conf);
        Files.createDirectories(SHOTS);
    }

    @AfterAll
    static void stop() throws InterruptedException {
        if (nginx != null) {
            nginx.destroy();
            if (!nginx.waitFor(10, TimeUnit.SECONDS)) {
                nginx.destroyForcibly();
            }
        }
    }

    @Test
    void domHasEveryServerTheProfileLinkAndTheQrCode() throws Exception {
        Launch launch = chromium("--dump-dom", PAGE);
        Document doc = SetupPages.parseStrict(launch.stdout());
        Provider provider = site.providers().get(0);
        Domain domain = provider.domains().stream().filter(d -> d.name().equals(DOMAIN)).findFirst().orElseThrow();
        List<Map<String, String>> tables = elements(doc, "table").stream().map(SetupPageRendererTest::rows).toList();
        for (MailServer s : domain.servers()) {
            assertTrue(tables.stream().anyMatch(t -> s.hostname().equals(t.get("Server"))
                    && Integer.toString(s.port()).equals(t.get("Port"))), s + " in " + tables);
        }
        String profileUrl = "https://autoconfig." + DOMAIN + "/mobileconfig/" + DOMAIN + ".mobileconfig";
        List<String> hrefs = elements(doc, "a").stream().map(a -> a.getAttribute("href")).toList();
        assertTrue(hrefs.contains("/mobileconfig/" + DOMAIN + ".mobileconfig"), hrefs.toString());
        assertTrue(hrefs.contains(profileUrl), hrefs.toString());
        Element svg = elements(doc, "svg").get(0);
        assertEquals("QR code of " + profileUrl,
                SetupPages.text(doc.getElementById(svg.getAttribute("aria-labelledby"))));
        assertEquals("/mobileconfig", elements(doc, "form").get(0).getAttribute("action"));
        assertTrue(elements(doc, "script").isEmpty());
        assertTrue(!launch.stderr().contains("Content Security Policy"), "a policy violation:\n" + launch.stderr());
    }

    /** At desktop width: styled (so the policy let the inline style in), and the QR code on screen decodes. */
    @Test
    void wideScreenshotIsStyledAndItsQrCodeDecodesToTheProfileUrl() throws Exception {
        BufferedImage shot = screenshot(1280, 2000, "example.com-1280.png");
        // The header band of setup-page.css (#0d3b66): unstyled, the page would be white there.
        assertEquals(0x0d3b66, shot.getRGB(4, 4) & 0xffffff, "header band colour: the style was not applied");
        assertEquals("https://autoconfig." + DOMAIN + "/mobileconfig/" + DOMAIN + ".mobileconfig",
                SetupPages.decodeQr(shot));
    }

    /** A 360 px phone: the whole page, for review; nothing is wider than the screen. */
    @Test
    void phoneScreenshot() throws Exception {
        BufferedImage shot = screenshot(360, 6000, "example.com-360.png");
        assertEquals(0x0d3b66, shot.getRGB(4, 4) & 0xffffff, "header band colour");
        // Below the header band, the page's right-hand margin (1rem = 16 px) stays white: nothing is wider than the
        // screen (an input or table that overflows would draw its border there).
        int y = 0;
        while (y < shot.getHeight() && (shot.getRGB(4, y) & 0xffffff) == 0x0d3b66) {
            y++;
        }
        assertTrue(y > 0 && y < shot.getHeight(), "header band");
        for (; y < shot.getHeight(); y++) {
            if ((shot.getRGB(4, y) & 0xffffff) != 0xffffff) {
                continue; // a full-width rule (the footer's top border), drawn on purpose
            }
            for (int x = 360 - 12; x < 360; x++) {
                assertEquals(0xffffff, shot.getRGB(x, y) & 0xffffff, "something reaches the right edge at y=" + y);
            }
        }
    }

    private static BufferedImage screenshot(int width, int height, String name) throws Exception {
        Path file = SHOTS.resolve(name).toAbsolutePath();
        Files.deleteIfExists(file);
        chromium("--screenshot=" + file, "--window-size=" + width + "," + height, PAGE);
        BufferedImage image = ImageIO.read(file.toFile());
        assertEquals(width, image.getWidth());
        System.err.println("setup page screenshot for review: " + file);
        return image;
    }

    record Launch(String stdout, String stderr) {}

    /**
     * One headless Chromium run. Every request goes to our NGINX as its HTTP proxy; background services, sync,
     * extensions and component updates are off and host names resolve to nothing, so it talks to no one else.
     */
    private static Launch chromium(String... args) throws Exception {
        Path profile = Files.createTempDirectory(dir, "chromium-profile");
        List<String> command = new ArrayList<>(List.of(chromium.toString(), "--headless", "--no-sandbox",
                "--disable-gpu", "--user-data-dir=" + profile, "--proxy-server=http://127.0.0.1:" + port,
                "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1", "--no-first-run",
                "--no-default-browser-check", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--disable-default-apps", "--disable-extensions", "--disable-breakpad",
                "--hide-scrollbars", "--force-device-scale-factor=1", "--enable-logging=stderr", "--v=0"));
        command.addAll(List.of(args));
        Path stdout = Files.createTempFile(dir, "chromium", ".out");
        Path stderr = Files.createTempFile(dir, "chromium", ".err");
        Process p = new ProcessBuilder(command).redirectOutput(stdout.toFile()).redirectError(stderr.toFile()).start();
        if (!p.waitFor(LAUNCH_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            throw new AssertionError("chromium did not finish within " + LAUNCH_TIMEOUT_SECONDS + " s: "
                    + String.join(" ", command));
        }
        Launch launch = new Launch(Files.readString(stdout, StandardCharsets.UTF_8),
                Files.readString(stderr, StandardCharsets.UTF_8));
        assertEquals(0, p.exitValue(), "chromium failed:\n" + launch.stderr());
        return launch;
    }

    private static void waitForNginx(Path conf) throws Exception {
        for (int i = 0; i < 100; i++) {
            if (!nginx.isAlive()) {
                throw new AssertionError("nginx exited: " + Files.readString(conf.resolve("stdout.log")));
            }
            try (java.net.Socket s = new java.net.Socket("127.0.0.1", port)) {
                return;
            } catch (IOException notYet) {
                Thread.sleep(100);
            }
        }
        throw new AssertionError("nginx did not start listening");
    }
}
