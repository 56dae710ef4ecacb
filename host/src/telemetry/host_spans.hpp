// The spans the host records, one helper per kind of work, so each hook in
// the HTTP server, the run engine, the LLM client, the webhook sender and
// the store stays a line or two. Attribute names follow the OpenTelemetry
// semantic conventions (HTTP, GenAI, database) where one exists and use the
// agenthost.* prefix otherwise.
#pragma once

#include "telemetry/span.hpp"

#include <chrono>
#include <string>

namespace agenthost::telemetry {

// The server span of one HTTP request, under the caller's `traceparent`
// header when it is well-formed (a malformed one is ignored: a new trace).
// Named by its method until the route is known.
Span start_http_span(const std::string& traceparent_header, const std::string& method, const std::string& path);
// The route template that matched: the span becomes "METHOD /runs/:id".
void set_http_route(Span& span, const std::string& method, const std::string& route);
void end_http_span(Span& span, int status);

// A run's spans on the worker that executes it: "run <agent>" from its
// acceptance (created_at) to its end, "queue_wait" until this attempt
// started, and "invoke_agent <agent>" around the plugin, which is this
// thread's current context meanwhile (its LLM calls hang under it). The
// trace is the one stored with the run (`traceparent`, the accepting
// request's span), so it continues on whichever host runs it.
class RunSpans {
  public:
    RunSpans(const std::string& traceparent, const std::string& run_id, const std::string& agent,
             const std::string& thread_id, int attempt, long long created_at_ms, long long began_ms);
    // The invoke span's context, for ScopedContext around the plugin call.
    const TraceContext& invoke_context() const { return invoke_.context(); }
    // Ends the invoke and run spans with the run's outcome.
    void finish(const std::string& status, const std::string& error_type, const std::string& error);

  private:
    Span run_, invoke_;
};

// An LLM call ("chat <model>"), a client span under this thread's current
// context; it becomes the current context while alive so the provider's
// request carries it in traceparent.
class LlmSpan {
  public:
    LlmSpan(const std::string& system, const std::string& model, bool stream);
    void succeeded(const std::string& response_model, long long input_tokens, long long output_tokens);
    void failed(const std::string& error);

  private:
    Span span_;
    ScopedContext scope_;
};

// One webhook delivery attempt under the trace stored with its run.
Span start_webhook_span(const std::string& traceparent, const std::string& event_type, const std::string& delivery_id,
                        int attempt);
void end_webhook_span(Span& span, int status_code, const std::string& outcome, const std::string& error);

// A group commit of the store: the root of a trace of its own (the writes
// in it come from many requests).
void record_db_batch(const char* system, size_t writes, std::chrono::steady_clock::time_point started, bool committed);

// `headers` gains a traceparent header for this thread's current context
// (none when tracing is off or no span is current).
template <typename Headers>
void add_traceparent(Headers& headers) {
    if (const TraceContext* context = current_context()) headers.emplace_back("traceparent", context->traceparent());
}

}  // namespace agenthost::telemetry
