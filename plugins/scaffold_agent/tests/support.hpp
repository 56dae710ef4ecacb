// Helpers for the scaffold_agent tests: a request from a task and context
// JSON, and finding a file among the artifacts.
#pragma once

#include <catch2/catch.hpp>
#include <rapidjson/document.h>

#include <stdexcept>
#include <string>

#include "scaffold_agent.hpp"

namespace support {

inline scaffold::Outcome scaffold_request(const std::string& task, const std::string& context_json = "{}") {
    rapidjson::Document context;
    context.Parse(context_json.c_str());
    if (context.HasParseError()) throw std::invalid_argument("bad test JSON: " + context_json);
    return scaffold::handle(context, task);
}

inline const devkit::Artifact* find(const scaffold::Outcome& outcome, const std::string& path) {
    for (const auto& a : outcome.artifacts)
        if (a.path == path) return &a;
    return nullptr;
}

inline const std::string& content(const scaffold::Outcome& outcome, const std::string& path) {
    const auto* found = find(outcome, path);
    if (found == nullptr) FAIL("no artifact " << path);
    return found->content;
}

}  // namespace support
