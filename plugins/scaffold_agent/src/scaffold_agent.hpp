// One request to the scaffold agent, start to end, without SDK types (so
// tests call it directly): a new project's files, or the review of one.
#pragma once

#include <devkit/artifacts.hpp>
#include <rapidjson/document.h>

#include <string>
#include <string_view>
#include <vector>

#include "project_spec.hpp"
#include "review.hpp"

namespace scaffold {

struct Outcome {
    std::string mode;  // generate | review
    ProjectSpec spec;
    std::vector<devkit::Artifact> artifacts;
    std::vector<Finding> findings;
    std::size_t files_reviewed = 0;
    std::string summary;
};

// Throws InputError (or devkit::FieldError) naming the field.
Outcome handle(const rapidjson::Value& context, std::string_view task);

rapidjson::Document result_json(const Outcome& outcome);

}  // namespace scaffold
