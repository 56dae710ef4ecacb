#include "devkit/repository_context.hpp"

#include <cstdlib>
#include <string_view>

namespace devkit {
namespace {

using Allocator = rapidjson::Document::AllocatorType;

rapidjson::Value text(const std::string& value, Allocator& allocator) {
    return rapidjson::Value(value.c_str(), static_cast<rapidjson::SizeType>(value.size()), allocator);
}

rapidjson::Value finding_json(const Finding& finding, Allocator& allocator) {
    rapidjson::Value out(rapidjson::kObjectType);
    out.AddMember("value", text(finding.value, allocator), allocator);
    out.AddMember("file", text(finding.file, allocator), allocator);
    out.AddMember("line", finding.line, allocator);
    if (!finding.note.empty()) out.AddMember("note", text(finding.note, allocator), allocator);
    return out;
}

void add_finding(rapidjson::Value& object, const char* name, const Finding& finding, Allocator& allocator) {
    if (finding.found()) object.AddMember(rapidjson::StringRef(name), finding_json(finding, allocator), allocator);
}

rapidjson::Value findings_json(const std::vector<Finding>& findings, Allocator& allocator) {
    rapidjson::Value list(rapidjson::kArrayType);
    for (const auto& finding : findings) list.PushBack(finding_json(finding, allocator), allocator);
    return list;
}

rapidjson::Value strings_json(const std::vector<std::string>& values, Allocator& allocator) {
    rapidjson::Value list(rapidjson::kArrayType);
    for (const auto& value : values) list.PushBack(text(value, allocator), allocator);
    return list;
}

std::string string_of(const rapidjson::Value& object, const char* name, const std::string& path, bool required) {
    auto found = object.FindMember(name);
    if (found == object.MemberEnd() || found->value.IsNull()) {
        if (required) throw ContextError(path + "." + name + " is missing");
        return {};
    }
    if (!found->value.IsString()) throw ContextError(path + "." + name + " must be a string");
    return std::string(found->value.GetString(), found->value.GetStringLength());
}

Finding finding_from(const rapidjson::Value& json, const std::string& path) {
    if (!json.IsObject()) throw ContextError(path + " must be an object {value, file, line}");
    Finding finding;
    auto value = json.FindMember("value");
    if (value != json.MemberEnd() && value->value.IsInt()) finding.value = std::to_string(value->value.GetInt());
    else finding.value = string_of(json, "value", path, true);
    finding.file = string_of(json, "file", path, false);
    auto line = json.FindMember("line");
    if (line != json.MemberEnd() && !line->value.IsNull()) {
        if (!line->value.IsInt() || line->value.GetInt() < 0) throw ContextError(path + ".line must be an integer >= 0");
        finding.line = line->value.GetInt();
    }
    finding.note = string_of(json, "note", path, false);
    return finding;
}

Finding optional_finding(const rapidjson::Value& object, const char* name, const std::string& path) {
    auto found = object.FindMember(name);
    if (found == object.MemberEnd() || found->value.IsNull()) return {};
    return finding_from(found->value, path + "." + name);
}

std::vector<Finding> finding_list(const rapidjson::Value& object, const char* name, const std::string& path) {
    std::vector<Finding> out;
    auto found = object.FindMember(name);
    if (found == object.MemberEnd() || found->value.IsNull()) return out;
    if (!found->value.IsArray()) throw ContextError(path + "." + name + " must be an array");
    for (rapidjson::SizeType i = 0; i < found->value.Size(); ++i)
        out.push_back(finding_from(found->value[i], path + "." + name + "[" + std::to_string(i) + "]"));
    return out;
}

std::vector<std::string> string_list(const rapidjson::Value& object, const char* name, const std::string& path) {
    std::vector<std::string> out;
    auto found = object.FindMember(name);
    if (found == object.MemberEnd() || found->value.IsNull()) return out;
    if (!found->value.IsArray()) throw ContextError(path + "." + name + " must be an array of strings");
    for (rapidjson::SizeType i = 0; i < found->value.Size(); ++i) {
        if (!found->value[i].IsString())
            throw ContextError(path + "." + name + "[" + std::to_string(i) + "] must be a string");
        out.emplace_back(found->value[i].GetString(), found->value[i].GetStringLength());
    }
    return out;
}

}  // namespace

rapidjson::Document to_json(const RepositoryContext& context) {
    rapidjson::Document document(rapidjson::kObjectType);
    auto& allocator = document.GetAllocator();
    rapidjson::Value repository(rapidjson::kObjectType);
    repository.AddMember("source", text(context.source, allocator), allocator);
    if (!context.commit.empty()) repository.AddMember("commit", text(context.commit, allocator), allocator);
    repository.AddMember("files_scanned", context.files_scanned, allocator);
    document.AddMember("repository", repository, allocator);
    rapidjson::Value services(rapidjson::kArrayType);
    for (const auto& service : context.services) {
        rapidjson::Value entry(rapidjson::kObjectType);
        entry.AddMember("name", text(service.name, allocator), allocator);
        entry.AddMember("path", text(service.path, allocator), allocator);
        add_finding(entry, "language", service.language, allocator);
        add_finding(entry, "language_version", service.language_version, allocator);
        add_finding(entry, "framework", service.framework, allocator);
        add_finding(entry, "package_manager", service.package_manager, allocator);
        add_finding(entry, "entrypoint", service.entrypoint, allocator);
        add_finding(entry, "port", service.port, allocator);
        add_finding(entry, "health_path", service.health_path, allocator);
        entry.AddMember("manifests", strings_json(service.manifests, allocator), allocator);
        entry.AddMember("lock_files", strings_json(service.lock_files, allocator), allocator);
        rapidjson::Value commands(rapidjson::kObjectType);
        for (const auto& [name, command] : service.commands)
            if (command.found()) commands.AddMember(text(name, allocator), finding_json(command, allocator), allocator);
        entry.AddMember("commands", commands, allocator);
        entry.AddMember("env_vars", findings_json(service.env_vars, allocator), allocator);
        entry.AddMember("backing_services", findings_json(service.backing_services, allocator), allocator);
        if (!service.dockerfile.empty()) entry.AddMember("dockerfile", text(service.dockerfile, allocator), allocator);
        services.PushBack(entry, allocator);
    }
    document.AddMember("services", services, allocator);
    rapidjson::Value existing(rapidjson::kObjectType);
    existing.AddMember("dockerfiles", findings_json(context.dockerfiles, allocator), allocator);
    existing.AddMember("iac", findings_json(context.iac, allocator), allocator);
    existing.AddMember("ci", findings_json(context.ci, allocator), allocator);
    document.AddMember("existing", existing, allocator);
    document.AddMember("warnings", strings_json(context.warnings, allocator), allocator);
    return document;
}

RepositoryContext repository_context_from_json(const rapidjson::Value& json) {
    const std::string root = "repository_context";
    if (!json.IsObject()) throw ContextError(root + " must be an object");
    RepositoryContext context;
    auto repository = json.FindMember("repository");
    if (repository != json.MemberEnd() && repository->value.IsObject()) {
        context.source = string_of(repository->value, "source", root + ".repository", false);
        context.commit = string_of(repository->value, "commit", root + ".repository", false);
    }
    auto services = json.FindMember("services");
    if (services == json.MemberEnd() || !services->value.IsArray() || services->value.Empty())
        throw ContextError(root + ".services must be a non-empty array");
    for (rapidjson::SizeType i = 0; i < services->value.Size(); ++i) {
        const auto& entry = services->value[i];
        const std::string path = root + ".services[" + std::to_string(i) + "]";
        if (!entry.IsObject()) throw ContextError(path + " must be an object");
        ServiceContext service;
        service.name = string_of(entry, "name", path, true);
        service.path = string_of(entry, "path", path, false);
        if (service.path.empty()) service.path = ".";
        service.language = optional_finding(entry, "language", path);
        if (!service.language.found()) throw ContextError(path + ".language is missing");
        service.language_version = optional_finding(entry, "language_version", path);
        service.framework = optional_finding(entry, "framework", path);
        service.package_manager = optional_finding(entry, "package_manager", path);
        service.entrypoint = optional_finding(entry, "entrypoint", path);
        service.port = optional_finding(entry, "port", path);
        service.health_path = optional_finding(entry, "health_path", path);
        service.manifests = string_list(entry, "manifests", path);
        service.lock_files = string_list(entry, "lock_files", path);
        auto commands = entry.FindMember("commands");
        if (commands != entry.MemberEnd() && !commands->value.IsNull()) {
            if (!commands->value.IsObject()) throw ContextError(path + ".commands must be an object");
            for (const auto& command : commands->value.GetObject())
                service.commands[command.name.GetString()] =
                    finding_from(command.value, path + ".commands." + command.name.GetString());
        }
        service.env_vars = finding_list(entry, "env_vars", path);
        service.backing_services = finding_list(entry, "backing_services", path);
        service.dockerfile = string_of(entry, "dockerfile", path, false);
        context.services.push_back(std::move(service));
    }
    auto existing = json.FindMember("existing");
    if (existing != json.MemberEnd() && existing->value.IsObject()) {
        context.dockerfiles = finding_list(existing->value, "dockerfiles", root + ".existing");
        context.iac = finding_list(existing->value, "iac", root + ".existing");
        context.ci = finding_list(existing->value, "ci", root + ".existing");
    }
    context.warnings = string_list(json, "warnings", root);
    return context;
}

int port_or(const ServiceContext& service, int fallback) {
    if (!service.port.found()) return fallback;
    char* end = nullptr;
    long port = std::strtol(service.port.value.c_str(), &end, 10);
    if (end == service.port.value.c_str() || *end != '\0' || port < 1 || port > 65535) return fallback;
    return static_cast<int>(port);
}

}  // namespace devkit
