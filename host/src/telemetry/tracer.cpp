#include "telemetry/tracer.hpp"

#include "util/log.hpp"

#include <memory>
#include <mutex>
#include <unistd.h>

namespace agenthost::telemetry {

namespace detail {
std::atomic<bool> g_tracing_enabled{false};
std::atomic<bool> g_database_spans{false};
}  // namespace detail

namespace {

// Set before tracing is turned on and left in place afterwards (a span
// ending on another thread while the host stops may still reach it): the
// exporter then drops what it is given.
Sampler g_sampler;
std::unique_ptr<SpanExporter> g_exporter;
std::atomic<SpanExporter*> g_queue{nullptr};
std::mutex g_lifecycle;

std::vector<Attribute> resource_of(const TraceSettings& settings, const std::string& version) {
    std::vector<Attribute> resource = {{"service.name", settings.service_name},
                                       {"service.version", version},
                                       {"telemetry.sdk.name", std::string("agenthost")},
                                       {"telemetry.sdk.language", std::string("cpp")},
                                       {"telemetry.sdk.version", version}};
    char name[256] = {0};
    if (gethostname(name, sizeof name - 1) == 0 && name[0] != 0) resource.push_back({"host.name", std::string(name)});
    resource.push_back({"process.pid", static_cast<long long>(getpid())});
    for (const auto& [key, value] : settings.resource_attributes) {
        bool replaced = false;
        for (Attribute& existing : resource) {
            if (existing.key == key) {
                existing.value = value;
                replaced = true;
            }
        }
        if (!replaced) resource.push_back({key, value});
    }
    return resource;
}

}  // namespace

void start_tracing(const TraceSettings& settings, const std::string& version) {
    std::lock_guard<std::mutex> lock(g_lifecycle);
    if (g_exporter || !settings.active()) {
        if (settings.disabled) log::info("tracing is disabled (OTEL_SDK_DISABLED or telemetry.enabled)");
        return;
    }
    std::string problem;
    g_sampler = Sampler::parse(settings.sampler, settings.sampler_arg, problem);
    if (!problem.empty()) log::warn(problem);
    g_exporter = std::make_unique<SpanExporter>(settings, resource_of(settings, version), version);
    g_exporter->start();
    g_queue.store(g_exporter.get());
    detail::g_database_spans.store(settings.database_spans);
    detail::g_tracing_enabled.store(true);
    std::string headers;
    for (const auto& [name, value] : settings.headers) headers += (headers.empty() ? "" : ",") + name;
    log::info("tracing to an OTLP collector", {{"endpoint", settings.traces_url},
                                               {"headers", headers},
                                               {"service_name", settings.service_name},
                                               {"sampler", g_sampler.describe()}});
}

void stop_tracing() {
    std::lock_guard<std::mutex> lock(g_lifecycle);
    detail::g_tracing_enabled.store(false);
    if (!g_exporter) return;
    g_exporter->stop();
    ExportStats stats = g_exporter->stats();
    log::info("tracing stopped", {{"exported_spans", static_cast<long long>(stats.exported)},
                                  {"dropped_spans", static_cast<long long>(stats.dropped)}});
}

const Sampler& tracer_sampler() { return g_sampler; }

void submit_span(SpanData span) {
    // Set once, before tracing is turned on, and never freed while the
    // process runs.
    if (SpanExporter* queue = g_queue.load(std::memory_order_acquire)) queue->enqueue(std::move(span));
}

ExportStats trace_export_stats() {
    SpanExporter* queue = g_queue.load(std::memory_order_acquire);
    return queue != nullptr ? queue->stats() : ExportStats{};
}

}  // namespace agenthost::telemetry
