package dev.autogen.probe;

import java.util.List;

/** One request the probe made, what came back, and what is wrong with the answer itself (status, type, shape). */
public record RequestCheck(String name, String method, String path, int status, String contentType, int bytes,
                           List<String> problems) {
    public RequestCheck {
        problems = List.copyOf(problems);
    }

    public boolean ok() {
        return problems.isEmpty();
    }
}
