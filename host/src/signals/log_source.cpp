#include "signals/log_source.hpp"

#include "json/json_util.hpp"
#include "store/secret_box.hpp"

#include <algorithm>
#include <cmath>

namespace agenthost::signals {

namespace {
const char* const kSecretFields[] = {"secret_access_key", "session_token"};
}  // namespace

void seal_log_source_secrets(rapidjson::Document& body) {
    for (const char* name : kSecretFields) {
        auto member = body.FindMember(name);
        if (member == body.MemberEnd() || !member->value.IsString()) continue;
        std::string sealed = store::secret_box().seal(member->value.GetString());
        member->value.SetString(sealed.data(), static_cast<rapidjson::SizeType>(sealed.size()), body.GetAllocator());
    }
}

std::optional<LogSourceConfig> read_log_source(const store::SreIntegration& item, std::string& error) {
    auto body = json::parse(item.body_json, error);
    if (!body || !body->IsObject()) {
        if (error.empty()) error = "the stored source is not a JSON object";
        return std::nullopt;
    }
    LogSourceConfig source;
    source.id = item.id;
    source.tenant = item.tenant;
    source.created_at_ms = item.created_at_ms;
    source.name = json::get_string(*body, "name", item.key);
    source.type = json::get_string(*body, "type");
    source.service = json::get_string(*body, "service");
    if (source.service.empty()) source.service = source.name;
    source.repository = json::get_string(*body, "repository");
    if (const auto* enabled = json::get_member(*body, "enabled"); enabled != nullptr && enabled->IsBool())
        source.enabled = enabled->GetBool();
    if (const auto* interval = json::get_member(*body, "interval_seconds"); interval != nullptr && interval->IsNumber())
        source.interval_ms = std::max(1000LL, static_cast<long long>(std::llround(interval->GetDouble() * 1000)));
    source.filter = json::get_string(*body, "filter", kDefaultLineFilter);
    source.start_at = json::get_string(*body, "start_at", "end");
    source.url = json::get_string(*body, "url");
    source.query = json::get_string(*body, "query");
    source.org_id = json::get_string(*body, "org_id");
    source.path = json::get_string(*body, "path");
    source.log_group = json::get_string(*body, "log_group");
    source.region = json::get_string(*body, "region");
    source.endpoint = json::get_string(*body, "endpoint");
    source.filter_pattern = json::get_string(*body, "filter_pattern");
    source.access_key_id = json::get_string(*body, "access_key_id");
    try {
        source.secret_access_key = store::secret_box().open(json::get_string(*body, "secret_access_key"));
        source.session_token = store::secret_box().open(json::get_string(*body, "session_token"));
    } catch (const std::exception& e) {
        error = std::string("its AWS secret cannot be opened with this host's key: ") + e.what();
        return std::nullopt;
    }
    if (const auto* limit = json::get_member(*body, "limit"); limit != nullptr && limit->IsInt())
        source.limit = std::clamp(limit->GetInt(), 1, 5000);
    if (source.type != "file" && source.type != "url" && source.type != "loki" && source.type != "cloudwatch") {
        error = "unknown source type '" + source.type + "'";
        return std::nullopt;
    }
    return source;
}

std::vector<std::string> complete_lines(const std::string& text, bool take_partial, size_t& consumed) {
    std::vector<std::string> lines;
    consumed = 0;
    size_t start = 0;
    while (start < text.size()) {
        size_t end = text.find('\n', start);
        if (end == std::string::npos) {
            if (!take_partial) break;
            end = text.size();
        }
        std::string line = text.substr(start, end - start);
        if (!line.empty() && line.back() == '\r') line.pop_back();
        if (!line.empty()) lines.push_back(std::move(line));
        start = std::min(end + 1, text.size());
        consumed = start;
    }
    return lines;
}

}  // namespace agenthost::signals
