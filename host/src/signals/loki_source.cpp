// `loki` sources: GET <url>/loki/api/v1/query_range with the source's LogQL,
// direction=forward, from just after the cursor (a timestamp in
// nanoseconds; at first the source's creation) to now, `limit` entries.
// When the answer is full, the entries of its last nanosecond are left for
// the next pull (more may share it), unless all of them do.
#include "json/json_util.hpp"
#include "signals/log_source.hpp"
#include "signals/source_answers.hpp"
#include "signals/source_http.hpp"

#include <algorithm>
#include <charconv>

namespace agenthost::signals {
namespace {

long long cursor_ns(const LogSourceConfig& source, const std::string& cursor_json) {
    std::string error;
    auto document = json::parse(cursor_json, error);
    if (document && document->IsObject()) {
        std::string ns = json::get_string(*document, "ns");
        try {
            if (!ns.empty()) return std::stoll(ns);
        } catch (const std::exception&) {
        }
    }
    return source.created_at_ms * 1000000LL;
}

std::string trimmed_base(std::string url) {
    while (!url.empty() && url.back() == '/') url.pop_back();
    return url;
}

}  // namespace

std::vector<LokiEntry> read_loki_answer(const std::string& answer_body, long long after_ns) {
    std::string error;
    auto body = json::parse(answer_body, error);
    if (!body || !body->IsObject()) throw PullError("Loki answered something that is not JSON: " + error);
    const rapidjson::Value* data = json::get_member(*body, "data");
    const rapidjson::Value* result = data != nullptr && data->IsObject() ? json::get_member(*data, "result") : nullptr;
    if (json::get_string(*body, "status") != "success" || result == nullptr || !result->IsArray())
        throw PullError("Loki's answer has no data.result streams: " + answer_body.substr(0, 200));
    std::vector<LokiEntry> entries;
    for (const auto& stream : result->GetArray()) {
        if (!stream.IsObject()) continue;
        std::string labels = "{}";
        if (const auto* tags = json::get_member(stream, "stream"); tags != nullptr && tags->IsObject())
            labels = json::serialize(*tags);
        const rapidjson::Value* values = json::get_member(stream, "values");
        if (values == nullptr || !values->IsArray()) continue;
        for (const auto& value : values->GetArray()) {
            if (!value.IsArray() || value.Size() < 2 || !value[0].IsString() || !value[1].IsString())
                throw PullError("Loki's answer has a value that is not [\"<ns>\", \"<line>\"]");
            LokiEntry entry;
            const char* begin = value[0].GetString();
            const char* end = begin + value[0].GetStringLength();
            auto [stop, failure] = std::from_chars(begin, end, entry.ns);
            if (failure != std::errc() || stop != end || begin == end)
                throw PullError("Loki's answer has a timestamp that is not a number: " +
                                std::string(begin, std::min<size_t>(end - begin, 40)));
            entry.line.assign(value[1].GetString(), value[1].GetStringLength());
            entry.labels_json = labels;
            if (entry.ns > after_ns) entries.push_back(std::move(entry));
        }
    }
    return entries;
}

PullBatch pull_loki(const LogSourceConfig& source, const std::string& cursor_json, const PullSettings& settings,
                    long long now_ms) {
    long long from = cursor_ns(source, cursor_json);
    long long to = std::max(now_ms * 1000000LL, from + 1);
    std::string url = trimmed_base(source.url) + "/loki/api/v1/query_range?query=" + url_encode(source.query) +
                      "&start=" + std::to_string(from + 1) + "&end=" + std::to_string(to) +
                      "&direction=forward&limit=" + std::to_string(source.limit);
    std::vector<std::pair<std::string, std::string>> headers = {{"Accept", "application/json"}};
    if (!source.org_id.empty()) headers.emplace_back("X-Scope-OrgID", source.org_id);
    SourceAnswer answer = source_request("GET", url, headers, "", settings, settings.max_bytes * 8);
    if (answer.status != 200) throw PullError("Loki query_range answered " + describe_answer(answer));
    std::vector<LokiEntry> entries = read_loki_answer(answer.body, from);
    std::stable_sort(entries.begin(), entries.end(), [](const LokiEntry& a, const LokiEntry& b) { return a.ns < b.ns; });
    PullBatch batch;
    long long last = from;
    if (static_cast<int>(entries.size()) >= source.limit && !entries.empty() && entries.front().ns != entries.back().ns) {
        long long cut = entries.back().ns;
        entries.erase(std::remove_if(entries.begin(), entries.end(), [cut](const LokiEntry& e) { return e.ns == cut; }),
                      entries.end());
        batch.more = true;
    }
    for (auto& entry : entries) {
        last = std::max(last, entry.ns);
        batch.lines.push_back({std::move(entry.line), entry.ns / 1000000LL, std::move(entry.labels_json)});
    }
    batch.cursor_json = "{\"ns\":\"" + std::to_string(last) + "\"}";
    return batch;
}

}  // namespace agenthost::signals
