// Helpers for the testing_agent tests: requests from context JSON, the
// fixtures, and running pytest on what the agent wrote.
#pragma once

#include <catch2/catch.hpp>
#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>
#include <toolchain.hpp>

#include <stdexcept>
#include <string>

#include "testing_agent.hpp"

namespace support {

inline std::string fixture(const std::string& name) {
    return devkit::testing::read_text(std::string(TESTING_FIXTURE_DIR) + "/" + name);
}

inline std::string json_string(const std::string& text) {
    rapidjson::StringBuffer buffer;
    rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
    writer.String(text.c_str(), static_cast<rapidjson::SizeType>(text.size()));
    return buffer.GetString();
}

inline testgen::Outcome request(const std::string& context_json, const std::string& task = "write tests") {
    rapidjson::Document context;
    context.Parse(context_json.c_str());
    if (context.HasParseError()) throw std::invalid_argument("bad test JSON: " + context_json);
    return testgen::handle(context, task);
}

inline const std::string& content(const testgen::Outcome& out, const std::string& path) {
    for (const auto& a : out.artifacts)
        if (a.path == path) return a.content;
    FAIL("no artifact " << path);
    throw std::logic_error("unreachable");
}

inline const std::string python = "/usr/bin/python3";

inline bool pytest_ready() { return devkit::testing::run(python + " -c 'import pytest'").exit_code == 0; }

inline devkit::testing::CommandResult pytest(const std::string& dir, const std::string& args,
                                             const std::string& env = "") {
    return devkit::testing::run("cd " + devkit::testing::shell_quote(dir) + " && " + env + " " + python +
                                " -m pytest -p no:cacheprovider -q " + args);
}

}  // namespace support

#define REQUIRE_PYTEST() \
    DEVKIT_SKIP_UNLESS(support::pytest_ready(), "python3 -m pytest is missing: apt-get install python3-pytest (tools/install-deps)")
