// The exporter's one HTTP call: POST a JSON body to the collector with the
// configured headers, bounded by a timeout. Its own small libcurl use, so
// exporting never goes through (and never traces) the host's LLM or webhook
// clients.
#pragma once

#include "telemetry/trace_settings.hpp"

#include <functional>
#include <string>

namespace agenthost::telemetry {

struct PostOutcome {
    int status = 0;     // 0: no HTTP answer
    std::string error;  // "" on a 2xx answer
    bool ok() const { return error.empty(); }
};

// `give_up` is asked several times a second while the transfer runs; true
// ends it (the host is stopping and will not wait longer).
PostOutcome post_json(const std::string& url, const KeyValues& headers, const std::string& body, long long timeout_ms,
                      const std::function<bool()>& give_up = {});

}  // namespace agenthost::telemetry
