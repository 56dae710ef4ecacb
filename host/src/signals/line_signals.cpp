#include "signals/line_signals.hpp"

#include "json/json_util.hpp"
#include "signals/fingerprint.hpp"

#include <rapidjson/document.h>

namespace agenthost::signals {
namespace {

// Matching is bounded: std::regex recurses per character matched, and a
// log line may be any length.
constexpr size_t kMatchedBytes = 4096;
constexpr size_t kMessageBytes = 16384;

const char* const kMessageFields[] = {"message", "msg", "log", "line", "text", "error"};
const char* const kLevelFields[] = {"level", "severity", "lvl", "log.level", "levelname"};

std::string first_string(const rapidjson::Value& object, const char* const* names, size_t count) {
    for (size_t i = 0; i < count; ++i) {
        std::string value = json::get_string(object, names[i]);
        if (!value.empty()) return value;
    }
    return "";
}

}  // namespace

LineFilter::LineFilter(const std::string& pattern)
    : pattern_(pattern, std::regex::ECMAScript | std::regex::optimize) {}

std::optional<IncomingSignal> LineFilter::signal_of(const LogSourceConfig& source, const LogLine& line) const {
    std::string message = line.text;
    std::string level;
    std::optional<rapidjson::Document> object;
    if (!message.empty() && message.front() == '{') {
        std::string error;
        object = json::parse(message, error);
        if (object && object->IsObject()) {
            std::string text = first_string(*object, kMessageFields, std::size(kMessageFields));
            if (!text.empty()) message = text;
            level = first_string(*object, kLevelFields, std::size(kLevelFields));
        } else {
            object.reset();
        }
    }
    while (!message.empty() && (message.back() == '\n' || message.back() == '\r')) message.pop_back();
    if (message.empty()) return std::nullopt;
    std::string severity = normal_severity(level);
    bool error_level = severity == "error" || severity == "critical";
    std::string probe = line.text.size() > kMatchedBytes ? line.text.substr(0, kMatchedBytes) : line.text;
    // A JSON line that states its level is judged by it; any other line by
    // the filter.
    bool keep = error_level;
    if (severity.empty()) {
        try {
            keep = std::regex_search(probe, pattern_);
        } catch (const std::regex_error&) {
            keep = false;  // too complex a match for this line
        }
    }
    if (!keep) return std::nullopt;
    IncomingSignal signal;
    signal.kind = "log";
    signal.service = source.service;
    signal.repository = source.repository;
    if (severity.empty()) {
        // A plain line: how loud its words are.
        static const std::regex critical("FATAL|CRITICAL|[Pp]anic|PANIC");
        severity = std::regex_search(probe, critical) ? "critical" : "error";
    }
    signal.severity = severity;
    signal.message = message.size() > kMessageBytes ? message.substr(0, kMessageBytes) : message;
    signal.received_at_ms = line.at_ms;
    signal.may_open_incident = true;
    rapidjson::Document payload(rapidjson::kObjectType);
    auto& allocator = payload.GetAllocator();
    payload.AddMember("source", json::string_value(source.name, allocator), allocator);
    payload.AddMember("source_id", json::string_value(source.id, allocator), allocator);
    payload.AddMember("source_type", json::string_value(source.type, allocator), allocator);
    std::string raw = line.text.size() > kMessageBytes ? line.text.substr(0, kMessageBytes) : line.text;
    payload.AddMember("line", json::string_value(raw, allocator), allocator);
    std::string error;
    if (auto context = json::parse(line.context_json, error); context && context->IsObject() && !context->ObjectEmpty()) {
        rapidjson::Value copy(*context, allocator);
        payload.AddMember("context", copy, allocator);
    }
    signal.payload_json = json::serialize(payload);
    return signal;
}

std::string check_line_filter(const std::string& pattern) {
    try {
        LineFilter filter(pattern);
        (void)filter;
        return "";
    } catch (const std::regex_error& e) {
        return std::string("is not a regular expression (ECMAScript): ") + e.what();
    }
}

}  // namespace agenthost::signals
