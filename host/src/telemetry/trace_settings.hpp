// Where and how spans are exported: the config file's "telemetry" section,
// then the standard OpenTelemetry environment variables over it
// (OTEL_EXPORTER_OTLP_*, OTEL_SERVICE_NAME, OTEL_TRACES_SAMPLER[_ARG],
// OTEL_SDK_DISABLED, OTEL_BSP_*), as every OpenTelemetry SDK reads them,
// seed 001's LANGSMITH_API_KEY (with LANGSMITH_ENDPOINT, LANGSMITH_PROJECT,
// LANGSMITH_TRACING) as LangSmith's OTLP endpoint, and
// AGENTHOST_TRACE_DATABASE_SPANS.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace agenthost::telemetry {

using KeyValues = std::vector<std::pair<std::string, std::string>>;

struct TraceSettings {
    bool disabled = false;
    // The full URL spans are POSTed to ("" : tracing is off).
    std::string traces_url;
    KeyValues headers;
    std::string service_name = "agenthost";
    KeyValues resource_attributes;
    std::string sampler;  // "" : parentbased_always_on
    std::string sampler_arg;
    size_t max_queue_size = 2048;
    size_t max_export_batch_size = 512;
    long long schedule_delay_ms = 5000;
    long long export_timeout_ms = 10000;
    // A span per group commit of the store (roots of their own traces).
    bool database_spans = true;

    bool active() const { return !disabled && !traces_url.empty(); }
};

// The value of an environment variable, or nullopt when unset.
using EnvLookup = std::function<std::optional<std::string>(const char* name)>;
EnvLookup process_environment();

// Overlays the OTEL_* variables on `settings`. Unusable values are skipped
// with a sentence in `problems`.
void apply_otel_environment(TraceSettings& settings, const EnvLookup& env, std::vector<std::string>& problems);

// "k1=v1,k2=v2" (OTEL_EXPORTER_OTLP_HEADERS, OTEL_RESOURCE_ATTRIBUTES):
// keys and values trimmed, values percent-decoded; an entry without '=' or
// with an empty key is skipped.
KeyValues parse_key_values(const std::string& text);

// OTEL_EXPORTER_OTLP_ENDPOINT is a base: traces go to <base>/v1/traces.
std::string traces_url_from_base(const std::string& base);

}  // namespace agenthost::telemetry
