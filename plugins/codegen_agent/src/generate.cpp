#include "generate.hpp"

#include <regex>

#include <apispec/api_reader.hpp>
#include "api.hpp"
#include "errors.hpp"
#include <apispec/identifiers.hpp>
#include "python_emitter.hpp"
#include "typescript_emitter.hpp"

namespace codegen {
namespace {

std::string derived_package(const std::string& title) {
    std::string name = snake_case(title);
    if (name.empty()) return "api_client";
    if (std::isdigit(static_cast<unsigned char>(name[0]))) name = "api_" + name;
    if (is_reserved(Language::python, name)) name += "_api";
    return name;
}

std::string derived_client(const std::string& title) {
    std::string name = pascal_case(title);
    if (name.empty()) name = "Api";
    if (std::isdigit(static_cast<unsigned char>(name[0]))) name = "Api" + name;
    if (name.size() < 6 || name.compare(name.size() - 6, 6, "Client") != 0) name += "Client";
    return name;
}

std::string join(const std::vector<std::string>& items, const std::string& separator) {
    std::string out;
    for (std::size_t i = 0; i < items.size(); ++i) out += (i == 0 ? "" : separator) + items[i];
    return out;
}

}  // namespace

Generated generate(const Request& request, const Config& config, const Progress& progress) {
    auto report = [&](const std::string& message, double fraction) {
        if (progress) progress(message, fraction);
    };
    const Api api = read_api(request.spec, request.client_name.empty() ? "Model" : request.client_name);
    const bool openapi = api.source == Api::Source::openapi;
    Generated generated;
    generated.source = openapi ? "openapi" : "json_schema";
    generated.models = api.models.size();
    generated.operations = api.operations.size();
    generated.warnings = api.warnings;
    std::vector<std::string> notes = request.notes;
    report("read " + std::string(openapi ? "OpenAPI " + api.spec_version + " document" : "JSON Schema") + " '" +
               api.title + "': " + std::to_string(api.models.size()) + " models, " +
               std::to_string(api.operations.size()) + " operations",
           0.3);

    generated.package_name = request.package_name;
    if (generated.package_name.empty()) {
        generated.package_name = derived_package(api.title);
        notes.push_back("package_name: " + generated.package_name + " (derived from the title)");
    } else if (!std::regex_match(generated.package_name, std::regex("^[a-z_][a-z0-9_]*$")) ||
               is_reserved(Language::python, generated.package_name)) {
        throw InputError("context.package_name '" + generated.package_name +
                         "' is not a usable package name: lower case letters, digits and _, not a Python keyword");
    }
    if (openapi) {
        generated.client_name = request.client_name;
        if (generated.client_name.empty()) {
            generated.client_name = derived_client(api.title);
            notes.push_back("client_name: " + generated.client_name + " (derived from the title)");
        } else if (!std::regex_match(generated.client_name, std::regex("^[A-Za-z_][A-Za-z0-9_]*$")) ||
                   is_reserved(Language::python, generated.client_name) ||
                   is_reserved(Language::typescript, generated.client_name)) {
            throw InputError("context.client_name '" + generated.client_name +
                             "' is not a usable class name: letters, digits and _, not a reserved word");
        }
    } else if (!request.client_name.empty()) {
        notes.push_back("client_name: not used, a JSON Schema has no operations (it names the root model)");
    }

    std::vector<std::string> described;
    if (request.python) {
        PythonOptions options{generated.package_name, generated.client_name, config.python_min_minor, "python"};
        auto files = emit_python(api, options);
        const std::string folder = "python/" + generated.package_name;
        described.push_back("a Python 3." + std::to_string(config.python_min_minor) + "+ package in " + folder +
                            " (models.py: " + std::to_string(api.models.size()) + " dataclass/Literal models" +
                            (openapi ? "; client.py: " + generated.client_name + " with " +
                                           std::to_string(api.operations.size()) +
                                           " methods over urllib.request, raising ApiError on non-2xx"
                                     : std::string()) +
                            ")");
        generated.languages.push_back("python");
        for (auto& file : files) generated.artifacts.push_back(std::move(file));
        report("generated Python (" + folder + ")", request.typescript ? 0.6 : 1.0);
    }
    if (request.typescript) {
        TypeScriptOptions options{generated.package_name, generated.client_name, "typescript"};
        auto files = emit_typescript(api, options);
        const std::string folder = "typescript/" + generated.package_name;
        described.push_back("a TypeScript module in " + folder + " (models.ts: " + std::to_string(api.models.size()) +
                            " interfaces and types" +
                            (openapi ? "; client.ts: " + generated.client_name + " with " +
                                           std::to_string(api.operations.size()) +
                                           " async methods over fetch, throwing ApiError on non-2xx"
                                     : std::string()) +
                            ")");
        generated.languages.push_back("typescript");
        for (auto& file : files) generated.artifacts.push_back(std::move(file));
        report("generated TypeScript (" + folder + ")", 1.0);
    }

    std::string source = openapi ? "the OpenAPI " + api.spec_version + " document '" + api.title + "'" +
                                       (api.version.empty() ? "" : " " + api.version)
                                 : "the JSON Schema '" + api.title + "' (models only: a schema has no operations)";
    generated.summary =
        "Generated " + join(described, " and ") + " from " + source + ", read from " + request.spec_origin + ". " +
        std::to_string(api.models.size()) + " models" +
        (openapi ? ", " + std::to_string(api.operations.size()) + " operations" : std::string()) +
        "; every $ref resolved locally." +
        (notes.empty() ? std::string() : " Defaults and choices: " + join(notes, "; ") + ".") +
        (generated.warnings.empty() ? std::string()
                                    : " " + std::to_string(generated.warnings.size()) + " warning(s), see warnings.");
    return generated;
}

}  // namespace codegen
