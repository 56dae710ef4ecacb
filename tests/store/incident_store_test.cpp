// Seed 002's store on both backends: grouping by fingerprint within the
// window (also under concurrent writers), the sample cap, full-text
// retrieval ranking, status changes, integrations unique per tenant.
#include "test_database.hpp"
#include "util/ids.hpp"

#include <catch2/catch.hpp>

#include <future>
#include <thread>

using namespace agenthost;

namespace {

store::SignalRecord signal(const std::string& tenant, const std::string& message, const std::string& fingerprint,
                           long long at, const std::string& service = "checkout") {
    store::SignalRecord s;
    s.id = "sig_" + new_uuid();
    s.tenant = tenant;
    s.kind = "log";
    s.service = service;
    s.severity = fingerprint.empty() ? "info" : "error";
    s.message = message;
    s.fingerprint = fingerprint;
    s.payload_json = "{}";
    s.received_at_ms = at;
    s.created_at_ms = at;
    return s;
}

store::IngestOutcome ingest(store::Store& db, const store::SignalRecord& s, long long window_ms = 60000,
                            long long cap = 100) {
    store::IngestOutcome outcome;
    db.writes().run([&](soci::session& session) {
        outcome = db.incidents().ingest(session, s, "checkout: boom", window_ms, cap);
    });
    return outcome;
}

}  // namespace

TEST_CASE("incident store: one fingerprint in the window is one incident with a count; past the window a new one") {
    testing::TestDatabase database;
    auto db = database.open();
    long long t = store::now_ms();
    auto first = ingest(*db, signal("t1", "boom 1", "fp-a", t));
    CHECK(first.created);
    for (int i = 0; i < 5; ++i) {
        auto next = ingest(*db, signal("t1", "boom", "fp-a", t + 1000 + i), 60000, 3);
        CHECK_FALSE(next.created);
        CHECK(next.incident_id == first.incident_id);
        CHECK(next.stored == (i < 2));  // a sample of 3, the rest counted
    }
    // Another tenant's storm with the same fingerprint is its own incident.
    CHECK(ingest(*db, signal("t2", "boom", "fp-a", t + 2000)).incident_id != first.incident_id);
    // After the window of silence, the same error is a new incident.
    auto later = ingest(*db, signal("t1", "boom", "fp-a", t + 2000 + 120000));
    CHECK(later.created);
    auto incident = db->read([&](soci::session& s) { return db->incidents().find_incident(s, first.incident_id); });
    REQUIRE(incident);
    CHECK(incident->signal_count == 6);
    auto kept = db->read([&](soci::session& s) { return db->incidents().signals_of(s, first.incident_id, 100); });
    CHECK(kept.size() == 3);
}

TEST_CASE("incident store: concurrent writers of one storm open one incident") {
    testing::TestDatabase database;
    auto db = database.open();
    long long t = store::now_ms();
    std::vector<std::future<void>> writers;
    std::atomic<int> created{0};
    for (int w = 0; w < 4; ++w)
        writers.push_back(std::async(std::launch::async, [&] {
            for (int i = 0; i < 50; ++i)
                if (ingest(*db, signal("t1", "storm", "fp-storm", t + i)).created) ++created;
        }));
    for (auto& writer : writers) writer.get();
    CHECK(created.load() == 1);
    store::IncidentFilter filter;
    filter.by_tenant = true;
    filter.tenant = "t1";
    auto page = db->read([&](soci::session& s) { return db->incidents().incidents(s, filter); });
    REQUIRE(page.incidents.size() == 1);
    CHECK(page.incidents[0].signal_count == 200);
}

TEST_CASE("incident store: retrieval ranks the lines that share the query's words first, per tenant") {
    testing::TestDatabase database;
    auto db = database.open();
    long long t = store::now_ms();
    const char* noise[] = {"GET /health 200", "cache warmed", "user login succeeded", "report sent", "metrics flushed"};
    for (int i = 0; i < 25; ++i) ingest(*db, signal("t1", noise[i % 5], "", t + i));
    ingest(*db, signal("t1", "connection pool exhausted: timeout waiting for connection from orders-db", "", t + 30));
    ingest(*db, signal("t1", "orders-db pool at 100 of 100 connections", "", t + 31));
    ingest(*db, signal("t2", "connection pool exhausted on orders-db", "", t + 32));
    auto found = db->read([&](soci::session& s) {
        return db->incidents().search(s, "t1", "orders-db connection pool timeout", 5);
    });
    REQUIRE(found.size() >= 2);
    CHECK(found[0].message.find("exhausted") != std::string::npos);
    CHECK(found[1].message.find("pool") != std::string::npos);
    CHECK(found[0].score >= found[1].score);
    for (const auto& s : found) CHECK(s.tenant == "t1");
    // Query syntax is never passed through.
    CHECK_NOTHROW(db->read([&](soci::session& s) { return db->incidents().search(s, "t1", "\"pool\" NEAR( * OR -", 5); }));
    CHECK(store::search_terms("Pool, pool; NEAR(x) -- ''") == std::vector<std::string>{"pool", "near"});
}

TEST_CASE("incident store: resolve and reopen change status once each; integrations are unique per tenant") {
    testing::TestDatabase database;
    auto db = database.open();
    auto opened = ingest(*db, signal("t1", "boom", "fp-r", store::now_ms()));
    bool resolved = false, again = false, reopened = false;
    db->writes().run([&](soci::session& s) {
        resolved = db->incidents().set_status(s, opened.incident_id, "resolved", "rolled back", "alice", store::now_ms());
        again = db->incidents().set_status(s, opened.incident_id, "resolved", "x", "bob", store::now_ms());
        reopened = db->incidents().set_status(s, opened.incident_id, "open", "", "carol", store::now_ms());
    });
    CHECK(resolved);
    CHECK_FALSE(again);
    CHECK(reopened);
    auto incident = db->read([&](soci::session& s) { return db->incidents().find_incident(s, opened.incident_id); });
    CHECK(incident->status == "open");
    CHECK(incident->reopened == 1);

    store::SreIntegration repo{"i1", "t1", "repo", "shop", R"({"name":"shop"})", store::now_ms()};
    bool first = false, duplicate = true, other_tenant = false;
    db->writes().run([&](soci::session& s) {
        first = db->incidents().insert_integration(s, repo);
        store::SreIntegration same = repo;
        same.id = "i2";
        duplicate = db->incidents().insert_integration(s, same);
        same.id = "i3";
        same.tenant = "t2";
        other_tenant = db->incidents().insert_integration(s, same);
    });
    CHECK(first);
    CHECK_FALSE(duplicate);
    CHECK(other_tenant);
    std::string tenant = "t1";
    auto listed = db->read([&](soci::session& s) { return db->incidents().integrations(s, "repo", &tenant); });
    CHECK(listed.size() == 1);
}
