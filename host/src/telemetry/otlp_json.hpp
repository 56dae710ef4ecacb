// Spans as an OTLP/HTTP JSON ExportTraceServiceRequest (the protobuf's JSON
// mapping: ids in lower-case hex, 64-bit integers as strings, enums as
// numbers), the body of POST /v1/traces.
#pragma once

#include "telemetry/span.hpp"

#include <string>
#include <vector>

namespace agenthost::telemetry {

// `resource`: service.name and the other resource attributes, once for all
// the spans; `scope_version`: the host's version, as the instrumentation
// scope's.
std::string encode_traces(const std::vector<Attribute>& resource, const std::string& scope_version,
                          const std::vector<SpanData>& spans);

}  // namespace agenthost::telemetry
