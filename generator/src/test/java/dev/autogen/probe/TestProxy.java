package dev.autogen.probe;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A small HTTP proxy on a free loopback port, for tests: CONNECT tunnels (https:// targets) and forwarding of
 * absolute-form requests (http:// targets). Every target host name resolves to loopback (the test's servers), so a
 * request for a name that exists nowhere succeeds only through this proxy. It records each request line it saw.
 */
final class TestProxy implements AutoCloseable {
    final List<String> seen = new CopyOnWriteArrayList<>();
    private final ServerSocket server;
    private final Thread acceptor;

    TestProxy() throws IOException {
        server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        acceptor = new Thread(this::accept, "test-proxy");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    int port() {
        return server.getLocalPort();
    }

    String url() {
        return "http://127.0.0.1:" + port();
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                Thread t = new Thread(() -> serve(client), "test-proxy-connection");
                t.setDaemon(true);
                t.start();
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    private void serve(Socket client) {
        try (client) {
            client.setSoTimeout(20_000);
            InputStream in = client.getInputStream();
            String head = readHead(in);
            if (head == null) {
                return;
            }
            String[] lines = head.split("\r\n");
            String[] requestLine = lines[0].split(" ");
            seen.add(lines[0]);
            if (requestLine[0].equals("CONNECT")) {
                int port = Integer.parseInt(requestLine[1].substring(requestLine[1].lastIndexOf(':') + 1));
                try (Socket target = new Socket(InetAddress.getLoopbackAddress(), port)) {
                    client.getOutputStream().write("HTTP/1.1 200 Connection established\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
                    pipe(client, target);
                }
                return;
            }
            URI uri = URI.create(requestLine[1]);
            try (Socket target = new Socket(InetAddress.getLoopbackAddress(), uri.getPort() < 0 ? 80 : uri.getPort())) {
                StringBuilder forwarded = new StringBuilder(requestLine[0]).append(' ').append(uri.getRawPath())
                        .append(uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery()).append(' ').append(requestLine[2]).append("\r\n");
                for (int i = 1; i < lines.length; i++) {
                    String name = lines[i].substring(0, Math.max(0, lines[i].indexOf(':'))).trim();
                    if (!name.equalsIgnoreCase("Connection") && !name.equalsIgnoreCase("Proxy-Connection")) {
                        forwarded.append(lines[i]).append("\r\n");
                    }
                }
                forwarded.append("Connection: close\r\n\r\n"); // one request per connection keeps this proxy simple
                target.getOutputStream().write(forwarded.toString().getBytes(StandardCharsets.ISO_8859_1));
                pipe(client, target);
            }
        } catch (IOException | RuntimeException e) {
            System.err.println("test proxy: " + e); // in the surefire output; the test sees the failure on its side
        }
    }

    /** Copies both ways until the target closes its side (a tunnel, or a forwarded exchange). */
    private static void pipe(Socket client, Socket target) throws IOException {
        Thread up = new Thread(() -> {
            try {
                client.getInputStream().transferTo(target.getOutputStream());
            } catch (IOException e) {
                // closed
            }
        }, "test-proxy-up");
        up.setDaemon(true);
        up.start();
        OutputStream toClient = client.getOutputStream();
        target.getInputStream().transferTo(toClient);
        toClient.flush();
    }

    private static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        for (int b; (b = in.read()) >= 0; ) {
            head.write(b);
            matched = (b == '\r' && (matched == 0 || matched == 2)) || (b == '\n' && (matched == 1 || matched == 3)) ? matched + 1 : 0;
            if (matched == 4) {
                return head.toString(StandardCharsets.ISO_8859_1);
            }
            if (head.size() > 64 * 1024) {
                return null;
            }
        }
        return null;
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
