// Pulled log sources' cursors on both backends: one claim at a time (also
// when hosts race), the cursor moves only with the lease and in the
// transaction that stores the signals, failures are recorded and back off.
#include "store/log_cursor_repository.hpp"
#include "test_database.hpp"
#include "util/ids.hpp"

#include <catch2/catch.hpp>

#include <atomic>
#include <future>
#include <thread>
#include <vector>

using namespace agenthost;

namespace {

std::optional<store::LogCursor> claim(store::Store& db, const std::string& source, const std::string& owner,
                                      long long now, long long lease_ms = 60000) {
    std::optional<store::LogCursor> claimed;
    store::LogCursorRepository cursors(db.dialect());
    db.writes().run([&](soci::session& session) {
        claimed = cursors.claim(session, source, "t1", owner, now, now + lease_ms);
    });
    return claimed;
}

store::LogCursor find(store::Store& db, const std::string& source) {
    store::LogCursorRepository cursors(db.dialect());
    auto row = db.read([&](soci::session& session) { return cursors.find(session, source); });
    REQUIRE(row);
    return *row;
}

store::SignalRecord signal(const std::string& message) {
    store::SignalRecord s;
    s.id = "sig_" + new_uuid();
    s.tenant = "t1";
    s.kind = "log";
    s.service = "checkout";
    s.severity = "error";
    s.message = message;
    s.payload_json = "{}";
    s.received_at_ms = s.created_at_ms = store::now_ms();
    return s;
}

long long signals_of_tenant(store::Store& db) {
    return db.read([&](soci::session& session) {
        long long count = 0;
        session << "SELECT COUNT(*) FROM signals WHERE tenant = 't1'", soci::into(count);
        return count;
    });
}

}  // namespace

TEST_CASE("log cursors: a due source is claimed once; the cursor moves with the lease, then it is due again later") {
    testing::TestDatabase database;
    auto db = database.open();
    store::LogCursorRepository cursors(db->dialect());
    long long t = store::now_ms();
    auto first = claim(*db, "src-a", "host-1", t);
    REQUIRE(first);
    CHECK(first->cursor_json.empty());
    CHECK(first->lease_owner == "host-1");
    // Leased: nobody else, not even the same host again, claims it.
    CHECK_FALSE(claim(*db, "src-a", "host-2", t + 1));
    CHECK_FALSE(claim(*db, "src-a", "host-1", t + 1));
    store::PullProgress progress{"{\"offset\":42}", 7, 2, t + 10, t + 15000};
    bool moved = false;
    db->writes().run([&](soci::session& session) {
        moved = cursors.advance(session, "src-a", "host-1", first->fencing_token, progress);
    });
    CHECK(moved);
    auto row = find(*db, "src-a");
    CHECK(row.cursor_json == "{\"offset\":42}");
    CHECK(row.lines_read == 7);
    CHECK(row.signals_sent == 2);
    CHECK(row.lease_owner.empty());
    CHECK(row.last_success_at_ms == t + 10);
    // Not due before its interval; due after it, with the cursor kept.
    CHECK_FALSE(claim(*db, "src-a", "host-2", t + 14000));
    auto again = claim(*db, "src-a", "host-2", t + 15000);
    REQUIRE(again);
    CHECK(again->cursor_json == "{\"offset\":42}");
    CHECK(again->fencing_token > first->fencing_token);
    // The first host's stale token no longer moves anything.
    db->writes().run([&](soci::session& session) {
        moved = cursors.advance(session, "src-a", "host-1", first->fencing_token, progress);
    });
    CHECK_FALSE(moved);
    CHECK(find(*db, "src-a").lines_read == 7);
}

TEST_CASE("log cursors: an expired lease is taken over; a failure is recorded and the cursor stays") {
    testing::TestDatabase database;
    auto db = database.open();
    store::LogCursorRepository cursors(db->dialect());
    long long t = store::now_ms();
    auto dead = claim(*db, "src-b", "host-dead", t, 1000);
    REQUIRE(dead);
    CHECK_FALSE(claim(*db, "src-b", "host-2", t + 500));
    auto taken = claim(*db, "src-b", "host-2", t + 1001);
    REQUIRE(taken);
    bool recorded = false;
    db->writes().run([&](soci::session& session) {
        recorded = cursors.fail(session, "src-b", "host-2", taken->fencing_token, "HTTP 401: denied", t + 1100, t + 31100);
    });
    CHECK(recorded);
    auto row = find(*db, "src-b");
    CHECK(row.last_error == "HTTP 401: denied");
    CHECK(row.failures == 1);
    CHECK(row.cursor_json.empty());
    CHECK(row.next_pull_at_ms == t + 31100);
    CHECK_FALSE(claim(*db, "src-b", "host-2", t + 31000));
    auto retry = claim(*db, "src-b", "host-2", t + 31100);
    REQUIRE(retry);
    CHECK(retry->failures == 1);
    // Success clears the error and the failure count.
    db->writes().run([&](soci::session& session) {
        cursors.advance(session, "src-b", "host-2", retry->fencing_token, {"{}", 1, 0, t + 31200, t + 46200});
    });
    CHECK(find(*db, "src-b").last_error.empty());
    CHECK(find(*db, "src-b").failures == 0);
}

TEST_CASE("log cursors: hosts racing for one source, exactly one claims it") {
    testing::TestDatabase database;
    auto db = database.open();
    auto other = database.open();  // a second host on the same database
    long long t = store::now_ms();
    for (int round = 0; round < 10; ++round) {
        std::string source = "src-race-" + std::to_string(round);
        std::atomic<int> winners{0};
        std::vector<std::future<void>> hosts;
        for (int h = 0; h < 4; ++h)
            hosts.push_back(std::async(std::launch::async, [&, h] {
                store::Store& mine = h % 2 == 0 ? *db : *other;
                if (claim(mine, source, "host-" + std::to_string(h), t)) ++winners;
            }));
        for (auto& host : hosts) host.get();
        CHECK(winners == 1);
    }
}

TEST_CASE("log cursors: signals and the cursor commit together; a lost lease stores neither") {
    testing::TestDatabase database;
    auto db = database.open();
    store::LogCursorRepository cursors(db->dialect());
    long long t = store::now_ms();
    auto mine = claim(*db, "src-c", "host-1", t);
    REQUIRE(mine);
    // Together: both are there.
    db->writes().run([&](soci::session& session) {
        db->incidents().ingest(session, signal("ERROR one"), "", 60000, 100);
        REQUIRE(cursors.advance(session, "src-c", "host-1", mine->fencing_token, {"{\"n\":1}", 1, 1, t, t}));
    });
    CHECK(signals_of_tenant(*db) == 1);
    // A stale token: the write throws and the signal is rolled back with it.
    auto next = claim(*db, "src-c", "host-2", t + 1);
    REQUIRE(next);
    CHECK_THROWS(db->writes().run([&](soci::session& session) {
        db->incidents().ingest(session, signal("ERROR two"), "", 60000, 100);
        if (!cursors.advance(session, "src-c", "host-1", mine->fencing_token, {"{\"n\":2}", 1, 1, t, t}))
            throw std::runtime_error("lease lost");
    }));
    CHECK(signals_of_tenant(*db) == 1);
    CHECK(find(*db, "src-c").cursor_json == "{\"n\":1}");
    // Removing the source's cursor.
    db->writes().run([&](soci::session& session) { cursors.remove(session, "src-c"); });
    CHECK_FALSE(db->read([&](soci::session& session) { return cursors.find(session, "src-c"); }));
}
