// The long-term store's behaviour through a real host, written once and run
// against SQLite (store_api_test.cpp) and PostgreSQL
// (store_postgres_test.cpp): items, ranked search, namespaces, expiry.
// Each scenario works under a namespace of its own (`root`), so scenarios
// may share a host.
#pragma once

#include "test_host.hpp"

#include <chrono>
#include <string>
#include <thread>
#include <vector>

namespace agenthost::testing::store_scenarios {

using Headers = std::vector<std::string>;

inline HttpResult put_item(HttpClient& client, const std::string& body, const Headers& headers = {}) {
    Headers all = headers;
    all.push_back("Content-Type: application/json");
    return client.request("PUT", "/store/items", body, all);
}

inline HttpResult delete_item(HttpClient& client, const std::string& body, const Headers& headers = {}) {
    Headers all = headers;
    all.push_back("Content-Type: application/json");
    return client.request("DELETE", "/store/items", body, all);
}

inline void put_ok(HttpClient& client, const std::string& body, const Headers& headers = {}) {
    auto answer = put_item(client, body, headers);
    INFO("PUT " << body << " -> " << answer.body);
    REQUIRE(answer.status == 204);
    // Listings without a query are newest first by the millisecond: keep
    // the puts of a scenario apart.
    std::this_thread::sleep_for(std::chrono::milliseconds(3));
}

// Keys of the items a search answered, in order.
inline std::vector<std::string> keys_of(const rapidjson::Value& found) {
    std::vector<std::string> keys;
    for (const auto& item : found["items"].GetArray()) keys.push_back(string_member(item, "key"));
    return keys;
}

// Namespaces a listing answered, each dot-joined.
inline std::vector<std::string> namespaces_of(const rapidjson::Value& listed) {
    std::vector<std::string> out;
    for (const auto& labels : listed["namespaces"].GetArray()) {
        std::string joined;
        for (const auto& label : labels.GetArray()) joined += (joined.empty() ? "" : ".") + std::string(label.GetString());
        out.push_back(joined);
    }
    return out;
}

inline void put_get_replace_delete(HttpClient& client, const std::string& root) {
    const std::string ns = R"(["users",")" + root + R"(","prefs"])";
    put_ok(client, R"({"namespace":)" + ns + R"(,"key":"theme","value":{"color":"dark","size":14}})");
    auto got = client.get("/store/items?namespace=users." + root + ".prefs&key=theme");
    INFO(got.body);
    REQUIRE(got.status == 200);
    auto item = json_of(got);
    REQUIRE(item["namespace"].Size() == 3);
    CHECK(std::string(item["namespace"][1].GetString()) == root);
    CHECK(string_member(item, "key") == "theme");
    CHECK(string_member(item["value"], "color") == "dark");
    CHECK(item["value"]["size"].GetInt() == 14);
    const std::string created = string_member(item, "created_at");
    CHECK(created.size() == 24);  // 2026-01-01T00:00:00.000Z
    CHECK_FALSE(item.HasMember("expires_at"));

    // A second put replaces the value and keeps the creation time.
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
    put_ok(client, R"({"namespace":)" + ns + R"(,"key":"theme","value":{"color":"light"}})");
    auto replaced = json_of(client.get("/store/items?namespace=users." + root + ".prefs&key=theme"));
    CHECK(string_member(replaced["value"], "color") == "light");
    CHECK_FALSE(replaced["value"].HasMember("size"));
    CHECK(string_member(replaced, "created_at") == created);
    CHECK(string_member(replaced, "updated_at") > created);

    // The same key in another namespace is another item.
    auto elsewhere = client.get("/store/items?namespace=users." + root + "&key=theme");
    error_envelope(elsewhere, 404, "StoreItemNotFound");

    auto deleted = delete_item(client, R"({"namespace":)" + ns + R"(,"key":"theme"})");
    CHECK(deleted.status == 204);
    error_envelope(client.get("/store/items?namespace=users." + root + ".prefs&key=theme"), 404, "StoreItemNotFound");
    // Deleting again is not an error (a retried DELETE).
    CHECK(delete_item(client, R"({"namespace":)" + ns + R"(,"key":"theme"})").status == 204);
    // Namespace and key in the query do as well.
    put_ok(client, R"({"namespace":)" + ns + R"(,"key":"q","value":{}})");
    CHECK(client.request("DELETE", "/store/items?namespace=users." + root + ".prefs&key=q", "", {}).status == 204);
    CHECK(client.get("/store/items?namespace=users." + root + ".prefs&key=q").status == 404);
}

inline void search_ranks_and_filters(HttpClient& client, const std::string& root) {
    const std::string ns = R"(["docs",")" + root + R"("])";
    put_ok(client, R"({"namespace":)" + ns + R"(,"key":"rollback","value":{"kind":"guide","title":"Rolling back a )"
                   R"(Kubernetes deployment","body":"A deployment rollback restores the previous replica set; )"
                   R"(rollback with kubectl rollout undo.","stars":5}})");
    put_ok(client, R"({"namespace":)" + ns + R"(,"key":"networking","value":{"kind":"guide","title":"Pod )"
                   R"(networking","body":"How pods in Kubernetes reach each other.","stars":3}})");
    put_ok(client, R"({"namespace":)" + ns + R"(,"key":"backup","value":{"kind":"runbook","title":"Postgres )"
                   R"(backups","body":"pg_basebackup every night.","stars":4}})");
    put_ok(client, R"({"namespace":["docs",")" + root + R"(","old"],"key":"deploy-notes","value":{"kind":"note",)"
                   R"("body":"deployment notes"}})");
    // Another root holding the same words stays out of a prefixed search.
    put_ok(client, R"({"namespace":["elsewhere",")" + root + R"("],"key":"rollback","value":{"body":"rollback rollback"}})");

    const std::string prefix = R"("namespace_prefix":["docs",")" + root + R"("])";
    auto ranked = json_of(client.post("/store/items/search", "{" + prefix + R"(,"query":"deployment rollback"})"));
    auto keys = keys_of(ranked);
    REQUIRE(keys.size() == 2);
    CHECK(keys[0] == "rollback");  // both words, rollback three times
    CHECK(keys[1] == "deploy-notes");
    CHECK(ranked["items"][0]["score"].GetDouble() > ranked["items"][1]["score"].GetDouble());
    CHECK(ranked["items"][1]["score"].GetDouble() > 0);

    // Words match their stems: "deployments" finds "deployment".
    auto stemmed = keys_of(json_of(client.post("/store/items/search", "{" + prefix + R"(,"query":"Deployments!"})")));
    CHECK(stemmed.size() == 2);

    // No query: most recently updated first, no score; limit and offset.
    auto newest = json_of(client.post("/store/items/search", "{" + prefix + R"(,"limit":2})"));
    CHECK(keys_of(newest) == std::vector<std::string>{"deploy-notes", "backup"});
    CHECK_FALSE(newest["items"][0].HasMember("score"));
    auto next = keys_of(json_of(client.post("/store/items/search", "{" + prefix + R"(,"limit":2,"offset":2})")));
    CHECK(next == std::vector<std::string>{"networking", "rollback"});

    // Filters on top-level value fields: equality and comparisons.
    auto guides = keys_of(json_of(client.post("/store/items/search", "{" + prefix + R"(,"filter":{"kind":"guide"}})")));
    CHECK(guides == std::vector<std::string>{"networking", "rollback"});
    auto starred = keys_of(json_of(
        client.post("/store/items/search", "{" + prefix + R"(,"filter":{"stars":{"$gte":4},"kind":{"$ne":"note"}}})")));
    CHECK(starred == std::vector<std::string>{"backup", "rollback"});
    auto ranked_guides = keys_of(json_of(client.post(
        "/store/items/search", "{" + prefix + R"(,"query":"kubernetes","filter":{"kind":"guide"},"limit":1})")));
    CHECK(ranked_guides.size() == 1);
    auto none = keys_of(json_of(client.post("/store/items/search", "{" + prefix + R"(,"filter":{"kind":"poem"}})")));
    CHECK(none.empty());
    // Words nothing holds, and a query without words, find nothing.
    CHECK(keys_of(json_of(client.post("/store/items/search", "{" + prefix + R"(,"query":"zebra"})"))).empty());
    CHECK(keys_of(json_of(client.post("/store/items/search", "{" + prefix + R"(,"query":"?!"})"))).empty());
    // Quotes and FTS operators in a query are words, never syntax.
    auto hostile = client.post("/store/items/search", "{" + prefix + R"(,"query":"\"rollback\" OR NEAR( * -kubectl:"})");
    INFO(hostile.body);
    CHECK(hostile.status == 200);
    CHECK_FALSE(keys_of(json_of(hostile)).empty());
}

