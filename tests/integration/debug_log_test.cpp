// Seed 004's DEBUG=true: the log follows a task through the host (its
// routing, each run's start and end, the agent's LLM calls), which an
// operator debugging a wrong answer needs; without it those lines are not
// written. Found by an outside tester: DEBUG=true showed almost nothing.
#include "test_host.hpp"

#include <catch2/catch.hpp>

#include <chrono>
#include <cstdlib>
#include <memory>

using namespace agenthost::testing;
using Catch::Matchers::Contains;

namespace {

std::unique_ptr<HostProcess> start_host(bool debug) {
    if (debug) setenv("DEBUG", "true", 1);
    auto host = std::make_unique<HostProcess>(host_config(R"({"summarizer":{"enabled":true},"echo":{"enabled":true}})"));
    unsetenv("DEBUG");
    return host;
}

std::string run_routed_task(HostProcess& host) {
    HttpClient client(host.base_url());
    auto accepted = client.post("/runs", R"({"task":"Summarize: The board met on Monday. It approved the budget."})");
    INFO(accepted.body);
    REQUIRE(accepted.status == 202);
    std::string run_id = json_of(accepted)["run_id"].GetString();
    REQUIRE(poll_until([&] { return run_status_of(client, run_id) == "succeeded"; }, std::chrono::milliseconds(15000)));
    return run_id;
}

}  // namespace

TEST_CASE("DEBUG=true logs a task's routing and its run's start and end") {
    auto host = start_host(true);
    std::string run_id = run_routed_task(*host);
    REQUIRE(poll_until([&] { return host->log().find(R"("msg":"run executed")") != std::string::npos; },
                       std::chrono::milliseconds(5000)));
    std::string log = host->log();
    CHECK_THAT(log, Contains(R"("msg":"task routed","agent":"summarizer")"));
    CHECK_THAT(log, Contains(R"("msg":"run started","run_id":")" + run_id + R"(","agent":"summarizer")"));
    CHECK_THAT(log, Contains(R"("msg":"run executed","run_id":")" + run_id + R"(","agent":"summarizer","status":"succeeded")"));
}

TEST_CASE("without DEBUG the same task writes none of those lines") {
    auto host = start_host(false);
    run_routed_task(*host);
    std::string log = host->log();
    CHECK_THAT(log, !Contains(R"("msg":"task routed")") && !Contains(R"("msg":"run started")") &&
                        !Contains(R"("msg":"run executed")"));
}
