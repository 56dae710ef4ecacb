// The host config's "signals.pull" section: whether this host pulls the
// registered log sources (seed 002's POST /api/log-sources), what they may
// reach and how hard it tries.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

namespace agenthost::signals {

struct PullSettings {
    // signals.pull.enabled (env AGENTHOST_SIGNALS_PULL): off, sources are
    // stored but nothing reads them on this host.
    bool enabled = true;
    // Hosts of url, loki and cloudwatch sources reachable past the SSRF
    // guard although they are loopback or private (as webhooks.allowed_hosts).
    std::vector<std::string> allowed_hosts;
    // Directories file sources may be read under (after resolving links);
    // empty: no file source is read (anyone with the API could otherwise
    // point one at any file the host can read).
    std::vector<std::string> file_roots;
    // How often the scheduler looks for due sources.
    long long poll_ms = 500;
    // Sources pulled at once (a slow one does not hold up the others).
    int workers = 2;
    // Most bytes read from a file or URL per pull; the rest comes next pull.
    size_t max_bytes = 1024 * 1024;
    double timeout_seconds = 10;
    // A failing source waits interval * 2^failures, at most this long.
    double max_backoff_seconds = 300;
};

}  // namespace agenthost::signals