inline void namespaces_by_prefix_suffix_depth(HttpClient& client, const std::string& root) {
    for (const char* path : {R"("a","b","c")", R"("a","b","d")", R"("a","e")", R"("x","y")"})
        put_ok(client, R"({"namespace":["ns-)" + root + R"(",)" + path + R"(],"key":"k","value":{"v":1}})");
    const std::string top = "ns-" + root;
    auto all = namespaces_of(json_of(client.post("/store/namespaces", R"({"prefix":[")" + top + R"("]})")));
    CHECK(all == std::vector<std::string>{top + ".a.b.c", top + ".a.b.d", top + ".a.e", top + ".x.y"});
    auto under_a = namespaces_of(json_of(client.post("/store/namespaces", R"({"prefix":[")" + top + R"(","a"]})")));
    CHECK(under_a == std::vector<std::string>{top + ".a.b.c", top + ".a.b.d", top + ".a.e"});
    auto shallow =
        namespaces_of(json_of(client.post("/store/namespaces", R"({"prefix":[")" + top + R"("],"max_depth":3})")));
    CHECK(shallow == std::vector<std::string>{top + ".a.b", top + ".a.e", top + ".x.y"});
    auto depth_two =
        namespaces_of(json_of(client.post("/store/namespaces", R"({"prefix":[")" + top + R"("],"max_depth":2})")));
    CHECK(depth_two == std::vector<std::string>{top + ".a", top + ".x"});
    auto ending_d = namespaces_of(
        json_of(client.post("/store/namespaces", R"({"prefix":[")" + top + R"("],"suffix":["b","d"]})")));
    CHECK(ending_d == std::vector<std::string>{top + ".a.b.d"});
    auto page = namespaces_of(
        json_of(client.post("/store/namespaces", R"({"prefix":[")" + top + R"("],"limit":2,"offset":1})")));
    CHECK(page == std::vector<std::string>{top + ".a.b.d", top + ".a.e"});
    // "a" is not a prefix of "ab".
    put_ok(client, R"({"namespace":[")" + top + R"(","ab"],"key":"k","value":{}})");
    auto exact_a = namespaces_of(json_of(client.post("/store/namespaces", R"({"prefix":[")" + top + R"(","a"]})")));
    CHECK(exact_a.size() == 3);
}

