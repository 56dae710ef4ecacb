// Which mode and input a request brings, and what each returns.
#include <devkit/context_fields.hpp>
#include <devkit/text.hpp>

#include <regex>

#include "contract_suite.hpp"
#include "python_module.hpp"
#include "testing_agent.hpp"

namespace testgen {
namespace {

constexpr std::size_t max_source_bytes = 2 * 1024 * 1024;

const rapidjson::Value* spec_of(const rapidjson::Value& context, std::string& field) {
    for (const char* name : {"spec", "openapi"}) {
        if (const rapidjson::Value* v = devkit::field(context, name)) {
            field = std::string("context.") + name;
            return v;
        }
    }
    return nullptr;
}

std::string base_url_of(const rapidjson::Value& context, const OpenApiInput& input) {
    static const std::regex http(R"(^https?://[^\s/?#]+(/[^\s?#]*)?$)");
    if (auto given = devkit::string_field(context, "base_url", "context.base_url")) {
        if (!std::regex_match(*given, http))
            throw InputError("context.base_url must be an http(s) URL such as http://127.0.0.1:8000, not '" + *given + "'");
        return *given;
    }
    if (std::regex_match(input.api.server_url, http)) return input.api.server_url;
    return "http://127.0.0.1:8000";
}

std::vector<TestFile> read_tests(const rapidjson::Value& value) {
    std::vector<TestFile> files;
    if (value.IsString()) {
        files.push_back({"tests", std::string(value.GetString(), value.GetStringLength())});
    } else if (value.IsArray()) {
        for (rapidjson::SizeType i = 0; i < value.Size(); ++i) {
            const std::string at = "context.tests[" + std::to_string(i) + "]";
            const auto& item = value[i];
            if (item.IsString()) {
                files.push_back({at, item.GetString()});
                continue;
            }
            if (!item.IsObject()) throw InputError(at + " must be {path, content} or the test code");
            auto content = devkit::string_field(item, "content", at + ".content");
            if (!content) throw InputError(at + ".content is required");
            files.push_back({devkit::string_field(item, "path", at + ".path").value_or(at), *content});
        }
    } else if (value.IsObject()) {
        for (const auto& m : value.GetObject()) {
            const std::string path = m.name.GetString();
            if (!m.value.IsString()) throw InputError("context.tests." + path + " must be the test code");
            files.push_back({path, m.value.GetString()});
        }
    } else {
        throw InputError("context.tests must be test code, a list of {path, content} or an object of path: code");
    }
    if (files.empty()) throw InputError("context.tests is empty: give the test suite to review");
    return files;
}

std::string module_name_of(const rapidjson::Value& context) {
    std::string name = devkit::string_field(context, "module_name", "context.module_name").value_or("");
    if (name.empty()) {
        std::string path = devkit::string_field(context, "path", "context.path").value_or("");
        const auto slash = path.find_last_of('/');
        if (slash != std::string::npos) path = path.substr(slash + 1);
        if (devkit::ends_with(path, ".py")) path.resize(path.size() - 3);
        name = path;
    }
    if (name.empty()) return "module";
    static const std::regex identifier(R"([A-Za-z_][A-Za-z0-9_]{0,99})");
    if (!std::regex_match(name, identifier))
        throw InputError("context.module_name must be a Python module name (letters, digits, _), not '" + name + "'");
    return name;
}

std::string plural(std::size_t n, const char* one, const char* many) {
    return std::to_string(n) + " " + (n == 1 ? one : many);
}

}  // namespace

Outcome handle(const rapidjson::Value& context, std::string_view task) {
    if (!context.IsObject()) throw InputError("context must be an object");
    std::string spec_field;
    const rapidjson::Value* spec = spec_of(context, spec_field);
    const rapidjson::Value* tests = devkit::field(context, "tests");
    const auto source = devkit::string_field(context, "source", "context.source");
    std::string mode = devkit::string_field(context, "mode", "context.mode").value_or(tests != nullptr ? "review" : "generate");
    Outcome out;
    out.mode = mode;
    if (mode == "review") {
        if (spec == nullptr) throw InputError("review mode needs context.spec: the OpenAPI document the tests are for");
        if (tests == nullptr) throw InputError("review mode needs context.tests: the test suite to check");
        OpenApiInput input;
        read_openapi_input(*spec, spec_field, input);
        const auto files = read_tests(*tests);
        out.coverage = review_coverage(input, files);
        const auto& c = out.coverage;
        out.summary = std::to_string(c.operations_covered) + " of " + plural(c.operations, "operation", "operations") +
                      " and " + std::to_string(c.responses_covered) + " of " +
                      plural(c.responses, "declared response", "declared responses") + " covered by " +
                      plural(c.tests_found, "test", "tests");
        if (!c.uncovered_operations.empty()) {
            out.summary += "; never called:";
            for (const auto& g : c.uncovered_operations) out.summary += " " + g.operation_id;
        }
        return out;
    }
    if (mode != "generate") throw InputError("context.mode must be generate or review, not '" + mode + "'");
    if (spec != nullptr) {
        OpenApiInput input;
        read_openapi_input(*spec, spec_field, input);
        out.kind = "openapi_contract";
        out.base_url = base_url_of(context, input);
        const std::string directory = devkit::string_field(context, "directory", "context.directory").value_or("tests/contract");
        static const std::regex safe_dir(R"(^[A-Za-z0-9_][A-Za-z0-9_./-]{0,199}$)");
        if (!std::regex_match(directory, safe_dir) || directory.find("..") != std::string::npos)
            throw InputError("context.directory must be a relative folder such as tests/contract, not '" + directory + "'");
        ContractSuite suite = contract_suite(input, out.base_url, directory);
        out.artifacts = std::move(suite.files);
        out.operations = suite.operations;
        out.tests = suite.positive_tests + suite.negative_tests;
        out.negative_tests = suite.negative_tests;
        out.warnings = std::move(suite.warnings);
        out.summary = "contract suite for " + plural(out.operations, "operation", "operations") + ": " +
                      plural(out.tests, "test", "tests") + " (" + std::to_string(out.negative_tests) +
                      " negative), standard-library HTTP against " + out.base_url + " (API_BASE_URL overrides)";
        return out;
    }
    if (source) {
        if (source->size() > max_source_bytes) throw InputError("context.source is larger than 2 MiB");
        if (source->find_first_not_of(" \t\r\n") == std::string::npos) throw InputError("context.source is empty");
        const std::string module = module_name_of(context);
        PythonTests generated = python_tests(*source, module, false);
        if (generated.functions == 0)
            throw InputError("context.source has no public top-level function to test (def name(...) not starting with _)");
        out.kind = "python_unit";
        out.artifacts = std::move(generated.files);
        out.functions = generated.functions;
        out.tests = generated.tests;
        out.warnings = std::move(generated.warnings);
        out.summary = "pytest tests for " + plural(out.functions, "public function", "public functions") + " of " +
                      module + ".py: " + plural(out.tests, "test", "tests") + ", " +
                      plural(generated.doc_examples, "docstring example", "docstring examples") + " checked";
        return out;
    }
    (void)task;
    throw InputError("context.spec (an OpenAPI 3 document) or context.source (a Python module) is needed to write tests");
}

rapidjson::Document result_json(const Outcome& outcome) {
    rapidjson::Document result(rapidjson::kObjectType);
    auto& a = result.GetAllocator();
    auto text = [&a](const std::string& value) {
        return rapidjson::Value(value.c_str(), static_cast<rapidjson::SizeType>(value.size()), a);
    };
    auto gaps = [&](const std::vector<Gap>& list, bool with_status) {
        rapidjson::Value out(rapidjson::kArrayType);
        for (const auto& g : list) {
            rapidjson::Value entry(rapidjson::kObjectType);
            entry.AddMember("operation_id", text(g.operation_id), a);
            entry.AddMember("method", text(g.method), a);
            entry.AddMember("path", text(g.path), a);
            if (with_status) entry.AddMember("status", text(g.status), a);
            out.PushBack(entry, a);
        }
        return out;
    };
    result.AddMember("mode", text(outcome.mode), a);
    result.AddMember("summary", text(outcome.summary), a);
    if (outcome.mode == "review") {
        const auto& c = outcome.coverage;
        rapidjson::Value coverage(rapidjson::kObjectType);
        coverage.AddMember("operations", static_cast<uint64_t>(c.operations), a);
        coverage.AddMember("operations_covered", static_cast<uint64_t>(c.operations_covered), a);
        coverage.AddMember("responses", static_cast<uint64_t>(c.responses), a);
        coverage.AddMember("responses_covered", static_cast<uint64_t>(c.responses_covered), a);
        coverage.AddMember("tests_found", static_cast<uint64_t>(c.tests_found), a);
        result.AddMember("coverage", coverage, a);
        result.AddMember("uncovered_operations", gaps(c.uncovered_operations, false), a);
        result.AddMember("uncovered_responses", gaps(c.uncovered_responses, true), a);
        return result;
    }
    result.AddMember("kind", text(outcome.kind), a);
    result.AddMember("artifacts", devkit::artifacts_json(outcome.artifacts, result), a);
    if (outcome.kind == "openapi_contract") {
        result.AddMember("base_url", text(outcome.base_url), a);
        result.AddMember("operations", static_cast<uint64_t>(outcome.operations), a);
        result.AddMember("negative_tests", static_cast<uint64_t>(outcome.negative_tests), a);
    } else {
        result.AddMember("functions", static_cast<uint64_t>(outcome.functions), a);
    }
    result.AddMember("tests", static_cast<uint64_t>(outcome.tests), a);
    rapidjson::Value warnings(rapidjson::kArrayType);
    for (const auto& w : outcome.warnings) warnings.PushBack(text(w), a);
    result.AddMember("warnings", warnings, a);
    return result;
}

}  // namespace testgen
