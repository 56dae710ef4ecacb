// Test helpers: fixtures read and analysed.
#ifndef INCIDENT_AGENT_TESTS_SUPPORT_HPP
#define INCIDENT_AGENT_TESTS_SUPPORT_HPP

#include <json_schema.hpp>

#include <string>

#include "incident.hpp"

namespace incident_test {

inline rapidjson::Document fixture(const std::string& name) {
    return textkit::testing::read_json_file(std::string(INCIDENT_FIXTURES) + "/" + name + ".json");
}

inline incident::Analysis analyse_fixture(const std::string& name) {
    return incident::analyse(incident::read_input(fixture(name)));
}

inline incident::Input input_of(const std::string& context_json) {
    return incident::read_input(textkit::testing::parse_json(context_json));
}

}  // namespace incident_test

#endif
