#include "result_json.hpp"

namespace incident {
namespace {

constexpr std::size_t kMaxTemplates = 50;

class Writer {
  public:
    explicit Writer(rapidjson::Document& owner) : owner_(owner) {}
    rapidjson::Value text(const std::string& value) {
        return rapidjson::Value(value.c_str(), static_cast<rapidjson::SizeType>(value.size()), owner_.GetAllocator());
    }
    rapidjson::Value time(double value) { return std::isnan(value) ? rapidjson::Value() : text(format_time(value)); }
    rapidjson::Value texts(const std::vector<std::string>& values) {
        rapidjson::Value list(rapidjson::kArrayType);
        for (const auto& value : values) list.PushBack(text(value), owner_.GetAllocator());
        return list;
    }
    rapidjson::Document::AllocatorType& allocator() { return owner_.GetAllocator(); }

  private:
    rapidjson::Document& owner_;
};

}  // namespace

void add_analysis(const Analysis& analysis, rapidjson::Document& result) {
    Writer w(result);
    auto& a = w.allocator();
    result.AddMember("lines", static_cast<uint64_t>(analysis.lines), a);
    rapidjson::Value templates(rapidjson::kArrayType);
    for (std::size_t i = 0; i < analysis.clusters.size() && i < kMaxTemplates; ++i) {
        const Cluster& c = analysis.clusters[i];
        rapidjson::Value entry(rapidjson::kObjectType);
        entry.AddMember("template", w.text(c.template_text()), a);
        entry.AddMember("count", static_cast<uint64_t>(c.count), a);
        entry.AddMember("errors", static_cast<uint64_t>(c.errors), a);
        entry.AddMember("level", w.text(level_name(c.worst)), a);
        entry.AddMember("first_seen", w.time(c.first_seen), a);
        entry.AddMember("last_seen", w.time(c.last_seen), a);
        entry.AddMember("first_line", static_cast<uint64_t>(c.first_line), a);
        entry.AddMember("last_line", static_cast<uint64_t>(c.last_line), a);
        templates.PushBack(entry, a);
    }
    result.AddMember("template_count", static_cast<uint64_t>(analysis.clusters.size()), a);
    result.AddMember("templates", templates, a);

    rapidjson::Value first_error;
    if (analysis.first_error) {
        first_error.SetObject();
        first_error.AddMember("line", static_cast<uint64_t>(analysis.first_error->line), a);
        first_error.AddMember("time", w.time(analysis.first_error->time), a);
        first_error.AddMember("text", w.text(analysis.first_error->raw), a);
    }
    result.AddMember("first_error", first_error, a);
    rapidjson::Value burst(rapidjson::kObjectType);
    burst.AddMember("start", w.time(analysis.burst.start), a);
    burst.AddMember("end", w.time(analysis.burst.end), a);
    burst.AddMember("errors", static_cast<uint64_t>(analysis.burst.errors), a);
    burst.AddMember("peak_per_minute", analysis.burst.peak_per_minute, a);
    burst.AddMember("first_line", static_cast<uint64_t>(analysis.burst.first_line), a);
    result.AddMember("burst", burst, a);

    rapidjson::Value changes(rapidjson::kArrayType);
    for (const auto& change : analysis.correlated_changes) {
        rapidjson::Value entry(rapidjson::kObjectType);
        entry.AddMember("time", w.time(change.time), a);
        entry.AddMember("type", w.text(change.type), a);
        entry.AddMember("service", w.text(change.service), a);
        entry.AddMember("version", w.text(change.version), a);
        entry.AddMember("description", w.text(change.description), a);
        changes.PushBack(entry, a);
    }
    result.AddMember("correlated_changes", changes, a);

    rapidjson::Value timeline(rapidjson::kArrayType);
    for (const auto& item : analysis.timeline) {
        rapidjson::Value entry(rapidjson::kObjectType);
        entry.AddMember("time", w.time(item.time), a);
        entry.AddMember("kind", w.text(item.kind), a);
        entry.AddMember("text", w.text(item.text), a);
        timeline.PushBack(entry, a);
    }
    result.AddMember("timeline", timeline, a);

    rapidjson::Value hypotheses(rapidjson::kArrayType);
    for (std::size_t i = 0; i < analysis.hypotheses.size(); ++i) {
        const Hypothesis& h = analysis.hypotheses[i];
        rapidjson::Value entry(rapidjson::kObjectType);
        entry.AddMember("rank", static_cast<uint64_t>(i + 1), a);
        entry.AddMember("cause", w.text(h.cause), a);
        entry.AddMember("title", w.text(h.title), a);
        entry.AddMember("score", h.score, a);
        entry.AddMember("reasoning", w.text(h.reasoning), a);
        entry.AddMember("evidence", w.texts(h.evidence), a);
        entry.AddMember("remediation", w.texts(h.remediation), a);
        entry.AddMember("action", w.text(h.action), a);
        hypotheses.PushBack(entry, a);
    }
    result.AddMember("hypotheses", hypotheses, a);
    result.AddMember("remediation",
                     w.texts(analysis.hypotheses.empty() ? std::vector<std::string>{} : analysis.hypotheses.front().remediation), a);
    result.AddMember("summary", w.text(analysis.summary), a);
}

}  // namespace incident
