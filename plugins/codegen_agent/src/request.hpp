// What the caller asked for: the API description (from context.spec or
// found inside a free-text task), the languages and the names, with every
// default recorded so the summary can state it.
#ifndef CODEGEN_REQUEST_HPP
#define CODEGEN_REQUEST_HPP

#include <rapidjson/document.h>

#include <string>
#include <string_view>
#include <vector>

namespace codegen {

// The agent's config (manifest config_schema).
struct Config {
    std::string default_language = "both";  // python | typescript | both
    int python_min_minor = 8;               // python_min_version "3.8" -> 8
};
// Throws std::invalid_argument naming the member that is wrong.
Config config_from_json(const rapidjson::Value& config);

struct Request {
    rapidjson::Document spec;
    std::string spec_origin;  // where the document came from, for the summary
    bool python = true;
    bool typescript = true;
    std::string client_name;         // empty: derived from the title
    std::string package_name;        // empty: derived from the title
    std::vector<std::string> notes;  // defaults applied and what was read from the task
};

// Reads context and task. Throws InputError when no document can be found
// and SpecError when the document found does not parse.
Request request_from(std::string_view task, const rapidjson::Value& context, const Config& config);

}  // namespace codegen

#endif
