// The long-term store through a real host on SQLite: items, ranked search,
// namespaces, expiry (hidden at once, swept in the background), tenants,
// hostile input, and plugins reaching it through the SDK in both isolation
// modes. store_postgres_test.cpp runs the same scenarios on PostgreSQL.
#include "store_scenarios.hpp"

#include <map>
#include <memory>
#include <thread>

using namespace agenthost::testing;
using namespace agenthost::testing::store_scenarios;
using namespace std::chrono_literals;
using Catch::Matchers::Contains;

namespace {

std::string agents_config(const std::string& isolation) {
    return R"({"echo":{"enabled":true},"store_probe":{"enabled":true,"isolation":")" + isolation +
           R"("},"store_unpermitted":{"enabled":true,"isolation":")" + isolation + R"("}})";
}

// One host per isolation mode, shared by the tests; expired items are
// swept every half second.
HostProcess& host_for(const std::string& isolation = "in_process") {
    static std::map<std::string, std::unique_ptr<HostProcess>> hosts;
    auto& host = hosts[isolation];
    if (!host)
        host = std::make_unique<HostProcess>(host_config(agents_config(isolation), R"("store":{"ttl_sweep_seconds":0.5})"));
    return *host;
}

std::string unique_root(const std::string& name) { return name + "-" + std::to_string(getpid()); }

struct Finished {
    std::string status, error;
    rapidjson::Document run;
};

Finished run_on_thread(HttpClient& client, const std::string& agent, const std::string& thread,
                       const std::string& context_json) {
    auto created = client.post("/runs", R"({"agent_name":")" + agent + R"(","task":"store test","thread_id":")" +
                                            thread + R"(","context":)" + context_json + "}");
    INFO("body: " << created.body);
    REQUIRE(created.status == 202);
    std::string id = string_member(json_of(created), "run_id");
    Finished finished;
    REQUIRE(poll_until(
        [&] {
            finished.status = run_status_of(client, id);
            return finished.status == "succeeded" || finished.status == "failed" || finished.status == "cancelled";
        },
        30000ms, 20ms));
    finished.run = fetch_run(client, id);
    finished.error = string_member(finished.run, "error");
    return finished;
}

const rapidjson::Value& result_of(const Finished& finished) {
    INFO("run ended " << finished.status << ": " << finished.error);
    REQUIRE(finished.status == "succeeded");
    return finished.run["result"];
}

const std::string kAdminKey = "store-admin-key-0123456789abcdefghijklmnop";
std::vector<std::string> bearer(const std::string& key) { return {"Authorization: Bearer " + key}; }

}  // namespace

TEST_CASE("store items: put, get, replace and delete", "[store]") {
    HttpClient client(host_for().base_url());
    put_get_replace_delete(client, unique_root("items"));
}

TEST_CASE("store search ranks the best full-text match first and filters on value fields", "[store]") {
    HttpClient client(host_for().base_url());
    search_ranks_and_filters(client, unique_root("search"));
}

TEST_CASE("store namespaces are listed by prefix, suffix and depth", "[store]") {
    HttpClient client(host_for().base_url());
    namespaces_by_prefix_suffix_depth(client, unique_root("namespaces"));
}

TEST_CASE("a store item with a ttl is gone once it expires, and swept from the database", "[store]") {
    HostProcess& host = host_for();
    HttpClient client(host.base_url());
    ttl_expires(client, unique_root("ttl"));
    ttl_refreshes_on_read(client, unique_root("refresh"));
    // The sweep runs every half second and deletes the expired row.
    put_ok(client, R"({"namespace":["sweep",")" + unique_root("s") + R"("],"key":"gone","value":{},"ttl":0.001})");
    CHECK(poll_until([&] { return host.log().find("expired store items deleted") != std::string::npos; }, 10000ms,
                     100ms));
}

