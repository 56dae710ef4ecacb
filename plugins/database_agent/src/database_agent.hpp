// One request to the database agent, start to end, without SDK types (so
// tests call it directly): the mode, what it wrote or found, the summary.
#pragma once

#include <rapidjson/document.h>

#include <string>
#include <string_view>
#include <vector>

#include "schema.hpp"

namespace dbagent {

struct Outcome {
    std::string mode;  // generate | evolve | review
    Dialect dialect = Dialect::postgresql;
    std::vector<devkit::Artifact> artifacts;
    std::vector<std::string> tables;
    std::vector<std::string> warnings;
    std::vector<std::string> assumptions;
    std::vector<Finding> findings;
    std::size_t files_reviewed = 0;
    std::string summary;
};

// Throws InputError (or devkit::FieldError) naming the field.
Outcome handle(const rapidjson::Value& context, std::string_view task);

rapidjson::Document result_json(const Outcome& outcome);

}  // namespace dbagent
