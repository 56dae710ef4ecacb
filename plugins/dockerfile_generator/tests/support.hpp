// Shared by dockerfile_generator's tests: the fixture repositories'
// analyses, and linting Dockerfiles with the real parser (lint_dockerfiles.js).
#pragma once

#include <catch2/catch.hpp>
#include <rapidjson/document.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <string>
#include <sys/wait.h>
#include <unistd.h>

#include "analyzer.hpp"
#include "dockerfile.hpp"

namespace dockerfile_test {

inline devkit::RepositoryContext fixture_context(const std::string& name) {
    std::vector<std::string> warnings;
    return ctx::analyze(ctx::read_tree(std::string(CONTEXT_FIXTURES) + "/" + name, {}, warnings), name, name);
}

// Lints each text (file name -> content) and answers the linter's report.
inline rapidjson::Document lint(const std::map<std::string, std::string>& dockerfiles) {
    const std::string modules = NPM_NODE_MODULES;
    if (!std::filesystem::exists(modules + "/dockerfile-utils"))
        FAIL("dockerfile-utils not found in " << modules << ": run `make deps` (tools/install-deps runs npm ci)");
    const auto dir = std::filesystem::temp_directory_path() / ("dockerfiles-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir);
    std::string command = "node '" + std::string(DOCKERFILE_LINTER) + "' '" + modules + "'";
    for (const auto& [name, content] : dockerfiles) {
        std::ofstream(dir / name) << content;
        command += " '" + (dir / name).string() + "'";
    }
    std::string output;
    FILE* pipe = ::popen(command.c_str(), "r");
    REQUIRE(pipe != nullptr);
    std::array<char, 4096> buffer{};
    while (size_t n = std::fread(buffer.data(), 1, buffer.size(), pipe)) output.append(buffer.data(), n);
    int status = ::pclose(pipe);
    REQUIRE(WIFEXITED(status));
    REQUIRE(WEXITSTATUS(status) == 0);
    std::filesystem::remove_all(dir);
    rapidjson::Document report;
    report.Parse(output.c_str());
    REQUIRE_FALSE(report.HasParseError());
    rapidjson::Document by_name(rapidjson::kObjectType);
    for (auto& member : report.GetObject()) {
        std::string key = std::filesystem::path(member.name.GetString()).filename().string();
        by_name.AddMember(rapidjson::Value(key.c_str(), by_name.GetAllocator()),
                          rapidjson::Value(member.value, by_name.GetAllocator()), by_name.GetAllocator());
    }
    return by_name;
}

// The instructions of one linted file with this keyword, as "ARG ARG ...".
inline std::vector<std::string> instruction_args(const rapidjson::Value& file_report, const std::string& keyword) {
    std::vector<std::string> out;
    for (const auto& instruction : file_report["instructions"].GetArray()) {
        if (keyword != instruction["keyword"].GetString()) continue;
        std::string joined;
        for (const auto& arg : instruction["arguments"].GetArray()) joined += (joined.empty() ? "" : " ") + std::string(arg.GetString());
        out.push_back(joined);
    }
    return out;
}

}  // namespace dockerfile_test
