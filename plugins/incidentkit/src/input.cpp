// Reading the request: logs (text, or a list of lines or JSON objects),
// change events, metric snapshots and the time window.
#include <agenthost/agent.hpp>

#include "incident.hpp"

namespace incident {
namespace {

constexpr std::size_t kMaxLines = 500000;

double time_field(const rapidjson::Value& object, const std::string& path) {
    const auto text = devkit::string_field(object, "time", path + ".time");
    if (!text) throw InputError(path + ".time is required (ISO 8601, e.g. 2026-12-06T14:00:00Z)");
    auto parsed = parse_time(*text);
    if (!parsed) throw InputError(path + ".time '" + *text + "' is not an ISO 8601 time");
    return *parsed;
}

void read_logs(const rapidjson::Value& context, Input& input) {
    const rapidjson::Value* logs = devkit::field(context, "logs");
    if (logs == nullptr)
        throw InputError("context.logs is required: the log lines, as text or as a list of lines or JSON objects");
    std::size_t number = 0;
    auto add = [&input, &number](std::string_view line) {
        if (line.find_first_not_of(" \t\r") == std::string_view::npos) {
            ++number;
            return;
        }
        if (input.events.size() >= kMaxLines)
            throw InputError("context.logs holds more than " + std::to_string(kMaxLines) + " lines");
        input.events.push_back(parse_line(line, ++number));
    };
    if (logs->IsString()) {
        std::string_view text(logs->GetString(), logs->GetStringLength());
        while (!text.empty()) {
            const std::size_t end = text.find('\n');
            add(text.substr(0, end));
            text = end == std::string_view::npos ? std::string_view{} : text.substr(end + 1);
        }
    } else if (logs->IsArray()) {
        for (rapidjson::SizeType i = 0; i < logs->Size(); ++i) {
            const rapidjson::Value& line = (*logs)[i];
            if (line.IsString()) add(std::string_view(line.GetString(), line.GetStringLength()));
            else if (line.IsObject()) add(agenthost::json::serialize(line));
            else throw InputError("context.logs[" + std::to_string(i) + "] must be a string or a JSON object");
        }
    } else {
        throw InputError("context.logs must be text or a list of lines or JSON objects");
    }
    if (input.events.empty()) throw InputError("context.logs holds no log lines");
}

void read_changes(const rapidjson::Value& context, Input& input) {
    const rapidjson::Value* changes = devkit::field(context, "changes");
    if (changes == nullptr) return;
    if (!changes->IsArray()) throw InputError("context.changes must be a list of change events");
    for (rapidjson::SizeType i = 0; i < changes->Size(); ++i) {
        const std::string path = "context.changes[" + std::to_string(i) + "]";
        const rapidjson::Value& entry = (*changes)[i];
        if (!entry.IsObject()) throw InputError(path + " must be an object");
        Change change;
        change.time = time_field(entry, path);
        change.type = devkit::string_field(entry, "type", path + ".type").value_or("change");
        change.service = devkit::string_field(entry, "service", path + ".service").value_or("");
        change.version = devkit::string_field(entry, "version", path + ".version").value_or("");
        change.description = devkit::string_field(entry, "description", path + ".description").value_or("");
        if (change.description.empty())
            change.description = change.type + (change.service.empty() ? "" : " of " + change.service) +
                                 (change.version.empty() ? "" : " " + change.version);
        input.changes.push_back(change);
    }
}

void read_metrics(const rapidjson::Value& context, Input& input) {
    const rapidjson::Value* metrics = devkit::field(context, "metrics");
    if (metrics == nullptr) return;
    if (!metrics->IsArray()) throw InputError("context.metrics must be a list of {time, name, value}");
    for (rapidjson::SizeType i = 0; i < metrics->Size(); ++i) {
        const std::string path = "context.metrics[" + std::to_string(i) + "]";
        const rapidjson::Value& entry = (*metrics)[i];
        if (!entry.IsObject()) throw InputError(path + " must be an object");
        MetricPoint point;
        point.time = time_field(entry, path);
        point.name = devkit::string_field(entry, "name", path + ".name").value_or("");
        if (point.name.empty()) throw InputError(path + ".name is required");
        const rapidjson::Value* value = devkit::field(entry, "value");
        if (value == nullptr || !value->IsNumber()) throw InputError(path + ".value must be a number");
        point.value = value->GetDouble();
        input.metrics.push_back(point);
    }
}

void read_window(const rapidjson::Value& context, Input& input) {
    const rapidjson::Value* window = devkit::field(context, "window");
    if (window == nullptr) return;
    if (!window->IsObject()) throw InputError("context.window must be an object with start and end");
    for (const char* name : {"start", "end"}) {
        const std::string path = std::string("context.window.") + name;
        if (auto text = devkit::string_field(*window, name, path)) {
            auto parsed = parse_time(*text);
            if (!parsed) throw InputError(path + " '" + *text + "' is not an ISO 8601 time");
            (std::string(name) == "start" ? input.window_start : input.window_end) = *parsed;
        }
    }
    if (input.window_start > input.window_end) throw InputError("context.window.start is after context.window.end");
}

}  // namespace

Input read_input(const rapidjson::Value& context) {
    Input input;
    read_window(context, input);
    read_logs(context, input);
    read_changes(context, input);
    read_metrics(context, input);
    // Lines without a time stay: they cannot be placed outside the window.
    std::vector<LogEvent> kept;
    kept.reserve(input.events.size());
    for (auto& event : input.events) {
        if (!std::isnan(event.time) && (event.time < input.window_start || event.time > input.window_end)) {
            ++input.lines_outside_window;
            continue;
        }
        kept.push_back(std::move(event));
    }
    if (kept.empty()) throw InputError("no line of context.logs falls inside context.window");
    input.events = std::move(kept);
    return input;
}

}  // namespace incident
