// The process-wide tracing switch: off until start_tracing with settings
// that name a collector. Everything that records spans asks
// tracing_enabled() first, one relaxed atomic load, so tracing costs nothing
// when it is off.
#pragma once

#include "telemetry/sampler.hpp"
#include "telemetry/span.hpp"
#include "telemetry/span_exporter.hpp"
#include "telemetry/trace_settings.hpp"

#include <atomic>
#include <string>

namespace agenthost::telemetry {

namespace detail {
extern std::atomic<bool> g_tracing_enabled;
extern std::atomic<bool> g_database_spans;
}  // namespace detail

// Acquire: a thread that sees tracing on also sees the sampler and exporter
// set before it was turned on (free on x86).
inline bool tracing_enabled() { return detail::g_tracing_enabled.load(std::memory_order_acquire); }
inline bool database_spans_enabled() {
    return tracing_enabled() && detail::g_database_spans.load(std::memory_order_relaxed);
}

// Starts the exporter and turns tracing on (when `settings.active()`);
// logs where spans go. `version` is the host's, sent as service.version.
void start_tracing(const TraceSettings& settings, const std::string& version);
// Turns tracing off, sends what is queued and stops the exporter.
void stop_tracing();

// Only for span.cpp: the sampler in force and the queue a finished span
// goes to.
const Sampler& tracer_sampler();
void submit_span(SpanData span);

ExportStats trace_export_stats();

}  // namespace agenthost::telemetry
