// Run::interrupt through the SDK's fake host, as a plugin author's unit test
// sees it: the first round stops with INTERRUPTED, answers given with
// resume_with() come back in order, and a host from before interrupts is a
// clean "not supported".
#include "host_process.hpp"

#include <agenthost/testing/fake_host.hpp>
#include <catch2/catch.hpp>

using namespace agenthost::testing;
using Catch::Matchers::Contains;

namespace {

std::string probe_path() { return fixture_plugin_dir() + "/interrupt_probe/libinterrupt_probe.so"; }

}  // namespace

TEST_CASE("Run::interrupt stops the run until an answer exists, then returns the answers in order (fake host)",
          "[interrupt]") {
    FakeHost host(probe_path());
    host.set_permissions({"events", "memory", "llm"});
    REQUIRE(host.create_agent("{}") == AGENTHOST_OK);
    std::string input = run_input("release", R"({"questions":2})");

    auto first = host.invoke(input);
    CHECK(first.status == AGENTHOST_ERROR_INTERRUPTED);
    REQUIRE(first.interrupt_requests.size() == 1);
    CHECK_THAT(first.interrupt_requests[0], Contains("question 1 about release"));
    CHECK_FALSE(first.has_result);

    host.resume_with(R"("one")");
    auto second = host.invoke(input);
    CHECK(second.status == AGENTHOST_ERROR_INTERRUPTED);
    CHECK(second.interrupt_requests.size() == 2);

    host.resume_with(R"({"n":2})");
    auto done = host.invoke(input);
    REQUIRE(done.status == AGENTHOST_OK);
    rapidjson::Document result;
    result.Parse(done.result_json.c_str());
    REQUIRE(result["answers"].Size() == 2);
    CHECK(std::string(result["answers"][0].GetString()) == "one");
    CHECK(result["answers"][1]["n"].GetInt() == 2);
    CHECK(host.violations().empty());
}

TEST_CASE("Run::interrupt on a host without interrupts fails cleanly as not supported (fake host)", "[interrupt]") {
    FakeHost host(probe_path());
    host.emulate_without_interrupt();
    REQUIRE(host.create_agent("{}") == AGENTHOST_OK);
    auto run = host.invoke(run_input("t", R"({"questions":1})"));
    CHECK(run.status == AGENTHOST_ERROR_UNAVAILABLE);
    CHECK_THAT(run.error, Contains("not supported"));
    CHECK(run.interrupt_requests.empty());
}

TEST_CASE("an interrupt request without a question is the plugin's bad argument (fake host)", "[interrupt]") {
    FakeHost host(probe_path());
    REQUIRE(host.create_agent("{}") == AGENTHOST_OK);
    auto run = host.invoke(run_input("t", R"({"bad_request":true})"));
    CHECK(run.status == AGENTHOST_ERROR_BAD_ARGUMENT);
    REQUIRE(host.violations().size() == 1);
    CHECK_THAT(host.violations()[0], Contains("callback interrupt refused a bad argument"));
}
