// The exec service's request checks: what a plugin may ask for, refused
// with a message naming the field before anything is resolved or run.
#include "exec/exec_request.hpp"

#include <catch2/catch.hpp>

using agenthost::exec::is_workspace_relative;
using agenthost::exec::parse_exec_request;
using Catch::Matchers::Contains;

namespace {

std::string refusal(const std::string& request_json) {
    std::string error;
    auto request = parse_exec_request(request_json, error);
    CHECK_FALSE(request.has_value());
    return error;
}

}  // namespace

TEST_CASE("a full exec request is read with every field", "[exec]") {
    std::string error;
    auto request = parse_exec_request(
        R"({"argv":["git","status","--short"],"cwd":"repo/sub","env":{"GIT_PAGER":"cat"},"stdin":"in",
            "timeout_seconds":2.5,"network":true,"max_output_bytes":4096})",
        error);
    REQUIRE(request.has_value());
    CHECK(request->argv == std::vector<std::string>{"git", "status", "--short"});
    CHECK(request->cwd == "repo/sub");
    CHECK(request->env.at("GIT_PAGER") == "cat");
    CHECK(request->stdin_data == "in");
    CHECK(request->timeout_seconds == 2.5);
    CHECK(request->network);
    CHECK(request->max_output_bytes == 4096);
}

TEST_CASE("an exec request with argv alone gets the defaults", "[exec]") {
    std::string error;
    auto request = parse_exec_request(R"({"argv":["true"]})", error);
    REQUIRE(request.has_value());
    CHECK(request->cwd == ".");
    CHECK(request->timeout_seconds == agenthost::exec::kDefaultTimeoutSeconds);
    CHECK_FALSE(request->network);
    CHECK(request->max_output_bytes == agenthost::exec::kDefaultOutputLimit);
}

TEST_CASE("malformed exec requests are refused naming the field", "[exec]") {
    CHECK_THAT(refusal("not json"), Contains("not JSON"));
    CHECK_THAT(refusal("[]"), Contains("JSON object"));
    CHECK_THAT(refusal("{}"), Contains("argv is required"));
    CHECK_THAT(refusal(R"({"argv":[]})"), Contains("non-empty array"));
    CHECK_THAT(refusal(R"({"argv":["git",1]})"), Contains("argv[1]"));
    // A path would bypass the allow-list (a binary dropped in the workspace).
    CHECK_THAT(refusal(R"({"argv":["/bin/sh"]})"), Contains("bare name"));
    CHECK_THAT(refusal(R"({"argv":["./tool"]})"), Contains("bare name"));
    CHECK_THAT(refusal(R"({"argv":[".."]})"), Contains("bare name"));
    CHECK_THAT(refusal(R"({"argv":["git"],"cwd":"/etc"})"), Contains("cwd"));
    CHECK_THAT(refusal(R"({"argv":["git"],"cwd":"a/../../x"})"), Contains("cwd"));
    CHECK_THAT(refusal(R"({"argv":["git"],"env":{"LD_PRELOAD":"x.so"}})"), Contains("reserved"));
    CHECK_THAT(refusal(R"({"argv":["git"],"env":{"PATH":"/tmp"}})"), Contains("reserved"));
    CHECK_THAT(refusal(R"({"argv":["git"],"env":{"1BAD":"x"}})"), Contains("not a valid variable name"));
    CHECK_THAT(refusal(R"({"argv":["git"],"env":{"OK":1}})"), Contains("env.OK"));
    CHECK_THAT(refusal(R"({"argv":["git"],"timeout_seconds":0})"), Contains("timeout_seconds"));
    CHECK_THAT(refusal(R"({"argv":["git"],"timeout_seconds":"5"})"), Contains("timeout_seconds"));
    CHECK_THAT(refusal(R"({"argv":["git"],"network":"yes"})"), Contains("network"));
    CHECK_THAT(refusal(R"({"argv":["git"],"max_output_bytes":0})"), Contains("max_output_bytes"));
    CHECK_THAT(refusal(R"({"argv":["git"],"max_output_bytes":999999999999})"), Contains("max_output_bytes"));
    CHECK_THAT(refusal(R"({"argv":["git"],"stdin":5})"), Contains("stdin"));
    CHECK_THAT(refusal(R"({"argv":["git"],"shell":true})"), Contains("unknown field 'shell'"));
}

TEST_CASE("a workspace-relative cwd never climbs out by its text", "[exec]") {
    CHECK(is_workspace_relative("."));
    CHECK(is_workspace_relative("a/b"));
    CHECK(is_workspace_relative("a..b/c"));
    CHECK_FALSE(is_workspace_relative(""));
    CHECK_FALSE(is_workspace_relative("/abs"));
    CHECK_FALSE(is_workspace_relative(".."));
    CHECK_FALSE(is_workspace_relative("a/.."));
    CHECK_FALSE(is_workspace_relative("../a"));
}
