// A Grafana dashboard for the service: RED (rate, errors, duration), the
// SLO (availability, error budget left, burn rate) and saturation. Every
// query reads the service's own metrics, so it works without the recording
// rules loaded.
#include <rapidjson/prettywriter.h>
#include <rapidjson/stringbuffer.h>

#include "rules.hpp"

namespace monitoring {
namespace {

using Value = rapidjson::Value;

class DashboardBuilder {
  public:
    explicit DashboardBuilder(const ServiceSpec& spec) : spec_(spec), document_(rapidjson::kObjectType) {}

    std::string build() {
        auto& a = allocator();
        const std::string job = selector(spec_);
        const auto& m = spec_.metrics;
        const std::string window = std::to_string(spec_.slo_window_days) + "d";
        const std::string budget = number_text(spec_.error_budget());
        const std::string rate_all = "sum(rate(" + m.requests + job + "[5m]))";

        document_.AddMember("uid", text(spec_.service.substr(0, 36) + "-slo"), a);
        document_.AddMember("title", text(spec_.service + " — RED and SLO"), a);
        Value tags(rapidjson::kArrayType);
        tags.PushBack(text("slo"), a).PushBack(text(spec_.service), a);
        document_.AddMember("tags", tags, a);
        document_.AddMember("timezone", "utc", a);
        document_.AddMember("schemaVersion", 39, a);
        document_.AddMember("version", 1, a);
        document_.AddMember("editable", true, a);
        document_.AddMember("refresh", "1m", a);
        Value time(rapidjson::kObjectType);
        time.AddMember("from", "now-6h", a).AddMember("to", "now", a);
        document_.AddMember("time", time, a);
        document_.AddMember("templating", templating(), a);
        panels_.SetArray();

        // Row 1: RED.
        panel("timeseries", "Request rate", "reqps", 0, 0, 8,
              {{"sum by (" + m.error_label + ") (rate(" + m.requests + job + "[5m]))", "{{" + m.error_label + "}}"}});
        panel("timeseries", "Error ratio", "percentunit", 8, 0, 8, {{error_ratio_expr(spec_, "5m"), "errors / requests"}});
        std::vector<std::pair<std::string, std::string>> latency;
        for (const char* q : {"0.5", "0.9", "0.99"})
            latency.push_back({"histogram_quantile(" + std::string(q) + ", sum by (le) (rate(" + m.duration +
                                   "_bucket" + job + "[5m])))",
                               std::string("p") + (q + 2)});
        panel("timeseries", "Latency (objective p99 " + number_text(spec_.latency_p99_seconds * 1000) + " ms)", "s",
              16, 0, 8, latency);
        // Row 2: the SLO.
        const std::string ratio_window = error_ratio_expr(spec_, window);
        panel("stat", "Availability over " + window + " (SLO " + number_text(spec_.availability) + "%)",
              "percentunit", 0, 8, 6, {{"1 - (" + ratio_window + ")", "availability"}});
        panel("gauge", "Error budget left (" + window + ")", "percentunit", 6, 8, 6,
              {{"1 - (" + ratio_window + ") / " + budget, "budget left"}});
        panel("timeseries", "Burn rate (1 = budget lasts exactly " + window + ")", "none", 12, 8, 12,
              {{"(" + error_ratio_expr(spec_, "1h") + ") / " + budget, "1h"},
               {"(" + error_ratio_expr(spec_, "6h") + ") / " + budget, "6h"}});
        panel("timeseries", "Saturation (" + m.saturation_used + " / " + m.saturation_limit + ")", "percentunit", 0,
              16, 12, {{saturation_expr(spec_), "in use"}});
        panel("timeseries", "Throughput vs failures", "reqps", 12, 16, 12,
              {{rate_all, "all"},
               {"sum(rate(" + m.requests + selector(spec_, m.error_label + "=~\"" + m.error_regex + "\"") + "[5m]))",
                "failed"}});
        document_.AddMember("panels", panels_, a);

        rapidjson::StringBuffer buffer;
        rapidjson::PrettyWriter<rapidjson::StringBuffer> writer(buffer);
        writer.SetIndent(' ', 2);
        document_.Accept(writer);
        return std::string(buffer.GetString(), buffer.GetSize()) + "\n";
    }

  private:
    rapidjson::Document::AllocatorType& allocator() { return document_.GetAllocator(); }
    Value text(const std::string& value) {
        return Value(value.c_str(), static_cast<rapidjson::SizeType>(value.size()), allocator());
    }
    Value datasource() {
        Value source(rapidjson::kObjectType);
        source.AddMember("type", "prometheus", allocator()).AddMember("uid", "${datasource}", allocator());
        return source;
    }

    Value templating() {
        auto& a = allocator();
        Value variable(rapidjson::kObjectType);
        variable.AddMember("name", "datasource", a).AddMember("type", "datasource", a);
        variable.AddMember("query", "prometheus", a).AddMember("label", "Data source", a);
        Value list(rapidjson::kArrayType);
        list.PushBack(variable, a);
        Value templating(rapidjson::kObjectType);
        templating.AddMember("list", list, a);
        return templating;
    }

    void panel(const char* type, const std::string& title, const char* unit, int x, int y, int width,
               const std::vector<std::pair<std::string, std::string>>& queries) {
        auto& a = allocator();
        Value panel(rapidjson::kObjectType);
        panel.AddMember("id", ++next_id_, a);
        panel.AddMember("type", Value(type, a), a);
        panel.AddMember("title", text(title), a);
        panel.AddMember("datasource", datasource(), a);
        Value grid(rapidjson::kObjectType);
        grid.AddMember("h", 8, a).AddMember("w", width, a).AddMember("x", x, a).AddMember("y", y, a);
        panel.AddMember("gridPos", grid, a);
        Value defaults(rapidjson::kObjectType);
        defaults.AddMember("unit", Value(unit, a), a);
        Value field_config(rapidjson::kObjectType);
        field_config.AddMember("defaults", defaults, a).AddMember("overrides", Value(rapidjson::kArrayType), a);
        panel.AddMember("fieldConfig", field_config, a);
        Value targets(rapidjson::kArrayType);
        char ref = 'A';
        for (const auto& [expr, legend] : queries) {
            Value target(rapidjson::kObjectType);
            target.AddMember("refId", text(std::string(1, ref++)), a);
            target.AddMember("datasource", datasource(), a);
            target.AddMember("expr", text(expr), a);
            target.AddMember("legendFormat", text(legend), a);
            targets.PushBack(target, a);
        }
        panel.AddMember("targets", targets, a);
        panels_.PushBack(panel, a);
    }

    const ServiceSpec& spec_;
    rapidjson::Document document_;
    Value panels_;
    int next_id_ = 0;
};

}  // namespace

std::string dashboard_json(const ServiceSpec& spec) { return DashboardBuilder(spec).build(); }

}  // namespace monitoring
