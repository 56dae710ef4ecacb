#include "telemetry/span.hpp"

#include "telemetry/tracer.hpp"

#include <chrono>

namespace agenthost::telemetry {

long long now_unix_ns() {
    return std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::system_clock::now().time_since_epoch())
        .count();
}

Span& Span::operator=(Span&& other) noexcept {
    if (this != &other) {
        end();
        context_ = other.context_;
        data_ = std::move(other.data_);
    }
    return *this;
}

Span Span::start(std::string name, SpanKind kind, const TraceContext* parent, long long start_unix_ns) {
    Span span;
    if (!tracing_enabled()) return span;
    bool has_parent = parent != nullptr && parent->valid();
    span.context_.trace_id = has_parent ? parent->trace_id : new_trace_id();
    span.context_.span_id = new_span_id();
    span.context_.sampled = tracer_sampler().sample(has_parent ? parent : nullptr, span.context_.trace_id);
    if (!span.context_.sampled) return span;
    span.data_ = std::make_unique<SpanData>();
    span.data_->context = span.context_;
    if (has_parent) {
        span.data_->parent_span_id = parent->span_id;
        span.data_->has_parent = true;
    }
    span.data_->name = std::move(name);
    span.data_->kind = kind;
    span.data_->start_unix_ns = start_unix_ns > 0 ? start_unix_ns : now_unix_ns();
    return span;
}

void Span::set_name(std::string name) {
    if (data_) data_->name = std::move(name);
}
void Span::set_string(std::string key, std::string value) {
    if (data_) data_->attributes.push_back({std::move(key), std::move(value)});
}
void Span::set_int(std::string key, long long value) {
    if (data_) data_->attributes.push_back({std::move(key), value});
}
void Span::set_double(std::string key, double value) {
    if (data_) data_->attributes.push_back({std::move(key), value});
}
void Span::set_bool(std::string key, bool value) {
    if (data_) data_->attributes.push_back({std::move(key), value});
}
void Span::set_error(std::string message) {
    if (!data_) return;
    data_->status_code = 2;
    data_->status_message = std::move(message);
}

void Span::end(long long end_unix_ns) {
    if (!data_) return;
    data_->end_unix_ns = end_unix_ns > 0 ? end_unix_ns : now_unix_ns();
    if (data_->end_unix_ns < data_->start_unix_ns) data_->end_unix_ns = data_->start_unix_ns;
    submit_span(std::move(*data_));
    data_.reset();
}

}  // namespace agenthost::telemetry
