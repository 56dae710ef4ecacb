// The monitoring agent: SDK glue around generate() and the analyses.
#include <agenthost/agent.hpp>

#include <string>

#include "monitoring.hpp"

namespace {

using agenthost::json::string;

rapidjson::Value strings(const std::vector<std::string>& values, rapidjson::Document& owner) {
    rapidjson::Value list(rapidjson::kArrayType);
    for (const auto& value : values) list.PushBack(string(value, owner), owner.GetAllocator());
    return list;
}

class MonitoringAgent final : public agenthost::Agent {
  public:
    using agenthost::Agent::Agent;

    rapidjson::Document invoke(agenthost::Run& run) override {
        const rapidjson::Value& context = run.context();
        try {
            const std::string mode = devkit::string_field(context, "mode", "context.mode").value_or("generate");
            const monitoring::ServiceSpec spec = monitoring::read_spec(context, run.task());
            run.throw_if_cancelled();
            if (mode == "generate") return generate(run, spec);
            if (mode == "analyze") return analyze(run, context, spec);
            throw agenthost::InvalidInput("context.mode must be generate or analyze, not '" + mode + "'");
        } catch (const monitoring::InputError& error) {
            throw agenthost::InvalidInput(error.what());
        }
    }

  private:
    static rapidjson::Document generate(agenthost::Run& run, const monitoring::ServiceSpec& spec) {
        const monitoring::Generated generated = monitoring::generate(spec);
        for (const auto& artifact : generated.artifacts) run.progress("generated " + artifact.path);
        rapidjson::Document result(rapidjson::kObjectType);
        auto& allocator = result.GetAllocator();
        result.AddMember("mode", "generate", allocator);
        result.AddMember("service", string(spec.service, result), allocator);
        result.AddMember("artifacts", devkit::artifacts_json(generated.artifacts, result), allocator);
        result.AddMember("alerts", strings(generated.alerts, result), allocator);
        rapidjson::Value windows(rapidjson::kArrayType);
        for (const auto& window : monitoring::burn_windows(spec.slo_window_days)) {
            rapidjson::Value entry(rapidjson::kObjectType);
            entry.AddMember("long_window", string(window.long_window, result), allocator);
            entry.AddMember("short_window", string(window.short_window, result), allocator);
            entry.AddMember("burn_rate", window.factor, allocator);
            entry.AddMember("error_ratio_threshold", window.threshold(spec), allocator);
            entry.AddMember("severity", string(window.severity, result), allocator);
            windows.PushBack(entry, allocator);
        }
        result.AddMember("burn_rate_alerts", windows, allocator);
        result.AddMember("summary", string(generated.summary, result), allocator);
        return result;
    }

    static rapidjson::Document analyze(agenthost::Run& run, const rapidjson::Value& context,
                                       const monitoring::ServiceSpec& spec) {
        monitoring::Analysis analysis;
        if (auto sample = devkit::string_field(context, "metrics_sample", "context.metrics_sample")) {
            analysis = monitoring::analyse_exposition(monitoring::parse_exposition(*sample, "context.metrics_sample"), spec);
        } else if (const rapidjson::Value* series = devkit::field(context, "series")) {
            analysis = monitoring::analyse_series(monitoring::parse_series(*series, "context.series"), spec);
        } else {
            throw agenthost::InvalidInput(
                "analyze mode needs context.metrics_sample (a Prometheus text exposition) or context.series (JSON time "
                "series as the Prometheus query API returns them)");
        }
        run.progress(analysis.summary, 1.0);
        rapidjson::Document result(rapidjson::kObjectType);
        auto& allocator = result.GetAllocator();
        rapidjson::Value anomalies(rapidjson::kArrayType);
        for (const auto& anomaly : analysis.anomalies) {
            rapidjson::Value entry(rapidjson::kObjectType);
            entry.AddMember("type", string(anomaly.type, result), allocator);
            entry.AddMember("severity", string(anomaly.severity, result), allocator);
            entry.AddMember("metric", string(anomaly.metric, result), allocator);
            entry.AddMember("message", string(anomaly.message, result), allocator);
            entry.AddMember("evidence", strings(anomaly.evidence, result), allocator);
            anomalies.PushBack(entry, allocator);
        }
        result.AddMember("mode", "analyze", allocator);
        result.AddMember("service", string(spec.service, result), allocator);
        result.AddMember("anomalies", anomalies, allocator);
        result.AddMember("analysed", static_cast<uint64_t>(analysis.series), allocator);
        result.AddMember("summary", string(analysis.summary, result), allocator);
        return result;
    }
};

}  // namespace

AGENTHOST_AGENT(MonitoringAgent, "monitoring_agent", "0.1.0")
