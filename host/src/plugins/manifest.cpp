#include "plugins/manifest.hpp"

#include "json/json_util.hpp"
#include "json/schema_catalog.hpp"

#include <agenthost/abi.h>

#include <algorithm>
#include <filesystem>

namespace agenthost::plugins {
namespace {

std::vector<std::string> string_list(const rapidjson::Value& document, const char* name) {
    std::vector<std::string> out;
    if (const auto* list = json::get_member(document, name)) {
        for (const auto& item : list->GetArray()) out.emplace_back(item.GetString(), item.GetStringLength());
    }
    return out;
}

// Compiles a schema embedded in the manifest; a schema RapidJSON cannot
// compile makes the whole manifest invalid.
std::shared_ptr<const json::SchemaValidator> compile_schema(const rapidjson::Value& document, const char* name) {
    const auto* schema = json::get_member(document, name);
    if (schema == nullptr) return nullptr;
    return std::make_shared<const json::SchemaValidator>(*schema);
}

bool parse_abi_version(const std::string& text, uint32_t& out) {
    size_t dot = text.find('.');
    if (dot == std::string::npos) return false;
    try {
        unsigned long major = std::stoul(text.substr(0, dot));
        unsigned long minor = std::stoul(text.substr(dot + 1));
        if (major > 0xffff || minor > 0xffff) return false;
        out = AGENTHOST_MAKE_VERSION(major, minor);
        return true;
    } catch (const std::exception&) {
        return false;
    }
}

}  // namespace

bool Manifest::has_permission(const std::string& permission) const {
    return std::find(permissions.begin(), permissions.end(), permission) != permissions.end();
}

std::string abi_version_text(uint32_t version) {
    return std::to_string(AGENTHOST_VERSION_MAJOR(version)) + "." + std::to_string(AGENTHOST_VERSION_MINOR(version));
}

namespace {

bool needs_exec(const rapidjson::Value& rule) {
    const rapidjson::Value* flag = json::get_member(rule, "needs_exec");
    return flag != nullptr && flag->IsBool() && flag->GetBool();
}

}  // namespace

ManifestResult read_manifest(const std::string& path) {
    ManifestResult result;
    std::string error;
    auto document = json::parse_file(path, error);
    if (!document) {
        result.error = "bad manifest: " + error;
        return result;
    }
    result.name_hint = json::get_string(*document, "name");
    auto violations = json::host_schema("plugin-manifest").validate(*document);
    if (!violations.empty()) {
        result.error = "bad manifest " + path + ": " + json::describe(violations);
        return result;
    }

    Manifest manifest;
    manifest.path = path;
    manifest.name = json::get_string(*document, "name");
    manifest.version = json::get_string(*document, "version");
    std::string abi_text = json::get_string(*document, "abi_version");
    if (!parse_abi_version(abi_text, manifest.abi_version)) {
        result.error = "bad manifest " + path + ": /abi_version: '" + abi_text + "' is not a major.minor version";
        return result;
    }
    manifest.domain = json::get_string(*document, "domain");
    manifest.description = json::get_string(*document, "description");
    manifest.isolation = json::get_string(*document, "isolation");
    if (const auto* timeout = json::get_member(*document, "timeout_seconds")) manifest.timeout_seconds = timeout->GetDouble();
    manifest.llm_fallback = json::get_string(*document, "llm_fallback", "fail");
    manifest.keywords = string_list(*document, "keywords");
    manifest.permissions = string_list(*document, "permissions");
    if (const auto* rules = json::get_member(*document, "approval_required")) {
        for (const auto& rule : rules->GetArray())
            manifest.approval_required.push_back({json::get_string(rule, "operation"), json::get_string(rule, "reason"),
                                                  needs_exec(rule)});
    }
    manifest.library_path =
        (std::filesystem::path(path).parent_path() / json::get_string(*document, "library")).lexically_normal().string();
    try {
        manifest.input_schema = compile_schema(*document, "input_schema");
        manifest.output_schema = compile_schema(*document, "output_schema");
        manifest.config_schema = compile_schema(*document, "config_schema");
    } catch (const std::exception& e) {
        result.error = "bad manifest " + path + ": a schema in it cannot be compiled: " + e.what();
        return result;
    }
    manifest.document = std::make_shared<const rapidjson::Document>(std::move(*document));
    result.manifest = std::move(manifest);
    return result;
}

}  // namespace agenthost::plugins
