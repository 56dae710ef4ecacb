#include "harness_api.hpp"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <algorithm>
#include <cctype>
#include <regex>

namespace deploy {
namespace {

using Document = rapidjson::Document;
using Value = rapidjson::Value;

// A JSON string is a valid YAML double-quoted scalar: no value can break
// out of its place in the runtime inputs.
std::string quoted(const std::string& text) {
    rapidjson::StringBuffer buffer;
    rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
    writer.String(text.c_str(), static_cast<rapidjson::SizeType>(text.size()));
    return std::string(buffer.GetString(), buffer.GetSize());
}

std::string lowered(std::string text) {
    std::transform(text.begin(), text.end(), text.begin(), [](unsigned char c) { return std::tolower(c); });
    return text;
}

std::string tag_of(const std::string& image) {
    std::string last = image.substr(image.rfind('/') + 1);
    if (auto at = last.find('@'); at != std::string::npos) return last.substr(at + 1);
    auto colon = last.rfind(':');
    return colon == std::string::npos ? "" : last.substr(colon + 1);
}

const Value* member(const Value& object, std::initializer_list<const char*> path) {
    const Value* at = &object;
    for (const char* name : path) {
        if (!at->IsObject()) return nullptr;
        auto found = at->FindMember(name);
        if (found == at->MemberEnd()) return nullptr;
        at = &found->value;
    }
    return at;
}

// Harness's error bodies say {"status":"ERROR","code":"...","message":"..."}.
std::string harness_message(const Document& body, const std::string& raw) {
    if (const Value* message = member(body, {"message"}); message != nullptr && message->IsString())
        return message->GetString();
    return raw.substr(0, 300);
}

const std::regex kExecutionId("^[A-Za-z0-9_-]{1,128}$");

}  // namespace

std::string HarnessApi::scope_query() const {
    return "accountIdentifier=" + config_.account_id + "&orgIdentifier=" + config_.org_id +
           "&projectIdentifier=" + config_.project_id;
}

std::string HarnessApi::runtime_inputs(const HarnessRelease& release) const {
    const std::pair<const char*, std::string> values[] = {
        {"service", release.service},         {"image", release.image},
        {"tag", tag_of(release.image)},       {"environment", release.environment},
        {"namespace", release.namespace_},    {"strategy", release.strategy}};
    if (config_.runtime_inputs.empty()) {
        std::string yaml = "pipeline:\n  identifier: " + quoted(config_.pipeline_id) + "\n  variables:\n";
        for (const auto& [name, value] : values)
            yaml += std::string("    - name: ") + name + "\n      type: String\n      value: " + quoted(value) + "\n";
        return yaml;
    }
    std::string yaml = config_.runtime_inputs;
    for (const auto& [name, value] : values) {
        const std::string placeholder = std::string("{{") + name + "}}";
        for (size_t at = yaml.find(placeholder); at != std::string::npos; at = yaml.find(placeholder, at + 1))
            yaml.replace(at, placeholder.size(), quoted(value));
    }
    return yaml;
}

HarnessApi::Answer HarnessApi::call(const std::string& method, const std::string& path,
                                    const std::string& content_type, const std::string& body) const {
    Document request(rapidjson::kObjectType);
    auto& allocator = request.GetAllocator();
    request.AddMember("method", agenthost::json::string(method, allocator), allocator);
    request.AddMember("url", agenthost::json::string(config_.base_url + path, allocator), allocator);
    Value headers(rapidjson::kObjectType);
    headers.AddMember("x-api-key", agenthost::json::string(config_.api_key, allocator), allocator);
    headers.AddMember("Accept", "application/json", allocator);
    if (!content_type.empty())
        headers.AddMember("Content-Type", agenthost::json::string(content_type, allocator), allocator);
    request.AddMember("headers", headers, allocator);
    if (!body.empty()) request.AddMember("body", agenthost::json::string(body, allocator), allocator);
    std::string response_text;
    try {
        response_text = run_.http_request(agenthost::json::serialize(request));
    } catch (const agenthost::Cancelled&) {
        throw;
    } catch (const agenthost::Error& error) {
        throw HarnessError(std::string("Harness at ") + config_.base_url + " did not answer: " + error.what() +
                           (error.status() == AGENTHOST_ERROR_PERMISSION_DENIED
                                ? " (a private Harness host must be in agents.deployment_agent.http.allowed_hosts)"
                                : ""));
    }
    Document response;
    response.Parse(response_text.c_str());
    Answer answer;
    answer.status = response.IsObject() && response.HasMember("status") && response["status"].IsInt()
                        ? response["status"].GetInt()
                        : 0;
    if (const Value* text = member(response, {"body"}); text != nullptr && text->IsString())
        answer.raw.assign(text->GetString(), text->GetStringLength());
    answer.body.Parse(answer.raw.c_str());
    if (answer.body.HasParseError()) answer.body.SetObject();
    return answer;
}

std::string HarnessApi::execute(const HarnessRelease& release) const {
    Answer answer = call("POST", "/pipeline/api/pipeline/execute/" + config_.pipeline_id + "?" + scope_query(),
                         "application/yaml", runtime_inputs(release));
    if (answer.status < 200 || answer.status >= 300)
        throw HarnessError("Harness refused to run pipeline " + config_.pipeline_id + " (HTTP " +
                           std::to_string(answer.status) + "): " + harness_message(answer.body, answer.raw));
    const Value* id = member(answer.body, {"data", "planExecution", "uuid"});
    if (id == nullptr || !id->IsString() || !std::regex_match(id->GetString(), kExecutionId))
        throw HarnessError("Harness ran pipeline " + config_.pipeline_id +
                           " but its answer has no data.planExecution.uuid: " + answer.raw.substr(0, 300));
    return id->GetString();
}

std::string HarnessApi::status(const std::string& execution_id) const {
    if (!std::regex_match(execution_id, kExecutionId)) throw HarnessError("'" + execution_id + "' is not an execution id");
    Answer answer = call("GET", "/pipeline/api/pipelines/execution/v2/" + execution_id + "?" + scope_query(), "", "");
    if (answer.status < 200 || answer.status >= 300)
        throw HarnessError("Harness did not report execution " + execution_id + " (HTTP " +
                           std::to_string(answer.status) + "): " + harness_message(answer.body, answer.raw));
    const Value* status = member(answer.body, {"data", "pipelineExecutionSummary", "status"});
    if (status == nullptr || !status->IsString())
        throw HarnessError("Harness's answer for execution " + execution_id +
                           " has no data.pipelineExecutionSummary.status: " + answer.raw.substr(0, 300));
    return status->GetString();
}

bool HarnessApi::abort(const std::string& execution_id) const {
    if (!std::regex_match(execution_id, kExecutionId)) return false;
    Answer answer = call("PUT",
                         "/pipeline/api/pipeline/execute/interrupt/" + execution_id + "?interruptType=AbortAll&" +
                             scope_query(),
                         "", "");
    return answer.status >= 200 && answer.status < 300;
}

std::string HarnessApi::execution_url(const std::string& execution_id) const {
    return config_.base_url + "/pipeline/api/pipelines/execution/v2/" + execution_id;
}

bool harness_succeeded(const std::string& status) {
    const std::string s = lowered(status);
    return s == "success" || s == "ignorefailed";
}

bool harness_failed(const std::string& status) {
    const std::string s = lowered(status);
    return s == "failed" || s == "errored" || s == "expired" || s == "aborted" || s == "abortedbyfreeze" ||
           s == "approvalrejected" || s == "rejected" || s == "discontinuing";
}

}  // namespace deploy
