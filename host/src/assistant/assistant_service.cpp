#include "assistant/assistant_service.hpp"

#include "json/json_util.hpp"

#include <algorithm>
#include <cctype>

namespace agenthost::assistant {
namespace {

using Allocator = rapidjson::Document::AllocatorType;

rapidjson::Value text(const std::string& value, Allocator& allocator) {
    return rapidjson::Value(value.c_str(), static_cast<rapidjson::SizeType>(value.size()), allocator);
}

std::string string_at(const rapidjson::Value& object, const char* name) {
    if (!object.IsObject()) return {};
    auto found = object.FindMember(name);
    if (found == object.MemberEnd()) return {};
    if (found->value.IsString()) return found->value.GetString();
    if (found->value.IsInt()) return std::to_string(found->value.GetInt());
    return {};
}

// "8000 (app/main.py:23)" from a finding.
std::string where(const rapidjson::Value& finding) {
    if (!finding.IsObject()) return {};
    std::string out = string_at(finding, "value");
    std::string file = string_at(finding, "file");
    if (!file.empty()) {
        out += " (" + file;
        if (finding.HasMember("line") && finding["line"].IsInt() && finding["line"].GetInt() > 0)
            out += ":" + std::to_string(finding["line"].GetInt());
        out += ")";
    }
    return out;
}

std::string lower(std::string text) {
    for (char& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return text;
}

bool mentions(const std::string& message, std::initializer_list<const char*> words) {
    for (const char* word : words)
        if (message.find(word) != std::string::npos) return true;
    return false;
}

}  // namespace

std::optional<AssistantContext> AssistantService::context(const ContextRequest& request) {
    AssistantContext out;
    out.json.SetObject();
    auto& allocator = out.json.GetAllocator();
    std::vector<deployments::OperationRecord> operations;
    if (!request.project_id.empty()) {
        auto project = deployments_.project(request.tenant, request.project_id);
        if (!project) return std::nullopt;
        out.project_id = project->id;
        out.thread_id = project->thread_id;
        out.json.AddMember("project_id", text(project->id, allocator), allocator);
        out.json.AddMember("repository", text(project->repository, allocator), allocator);
        operations = deployments_.operations(request.tenant, project->id, 5);
    } else {
        auto owner = threads_.owner(request.thread_id);
        if (!owner || *owner != request.tenant) return std::nullopt;
        out.thread_id = request.thread_id;
    }
    out.json.AddMember("thread_id", text(out.thread_id, allocator), allocator);

    // What the agents kept: the analysis, the Dockerfiles, the Terraform.
    const auto memory = threads_.state(out.thread_id);
    rapidjson::Value services(rapidjson::kArrayType);
    rapidjson::Value artifacts(rapidjson::kArrayType);
    for (const auto& [key, value] : memory.values) {
        rapidjson::Document kept;
        kept.Parse(value.c_str());
        if (kept.HasParseError() || !kept.IsObject()) continue;
        if (key == "repository_context" && kept.HasMember("services") && kept["services"].IsArray()) {
            for (auto& service : kept["services"].GetArray()) {
                rapidjson::Value entry(rapidjson::kObjectType);
                for (const char* name : {"name", "path"}) entry.AddMember(rapidjson::StringRef(name), text(string_at(service, name), allocator), allocator);
                for (const char* name : {"language", "framework", "port", "health_path", "entrypoint"})
                    if (service.HasMember(name)) entry.AddMember(rapidjson::StringRef(name), text(where(service[name]), allocator), allocator);
                rapidjson::Value env(rapidjson::kArrayType);
                if (service.HasMember("env_vars") && service["env_vars"].IsArray())
                    for (auto& var : service["env_vars"].GetArray()) env.PushBack(text(where(var), allocator), allocator);
                entry.AddMember("env_vars", env, allocator);
                services.PushBack(entry, allocator);
            }
        } else if (key == "dockerfiles" && kept.HasMember("services") && kept["services"].IsArray()) {
            for (auto& service : kept["services"].GetArray())
                for (const char* name : {"dockerfile", "dockerignore"})
                    if (!string_at(service, name).empty()) artifacts.PushBack(text(string_at(service, name), allocator), allocator);
        } else if (key == "terraform" && kept.HasMember("files") && kept["files"].IsArray()) {
            for (auto& file : kept["files"].GetArray())
                if (file.IsString()) artifacts.PushBack(text(file.GetString(), allocator), allocator);
        }
    }
    out.json.AddMember("services", services, allocator);
    out.json.AddMember("artifacts", artifacts, allocator);

    // The recent operations, their last lines, and the newest error.
    rapidjson::Value recent(rapidjson::kArrayType);
    std::string last_error;
    for (const auto& operation : operations) {
        auto state = deployments_.state(operation);
        auto page = deployments_.logs(operation, 0, 5000);
        rapidjson::Value entry(rapidjson::kObjectType);
        entry.AddMember("operation_id", text(operation.id, allocator), allocator);
        entry.AddMember("operation", text(operation.operation, allocator), allocator);
        entry.AddMember("status", text(state.status, allocator), allocator);
        rapidjson::Value lines(rapidjson::kArrayType);
        const size_t first = page.lines.size() > 20 ? page.lines.size() - 20 : 0;
        for (size_t i = first; i < page.lines.size(); ++i) lines.PushBack(text(page.lines[i].message, allocator), allocator);
        entry.AddMember("last_lines", lines, allocator);
        recent.PushBack(entry, allocator);
        if (last_error.empty())
            for (const auto& run : state.workflow.runs)
                if (!run.error.empty()) last_error = operation.operation + " (" + operation.id + "): " + run.agent + ": " + run.error;
    }
    out.json.AddMember("operations", recent, allocator);
    out.json.AddMember("last_error", last_error.empty() ? rapidjson::Value() : text(last_error, allocator), allocator);
    return out;
}

std::string AssistantService::offline_answer(const std::string& question, const rapidjson::Value& context) {
    const std::string message = lower(question);
    std::vector<std::string> parts;
    const auto& services = context["services"];
    const auto& artifacts = context["artifacts"];
    const std::string last_error = context["last_error"].IsString() ? context["last_error"].GetString() : "";
    const bool about_port = mentions(message, {"port", "listen", "expose"});
    const bool about_files = mentions(message, {"file", "artifact", "dockerfile", "terraform", "generated", "wrote"});
    const bool about_error = mentions(message, {"error", "fail", "wrong", "broke", "why"});
    const bool about_env = mentions(message, {"env", "variable", "secret", "config"});
    const bool general = !about_port && !about_files && !about_error && !about_env;
    if (services.Empty()) parts.push_back("No analysis yet: run the analyze operation first.");
    for (const auto& service : services.GetArray()) {
        const std::string name = string_at(service, "name");
        if (about_port || general) {
            std::string port = string_at(service, "port");
            parts.push_back(port.empty() ? name + ": no port was found in the code."
                                         : name + " listens on port " + port + ".");
        }
        if (general) {
            std::string framework = string_at(service, "framework");
            parts.push_back(name + " is " + string_at(service, "language") + (framework.empty() ? "" : " with " + framework) + ".");
        }
        if (about_env) {
            std::string list;
            for (const auto& var : service["env_vars"].GetArray()) list += (list.empty() ? "" : ", ") + std::string(var.GetString());
            parts.push_back(name + " reads " + (list.empty() ? "no environment variables." : list + "."));
        }
    }
    if (about_files || general) {
        std::string list;
        for (const auto& file : artifacts.GetArray()) list += (list.empty() ? "" : ", ") + std::string(file.GetString());
        parts.push_back(list.empty() ? "No files were generated yet: run the generate operation." : "Generated files: " + list + ".");
    }
    if (about_error || general)
        parts.push_back(last_error.empty() ? "No recent operation failed." : "The last error: " + last_error);
    std::string answer;
    for (const auto& part : parts) answer += (answer.empty() ? "" : " ") + part;
    return answer;
}

Answer AssistantService::answer(const std::string& message, const AssistantContext& context) {
    if (llm_ != nullptr && llm_->configured()) {
        std::string context_text = json::serialize(context.json);
        if (context_text.size() > 12000) context_text.resize(12000);  // the prompt stays bounded
        llm::CompletionRequest request;
        request.messages.push_back({"system",
                                    "You are the deployment assistant of agenthost. Answer from the deployment context "
                                    "below (analysis with files and lines, generated artifacts, recent operations and "
                                    "their logs). Say when the context does not tell.\n\nContext:\n" + context_text});
        request.messages.push_back({"user", message});
        auto completion = llm_->complete(request, "assistant");
        return {completion.content, completion.provider, completion.model};
    }
    return {offline_answer(message, context.json), "offline", "deterministic"};
}

}  // namespace agenthost::assistant
