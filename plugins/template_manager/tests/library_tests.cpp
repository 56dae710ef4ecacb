// Where the library lives, through the built plugin and the C ABI: the
// host's long-term store when it has one (shared by every thread; names
// with '.' kept reversibly), thread memory on a host from before the store.
#include <agenthost/agent.hpp>
#include <catch2/catch.hpp>
#include <fake_host.hpp>
#include <plugin_checks.hpp>

using textkit::testing::parse_json;
using textkit::testing::run_input;

namespace {

const char* kCreate = R"({"mode":"create","name":"k8s.web","kind":"kubernetes","version":"1.0.0","content":
    "apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  ports:\n    - port: 80\n"})";

}  // namespace

TEST_CASE("the library is the host's long-term store when it has one", "[library]") {
    textkit::testing::CreatedAgent agent(TEMPLATE_PLUGIN_PATH);
    agent.host.set_permissions({"events", "memory", "store"});
    auto created = agent.host.invoke(run_input("create a template", kCreate));
    INFO(created.error);
    REQUIRE(created.status == AGENTHOST_OK);
    // One item per version, in the template's namespace, nothing in thread memory.
    REQUIRE(agent.host.store_items().count({"template_manager.k8s~web", "1.0.0"}) == 1);
    CHECK(agent.host.memory().empty());
    auto listed = agent.host.invoke(run_input("list templates", R"({"mode":"list"})"));
    REQUIRE(listed.status == AGENTHOST_OK);
    auto result = parse_json(listed.result_json);
    REQUIRE(result["templates"].Size() == 1);
    CHECK(result["templates"][0]["name"] == "k8s.web");
    auto again = agent.host.invoke(run_input("create it again", kCreate));
    CHECK(again.status == AGENTHOST_ERROR_INVALID_INPUT);
    CHECK_THAT(again.error, Catch::Contains("versions are immutable"));
}

TEST_CASE("on a host without the store the library is the thread's memory", "[library]") {
    textkit::testing::CreatedAgent agent(TEMPLATE_PLUGIN_PATH);
    agent.host.set_permissions({"events", "memory", "store"});
    agent.host.emulate_host_without_store();
    auto created = agent.host.invoke(run_input("create a template", kCreate));
    INFO(created.error);
    REQUIRE(created.status == AGENTHOST_OK);
    CHECK(agent.host.store_items().empty());
    CHECK(agent.host.memory().count("template_manager/index") == 1);
    auto got = agent.host.invoke(run_input("get it", R"({"mode":"get","name":"k8s.web"})"));
    REQUIRE(got.status == AGENTHOST_OK);
    CHECK_THAT(got.result_json, Catch::Contains("this thread's library") || Catch::Contains("kind: Service"));
}
