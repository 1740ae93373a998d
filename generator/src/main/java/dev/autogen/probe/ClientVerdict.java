package dev.autogen.probe;

import java.util.List;

/**
 * What one client would conclude from the deployment: the servers it would configure, and the problems that make it
 * reject (or silently misconfigure) the account. Notes are observations that do not fail the probe.
 */
public record ClientVerdict(String client, String source, List<ServerSetting> servers, List<String> problems,
                            List<String> notes) {
    public ClientVerdict {
        servers = List.copyOf(servers);
        problems = List.copyOf(problems);
        notes = List.copyOf(notes);
    }

    public boolean ok() {
        return problems.isEmpty();
    }
}
