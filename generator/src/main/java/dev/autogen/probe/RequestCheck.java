package dev.autogen.probe;

import java.util.List;

/**
 * One request the probe made, what came back, and what is wrong with the answer itself (status, type, shape).
 *
 * @param status      the HTTP status, or -1 when there was no answer
 * @param url         the URL that answered (after redirects), or the one asked when there was no answer
 * @param protocol    the HTTP version of the answer ({@code HTTP/1.1}, {@code HTTP/2.0}), or null
 * @param redirects   the redirects followed, each as {@code STATUS URL -> LOCATION}
 * @param unreachable true when the server (or proxy) could not be connected to at all
 */
public record RequestCheck(String name, String method, String path, int status, String contentType, int bytes,
                           List<String> problems, String url, String protocol, List<String> redirects,
                           boolean unreachable) {
    public RequestCheck {
        problems = List.copyOf(problems);
        redirects = List.copyOf(redirects);
    }

    public RequestCheck(String name, String method, String path, int status, String contentType, int bytes,
                        List<String> problems) {
        this(name, method, path, status, contentType, bytes, problems, null, null, List.of(), false);
    }

    public boolean ok() {
        return problems.isEmpty();
    }
}