TEST_CASE("one tenant's store items are invisible to another", "[store][tenant]") {
    setenv("AGENTHOST_ADMIN_KEY", kAdminKey.c_str(), 1);
    HostProcess host(host_config(R"({"echo":{"enabled":true}})", R"("auth":{"mode":"required"})"));
    unsetenv("AGENTHOST_ADMIN_KEY");
    HttpClient client(host.base_url());
    auto make_key = [&](const std::string& body) {
        auto made = client.post("/admin/keys", body, bearer(kAdminKey));
        INFO(made.body);
        REQUIRE(made.status == 201);
        return std::string(json_of(made)["key"].GetString());
    };
    const auto acme = bearer(make_key(R"({"name":"acme","scopes":["read","invoke"],"tenant":"acme"})"));
    const auto globex = bearer(make_key(R"({"name":"globex","scopes":["read","invoke"],"tenant":"globex"})"));
    const auto reader = bearer(make_key(R"({"name":"acme-reader","scopes":["read"],"tenant":"acme"})"));

    put_ok(client, R"({"namespace":["shared"],"key":"plan","value":{"text":"acme launch plan"}})", acme);
    CHECK(client.get("/store/items?namespace=shared&key=plan", acme).status == 200);
    error_envelope(client.get("/store/items?namespace=shared&key=plan", globex), 404, "StoreItemNotFound");
    CHECK(keys_of(json_of(client.post("/store/items/search", R"({"query":"launch plan"})", globex))).empty());
    CHECK(namespaces_of(json_of(client.post("/store/namespaces", "{}", globex))).empty());
    // Without auth nobody gets in; the admin is a tenant of its own (the
    // default one) here, and sees none of acme's items either.
    CHECK(client.get("/store/items?namespace=shared&key=plan").status == 401);
    CHECK(client.get("/store/items?namespace=shared&key=plan", bearer(kAdminKey)).status == 404);

    // The same namespace and key in another tenant is another item.
    put_ok(client, R"({"namespace":["shared"],"key":"plan","value":{"text":"globex plan"}})", globex);
    CHECK(delete_item(client, R"({"namespace":["shared"],"key":"plan"})", globex).status == 204);
    auto still = json_of(client.get("/store/items?namespace=shared&key=plan", acme));
    CHECK(string_member(still["value"], "text") == "acme launch plan");
    auto found = json_of(client.post("/store/items/search", R"({"query":"plan"})", acme));
    REQUIRE(found["items"].Size() == 1);
    CHECK(string_member(found["items"][0]["value"], "text") == "acme launch plan");

    // Reading needs `read`, writing `invoke`.
    CHECK(client.post("/store/items/search", "{}", reader).status == 200);
    error_envelope(put_item(client, R"({"namespace":["shared"],"key":"x","value":{}})", reader), 403, "Forbidden");
    CHECK(delete_item(client, R"({"namespace":["shared"],"key":"plan"})", reader).status == 403);
}

