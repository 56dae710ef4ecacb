// Shared by terraform_generator's tests: fixture analyses, and parsing a
// module with the real HCL2 parser (parse_hcl.js).
#pragma once

#include <catch2/catch.hpp>
#include <rapidjson/document.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <sys/wait.h>
#include <unistd.h>

#include "analyzer.hpp"
#include "terraform.hpp"

namespace terraform_test {

inline devkit::RepositoryContext fixture_context(const std::string& name) {
    std::vector<std::string> warnings;
    return ctx::analyze(ctx::read_tree(std::string(CONTEXT_FIXTURES) + "/" + name, {}, warnings), name, name);
}

// Writes each module's files to a folder of its own and parses them all in
// one run of the parser; the parser's report per module, in order.
inline std::vector<rapidjson::Document> parse_modules(const std::vector<std::vector<devkit::Artifact>>& modules) {
    const std::string parser_modules = NPM_NODE_MODULES;
    if (!std::filesystem::exists(parser_modules + "/@cdktf/hcl2json"))
        FAIL("@cdktf/hcl2json not found in " << parser_modules << ": run `make deps` (tools/install-deps runs npm ci)");
    const auto root = std::filesystem::temp_directory_path() / ("tf-modules-" + std::to_string(::getpid()));
    std::string command = "node '" + std::string(HCL_PARSER) + "' '" + parser_modules + "'";
    std::vector<std::string> dirs;
    for (size_t i = 0; i < modules.size(); ++i) {
        const auto dir = root / std::to_string(i);
        std::filesystem::create_directories(dir);
        for (const auto& file : modules[i]) std::ofstream(dir / std::filesystem::path(file.path).filename()) << file.content;
        dirs.push_back(dir.string());
        command += " '" + dir.string() + "'";
    }
    std::string output;
    FILE* pipe = ::popen(command.c_str(), "r");
    REQUIRE(pipe != nullptr);
    std::array<char, 4096> buffer{};
    while (size_t n = std::fread(buffer.data(), 1, buffer.size(), pipe)) output.append(buffer.data(), n);
    int status = ::pclose(pipe);
    std::filesystem::remove_all(root);
    INFO(output.substr(0, 2000));
    REQUIRE(WIFEXITED(status));
    REQUIRE(WEXITSTATUS(status) == 0);
    rapidjson::Document all;
    all.Parse(output.c_str());
    REQUIRE_FALSE(all.HasParseError());
    std::vector<rapidjson::Document> reports;
    for (const auto& dir : dirs) {
        REQUIRE(all.HasMember(dir.c_str()));
        rapidjson::Document one;
        one.CopyFrom(all[dir.c_str()], one.GetAllocator());
        reports.push_back(std::move(one));
    }
    return reports;
}

// Writes the module's files to a folder and parses them; the parser's report.
inline rapidjson::Document parse_module(const std::vector<devkit::Artifact>& files) {
    const std::string modules = NPM_NODE_MODULES;
    if (!std::filesystem::exists(modules + "/@cdktf/hcl2json"))
        FAIL("@cdktf/hcl2json not found in " << modules << ": run `make deps` (tools/install-deps runs npm ci)");
    static int counter = 0;
    const auto dir = std::filesystem::temp_directory_path() /
                     ("tf-module-" + std::to_string(::getpid()) + "-" + std::to_string(++counter));
    std::filesystem::create_directories(dir);
    for (const auto& file : files) std::ofstream(dir / std::filesystem::path(file.path).filename()) << file.content;
    const std::string command = "node '" + std::string(HCL_PARSER) + "' '" + modules + "' '" + dir.string() + "'";
    std::string output;
    FILE* pipe = ::popen(command.c_str(), "r");
    REQUIRE(pipe != nullptr);
    std::array<char, 4096> buffer{};
    while (size_t n = std::fread(buffer.data(), 1, buffer.size(), pipe)) output.append(buffer.data(), n);
    int status = ::pclose(pipe);
    std::filesystem::remove_all(dir);
    INFO(output.substr(0, 2000));
    REQUIRE(WIFEXITED(status));
    REQUIRE(WEXITSTATUS(status) == 0);
    rapidjson::Document report;
    report.Parse(output.c_str());
    REQUIRE_FALSE(report.HasParseError());
    return report;
}

inline std::string problems_of(const rapidjson::Document& report) {
    std::string out;
    for (const auto& problem : report["problems"].GetArray()) out += std::string(problem.GetString()) + "\n";
    return out;
}

inline bool has(const rapidjson::Value& list, const std::string& wanted) {
    for (const auto& item : list.GetArray())
        if (wanted == item.GetString()) return true;
    return false;
}

}  // namespace terraform_test
