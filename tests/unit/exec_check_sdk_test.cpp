// Run::check_exec through the fake host's service table: the request is the
// one exec would get, a refusal comes back as the SDK's Error with the
// host's reason, and on a 1.2 host built before the call the wrapper says
// "not checked" instead of calling past the table.
#include "host_process.hpp"

#include <agenthost/testing/fake_host.hpp>
#include <catch2/catch.hpp>

using agenthost::testing::FakeHost;
using agenthost::testing::run_input;
using Catch::Matchers::Contains;

namespace {

std::string exec_probe_library() { return agenthost::testing::fixture_plugin_dir() + "/exec_probe/libexec_probe.so"; }

constexpr const char* kCheckKubectl =
    R"({"check":true,"request":{"argv":["kubectl","apply","-f","-"],"network":true,"timeout_seconds":90}})";

rapidjson::Document exec_check_json(const std::string& text) {
    rapidjson::Document document;
    document.Parse(text.c_str());
    REQUIRE_FALSE(document.HasParseError());
    return document;
}

}  // namespace

TEST_CASE("Run::check_exec sends exec's request and runs nothing", "[exec][sdk]") {
    FakeHost host(exec_probe_library());
    host.set_permissions({"exec"});
    REQUIRE(host.create_agent("{}") == AGENTHOST_OK);
    auto checked = host.invoke(run_input("t", kCheckKubectl));
    INFO(checked.last_error);
    REQUIRE(checked.status == AGENTHOST_OK);
    REQUIRE(checked.exec_check_requests.size() == 1);
    CHECK(checked.exec_requests.empty());
    auto request = exec_check_json(checked.exec_check_requests[0]);
    CHECK(std::string(request["argv"][0].GetString()) == "kubectl");
    CHECK(request["network"].GetBool());
    CHECK(request["timeout_seconds"].GetDouble() == 90.0);
    auto result = exec_check_json(checked.result_json);
    CHECK(result["check"]["checked"].GetBool());
    CHECK(std::string(result["check"]["binary"].GetString()) == "/usr/bin/kubectl");
    CHECK(host.violations().empty());
}

TEST_CASE("Run::check_exec throws the host's refusal and says 'not checked' on older hosts", "[exec][sdk]") {
    SECTION("the host would refuse") {
        FakeHost host(exec_probe_library());
        host.set_permissions({"exec"});
        host.set_exec_check_handler([](const std::string&, std::string& response) {
            response = "'kubectl' is not an allowed command for agent 'exec_probe' (agents.exec_probe.exec.allow)";
            return AGENTHOST_ERROR_PERMISSION_DENIED;
        });
        REQUIRE(host.create_agent("{}") == AGENTHOST_OK);
        auto refused = host.invoke(run_input("t", kCheckKubectl));
        CHECK(refused.status == AGENTHOST_ERROR_PERMISSION_DENIED);
        CHECK_THAT(refused.error, Contains("'kubectl' is not an allowed command"));
        CHECK(refused.exec_requests.empty());
    }
    SECTION("no exec permission") {
        FakeHost host(exec_probe_library());
        host.set_permissions({"events"});
        REQUIRE(host.create_agent("{}") == AGENTHOST_OK);
        auto refused = host.invoke(run_input("t", kCheckKubectl));
        CHECK(refused.status == AGENTHOST_ERROR_PERMISSION_DENIED);
        CHECK(refused.exec_check_requests.empty());
    }
    SECTION("a 1.2 host built before the exec check") {
        FakeHost host(exec_probe_library());
        host.set_permissions({"exec"});
        host.emulate_host_without_exec_check();
        REQUIRE(host.create_agent("{}") == AGENTHOST_OK);
        auto unknown = host.invoke(run_input("t", kCheckKubectl));
        INFO(unknown.last_error);
        REQUIRE(unknown.status == AGENTHOST_OK);
        CHECK(unknown.exec_check_requests.empty());
        CHECK_FALSE(exec_check_json(unknown.result_json)["check"]["checked"].GetBool());
    }
}
