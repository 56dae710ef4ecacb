// The tracing headers a client or an operator controls: traceparent on
// every request, and the k=v lists of OTEL_EXPORTER_OTLP_HEADERS and
// OTEL_RESOURCE_ATTRIBUTES.
#include "telemetry/trace_context.hpp"
#include "telemetry/trace_settings.hpp"

#include <cstdint>
#include <cstdlib>
#include <string>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    std::string text(reinterpret_cast<const char*>(data), size);
    if (auto context = agenthost::telemetry::parse_traceparent(text)) {
        // What is accepted goes out again as a well-formed header.
        std::string again = context->traceparent();
        auto reparsed = agenthost::telemetry::parse_traceparent(again);
        if (!reparsed || reparsed->traceparent() != again) std::abort();
    }
    for (const auto& [key, value] : agenthost::telemetry::parse_key_values(text)) {
        if (key.empty() || key.find_first_of("\r\n:") != std::string::npos) std::abort();
        if (value.find_first_of("\r\n") != std::string::npos) std::abort();
    }
    return 0;
}