// `ttl` in minutes: 0.02 is 1.2 seconds.
inline void ttl_expires(HttpClient& client, const std::string& root) {
    put_ok(client, R"({"namespace":["ttl",")" + root + R"("],"key":"brief","value":{"note":"ephemeral words"},)"
                   R"("ttl":0.02})");
    put_ok(client, R"({"namespace":["ttl",")" + root + R"("],"key":"lasting","value":{"note":"ephemeral too"}})");
    auto live = client.get("/store/items?namespace=ttl." + root + "&key=brief");
    INFO(live.body);
    REQUIRE(live.status == 200);
    CHECK(string_member(json_of(live), "expires_at") > string_member(json_of(live), "updated_at"));
    CHECK(poll_until([&] { return client.get("/store/items?namespace=ttl." + root + "&key=brief").status == 404; },
                     std::chrono::milliseconds(10000), std::chrono::milliseconds(100)));
    auto found = keys_of(json_of(
        client.post("/store/items/search", R"({"namespace_prefix":["ttl",")" + root + R"("],"query":"ephemeral"})")));
    CHECK(found == std::vector<std::string>{"lasting"});
    CHECK(client.get("/store/items?namespace=ttl." + root + "&key=lasting").status == 200);
    // Putting it again brings it back as a new item.
    put_ok(client, R"({"namespace":["ttl",")" + root + R"("],"key":"brief","value":{"note":"again"}})");
    auto back = json_of(client.get("/store/items?namespace=ttl." + root + "&key=brief"));
    CHECK(string_member(back["value"], "note") == "again");
    CHECK(string_member(back, "created_at") == string_member(back, "updated_at"));
    CHECK_FALSE(back.HasMember("expires_at"));
}

// refresh_ttl on a get or a search starts the ttl again; plain reads do not.
inline void ttl_refreshes_on_read(HttpClient& client, const std::string& root) {
    const std::string path = "/store/items?namespace=refresh." + root + "&key=r";
    put_ok(client, R"({"namespace":["refresh",")" + root + R"("],"key":"r","value":{"w":"refreshable"},"ttl":1})");
    put_ok(client, R"({"namespace":["refresh",")" + root + R"("],"key":"forever","value":{"w":"refreshable"}})");
    const std::string first = string_member(json_of(client.get(path)), "expires_at");
    REQUIRE_FALSE(first.empty());
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    CHECK(string_member(json_of(client.get(path + "&refresh_ttl=false")), "expires_at") == first);
    const std::string refreshed = string_member(json_of(client.get(path + "&refresh_ttl=true")), "expires_at");
    CHECK(refreshed > first);
    CHECK(string_member(json_of(client.get(path)), "expires_at") == refreshed);  // stored, not only answered
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    auto searched = json_of(client.post(
        "/store/items/search", R"({"namespace_prefix":["refresh",")" + root + R"("],"refresh_ttl":true})"));
    REQUIRE(searched["items"].Size() == 2);
    std::string from_search;
    for (const auto& item : searched["items"].GetArray()) {
        if (string_member(item, "key") == "r") from_search = string_member(item, "expires_at");
        else CHECK_FALSE(item.HasMember("expires_at"));  // no ttl, nothing to refresh
    }
    CHECK(from_search > refreshed);
    CHECK(string_member(json_of(client.get(path)), "expires_at") == from_search);
    error_envelope(client.get(path + "&refresh_ttl=maybe"), 422, "ValidationError");
    error_envelope(client.post("/store/items/search", R"({"refresh_ttl":"yes"})"), 422, "ValidationError");
}

}  // namespace agenthost::testing::store_scenarios
