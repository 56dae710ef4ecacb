// One span: a named, timed piece of work in a trace, with attributes. A span
// is recorded (queued for export when it ends) only while tracing is on and
// the sampler chose its trace; with tracing off, starting one reads one
// atomic flag and allocates nothing.
#pragma once

#include "telemetry/trace_context.hpp"

#include <memory>
#include <string>
#include <variant>
#include <vector>

namespace agenthost::telemetry {

// OTLP's SpanKind numbers.
enum class SpanKind { internal = 1, server = 2, client = 3, producer = 4, consumer = 5 };

struct Attribute {
    std::string key;
    std::variant<std::string, long long, double, bool> value;
};

// What is exported for a finished span.
struct SpanData {
    TraceContext context;
    SpanId parent_span_id{};
    bool has_parent = false;
    std::string name;
    SpanKind kind = SpanKind::internal;
    long long start_unix_ns = 0;
    long long end_unix_ns = 0;
    std::vector<Attribute> attributes;
    int status_code = 0;  // OTLP: 0 unset, 1 ok, 2 error
    std::string status_message;
};

long long now_unix_ns();

class Span {
  public:
    Span() = default;  // inert
    Span(Span&& other) noexcept = default;
    Span& operator=(Span&& other) noexcept;
    Span(const Span&) = delete;
    Span& operator=(const Span&) = delete;
    ~Span() { end(); }

    // A span under `parent` (null: the root of a new trace), started at
    // `start_unix_ns` (0: now). While tracing is on it has a context even
    // when not sampled, so callees and outgoing calls carry the caller's
    // decision; while tracing is off it has none.
    static Span start(std::string name, SpanKind kind, const TraceContext* parent, long long start_unix_ns = 0);

    bool recording() const { return data_ != nullptr; }
    // Invalid when tracing is off.
    const TraceContext& context() const { return context_; }

    void set_name(std::string name);
    void set_string(std::string key, std::string value);
    void set_int(std::string key, long long value);
    void set_double(std::string key, double value);
    void set_bool(std::string key, bool value);
    // Status ERROR with `message`.
    void set_error(std::string message);

    // Queues the span for export (once; later calls do nothing).
    void end(long long end_unix_ns = 0);

  private:
    TraceContext context_;
    std::unique_ptr<SpanData> data_;
};

}  // namespace agenthost::telemetry
