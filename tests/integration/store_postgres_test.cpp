// The long-term store on PostgreSQL through real hosts: the scenarios of
// store_api_test.cpp (ranking by ts_rank_cd over the generated tsvector),
// two hosts on one database serving one set of items, and the TTL sweep
// deleting expired rows.
#include "store_scenarios.hpp"

using namespace agenthost::testing;
using namespace agenthost::testing::store_scenarios;
using namespace std::chrono_literals;

namespace {

const bool kHavePostgres = exit_77_without_postgres();

std::vector<std::string> on_database(const TestDatabase& database) { return {"--database-url", database.url()}; }

}  // namespace

TEST_CASE("the long-term store on PostgreSQL: items, ranked search, namespaces, expiry, two hosts",
          "[store][postgres]") {
    TestDatabase database;
    const std::string config = host_config(R"({"echo":{"enabled":true}})", R"("store":{"ttl_sweep_seconds":0.5})");
    HostProcess a(config, on_database(database));
    HostProcess b(config, on_database(database));
    HttpClient via_a(a.base_url()), via_b(b.base_url());

    put_get_replace_delete(via_a, "pg-items");
    search_ranks_and_filters(via_a, "pg-search");
    namespaces_by_prefix_suffix_depth(via_b, "pg-namespaces");
    ttl_expires(via_b, "pg-ttl");
    ttl_refreshes_on_read(via_a, "pg-refresh");

    // What one host writes the other reads, searches and deletes.
    put_ok(via_a, R"({"namespace":["pg-shared"],"key":"note","value":{"text":"written through host a"}})");
    auto read = json_of(via_b.get("/store/items?namespace=pg-shared&key=note"));
    CHECK(string_member(read["value"], "text") == "written through host a");
    auto found = keys_of(json_of(via_b.post("/store/items/search", R"({"query":"written host"})")));
    CHECK(found == std::vector<std::string>{"note"});
    CHECK(delete_item(via_b, R"({"namespace":["pg-shared"],"key":"note"})").status == 204);
    CHECK(via_a.get("/store/items?namespace=pg-shared&key=note").status == 404);

    // Expired rows are deleted by the sweep, not only hidden.
    const std::string count = "SELECT COUNT(*) FROM store_items WHERE namespace = 'pg-sweep'";
    put_ok(via_a, R"({"namespace":["pg-sweep"],"key":"gone","value":{},"ttl":0.05})");  // 3 s
    CHECK(psql(database.url(), count) == "1\n");
    CHECK(poll_until([&] { return via_a.get("/store/items?namespace=pg-sweep&key=gone").status == 404; }, 10000ms,
                     100ms));
    CHECK(poll_until([&] { return psql(database.url(), count) == "0\n"; }, 10000ms, 100ms));
}
