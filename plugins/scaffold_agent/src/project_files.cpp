#include "project_files.hpp"

#include <devkit/text.hpp>

#include <algorithm>

namespace scaffold {
namespace {

std::string plural_of(const std::string& word) {
    if (devkit::ends_with(word, "y") && word.size() > 1 && std::string("aeiou").find(word[word.size() - 2]) == std::string::npos)
        return word.substr(0, word.size() - 1) + "ies";
    if (devkit::ends_with(word, "s") || devkit::ends_with(word, "x") || devkit::ends_with(word, "ch") ||
        devkit::ends_with(word, "sh"))
        return word + "es";
    return word + "s";
}

std::string pascal(const std::string& snake) {
    std::string out;
    bool up = true;
    for (char c : snake) {
        if (c == '_' || c == '-') {
            up = true;
            continue;
        }
        out += up ? static_cast<char>(std::toupper(static_cast<unsigned char>(c))) : c;
        up = false;
    }
    return out;
}

std::string media_type_of(const std::string& path) {
    if (devkit::ends_with(path, ".py")) return "text/x-python";
    if (devkit::ends_with(path, ".go")) return "text/x-go";
    if (devkit::ends_with(path, ".ts")) return "text/x-typescript";
    if (devkit::ends_with(path, ".json")) return "application/json";
    if (devkit::ends_with(path, ".yml") || devkit::ends_with(path, ".yaml")) return "application/yaml";
    if (devkit::ends_with(path, ".md")) return "text/markdown";
    if (devkit::ends_with(path, ".sql")) return "application/sql";
    if (devkit::ends_with(path, "Dockerfile")) return "text/x-dockerfile";
    if (devkit::ends_with(path, "Makefile")) return "text/x-makefile";
    return "text/plain";
}

}  // namespace

devkit::TemplateValues template_values(const ProjectSpec& spec) {
    devkit::TemplateValues v;
    std::string snake = spec.name;
    std::replace(snake.begin(), snake.end(), '-', '_');
    const std::string plural = plural_of(spec.resource);
    v.values = {{"name", spec.name},
                {"name_snake", snake},
                {"resource", spec.resource},
                {"resource_plural", plural},
                {"Resource", pascal(spec.resource)},
                {"ResourcePlural", pascal(plural)},
                {"resourceCamel", [&] {
                     std::string p = pascal(spec.resource);
                     p[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(p[0])));
                     return p;
                 }()},
                {"stack", stack_name(spec.stack)},
                {"database_name", database_name(spec.database)}};
    v.flags = {{"database", spec.database != Database::none},
               {"sqlite", spec.database == Database::sqlite},
               {"postgres", spec.database == Database::postgres},
               {"docker", spec.docker},
               {"tests", spec.tests},
               {"github", spec.ci == Ci::github},
               {"harness", spec.ci == Ci::harness},
               {"python", spec.stack == Stack::python_fastapi},
               {"node", spec.stack == Stack::node_express},
               {"go", spec.stack == Stack::go_http}};
    return v;
}

devkit::Artifact file(const std::string& path, std::string_view text, const devkit::TemplateValues& values) {
    return {path, devkit::render_template(text, values), media_type_of(path)};
}

std::vector<devkit::Artifact> project_files(const ProjectSpec& spec) {
    std::vector<devkit::Artifact> files;
    switch (spec.stack) {
        case Stack::python_fastapi: files = python_fastapi_files(spec); break;
        case Stack::node_express: files = node_express_files(spec); break;
        case Stack::go_http: files = go_http_files(spec); break;
    }
    files.push_back(gitignore(spec));
    files.push_back(readme(spec));
    if (spec.docker) {
        files.push_back(dockerfile(spec));
        files.push_back(dockerignore(spec));
    }
    for (auto& f : ci_files(spec)) files.push_back(std::move(f));
    std::sort(files.begin(), files.end(), [](const auto& a, const auto& b) { return a.path < b.path; });
    return files;
}

}  // namespace scaffold
