// W3C Trace Context (traceparent) and the span context this thread works
// under. The context is what crosses boundaries: an incoming request's
// header, a stored run, an outgoing call to an LLM provider or a webhook.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace agenthost::telemetry {

using TraceId = std::array<std::uint8_t, 16>;
using SpanId = std::array<std::uint8_t, 8>;

struct TraceContext {
    TraceId trace_id{};
    SpanId span_id{};
    bool sampled = false;

    // Both ids non-zero (the W3C rule for a usable context).
    bool valid() const;
    std::string trace_id_hex() const;
    std::string span_id_hex() const;
    // "00-<trace id>-<span id>-<flags>".
    std::string traceparent() const;
};

// A traceparent header value, or nullopt when it is malformed in any way
// (wrong length, upper-case or non-hex digits, all-zero ids, version ff).
// A version above 00 is read as 00 (its extra fields ignored), as the
// specification asks. Never throws.
std::optional<TraceContext> parse_traceparent(std::string_view header);

std::string to_hex(const std::uint8_t* bytes, size_t length);

// Random ids, never all zero.
TraceId new_trace_id();
SpanId new_span_id();

// The context of the span this thread is working for (an HTTP request
// being dispatched, a run's agent invoke, an LLM call), or null.
const TraceContext* current_context();
// traceparent of current_context(), or "" when there is none.
std::string current_traceparent();

// Makes `context` this thread's current one until destroyed (scopes nest).
// An invalid context makes no change.
class ScopedContext {
  public:
    explicit ScopedContext(const TraceContext& context);
    ~ScopedContext();
    ScopedContext(const ScopedContext&) = delete;
    ScopedContext& operator=(const ScopedContext&) = delete;

  private:
    const TraceContext* previous_;
    bool active_;
};

}  // namespace agenthost::telemetry
