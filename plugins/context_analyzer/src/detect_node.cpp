// Node.js services: package.json (read as JSON, lines found by the key).
#include <rapidjson/document.h>

#include "analyzer.hpp"

namespace ctx {
namespace {

using detail::finding;
using detail::first_match;

std::string joined(const SourceFile& file) {
    std::string text;
    for (const auto& line : file.lines) text += line + "\n";
    return text;
}

// The line declaring "key": in the file (0 when not found).
int key_line(const SourceFile& file, const std::string& key) {
    const std::string quoted = "\"" + key + "\"";
    for (std::size_t i = 0; i < file.lines.size(); ++i) {
        auto at = file.lines[i].find(quoted);
        if (at == std::string::npos) continue;
        auto rest = file.lines[i].find_first_not_of(" \t", at + quoted.size());
        if (rest != std::string::npos && file.lines[i][rest] == ':') return static_cast<int>(i + 1);
    }
    return 0;
}

std::string string_member(const rapidjson::Value& object, const char* name) {
    if (!object.IsObject()) return {};
    auto found = object.FindMember(name);
    return found != object.MemberEnd() && found->value.IsString() ? found->value.GetString() : "";
}

}  // namespace

bool detect_node(const ServiceFiles& files, devkit::ServiceContext& service) {
    const SourceFile* manifest = files.file("package.json");
    if (manifest == nullptr) return false;
    rapidjson::Document package;
    package.Parse(joined(*manifest).c_str());
    if (package.HasParseError() || !package.IsObject()) {
        service.language = finding("javascript", *manifest, 0, service.path, "package.json is not valid JSON");
        return true;
    }
    service.manifests.push_back("package.json");
    std::vector<Dependency> dependencies;
    for (const char* group : {"dependencies", "devDependencies"}) {
        auto found = package.FindMember(group);
        if (found == package.MemberEnd() || !found->value.IsObject()) continue;
        for (const auto& member : found->value.GetObject())
            dependencies.push_back({member.name.GetString(), manifest->path, key_line(*manifest, member.name.GetString())});
    }
    auto dependency = [&dependencies](const char* name) -> const Dependency* {
        for (const auto& entry : dependencies)
            if (entry.name == name) return &entry;
        return nullptr;
    };
    const bool typescript = dependency("typescript") != nullptr || files.file("tsconfig.json") != nullptr;
    service.language = finding(typescript ? "typescript" : "javascript", *manifest, 0, service.path);
    auto engines = package.FindMember("engines");
    if (engines != package.MemberEnd()) {
        std::string node = string_member(engines->value, "node");
        auto digit = node.find_first_of("0123456789");
        if (digit != std::string::npos) {
            auto end = node.find_first_not_of("0123456789", digit);
            service.language_version = finding(node.substr(digit, end - digit), *manifest, key_line(*manifest, "node"),
                                               service.path);
        }
    }
    for (const char* name : {"@nestjs/core", "express", "fastify", "koa", "@hapi/hapi", "next"}) {
        if (const Dependency* framework = dependency(name)) {
            service.framework = devkit::Finding{framework->name, framework->file, framework->line, ""};
            break;
        }
    }

    std::string runner = "npm";
    if (files.file("yarn.lock") != nullptr) {
        runner = "yarn";
        service.lock_files.push_back("yarn.lock");
    } else if (files.file("pnpm-lock.yaml") != nullptr) {
        runner = "pnpm";
        service.lock_files.push_back("pnpm-lock.yaml");
    } else if (files.file("package-lock.json") != nullptr) {
        service.lock_files.push_back("package-lock.json");
    } else if (files.file("npm-shrinkwrap.json") != nullptr) {
        service.lock_files.push_back("npm-shrinkwrap.json");
    }
    const SourceFile* lock = service.lock_files.empty() ? manifest : files.file(service.lock_files.front());
    service.package_manager = finding(runner, *lock, 0, service.path,
                                      service.lock_files.empty() ? "no lock file: versions are not pinned" : "");
    std::string install = runner == "yarn"   ? "yarn install --frozen-lockfile"
                          : runner == "pnpm" ? "pnpm install --frozen-lockfile"
                          : service.lock_files.empty() ? "npm install"
                                                       : "npm ci";
    service.commands["install"] = finding(install, *lock, 0, service.path);

    auto scripts = package.FindMember("scripts");
    if (scripts != package.MemberEnd() && scripts->value.IsObject()) {
        for (const char* name : {"build", "test", "start"}) {
            std::string script = string_member(scripts->value, name);
            if (script.empty()) continue;
            std::string command = std::string(name) == "test"    ? runner + " test"
                                  : std::string(name) == "start" ? runner + " start"
                                                                 : runner + " run build";
            service.commands[name] = finding(command, *manifest, key_line(*manifest, name), service.path, script);
        }
    }
    std::string main = string_member(package, "main");
    if (!main.empty()) {
        service.entrypoint = finding(main, *manifest, key_line(*manifest, "main"), service.path);
    } else if (service.commands.count("start") != 0) {
        static const std::regex node_file(R"re(\bnode\s+([A-Za-z0-9_./-]+\.[cm]?js))re");
        std::smatch match;
        const std::string& script = service.commands["start"].note;
        if (std::regex_search(script, match, node_file))
            service.entrypoint = finding(match[1].str(), *manifest, service.commands["start"].line, service.path);
    }
    if (!service.entrypoint.found())
        for (const char* name : {"server.js", "index.js", "app.js", "src/server.js", "src/index.js", "src/main.ts"})
            if (const SourceFile* file = files.file(name)) {
                service.entrypoint = finding(name, *file, 0, service.path);
                break;
            }
    if (service.commands.count("start") == 0 && service.entrypoint.found())
        service.commands["start"] = finding("node " + service.entrypoint.value, *manifest, 0, service.path);

    std::vector<const SourceFile*> sources;
    for (const char* suffix : {".js", ".mjs", ".cjs", ".ts"})
        for (const SourceFile* file : files.with_suffix(suffix)) sources.push_back(file);
    static const std::regex listen_literal(R"re(\.listen\(\s*([0-9]{2,5})\b)re");
    static const std::regex port_fallback(R"re(PORT\s*(?:\|\||\?\?)\s*["']?([0-9]{2,5}))re");
    static const std::regex port_assignment(R"re(\b(?:const|let|var)\s+port\s*=\s*([0-9]{2,5})\b)re");
    for (const std::regex* pattern : {&listen_literal, &port_fallback, &port_assignment}) {
        service.port = finding(first_match(sources, *pattern), service.path);
        if (service.port.found()) break;
    }
    static const std::regex health(R"re(\.(?:get|route|all)\(\s*["'`](/(?:health|healthz|ready|readyz|livez|ping|status)/?)["'`])re");
    service.health_path = finding(first_match(sources, health), service.path);
    static const std::regex environ(R"re(process\.env\.([A-Za-z_][A-Za-z0-9_]*)|process\.env\[\s*["']([A-Za-z_][A-Za-z0-9_]*)["']\s*\])re");
    for (const auto& match : detail::all_matches(sources, environ, 0)) {
        std::smatch groups;
        std::regex_search(match.value, groups, environ);
        service.env_vars.push_back(finding(groups[1].matched ? groups[1].str() : groups[2].str(), *match.file,
                                           match.line, service.path));
    }
    service.backing_services = backing_services(dependencies, service.path);
    return true;
}

}  // namespace ctx
