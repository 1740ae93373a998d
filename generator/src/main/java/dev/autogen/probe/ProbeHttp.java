package dev.autogen.probe;

import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A deliberately small HTTP/1.1 client for the probe: one request per connection, {@code Connection: close}.
 *
 * <p>Why not {@code java.net.http.HttpClient}: it refuses to set the {@code Host} header unless a JVM-wide system
 * property is set before its first use anywhere in the process, and {@code --host} (testing a deployment by IP
 * address, or a responder on loopback) is exactly that. HTTPS certificates and host names are verified like clients
 * do (default trust store, endpoint identification, SNI); redirects are reported, not followed.
 */
public final class ProbeHttp {
    /** Answers bigger than this are cut off and reported: no discovery document is anywhere near it. */
    static final int MAX_RESPONSE_BYTES = 2 * 1024 * 1024;

    /** An answer: status, headers (names lower-cased; the last value wins), body (de-chunked). */
    public record Response(int status, Map<String, String> headers, byte[] body) {
        public String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }
    }

    private final URI base;
    private final String hostHeader;
    private final int timeoutMillis;

    /**
     * @param base       the deployment, e.g. {@code https://autoconfig.example.com} or {@code http://127.0.0.1:8080}
     * @param hostHeader the Host header to send, or null for the base URL's own host (and port)
     */
    public ProbeHttp(URI base, String hostHeader, Duration timeout) {
        String scheme = base.getScheme() == null ? "" : base.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https") || base.getHost() == null) {
            throw new IllegalArgumentException("not an http:// or https:// URL: " + base);
        }
        this.base = base;
        this.hostHeader = hostHeader != null ? hostHeader
                : base.getPort() < 0 ? base.getHost() : base.getHost() + ":" + base.getPort();
        this.timeoutMillis = (int) timeout.toMillis();
    }

    public String hostHeader() {
        return hostHeader;
    }

    public Response get(String pathAndQuery) throws IOException {
        return exchange("GET", pathAndQuery, null, null);
    }

    public Response post(String pathAndQuery, String contentType, byte[] body) throws IOException {
        return exchange("POST", pathAndQuery, contentType, body);
    }

    private Response exchange(String method, String pathAndQuery, String contentType, byte[] body) throws IOException {
        boolean tls = base.getScheme().equalsIgnoreCase("https");
        int port = base.getPort() >= 0 ? base.getPort() : tls ? 443 : 80;
        String prefix = base.getRawPath() == null ? "" : base.getRawPath().replaceAll("/+$", "");
        try (Socket socket = connect(base.getHost(), port, tls)) {
            StringBuilder head = new StringBuilder()
                    .append(method).append(' ').append(prefix).append(pathAndQuery).append(" HTTP/1.1\r\n")
                    .append("Host: ").append(hostHeader).append("\r\n")
                    .append("User-Agent: autogen-probe\r\n")
                    .append("Accept: */*\r\n")
                    .append("Connection: close\r\n");
            if (body != null) {
                head.append("Content-Type: ").append(contentType).append("\r\n")
                        .append("Content-Length: ").append(body.length).append("\r\n");
            }
            head.append("\r\n");
            OutputStream out = socket.getOutputStream();
            out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
            if (body != null) {
                out.write(body);
            }
            out.flush();
            return parse(readAll(socket.getInputStream()));
        }
    }

    private Socket connect(String host, int port, boolean tls) throws IOException {
        Socket plain = new Socket();
        try {
            plain.connect(new InetSocketAddress(host, port), timeoutMillis);
            plain.setSoTimeout(timeoutMillis);
            if (!tls) {
                return plain;
            }
            SSLSocket socket = (SSLSocket) ((SSLSocketFactory) SSLSocketFactory.getDefault())
                    .createSocket(plain, host, port, true);
            SSLParameters parameters = socket.getSSLParameters();
            parameters.setEndpointIdentificationAlgorithm("HTTPS"); // check the certificate names this host
            socket.setSSLParameters(parameters);
            socket.startHandshake();
            return socket;
        } catch (IOException | RuntimeException e) {
            plain.close();
            throw e;
        }
    }

    private static byte[] readAll(InputStream in) throws IOException {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        byte[] chunk = new byte[8192];
        for (int n; (n = in.read(chunk)) > 0; ) {
            buffer.write(chunk, 0, n);
            if (buffer.size() > MAX_RESPONSE_BYTES) {
                throw new IOException("the answer is larger than " + MAX_RESPONSE_BYTES + " bytes");
            }
        }
        return buffer.toByteArray();
    }

    static Response parse(byte[] raw) throws IOException {
        int end = indexOf(raw, "\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1), 0);
        if (end < 0) {
            throw new IOException("the answer is not HTTP (no end of headers)");
        }
        String[] lines = new String(raw, 0, end, StandardCharsets.ISO_8859_1).split("\r\n");
        String[] statusLine = lines[0].split(" ", 3);
        if (statusLine.length < 2 || !statusLine[0].startsWith("HTTP/1.")) {
            throw new IOException("the answer is not HTTP/1.x: " + lines[0]);
        }
        int status;
        try {
            status = Integer.parseInt(statusLine[1]);
        } catch (NumberFormatException e) {
            throw new IOException("bad HTTP status line: " + lines[0]);
        }
        Map<String, String> headers = new LinkedHashMap<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon > 0) {
                headers.put(lines[i].substring(0, colon).strip().toLowerCase(Locale.ROOT), lines[i].substring(colon + 1).strip());
            }
        }
        byte[] body = Arrays.copyOfRange(raw, end + 4, raw.length);
        if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
            body = dechunk(body);
        } else if (headers.containsKey("content-length")) {
            int length = Integer.parseInt(headers.get("content-length"));
            if (length > body.length) {
                throw new IOException("the answer ended after " + body.length + " of " + length + " bytes");
            }
            body = Arrays.copyOf(body, length);
        }
        return new Response(status, Map.copyOf(headers), body);
    }

    private static byte[] dechunk(byte[] body) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] crlf = {'\r', '\n'};
        int pos = 0;
        while (true) {
            int lineEnd = indexOf(body, crlf, pos);
            if (lineEnd < 0) {
                throw new IOException("truncated chunked answer");
            }
            String sizeText = new String(body, pos, lineEnd - pos, StandardCharsets.ISO_8859_1);
            int semicolon = sizeText.indexOf(';');
            int size;
            try {
                size = Integer.parseInt((semicolon < 0 ? sizeText : sizeText.substring(0, semicolon)).strip(), 16);
            } catch (NumberFormatException e) {
                throw new IOException("bad chunk size: " + sizeText);
            }
            if (size == 0) {
                return out.toByteArray();
            }
            int start = lineEnd + 2;
            if (size < 0 || start + size > body.length) {
                throw new IOException("truncated chunked answer");
            }
            out.write(body, start, size);
            pos = start + size + 2;
        }
    }

    private static int indexOf(byte[] haystack, byte[] needle, int from) {
        outer:
        for (int i = from; i <= haystack.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
