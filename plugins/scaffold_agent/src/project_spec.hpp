// What to scaffold: the stack, the project's name and the features, read
// from the request's context or, for what the context leaves out, from the
// task's words ("Create a FastAPI project called inventory with postgres
// and docker"). Plain C++, no SDK types.
#pragma once

#include <rapidjson/document.h>

#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace scaffold {

enum class Stack { python_fastapi, node_express, go_http };
enum class Database { none, sqlite, postgres };
enum class Ci { none, github, harness };

struct ProjectSpec {
    Stack stack = Stack::python_fastapi;
    std::string name;      // kebab-case, a DNS label: the package, module and image name
    std::string resource;  // the example resource, singular snake_case ("item")
    Database database = Database::none;
    bool docker = true;
    Ci ci = Ci::github;
    bool tests = true;
    std::vector<std::string> assumptions;  // what was guessed, said back to the caller
};

// Bad input: the message starts with the field ("context.stack ...").
struct InputError : std::invalid_argument {
    using std::invalid_argument::invalid_argument;
};

std::string stack_name(Stack stack);      // python-fastapi | node-express | go-http
std::string database_name(Database db);   // none | sqlite | postgres
std::string ci_name(Ci ci);               // none | github | harness

// What the task's words say; every member empty/unset that they do not.
struct TextHints {
    std::string stack;     // a stack name, or ""
    std::string name;      // as written ("inventory", "Order Service"), or ""
    std::string resource;  // as written, or ""
    std::string database;  // none | sqlite | postgres | "" ; "mysql" etc. kept to be refused
    int docker = -1;       // 1 asked, 0 refused, -1 not said
    std::string ci;        // none | github | harness | ""
    int tests = -1;
};

TextHints read_task_text(std::string_view task);

// The context first, the task's words for the rest, defaults last (named in
// assumptions). Throws InputError or devkit::FieldError naming the field.
ProjectSpec read_spec(const rapidjson::Value& context, std::string_view task);

// "Order Service" -> "order-service"; "" when nothing usable is left.
std::string project_slug(std::string_view name);

// snake_case singular of a resource name ("Products" -> "product").
std::string resource_identifier(std::string_view name);

}  // namespace scaffold