TEST_CASE("hostile store requests get the error envelope naming the field", "[store][hostile]") {
    HttpClient client(host_for().base_url());
    auto refused = [&](const std::string& body, const std::string& field) {
        auto answer = put_item(client, body);
        INFO(body << " -> " << answer.body);
        auto envelope = error_envelope(answer, 422, "ValidationError");
        bool named = false;
        for (const auto& detail : envelope["details"].GetArray())
            named = named || string_member(detail, "field") == field;
        CHECK(named);
    };
    refused(R"({"namespace":"users","key":"k","value":{}})", "/namespace");
    refused(R"({"namespace":[],"key":"k","value":{}})", "/namespace");
    refused(R"({"namespace":["a",7],"key":"k","value":{}})", "/namespace/1");
    refused(R"({"namespace":["a.b"],"key":"k","value":{}})", "/namespace/0");
    refused(R"({"namespace":["a",""],"key":"k","value":{}})", "/namespace/1");
    refused(R"({"namespace":["a"],"value":{}})", "/key");
    refused(R"({"namespace":["a"],"key":"","value":{}})", "/key");
    refused(R"({"namespace":["a"],"key":"k","value":[1,2]})", "/value");
    refused(R"({"namespace":["a"],"key":"k"})", "/value");
    refused(R"({"namespace":["1","2","3","4","5","6","7","8","9","10","11","12","13","14","15","16","17"],)"
            R"("key":"k","value":{}})",
            "/namespace");
    refused(R"({"namespace":["a"],"key":")" + std::string(1025, 'k') + R"(","value":{}})", "/key");
    refused(R"({"namespace":["a"],"key":"k","value":{},"ttl":-1})", "/ttl");
    refused(R"({"namespace":["a"],"key":"k","value":{},"ttl":0})", "/ttl");
    refused(R"({"namespace":["a"],"key":"k","value":{},"ttl":"soon"})", "/ttl");
    refused(R"({"namespace":["a"],"key":"k","value":{"s":"a\u0000b"}})", "/value/s");

    // A value over 256 KiB is refused by the store; a body over the HTTP
    // limit (1 MiB) before it is read.
    std::string big(300 * 1024, 'x');
    refused(R"({"namespace":["a"],"key":"big","value":{"blob":")" + big + R"("}})", "/value");
    std::string huge(2 * 1024 * 1024, 'x');
    auto too_large = put_item(client, R"({"namespace":["a"],"key":"huge","value":{"blob":")" + huge + R"("}})");
    CHECK(too_large.status == 413);
    error_envelope(put_item(client, R"({"namespace":["a"],"key":)"), 400, "InvalidJSON");
    CHECK(client.request("PUT", "/store/items", R"({"namespace":["a"],"key":"k","value":{}})",
                         {"Content-Type: text/plain"}).status == 415);

    // GET takes the namespace dot-joined; bad ones are refused, missing
    // items answer 404.
    error_envelope(client.get("/store/items?key=k"), 422, "ValidationError");
    error_envelope(client.get("/store/items?namespace=a..b&key=k"), 422, "ValidationError");
    error_envelope(client.get("/store/items?namespace=a"), 422, "ValidationError");
    error_envelope(client.get("/store/items?namespace=never.written&key=k"), 404, "StoreItemNotFound");
    error_envelope(delete_item(client, R"({"namespace":["a"]})"), 422, "ValidationError");

    // Searches and listings check their members too.
    error_envelope(client.post("/store/items/search", R"({"limit":0})"), 422, "ValidationError");
    error_envelope(client.post("/store/items/search", R"({"namespace_prefix":"a"})"), 422, "ValidationError");
    error_envelope(client.post("/store/items/search", R"({"filter":{"n":{"$regex":"x"}}})"), 422, "ValidationError");
    error_envelope(client.post("/store/items/search", R"({"query":")" + std::string(5000, 'q') + R"("})"), 422,
                   "ValidationError");
    error_envelope(client.post("/store/items/search", R"({"offset":100000000})"), 422, "ValidationError");
    error_envelope(client.post("/store/items/search", R"({"filter":[1]})"), 422, "ValidationError");
    error_envelope(client.post("/store/namespaces", R"({"max_depth":0})"), 422, "ValidationError");
    error_envelope(client.post("/store/namespaces", R"({"suffix":["a.b"]})"), 422, "ValidationError");
    // Nothing of the above was stored.
    CHECK(namespaces_of(json_of(client.post("/store/namespaces", R"({"prefix":["a"]})"))).empty());
}

TEST_CASE("concurrent puts of one key and of many keys all land, one value wins", "[store][concurrent]") {
    HttpClient probe(host_for().base_url());
    const std::string root = unique_root("concurrent");
    std::vector<std::thread> writers;
    std::vector<long> statuses(16 * 10, 0);
    for (int w = 0; w < 16; ++w)
        writers.emplace_back([&, w] {
            HttpClient client(host_for().base_url());
            for (int i = 0; i < 10; ++i) {
                // Every writer hits the shared key, and a key of its own.
                const std::string key = i % 2 == 0 ? "shared" : "own-" + std::to_string(w);
                statuses[w * 10 + i] =
                    put_item(client, R"({"namespace":["race",")" + root + R"("],"key":")" + key +
                                         R"(","value":{"writer":)" + std::to_string(w) + R"(,"i":)" +
                                         std::to_string(i) + "}}")
                        .status;
            }
        });
    for (auto& writer : writers) writer.join();
    for (long status : statuses) CHECK(status == 204);
    auto shared = json_of(probe.get("/store/items?namespace=race." + root + "&key=shared"));
    CHECK(shared["value"]["writer"].GetInt() >= 0);
    CHECK(shared["value"]["writer"].GetInt() < 16);
    auto all = json_of(probe.post("/store/items/search", R"({"namespace_prefix":["race",")" + root + R"("],"limit":100})"));
    CHECK(all["items"].Size() == 17);  // "shared" and one per writer
}

