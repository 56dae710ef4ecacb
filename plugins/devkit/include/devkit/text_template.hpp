// Fills the text templates agents write whole files from (scaffolded
// projects, generated test suites): {{name}} is replaced by its value,
// {{#flag}}...{{/flag}} is kept only when the flag is set and
// {{^flag}}...{{/flag}} only when it is not. Sections may nest; "{{{x}}" is
// a literal '{' before {{x}} (path templates: "/items/{{{id}}}"). A name or
// flag the caller did not give is a bug in the template, so it throws
// std::logic_error rather than writing a file with a hole in it.
#pragma once

#include <map>
#include <set>
#include <string>
#include <string_view>

namespace devkit {

struct TemplateValues {
    std::map<std::string, std::string> values;
    std::map<std::string, bool> flags;  // every flag a template uses must be here, true or false
};

std::string render_template(std::string_view text, const TemplateValues& values);

}  // namespace devkit
