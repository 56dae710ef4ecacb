#include "telemetry/host_spans.hpp"

#include "telemetry/tracer.hpp"

namespace agenthost::telemetry {
namespace {

long long unix_ns_of_ms(long long ms) { return ms * 1000000LL; }

}  // namespace

Span start_http_span(const std::string& traceparent_header, const std::string& method, const std::string& path) {
    if (!tracing_enabled()) return Span();
    std::optional<TraceContext> caller;
    if (!traceparent_header.empty()) caller = parse_traceparent(traceparent_header);
    Span span = Span::start(method, SpanKind::server, caller ? &*caller : nullptr);
    span.set_string("http.request.method", method);
    span.set_string("url.path", path);
    return span;
}

void set_http_route(Span& span, const std::string& method, const std::string& route) {
    if (!span.recording()) return;
    span.set_name(method + " " + route);
    span.set_string("http.route", route);
}

void end_http_span(Span& span, int status) {
    if (!span.recording()) return;
    span.set_int("http.response.status_code", status);
    // Server spans: only a 5xx is the server's error.
    if (status >= 500) span.set_error("HTTP " + std::to_string(status));
    span.end();
}

RunSpans::RunSpans(const std::string& traceparent, const std::string& run_id, const std::string& agent,
                   const std::string& thread_id, int attempt, long long created_at_ms, long long began_ms) {
    if (!tracing_enabled()) return;
    std::optional<TraceContext> accepted;
    if (!traceparent.empty()) accepted = parse_traceparent(traceparent);
    run_ = Span::start("run " + agent, SpanKind::internal, accepted ? &*accepted : nullptr,
                       unix_ns_of_ms(created_at_ms));
    run_.set_string("agenthost.run.id", run_id);
    run_.set_string("agenthost.agent", agent);
    run_.set_string("agenthost.thread.id", thread_id);
    run_.set_int("agenthost.run.attempt", attempt);
    run_.set_int("agenthost.run.queue_wait_ms", std::max(0LL, began_ms - created_at_ms));
    {
        Span wait = Span::start("queue_wait", SpanKind::internal, &run_.context(), unix_ns_of_ms(created_at_ms));
        wait.set_string("agenthost.run.id", run_id);
        wait.end(unix_ns_of_ms(std::max(began_ms, created_at_ms)));
    }
    invoke_ = Span::start("invoke_agent " + agent, SpanKind::internal, &run_.context(), unix_ns_of_ms(began_ms));
    invoke_.set_string("gen_ai.operation.name", "invoke_agent");
    invoke_.set_string("gen_ai.agent.name", agent);
    invoke_.set_string("agenthost.run.id", run_id);
}

void RunSpans::finish(const std::string& status, const std::string& error_type, const std::string& error) {
    if (!run_.recording() && !invoke_.recording()) return;
    invoke_.set_string("agenthost.run.status", status);
    run_.set_string("agenthost.run.status", status);
    if (status == "failed") {
        std::string message = error_type.empty() ? error : error_type + ": " + error;
        invoke_.set_string("error.type", error_type.empty() ? "agent_error" : error_type);
        invoke_.set_error(message);
        run_.set_error(message);
    }
    invoke_.end();
    run_.end();
}

LlmSpan::LlmSpan(const std::string& system, const std::string& model, bool stream)
    : span_(Span::start("chat " + model, SpanKind::client, current_context())), scope_(span_.context()) {
    if (!span_.recording()) return;
    span_.set_string("gen_ai.operation.name", "chat");
    span_.set_string("gen_ai.system", system);
    span_.set_string("gen_ai.request.model", model);
    span_.set_bool("agenthost.llm.stream", stream);
}

void LlmSpan::succeeded(const std::string& response_model, long long input_tokens, long long output_tokens) {
    if (!span_.recording()) return;
    if (!response_model.empty()) span_.set_string("gen_ai.response.model", response_model);
    span_.set_int("gen_ai.usage.input_tokens", input_tokens);
    span_.set_int("gen_ai.usage.output_tokens", output_tokens);
}

void LlmSpan::failed(const std::string& error) {
    if (!span_.recording()) return;
    span_.set_string("error.type", "provider_error");
    span_.set_error(error);
}

Span start_webhook_span(const std::string& traceparent, const std::string& event_type, const std::string& delivery_id,
                        int attempt) {
    if (!tracing_enabled()) return Span();
    std::optional<TraceContext> run;
    if (!traceparent.empty()) run = parse_traceparent(traceparent);
    Span span = Span::start("webhook " + event_type, SpanKind::client, run ? &*run : nullptr);
    span.set_string("http.request.method", "POST");
    span.set_string("agenthost.webhook.event", event_type);
    span.set_string("agenthost.webhook.delivery_id", delivery_id);
    span.set_int("agenthost.webhook.attempt", attempt);
    return span;
}

void end_webhook_span(Span& span, int status_code, const std::string& outcome, const std::string& error) {
    if (!span.recording()) return;
    if (status_code > 0) span.set_int("http.response.status_code", status_code);
    span.set_string("agenthost.webhook.outcome", outcome);
    if (outcome != "delivered") span.set_error(error.empty() ? outcome : error);
    span.end();
}

void record_db_batch(const char* system, size_t writes, std::chrono::steady_clock::time_point started, bool committed) {
    if (!database_spans_enabled()) return;
    long long took_ns =
        std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now() - started).count();
    long long now = now_unix_ns();
    Span span = Span::start("db.commit", SpanKind::client, nullptr, now - took_ns);
    span.set_string("db.system", system);
    span.set_string("db.operation.name", "COMMIT");
    span.set_int("db.operation.batch.size", static_cast<long long>(writes));
    if (!committed) span.set_error("the database refused the group commit");
    span.end(now);
}

}  // namespace agenthost::telemetry
