// The SDK's store calls (Run::store(), StoreClient) driven through the fake
// host: a value one run puts is read by the next, the permission is
// checked, and a host whose table ends before callback_run_store makes the
// wrapper answer "not supported" instead of calling past the table.
#include "host_process.hpp"

#include <agenthost/testing/fake_host.hpp>
#include <catch2/catch.hpp>

using agenthost::testing::FakeHost;
using agenthost::testing::run_input;
using Catch::Matchers::Contains;

namespace {

std::string probe_library() { return agenthost::testing::fixture_plugin_dir() + "/store_probe/libstore_probe.so"; }

rapidjson::Document parsed(const std::string& text) {
    rapidjson::Document document;
    document.Parse(text.c_str());
    REQUIRE_FALSE(document.HasParseError());
    return document;
}

}  // namespace

TEST_CASE("the SDK's store calls put, get, search and delete through the service table", "[store][sdk]") {
    FakeHost host(probe_library());
    host.set_permissions({"store"});
    REQUIRE(host.create_agent("{}") == AGENTHOST_OK);

    auto wrote = host.invoke(run_input("t", R"({"put":{"namespace":["users","u1"],"key":"prefs","value":{"lang":"fr"},"ttl":5}})"));
    INFO(wrote.last_error);
    REQUIRE(wrote.status == AGENTHOST_OK);
    REQUIRE(wrote.store_requests.size() == 1);
    auto request = parsed(wrote.store_requests[0]);
    CHECK(std::string(request["op"].GetString()) == "put");
    CHECK(request["namespace"].Size() == 2);
    CHECK(request["ttl"].GetDouble() == 5.0);
    CHECK(host.store_items().count({"users.u1", "prefs"}) == 1);

    auto read = host.invoke(run_input("t", R"({"get":{"namespace":["users","u1"],"key":"prefs"},)"
                                           R"("search":{"namespace_prefix":["users"],"query":"fr"}})"));
    REQUIRE(read.status == AGENTHOST_OK);
    auto result = parsed(read.result_json);
    CHECK(std::string(result["item"]["value"]["lang"].GetString()) == "fr");
    CHECK(result["items"].Size() == 1);

    auto removed = host.invoke(run_input("t", R"({"delete":{"namespace":["users","u1"],"key":"prefs"},)"
                                              R"("get":{"namespace":["users","u1"],"key":"prefs"}})"));
    REQUIRE(removed.status == AGENTHOST_OK);
    auto after = parsed(removed.result_json);
    CHECK(after["item"].IsObject());  // the probe gets before it deletes
    CHECK(after["deleted"].GetBool());
    CHECK(host.store_items().empty());
    CHECK(host.violations().empty());
}

TEST_CASE("the SDK's store calls are refused without the permission and unsupported on older hosts", "[store][sdk]") {
    SECTION("no store permission") {
        FakeHost host(probe_library());
        host.set_permissions({"events"});
        REQUIRE(host.create_agent("{}") == AGENTHOST_OK);
        auto refused = host.invoke(run_input("t", R"({"put":{"namespace":["a"],"key":"k","value":{}}})"));
        CHECK(refused.status == AGENTHOST_ERROR_PERMISSION_DENIED);
        CHECK_THAT(refused.error, Contains("without the 'store' permission"));
        CHECK(host.store_items().empty());
    }
    SECTION("a 1.2 host built before the store call") {
        FakeHost host(probe_library());
        host.emulate_host_without_store();
        REQUIRE(host.create_agent("{}") == AGENTHOST_OK);
        auto refused = host.invoke(run_input("t", R"({"get":{"namespace":["a"],"key":"k"}})"));
        CHECK(refused.status == AGENTHOST_ERROR_UNAVAILABLE);
        CHECK_THAT(refused.error, Contains("no store service"));
        CHECK(refused.store_requests.empty());
    }
}
