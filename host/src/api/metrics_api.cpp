#include "api/metrics_api.hpp"

#include "metrics/host_metrics.hpp"
#include "telemetry/tracer.hpp"

namespace agenthost::api {

void add_metrics_routes(http::Router& router, ApiContext& context) {
    router.get("/metrics", [&context](const http::HttpRequest&, http::Responder responder) {
        using metrics::ScrapeGauge;
        std::vector<ScrapeGauge> gauges;
        gauges.push_back({"agenthost_workers", "Worker threads, and how many are executing a run.", {"state"}, [&] {
                              return std::vector<std::pair<metrics::Labels, double>>{
                                  {{"total"}, static_cast<double>(context.workers.threads())},
                                  {{"busy"}, static_cast<double>(context.workers.busy())}};
                          }});
        gauges.push_back({"agenthost_worker_queue_depth", "Runs given to this host's workers and not yet started.", {},
                          [&] {
                              return std::vector<std::pair<metrics::Labels, double>>{
                                  {{}, static_cast<double>(context.workers.queued())}};
                          }});
        gauges.push_back({"agenthost_streams_open", "Server-sent event and WebSocket clients connected.", {}, [&] {
                              return std::vector<std::pair<metrics::Labels, double>>{
                                  {{}, static_cast<double>(context.streams.open_streams())}};
                          }});
        gauges.push_back({"agenthost_plugins", "Plugins by state.", {"state"}, [&] {
                              std::vector<std::pair<metrics::Labels, double>> rows;
                              for (auto [state, name] : {std::pair{plugins::PluginState::loaded, "loaded"},
                                                         std::pair{plugins::PluginState::failed, "failed"},
                                                         std::pair{plugins::PluginState::disabled, "disabled"}})
                                  rows.push_back({{name}, static_cast<double>(context.registry.count(state))});
                              return rows;
                          }});
        gauges.push_back({"agenthost_plugin_runner_crashes_total",
                          "Deaths of an agent's runner process (process isolation), by agent.",
                          {"agent"},
                          [&] {
                              std::vector<std::pair<metrics::Labels, double>> rows;
                              for (const auto& agent : context.registry.loaded_agents())
                                  rows.push_back({{agent->name()}, static_cast<double>(agent->runner_crashes())});
                              return rows;
                          },
                          "counter"});
        // Trace export (README, "Traces"): all zero while tracing is off.
        gauges.push_back({"agenthost_trace_spans_total",
                          "Spans by export outcome: exported (the collector took them), dropped (queue full, or "
                          "their batch failed).",
                          {"outcome"},
                          [] {
                              telemetry::ExportStats stats = telemetry::trace_export_stats();
                              return std::vector<std::pair<metrics::Labels, double>>{
                                  {{"exported"}, static_cast<double>(stats.exported)},
                                  {{"dropped"}, static_cast<double>(stats.dropped)}};
                          },
                          "counter"});
        gauges.push_back({"agenthost_trace_export_failures_total", "Span batches the collector did not take.", {},
                          [] {
                              return std::vector<std::pair<metrics::Labels, double>>{
                                  {{}, static_cast<double>(telemetry::trace_export_stats().failed_batches)}};
                          },
                          "counter"});
        http::HttpResponse response;
        response.body = metrics::render_metrics(gauges, context.version);
        response.content_type = "text/plain; version=0.0.4; charset=utf-8";
        responder.send(std::move(response));
    });
}

}  // namespace agenthost::api
