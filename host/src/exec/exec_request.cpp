#include "exec/exec_request.hpp"

#include "json/json_util.hpp"

#include <cmath>

namespace agenthost::exec {
namespace {

bool has_nul(const rapidjson::Value& text) {
    return std::string_view(text.GetString(), text.GetStringLength()).find('\0') != std::string_view::npos;
}

// A name a shell and execve both take: letters, digits, underscore.
bool is_env_name(const std::string& name) {
    if (name.empty() || (name[0] >= '0' && name[0] <= '9')) return false;
    for (char c : name)
        if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_')) return false;
    return true;
}

// Variables that change what an allowed binary executes (a library from the
// workspace preloaded into it) would turn the allow-list into a formality.
bool is_reserved_env(const std::string& name) {
    return name.rfind("LD_", 0) == 0 || name.rfind("BASH_FUNC_", 0) == 0 || name == "PATH";
}

bool parse_argv(const rapidjson::Value& list, ExecRequest& request, std::string& error) {
    if (!list.IsArray() || list.Empty()) {
        error = "argv must be a non-empty array of strings";
        return false;
    }
    for (rapidjson::SizeType i = 0; i < list.Size(); ++i) {
        if (!list[i].IsString() || has_nul(list[i])) {
            error = "argv[" + std::to_string(i) + "] must be a string without NUL bytes";
            return false;
        }
        request.argv.emplace_back(list[i].GetString(), list[i].GetStringLength());
    }
    const std::string& binary = request.argv[0];
    if (binary.empty() || binary.find('/') != std::string::npos || binary == "." || binary == "..") {
        error = "argv[0] must be the bare name of an allowed binary (such as \"git\"), not '" + binary +
                "': the host resolves it on its PATH";
        return false;
    }
    return true;
}

bool parse_env(const rapidjson::Value& object, ExecRequest& request, std::string& error) {
    if (!object.IsObject()) {
        error = "env must be an object of strings";
        return false;
    }
    for (const auto& member : object.GetObject()) {
        std::string name(member.name.GetString(), member.name.GetStringLength());
        if (!is_env_name(name)) {
            error = "env name '" + name + "' is not a valid variable name ([A-Za-z_][A-Za-z0-9_]*)";
            return false;
        }
        if (is_reserved_env(name)) {
            error = "env name '" + name + "' is reserved (PATH, LD_* and BASH_FUNC_* are set by the host only)";
            return false;
        }
        if (!member.value.IsString() || has_nul(member.value)) {
            error = "env." + name + " must be a string without NUL bytes";
            return false;
        }
        request.env[name] = std::string(member.value.GetString(), member.value.GetStringLength());
    }
    return true;
}

}  // namespace

bool is_workspace_relative(const std::string& cwd) {
    if (cwd.empty() || cwd.front() == '/' || cwd.find('\0') != std::string::npos) return false;
    size_t start = 0;
    for (;;) {
        size_t end = cwd.find('/', start);
        std::string part = cwd.substr(start, end == std::string::npos ? std::string::npos : end - start);
        if (part == "..") return false;
        if (end == std::string::npos) return true;
        start = end + 1;
    }
}

std::optional<ExecRequest> parse_exec_request(const std::string& request_json, std::string& error) {
    std::string parse_error;
    auto document = json::parse(request_json, parse_error);
    if (!document) {
        error = "the exec request is not JSON: " + parse_error;
        return std::nullopt;
    }
    if (!document->IsObject()) {
        error = "the exec request must be a JSON object";
        return std::nullopt;
    }
    static const char* const kKnown[] = {"argv", "cwd", "env", "stdin", "timeout_seconds", "network", "max_output_bytes"};
    for (const auto& member : document->GetObject()) {
        std::string name(member.name.GetString(), member.name.GetStringLength());
        bool known = false;
        for (const char* field : kKnown) known = known || name == field;
        if (!known) {
            error = "unknown field '" + name + "' (argv, cwd, env, stdin, timeout_seconds, network, max_output_bytes)";
            return std::nullopt;
        }
    }
    ExecRequest request;
    const rapidjson::Value* argv = json::get_member(*document, "argv");
    if (argv == nullptr) {
        error = "argv is required";
        return std::nullopt;
    }
    if (!parse_argv(*argv, request, error)) return std::nullopt;
    if (const auto* cwd = json::get_member(*document, "cwd")) {
        if (!cwd->IsString()) {
            error = "cwd must be a string";
            return std::nullopt;
        }
        request.cwd.assign(cwd->GetString(), cwd->GetStringLength());
        if (request.cwd.empty()) request.cwd = ".";
        if (!is_workspace_relative(request.cwd)) {
            error = "cwd '" + request.cwd + "' must be a relative path inside the run's workspace (no leading '/', no '..')";
            return std::nullopt;
        }
    }
    if (const auto* env = json::get_member(*document, "env"); env != nullptr && !parse_env(*env, request, error))
        return std::nullopt;
    if (const auto* input = json::get_member(*document, "stdin")) {
        if (!input->IsString()) {
            error = "stdin must be a string";
            return std::nullopt;
        }
        request.stdin_data.assign(input->GetString(), input->GetStringLength());
    }
    if (const auto* timeout = json::get_member(*document, "timeout_seconds")) {
        if (!timeout->IsNumber() || !std::isfinite(timeout->GetDouble()) || timeout->GetDouble() <= 0) {
            error = "timeout_seconds must be a number greater than 0";
            return std::nullopt;
        }
        request.timeout_seconds = timeout->GetDouble();
    }
    if (const auto* network = json::get_member(*document, "network")) {
        if (!network->IsBool()) {
            error = "network must be true or false";
            return std::nullopt;
        }
        request.network = network->GetBool();
    }
    if (const auto* limit = json::get_member(*document, "max_output_bytes")) {
        if (!limit->IsUint64() || limit->GetUint64() == 0 || limit->GetUint64() > kMaxOutputLimit) {
            error = "max_output_bytes must be an integer from 1 to " + std::to_string(kMaxOutputLimit);
            return std::nullopt;
        }
        request.max_output_bytes = static_cast<size_t>(limit->GetUint64());
    }
    return request;
}

}  // namespace agenthost::exec
