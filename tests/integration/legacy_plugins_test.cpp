// Plugins built against the released SDK 1.0 and 1.1 headers (fixtures
// legacy_1_0 and legacy_1_1) load in this host and work, in both isolation
// modes: events, run memory and, for 1.1, a run-time approval.
#include "test_host.hpp"

#include <catch2/catch.hpp>

#include <string>

using namespace agenthost::testing;
using Catch::Matchers::Contains;

TEST_CASE("plugins built against SDK 1.0 and 1.1 keep loading and working", "[abi]") {
    for (const std::string isolation : {"in_process", "process"}) {
        SECTION(isolation) {
            HostProcess host(host_config(R"({"legacy_1_0":{"enabled":true,"isolation":")" + isolation +
                                         R"("},"legacy_1_1":{"enabled":true,"isolation":")" + isolation + R"("}})"));
            HttpClient client(host.base_url());
            auto plugins = json_of(client.get("/plugins"));
            for (const auto& plugin : plugins["plugins"].GetArray()) {
                std::string name = plugin["name"].GetString();
                if (name != "legacy_1_0" && name != "legacy_1_1") continue;
                INFO(name);
                CHECK(std::string(plugin["state"].GetString()) == "loaded");
                CHECK(std::string(plugin["abi_version"].GetString()) == (name == "legacy_1_0" ? "1.0" : "1.1"));
            }
            for (const std::string name : {"legacy_1_0", "legacy_1_1"}) {
                INFO(name);
                std::string body = R"({"agent_name":")" + name + R"(","task":"old","thread_id":"legacy-)" + name + "\"}";
                auto first = client.post("/agent/invoke", body);
                REQUIRE(first.status == 200);
                auto answer = json_of(first);
                CHECK(answer["result"]["sdk_minor"].GetInt() == (name == "legacy_1_0" ? 0 : 1));
                CHECK(answer["result"]["count"].GetInt() == 1);
                CHECK(json_of(client.post("/agent/invoke", body))["result"]["count"].GetInt() == 2);
                auto events = client.get("/runs/" + std::string(answer["run_id"].GetString()) + "/events");
                CHECK_THAT(events.body, Contains("legacy at work"));
            }
            // A 1.1 plugin's approval pauses the run; approved, it finishes.
            auto created = client.post(
                "/runs", R"({"agent_name":"legacy_1_1","task":"t","thread_id":"legacy-appr","context":{"action":"ask_approval"}})");
            REQUIRE(created.status == 202);
            std::string id = json_of(created)["run_id"].GetString();
            REQUIRE(poll_until([&] { return string_member(fetch_run(client, id), "status") == "pending_approval"; }, std::chrono::seconds(15)));
            REQUIRE(client.post("/workflow/approve/legacy-appr", R"({"approved":true})").status == 200);
            REQUIRE(poll_until([&] { return string_member(fetch_run(client, id), "status") == "succeeded"; }, std::chrono::seconds(15)));
        }
    }
}
