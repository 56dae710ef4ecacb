// The request's context first, then the task's words, then defaults.
#include "project_spec.hpp"

#include <devkit/context_fields.hpp>
#include <devkit/kubernetes_conventions.hpp>
#include <devkit/text.hpp>

namespace scaffold {
namespace {

Stack parse_stack(const std::string& value, const std::string& field) {
    const std::string v = devkit::lower(value);
    if (v == "python-fastapi" || v == "fastapi" || v == "python") return Stack::python_fastapi;
    if (v == "node-express" || v == "express" || v == "node" || v == "typescript" || v == "node-express-ts")
        return Stack::node_express;
    if (v == "go-http" || v == "go" || v == "golang") return Stack::go_http;
    throw InputError(field + " must be python-fastapi, node-express or go-http, not '" + value + "'");
}

Database parse_database(const std::string& value, const std::string& field) {
    const std::string v = devkit::lower(value);
    if (v == "none" || v.empty()) return Database::none;
    if (v == "sqlite" || v == "sqlite3") return Database::sqlite;
    if (v == "postgres" || v == "postgresql" || v == "pg") return Database::postgres;
    throw InputError(field + " must be postgres, sqlite or none, not '" + value + "'");
}

Ci parse_ci(const std::string& value, const std::string& field) {
    const std::string v = devkit::lower(value);
    if (v == "none") return Ci::none;
    if (v == "github" || v == "github-actions" || v == "github_actions") return Ci::github;
    if (v == "harness") return Ci::harness;
    throw InputError(field + " must be github, harness or none, not '" + value + "'");
}

}  // namespace

std::string stack_name(Stack stack) {
    switch (stack) {
        case Stack::node_express: return "node-express";
        case Stack::go_http: return "go-http";
        case Stack::python_fastapi: break;
    }
    return "python-fastapi";
}

std::string database_name(Database db) {
    return db == Database::postgres ? "postgres" : db == Database::sqlite ? "sqlite" : "none";
}

std::string ci_name(Ci ci) { return ci == Ci::github ? "github" : ci == Ci::harness ? "harness" : "none"; }

std::string project_slug(std::string_view name) {
    std::string slug = devkit::kubernetes::to_dns_label(name);
    // Also a Go module path, a Python distribution and an npm name: start with a letter.
    while (!slug.empty() && !(slug[0] >= 'a' && slug[0] <= 'z')) slug.erase(0, 1);
    while (!slug.empty() && slug.back() == '-') slug.pop_back();
    return slug;
}

std::string resource_identifier(std::string_view name) {
    std::string out;
    for (char c : name) {
        const unsigned char u = static_cast<unsigned char>(c);
        if (std::isalnum(u)) out += static_cast<char>(std::tolower(u));
        else if (!out.empty() && out.back() != '_') out += '_';
    }
    while (!out.empty() && out.back() == '_') out.pop_back();
    while (!out.empty() && !(out[0] >= 'a' && out[0] <= 'z')) out.erase(0, 1);
    if (out.size() > 3 && devkit::ends_with(out, "ies")) out = out.substr(0, out.size() - 3) + "y";
    else if (out.size() > 3 && (devkit::ends_with(out, "ses") || devkit::ends_with(out, "xes")))
        out.pop_back(), out.pop_back();
    else if (out.size() > 2 && out.back() == 's' && !devkit::ends_with(out, "ss")) out.pop_back();
    if (out.size() > 40) out.resize(40);
    return out;
}

ProjectSpec read_spec(const rapidjson::Value& context, std::string_view task) {
    if (!context.IsObject()) throw InputError("context must be an object");
    const TextHints hints = read_task_text(task);
    ProjectSpec spec;

    auto stack = devkit::string_field(context, "stack", "context.stack");
    if (!stack) stack = devkit::string_field(context, "language", "context.language");
    if (stack) spec.stack = parse_stack(*stack, devkit::field(context, "stack") ? "context.stack" : "context.language");
    else if (!hints.stack.empty()) spec.stack = parse_stack(hints.stack, "task");
    else spec.assumptions.push_back("stack: python-fastapi (the task names no language; set context.stack)");

    if (auto name = devkit::string_field(context, "name", "context.name")) {
        spec.name = project_slug(*name);
        if (spec.name.empty())
            throw InputError("context.name must contain letters (it becomes the package and image name), not '" +
                             *name + "'");
    } else if (!hints.name.empty()) {
        spec.name = project_slug(hints.name);
    }
    if (spec.name.empty()) {
        spec.name = stack_name(spec.stack) == "go-http" ? "go-service" : stack_name(spec.stack) == "node-express"
                                                                             ? "express-service"
                                                                             : "fastapi-service";
        spec.assumptions.push_back("name: " + spec.name + " (the task names no project; set context.name)");
    }

    std::string resource = devkit::string_field(context, "resource", "context.resource").value_or(hints.resource);
    if (devkit::field(context, "resource") != nullptr && resource_identifier(resource).empty())
        throw InputError("context.resource must be a word such as \"products\", not '" + resource + "'");
    spec.resource = resource_identifier(resource);
    if (spec.resource.empty()) spec.resource = "item";

    const rapidjson::Value* features = devkit::field(context, "features");
    if (features != nullptr && !features->IsObject()) throw InputError("context.features must be an object");
    const rapidjson::Value& f = features != nullptr ? *features : context;
    const std::string prefix = features != nullptr ? "context.features." : "context.";

    if (auto db = devkit::string_field(f, "database", prefix + "database")) {
        spec.database = parse_database(*db, prefix + "database");
    } else if (!hints.database.empty()) {
        if (hints.database != "none" && hints.database != "sqlite" && hints.database != "postgres")
            throw InputError("task: asks for " + hints.database +
                             ", but the templates offer postgres, sqlite or none (set context.features.database)");
        spec.database = parse_database(hints.database, "task");
    }
    if (auto docker = devkit::bool_field(f, "docker", prefix + "docker")) spec.docker = *docker;
    else if (hints.docker >= 0) spec.docker = hints.docker == 1;
    if (auto ci = devkit::string_field(f, "ci", prefix + "ci")) spec.ci = parse_ci(*ci, prefix + "ci");
    else if (!hints.ci.empty()) spec.ci = parse_ci(hints.ci, "task");
    if (auto tests = devkit::bool_field(f, "tests", prefix + "tests")) spec.tests = *tests;
    else if (hints.tests >= 0) spec.tests = hints.tests == 1;
    return spec;
}

}  // namespace scaffold