TEST_CASE("plugins share store items across runs and threads through the SDK", "[store][plugin]") {
    std::string isolation = GENERATE(std::string("in_process"), std::string("process"));
    INFO("isolation: " << isolation);
    HttpClient client(host_for(isolation).base_url());
    const std::string root = unique_root("plugin-" + isolation);
    const std::string ns = R"(["facts",")" + root + R"("])";

    auto wrote = run_on_thread(client, "store_probe", root + "-writer",
                               R"({"put":{"namespace":)" + ns + R"(,"key":"sky","value":{"text":"the sky is blue"}}})");
    CHECK(result_of(wrote)["put"].GetBool());

    // Another run, on another thread, reads it.
    auto read = run_on_thread(client, "store_probe", root + "-reader",
                              R"({"get":{"namespace":)" + ns + R"(,"key":"sky"},"search":{"namespace_prefix":)" + ns +
                                  R"(,"query":"blue"}})");
    const auto& result = result_of(read);
    REQUIRE(result["item"].IsObject());
    CHECK(string_member(result["item"]["value"], "text") == "the sky is blue");
    REQUIRE(result["items"].Size() == 1);
    CHECK(result["items"][0]["score"].GetDouble() > 0);
    // The same item over HTTP (the runs and the client share a tenant).
    auto over_http = json_of(client.get("/store/items?namespace=facts." + root + "&key=sky"));
    CHECK(string_member(over_http["value"], "text") == "the sky is blue");

    // A missing item is null to the SDK, and a delete says whether it was there.
    auto missing = run_on_thread(client, "store_probe", root + "-reader",
                                 R"({"get":{"namespace":)" + ns + R"(,"key":"none"},"delete":{"namespace":)" + ns +
                                     R"(,"key":"sky"}})");
    CHECK(result_of(missing)["item"].IsNull());
    CHECK(result_of(missing)["deleted"].GetBool());
    CHECK(client.get("/store/items?namespace=facts." + root + "&key=sky").status == 404);

    // A malformed request is the plugin's bug: the run fails naming the call.
    auto bad = run_on_thread(client, "store_probe", root + "-bad", R"({"raw":{"op":"put","namespace":"facts","key":"k"}})");
    CHECK(bad.status == "failed");
    CHECK_THAT(bad.error, Contains("callback store refused a bad argument") && Contains("/namespace"));
    auto unknown = run_on_thread(client, "store_probe", root + "-bad", R"({"raw":{"op":"drop"}})");
    CHECK(unknown.status == "failed");
    CHECK_THAT(unknown.error, Contains("/op"));
}

TEST_CASE("a plugin without the store permission is refused", "[store][plugin]") {
    std::string isolation = GENERATE(std::string("in_process"), std::string("process"));
    INFO("isolation: " << isolation);
    HttpClient client(host_for(isolation).base_url());
    const std::string root = unique_root("denied-" + isolation);
    auto refused = run_on_thread(client, "store_unpermitted", root,
                                 R"({"put":{"namespace":["denied",")" + root + R"("],"key":"k","value":{"a":1}}})");
    CHECK(refused.status == "failed");
    CHECK_THAT(refused.error, Contains("store_unpermitted") && Contains("without the 'store' permission"));
    CHECK(client.get("/store/items?namespace=denied." + root + "&key=k").status == 404);
}
