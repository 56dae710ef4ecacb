// The long-term store's repository, run unchanged against SQLite (FTS5) and
// PostgreSQL (tsvector): replace keeps the creation time, prefixes are
// whole labels, tenants are apart, ranking puts the best match first, the
// full-text index follows updates and deletes, expiry hides at once and the
// sweep deletes.
#include "memory_store/item_request.hpp"
#include "test_database.hpp"

#include <catch2/catch.hpp>

using namespace agenthost;

namespace {

store::StoreItemWrite item(const std::string& tenant, const std::string& ns, const std::string& key,
                           const std::string& text, long long now, std::optional<long long> ttl_ms = std::nullopt) {
    return {tenant, ns, key, R"({"text":")" + text + R"("})", text, ttl_ms, now};
}

void put(store::Store& db, const store::StoreItemWrite& write) {
    db.writes().run([&](soci::session& s) { db.store_items().put(s, write); });
}

std::vector<std::string> keys(store::Store& db, store::StoreItemScan scan) {
    std::vector<std::string> out;
    for (const auto& found : db.read([&](soci::session& s) { return db.store_items().scan(s, scan); }))
        out.push_back(found.namespace_path + "/" + found.key);
    return out;
}

}  // namespace

TEST_CASE("store items: replace, prefixes, tenants, ranking, expiry and sweep", "[store][store_items]") {
    testing::quiet_store_logs();
    testing::TestDatabase database;
    auto db = database.open();
    const long long now = store::now_ms();

    put(*db, item("acme", "docs", "a", "kubernetes deployment rollback rollback", now));
    put(*db, item("acme", "docs.old", "b", "deployment notes", now + 1));
    put(*db, item("acme", "docsx", "c", "deployment elsewhere", now + 2));
    put(*db, item("globex", "docs", "a", "deployment rollback for globex", now + 3));

    // Replacing keeps created_at and moves updated_at; the index follows.
    put(*db, item("acme", "docs", "a", "kubernetes deployment rollback rollback", now + 10));
    auto got = db->read([&](soci::session& s) { return db->store_items().get(s, "acme", "docs", "a", now + 11); });
    REQUIRE(got);
    CHECK(got->created_at_ms == now);
    CHECK(got->updated_at_ms == now + 10);

    store::StoreItemScan scan;
    scan.tenant = "acme";
    scan.now_ms = now + 20;
    scan.prefix = "docs";
    // "docs" holds docs and docs.old, never docsx.
    CHECK(keys(*db, scan) == std::vector<std::string>{"docs/a", "docs.old/b"});
    scan.words = memory_store::query_words("Rollback deployments");
    CHECK(keys(*db, scan) == std::vector<std::string>{"docs/a", "docs.old/b"});
    auto ranked = db->read([&](soci::session& s) { return db->store_items().scan(s, scan); });
    REQUIRE(ranked.size() == 2);
    REQUIRE(ranked[0].score);
    CHECK(*ranked[0].score > *ranked[1].score);
    // An update drops the old words from the index.
    put(*db, item("acme", "docs", "a", "nothing relevant now", now + 30));
    scan.now_ms = now + 31;
    CHECK(keys(*db, scan) == std::vector<std::string>{"docs.old/b"});

    // Namespaces: distinct, in order, under the prefix, per tenant.
    auto namespaces = db->read(
        [&](soci::session& s) { return db->store_items().namespaces(s, "acme", "", now + 40, 100, 0); });
    CHECK(namespaces == std::vector<std::string>{"docs", "docs.old", "docsx"});
    auto globex = db->read(
        [&](soci::session& s) { return db->store_items().namespaces(s, "globex", "docs", now + 40, 100, 0); });
    CHECK(globex == std::vector<std::string>{"docs"});

    // Expiry: hidden from every read at once, deleted (and unindexed) by the sweep.
    put(*db, item("acme", "tmp", "t", "ephemeral", now + 50, 100));
    CHECK(db->read([&](soci::session& s) { return db->store_items().get(s, "acme", "tmp", "t", now + 149); }));
    CHECK_FALSE(db->read([&](soci::session& s) { return db->store_items().get(s, "acme", "tmp", "t", now + 150); }));
    store::StoreItemScan expired;
    expired.tenant = "acme";
    expired.words = {"ephemeral"};
    expired.now_ms = now + 150;
    CHECK(keys(*db, expired).empty());
    long long swept = 0;
    db->writes().run([&](soci::session& s) { swept = db->store_items().sweep(s, store::now_ms() + 1000, 100); });
    CHECK(swept == 1);
    expired.now_ms = 0;  // even a reader whose clock says it is alive finds no row
    CHECK(keys(*db, expired).empty());

    // Delete: only a live item counts, and its words leave the index.
    bool removed = false;
    db->writes().run([&](soci::session& s) { removed = db->store_items().remove(s, "acme", "docs.old", "b"); });
    CHECK(removed);
    db->writes().run([&](soci::session& s) { removed = db->store_items().remove(s, "acme", "docs.old", "b"); });
    CHECK_FALSE(removed);
    scan.now_ms = store::now_ms();
    CHECK(keys(*db, scan).empty());
}
