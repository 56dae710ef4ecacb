// The store's contract, run unchanged against SQLite and PostgreSQL.
#include "store/migrations.hpp"
#include "test_database.hpp"
#include "util/ids.hpp"

#include <catch2/catch.hpp>

#include <atomic>
#include <future>
#include <set>
#include <thread>

using namespace agenthost;
using store::RunRecord;

namespace {

RunRecord new_run(const std::string& agent = "echo", const std::string& thread = "thread-1", long long created = 0) {
    RunRecord run;
    run.id = new_uuid();
    run.thread_id = thread;
    run.agent = agent;
    run.task = "say hello";
    run.context_json = R"({"note":"x"})";
    run.status = store::run_status::queued;
    run.max_attempts = 2;
    run.created_at_ms = run.updated_at_ms = created != 0 ? created : store::now_ms();
    return run;
}

void insert(store::Store& db, const RunRecord& run) {
    db.writes().run([&](soci::session& s) { db.runs().insert(s, run); });
}

RunRecord load(store::Store& db, const std::string& id) {
    auto run = db.read([&](soci::session& s) { return db.runs().find(s, id); });
    REQUIRE(run);
    return *run;
}

std::vector<store::ClaimedRun> claim(store::Store& db, size_t limit, const std::vector<std::string>& agents = {"echo"},
                                     const std::string& owner = "host-a", long long lease_ms = 60000) {
    std::vector<store::ClaimedRun> claimed;
    db.writes().run([&](soci::session& s) {
        claimed = db.runs().claim(s, owner, store::now_ms() + lease_ms, limit, agents);
    });
    return claimed;
}

// A claimed run is started: the claim counted its attempt and wrote its
// run.started event in the same commit.
RunRecord start(store::Store& db, RunRecord run) {
    RunRecord stored = load(db, run.id);
    REQUIRE(stored.attempts == run.attempts);
    REQUIRE(run.attempts >= 1);
    REQUIRE(stored.started_at_ms > 0);
    return run;
}

bool complete(store::Store& db, RunRecord run, const std::string& status) {
    run.status = status;
    run.result_json = status == "succeeded" ? R"({"ok":true})" : "";
    run.error = status == "succeeded" ? "" : "it broke";
    run.finished_at_ms = store::now_ms();
    bool done = false;
    db.writes().run([&](soci::session& s) { done = db.runs().complete(s, run); });
    return done;
}

std::vector<store::RunEvent> events(store::Store& db, const std::string& id) {
    return db.read([&](soci::session& s) { return db.runs().events(s, id, 0, 1000); });
}

}  // namespace

TEST_CASE("migrations apply once and a second open finds the schema current") {
    testing::TestDatabase database;
    { auto db = database.open(); }
    auto db = database.open();
    int version = db->read([](soci::session& s) {
        int v = 0;
        s << "SELECT MAX(version) FROM schema_migrations", soci::into(v);
        return v;
    });
    CHECK(version == store::latest_schema_version());
}

TEST_CASE("run indexes on columns most runs leave NULL are partial, so a plain run writes no entry in them") {
    testing::TestDatabase database;
    auto db = database.open();
    bool sqlite = database.settings().dialect == store::Dialect::sqlite;
    for (const std::string name : {"runs_by_finished", "runs_by_pipeline", "runs_by_approval_expiry"}) {
        INFO(name);
        std::string definition = db->read([&](soci::session& s) {
            std::string sql;
            if (sqlite)
                s << "SELECT sql FROM sqlite_master WHERE type = 'index' AND name = :n", soci::use(name), soci::into(sql);
            else
                s << "SELECT indexdef FROM pg_indexes WHERE indexname = :n", soci::use(name), soci::into(sql);
            return sql;
        });
        CHECK_THAT(definition, Catch::Matchers::Contains("IS NOT NULL"));
    }
    // The queries that use them still find their rows: the retention purge
    // of finished runs (finished_at_ms < t implies IS NOT NULL).
    insert(*db, new_run("echo", "t-partial"));
    RunRecord claimed = claim(*db, 1).at(0).run;
    REQUIRE(complete(*db, claimed, "succeeded"));
    size_t deleted = 0;
    db->writes().run([&](soci::session& s) { deleted = db->runs().delete_finished_before(s, store::now_ms() + 1000); });
    CHECK(deleted == 1);
}

TEST_CASE("claims of many sizes each take at most their size, past the prepared statements kept") {
    // PostgreSQL prepares the claim once per size, keeping at most 64, then
    // drops them all and prepares again as needed.
    testing::TestDatabase database;
    auto db = database.open();
    for (size_t size = 1; size <= 70; ++size) CHECK(claim(*db, size).empty());
    for (int i = 0; i < 3; ++i) insert(*db, new_run("echo", "t-sizes-" + std::to_string(i)));
    CHECK(claim(*db, 2).size() == 2);
    CHECK(claim(*db, 69).size() == 1);
    CHECK(claim(*db, 5).empty());
}

TEST_CASE("SQLite's synchronous pragma follows database.sqlite_synchronous") {
    testing::TestDatabase database;
    if (database.settings().dialect != store::Dialect::sqlite) return;
    auto level = [](store::DatabaseSettings settings, const std::string& mode) {
        settings.sqlite_synchronous = mode;
        auto session = store::open_session(settings);
        int value = -1;
        *session << "PRAGMA synchronous", soci::into(value);
        return value;
    };
    CHECK(level(database.settings(), "full") == 2);
    CHECK(level(database.settings(), "normal") == 1);
}

TEST_CASE("a stored run reads back whole, with its run.queued event") {
    testing::TestDatabase database;
    auto db = database.open();
    RunRecord run = new_run();
    run.webhook_url = "https://example.test/hook";
    insert(*db, run);
    RunRecord back = load(*db, run.id);
    CHECK(back.thread_id == "thread-1");
    CHECK(back.agent == "echo");
    CHECK(back.task == "say hello");
    CHECK(back.context_json == R"({"note":"x"})");
    CHECK(back.status == "queued");
    CHECK(back.attempts == 0);
    CHECK(back.max_attempts == 2);
    CHECK(back.created_at_ms == run.created_at_ms);
    CHECK(back.started_at_ms == 0);
    CHECK(back.webhook_url == "https://example.test/hook");
    CHECK(back.pipeline_step == -1);
    auto log = events(*db, run.id);
    REQUIRE(log.size() == 1);
    CHECK(log[0].seq == 1);
    CHECK(log[0].type == "run.queued");
}

TEST_CASE("claiming takes queued runs oldest first, once, only for the host's agents") {
    testing::TestDatabase database;
    auto db = database.open();
    long long base = store::now_ms() - 1000;
    RunRecord first = new_run("echo", "t", base), second = new_run("echo", "t", base + 1), other = new_run("other", "t", base + 2);
    insert(*db, second);
    insert(*db, first);
    insert(*db, other);

    auto claimed = claim(*db, 1);
    REQUIRE(claimed.size() == 1);
    CHECK(claimed[0].run.id == first.id);
    CHECK(claimed[0].run.status == "running");
    CHECK(claimed[0].run.attempts == 1);  // counted in the claim's commit
    CHECK(claimed[0].run.started_at_ms > 0);
    CHECK(claimed[0].run.fencing_token == 1);
    CHECK(claimed[0].run.lease_owner == "host-a");
    CHECK(claimed[0].next_event_seq == 2);

    auto rest = claim(*db, 10);
    REQUIRE(rest.size() == 1);
    CHECK(rest[0].run.id == second.id);
    CHECK(claim(*db, 10).empty());  // "other" is not an agent of this host
    CHECK(claim(*db, 10, {"other"}).size() == 1);
}

TEST_CASE("a run keeps the trace context of the request that created it, for whichever host claims it") {
    testing::TestDatabase database;
    auto db = database.open();
    RunRecord traced = new_run("echo", "t-trace", store::now_ms() - 10);
    traced.trace_parent = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";
    RunRecord untraced = new_run("echo", "t-trace", store::now_ms() - 5);
    insert(*db, traced);
    insert(*db, untraced);
    CHECK(load(*db, traced.id).trace_parent == traced.trace_parent);
    CHECK(load(*db, untraced.id).trace_parent.empty());
    // Another host's claim carries it to that host's worker.
    auto claimed = claim(*db, 2, {"echo"}, "host-b");
    REQUIRE(claimed.size() == 2);
    CHECK(claimed[0].run.id == traced.id);
    CHECK(claimed[0].run.trace_parent == traced.trace_parent);
    CHECK(claimed[0].next_event_seq == 2);  // the column after the run's is still the last event's number
    CHECK(claimed[1].run.trace_parent.empty());
}

TEST_CASE("only the holder of the current fencing token can complete a run") {
    testing::TestDatabase database;
    auto db = database.open();
    RunRecord run = new_run();
    insert(*db, run);
    RunRecord claimed = claim(*db, 1).at(0).run;

    RunRecord stale = claimed;
    stale.fencing_token = claimed.fencing_token - 1;
    CHECK_FALSE(complete(*db, stale, "succeeded"));
    CHECK(complete(*db, claimed, "succeeded"));
    CHECK_FALSE(complete(*db, claimed, "failed"));  // already finished: never twice
    RunRecord done = load(*db, run.id);
    CHECK(done.status == "succeeded");
    CHECK(done.result_json == R"({"ok":true})");
    CHECK(done.finished_at_ms > 0);
}

TEST_CASE("expired leases are requeued with attempts kept, then failed once attempts run out") {
    testing::TestDatabase database;
    auto db = database.open();
    RunRecord run = new_run();
    insert(*db, run);
    RunRecord first = start(*db, claim(*db, 1, {"echo"}, "host-a", -1).at(0).run);  // lease already over
    CHECK(load(*db, run.id).attempts == 1);
    CHECK(load(*db, run.id).started_at_ms > 0);

    std::vector<std::pair<std::string, std::string>> recovered;
    db->writes().run([&](soci::session& s) { recovered = db->runs().recover_expired(s, store::now_ms(), false); });
    REQUIRE(recovered.size() == 1);
    CHECK(recovered[0].second == "queued");
    RunRecord requeued = load(*db, run.id);
    CHECK(requeued.status == "queued");
    CHECK(requeued.attempts == 1);
    // The old holder is fenced out.
    CHECK_FALSE(complete(*db, first, "succeeded"));

    RunRecord second = start(*db, claim(*db, 1, {"echo"}, "host-b", -1).at(0).run);
    CHECK(second.attempts == 2);
    CHECK(load(*db, run.id).attempts == 2);
    db->writes().run([&](soci::session& s) { recovered = db->runs().recover_expired(s, store::now_ms(), false); });
    REQUIRE(recovered.size() == 1);
    CHECK(recovered[0].second == "failed");
    RunRecord failed = load(*db, run.id);
    CHECK(failed.status == "failed");
    CHECK(failed.error_type == "abandoned");
    auto log = events(*db, run.id);
    CHECK(log.back().type == "run.failed");
    CHECK(log[log.size() - 2].type == "run.requeued");
}

TEST_CASE("recovery fails a run whose plugin killed its host as poison, others as abandoned") {
    testing::TestDatabase database;
    auto db = database.open();
    RunRecord culprit = new_run(), bystander = new_run(), quiet = new_run();
    culprit.max_attempts = bystander.max_attempts = quiet.max_attempts = 1;
    for (const RunRecord* run : {&culprit, &bystander, &quiet}) insert(*db, *run);
    for (const auto& claimed : claim(*db, 3, {"echo"}, "host-a", -1)) start(*db, claimed.run);

    std::map<std::string, store::HostCrash> crashes;
    crashes[culprit.id] = {"the host died (SIGSEGV) in agent 'echo' executing it", true};
    crashes[bystander.id] = {"the host died (SIGSEGV) while agent 'echo' executed it", false};
    std::vector<std::pair<std::string, std::string>> recovered;
    db->writes().run([&](soci::session& s) { recovered = db->runs().recover_expired(s, store::now_ms(), true, crashes); });
    REQUIRE(recovered.size() == 3);
    RunRecord poisoned = load(*db, culprit.id);
    CHECK(poisoned.status == "failed");
    CHECK(poisoned.error_type == "poison");
    CHECK(poisoned.error.find("SIGSEGV") != std::string::npos);
    CHECK(poisoned.error.find("1 of 1") != std::string::npos);
    RunRecord beside = load(*db, bystander.id);
    CHECK(beside.error_type == "abandoned");
    CHECK(beside.error.find("SIGSEGV") != std::string::npos);
    CHECK(load(*db, quiet.id).error_type == "abandoned");
}

TEST_CASE("recovery gives a run claimed ahead that never reached its plugin its attempt back") {
    testing::TestDatabase database;
    auto db = database.open();
    RunRecord started = new_run(), waiting = new_run();
    started.max_attempts = waiting.max_attempts = 1;
    insert(*db, started);
    insert(*db, waiting);
    auto claimed = claim(*db, 2, {"echo"}, "host-a", -1);
    REQUIRE(claimed.size() == 2);
    for (const auto& run : claimed) CHECK(load(*db, run.run.id).attempts == 1);

    std::set<std::string> reached_plugin{started.id};
    std::vector<std::pair<std::string, std::string>> recovered;
    db->writes().run([&](soci::session& s) {
        recovered = db->runs().recover_expired(s, store::now_ms(), true, {}, &reached_plugin);
    });
    REQUIRE(recovered.size() == 2);
    CHECK(load(*db, started.id).error_type == "abandoned");
    RunRecord again = load(*db, waiting.id);
    CHECK(again.status == "queued");
    CHECK(again.attempts == 0);
    auto log = events(*db, waiting.id);
    for (const auto& event : log) CHECK(event.type != "run.started");
    CHECK(log.back().type == "run.requeued");
    CHECK(log.back().data_json.find("before it started") != std::string::npos);
    // Sequence numbers stay unique and increasing.
    for (size_t i = 1; i < log.size(); ++i) CHECK(log[i].seq > log[i - 1].seq);

    // Claimed again, it runs its one attempt.
    auto retaken = claim(*db, 1, {"echo"}, "host-b");
    REQUIRE(retaken.size() == 1);
    CHECK(retaken[0].run.attempts == 1);
}

TEST_CASE("recovery writes the run.started a dead host's worker queued but never committed") {
    // A worker records its run in the start log, calls the plugin and
    // queues run.started without waiting for the commit; a kill -9 in
    // between leaves the attempt counted and proven but no event for it.
    testing::TestDatabase database;
    auto db = database.open();
    RunRecord lost = new_run(), written = new_run(), last_try = new_run();
    last_try.max_attempts = 1;
    for (const RunRecord* run : {&lost, &written, &last_try}) insert(*db, *run);
    auto claimed = claim(*db, 3, {"echo"}, "host-a", -1);
    REQUIRE(claimed.size() == 3);
    // The worker's run.started did reach the database for this one.
    db->writes().run([&](soci::session& s) {
        db->runs().append_next_event(s, written.id, "run.started", R"({"attempt":1,"host":"host-a"})");
    });

    std::set<std::string> reached_plugin{lost.id, written.id, last_try.id};
    std::vector<std::pair<std::string, std::string>> recovered;
    db->writes().run([&](soci::session& s) {
        recovered = db->runs().recover_expired(s, store::now_ms(), true, {}, &reached_plugin);
    });
    REQUIRE(recovered.size() == 3);
    auto starts = [&](const std::string& id) {
        std::vector<store::RunEvent> found;
        for (const auto& event : events(*db, id))
            if (event.type == "run.started") found.push_back(event);
        return found;
    };
    // The attempt stays counted and now has its start, before the requeue.
    RunRecord again = load(*db, lost.id);
    CHECK(again.status == "queued");
    CHECK(again.attempts == 1);
    auto lost_starts = starts(lost.id);
    REQUIRE(lost_starts.size() == 1);
    CHECK(lost_starts[0].data_json.find("\"attempt\":1") != std::string::npos);
    CHECK(lost_starts[0].data_json.find("host-a") != std::string::npos);
    auto log = events(*db, lost.id);
    CHECK(log.back().type == "run.requeued");
    CHECK(log[log.size() - 2].type == "run.started");
    for (size_t i = 1; i < log.size(); ++i) CHECK(log[i].seq > log[i - 1].seq);
    // A start already on record is not written twice.
    CHECK(starts(written.id).size() == 1);
    // Out of attempts it fails (abandoned), its one attempt with its start.
    RunRecord failed = load(*db, last_try.id);
    CHECK(failed.status == "failed");
    CHECK(failed.attempts == 1);
    CHECK(starts(last_try.id).size() == 1);
}

TEST_CASE("recovery ends a run whose cancel was requested before its host died as cancelled") {
    testing::TestDatabase database;
    auto db = database.open();
    RunRecord run = new_run();
    insert(*db, run);
    start(*db, claim(*db, 1, {"echo"}, "host-a", -1).at(0).run);
    store::CancelOutcome outcome{};
    db->writes().run([&](soci::session& s) { outcome = db->runs().cancel(s, run.id, "tester"); });
    REQUIRE(outcome == store::CancelOutcome::requested);

    std::vector<std::pair<std::string, std::string>> recovered;
    db->writes().run([&](soci::session& s) { recovered = db->runs().recover_expired(s, store::now_ms(), false); });
    REQUIRE(recovered.size() == 1);
    CHECK(recovered[0].second == "cancelled");
    RunRecord cancelled = load(*db, run.id);
    CHECK(cancelled.status == "cancelled");
    CHECK(cancelled.error_type == "cancelled");
    CHECK(cancelled.attempts == 1);
    CHECK(events(*db, run.id).back().type == "run.cancelled");
}

TEST_CASE("a running run is queued again under its claim, keeping its attempts") {
    testing::TestDatabase database;
    auto db = database.open();
    RunRecord run = new_run();
    insert(*db, run);
    RunRecord started = start(*db, claim(*db, 1).at(0).run);
    RunRecord stale = started;
    stale.fencing_token -= 1;
    bool requeued = true;
    db->writes().run([&](soci::session& s) { requeued = db->runs().requeue(s, stale, "runner crashed"); });
    CHECK_FALSE(requeued);
    db->writes().run([&](soci::session& s) { requeued = db->runs().requeue(s, started, "runner crashed"); });
    CHECK(requeued);
    RunRecord again = load(*db, run.id);
    CHECK(again.status == "queued");
    CHECK(again.attempts == 1);
    CHECK(events(*db, run.id).back().type == "run.requeued");
    CHECK_FALSE(complete(*db, started, "succeeded"));  // the old claim is fenced out
    CHECK(claim(*db, 1).size() == 1);
}

TEST_CASE("only the runs a host still holds keep their lease") {
    testing::TestDatabase database;
    auto db = database.open();
    RunRecord held = new_run(), forgotten = new_run();
    insert(*db, held);
    insert(*db, forgotten);
    claim(*db, 2, {"echo"}, "host-a", 100);
    db->writes().run([&](soci::session& s) { db->runs().renew_leases(s, "host-a", {held.id}, store::now_ms() + 60000); });
    std::vector<std::pair<std::string, std::string>> recovered;
    std::this_thread::sleep_for(std::chrono::milliseconds(150));
    db->writes().run([&](soci::session& s) { recovered = db->runs().recover_expired(s, store::now_ms(), false); });
    REQUIRE(recovered.size() == 1);
    CHECK(recovered[0].first == forgotten.id);
    // Another host cannot read the dead host's start log: the attempt
    // counted at the claim stays counted (README, "Runs and the database").
    RunRecord requeued = load(*db, forgotten.id);
    CHECK(requeued.status == "queued");
    CHECK(requeued.attempts == 1);
}

TEST_CASE("a live lease is not taken over, unless recovery is told every running run is orphaned") {
    testing::TestDatabase database;
    auto db = database.open();
    insert(*db, new_run());
    claim(*db, 1, {"echo"}, "host-a", 60000);
    std::vector<std::pair<std::string, std::string>> recovered;
    db->writes().run([&](soci::session& s) { recovered = db->runs().recover_expired(s, store::now_ms(), false); });
    CHECK(recovered.empty());
    db->writes().run([&](soci::session& s) { recovered = db->runs().recover_expired(s, store::now_ms(), true); });
    CHECK(recovered.size() == 1);
}

TEST_CASE("cancelling: queued at once, running by request, finished or unknown refused") {
    testing::TestDatabase database;
    auto db = database.open();
    RunRecord queued = new_run(), running = new_run();
    running.created_at_ms -= 1000;
    insert(*db, running);
    insert(*db, queued);
    claim(*db, 1);  // the older one runs
    auto cancel = [&](const std::string& id) {
        store::CancelOutcome outcome;
        db->writes().run([&](soci::session& s) { outcome = db->runs().cancel(s, id, "test"); });
        return outcome;
    };
    CHECK(cancel(queued.id) == store::CancelOutcome::cancelled);
    CHECK(load(*db, queued.id).status == "cancelled");
    CHECK(events(*db, queued.id).back().type == "run.cancelled");
    CHECK(cancel(running.id) == store::CancelOutcome::requested);
    CHECK(load(*db, running.id).cancel_requested);
    std::vector<std::string> to_cancel;
    db->writes().run([&](soci::session& s) {
        to_cancel = db->runs().renew_leases(s, "host-a", {running.id, queued.id}, store::now_ms() + 1000);
    });
    CHECK(to_cancel == std::vector<std::string>{running.id});
    CHECK(cancel(queued.id) == store::CancelOutcome::already_finished);
    CHECK(cancel("no-such-run") == store::CancelOutcome::not_found);
}

TEST_CASE("listing pages newest first with a stable cursor and filters") {
    testing::TestDatabase database;
    auto db = database.open();
    long long base = store::now_ms() - 100000;
    std::vector<std::string> ids;
    for (int i = 0; i < 25; ++i) {
        RunRecord run = new_run(i % 2 == 0 ? "echo" : "other", i < 10 ? "thread-a" : "thread-b", base + i);
        ids.push_back(run.id);
        insert(*db, run);
    }
    store::RunFilter filter;
    filter.limit = 10;
    std::vector<std::string> seen;
    for (int page = 0; page < 5; ++page) {
        store::RunPage result = db->read([&](soci::session& s) { return db->runs().list(s, filter); });
        for (const auto& run : result.runs) seen.push_back(run.id);
        if (result.next_cursor.empty()) break;
        filter.cursor = result.next_cursor;
    }
    std::vector<std::string> expected(ids.rbegin(), ids.rend());
    CHECK(seen == expected);

    store::RunFilter by_agent;
    by_agent.agent = "other";
    by_agent.thread_id = "thread-a";
    auto filtered = db->read([&](soci::session& s) { return db->runs().list(s, by_agent); });
    CHECK(filtered.runs.size() == 5);
    for (const auto& run : filtered.runs) CHECK((run.agent == "other" && run.thread_id == "thread-a"));
}

TEST_CASE("events of a fenced-out holder are dropped") {
    testing::TestDatabase database;
    auto db = database.open();
    insert(*db, new_run());
    store::ClaimedRun claimed = claim(*db, 1).at(0);
    const RunRecord& run = claimed.run;
    store::RunEvent progress{run.id, claimed.next_event_seq, "agent.progress", store::now_ms(), "{}"};
    db->writes().run([&](soci::session& s) { db->runs().append_event(s, progress, run.fencing_token); });
    store::RunEvent stale{run.id, claimed.next_event_seq + 1, "agent.progress", store::now_ms(), "{}"};
    db->writes().run([&](soci::session& s) { db->runs().append_event(s, stale, run.fencing_token + 7); });
    auto log = events(*db, run.id);
    REQUIRE(log.size() == 2);
    CHECK(log[1].type == "agent.progress");
    CHECK(log[1].seq == claimed.next_event_seq);
}

TEST_CASE("thread memory is shared per thread and overwritten by key") {
    testing::TestDatabase database;
    auto db = database.open();
    db->writes().run([&](soci::session& s) { db->runs().memory_put(s, "t1", "plan", R"({"step":1})"); });
    db->writes().run([&](soci::session& s) { db->runs().memory_put(s, "t1", "plan", R"({"step":2})"); });
    auto value = db->read([&](soci::session& s) { return db->runs().memory_get(s, "t1", "plan"); });
    CHECK(value == std::optional<std::string>(R"({"step":2})"));
    CHECK_FALSE(db->read([&](soci::session& s) { return db->runs().memory_get(s, "t2", "plan"); }));
}

TEST_CASE("retention deletes old finished runs and their events, nothing else") {
    testing::TestDatabase database;
    auto db = database.open();
    RunRecord old_done = new_run(), unfinished = new_run();
    insert(*db, old_done);
    insert(*db, unfinished);
    RunRecord claimed = claim(*db, 1).at(0).run;
    REQUIRE(claimed.id == old_done.id);
    complete(*db, claimed, "succeeded");
    size_t deleted = 0;
    db->writes().run([&](soci::session& s) { deleted = db->runs().delete_finished_before(s, store::now_ms() + 1000); });
    CHECK(deleted == 1);
    CHECK_FALSE(db->read([&](soci::session& s) { return db->runs().find(s, old_done.id); }));
    CHECK(events(*db, old_done.id).empty());
    CHECK(load(*db, unfinished.id).status == "queued");
}

TEST_CASE("retention also deletes the dependencies of the runs it deletes") {
    testing::TestDatabase database;
    auto db = database.open();
    RunRecord first = new_run("echo", "retained-thread");
    RunRecord second = new_run("echo", "retained-thread", store::now_ms() + 1);
    second.status = store::run_status::blocked;
    second.depends_on.emplace_back(first.id, "success");
    insert(*db, first);
    insert(*db, second);
    for (int i = 0; i < 2; ++i) {
        RunRecord run = start(*db, claim(*db, 1).at(0).run);
        run.status = "succeeded";
        run.result_json = "{}";
        run.finished_at_ms = store::now_ms();
        db->writes().run([&](soci::session& s) {
            REQUIRE(db->runs().complete(s, run));
            db->runs().release_dependants(s, run.id, run.status);
        });
    }
    auto dependency_rows = [&] {
        long long rows = 0;
        db->read([&](soci::session& s) {
            s << "SELECT COUNT(*) FROM run_dependencies WHERE run_id = :r", soci::into(rows), soci::use(second.id);
            return 0;
        });
        return rows;
    };
    CHECK(dependency_rows() == 1);
    size_t deleted = 0;
    db->writes().run([&](soci::session& s) { deleted = db->runs().delete_finished_before(s, store::now_ms() + 1000); });
    CHECK(deleted == 2);
    CHECK(dependency_rows() == 0);
}

TEST_CASE("a sequential pipeline releases each step after the one before, and stops at a failure") {
    testing::TestDatabase database;
    auto db = database.open();
    store::PipelineRecord pipeline;
    pipeline.id = new_uuid();
    pipeline.thread_id = "pt";
    pipeline.mode = "sequential";
    pipeline.agents = {"echo", "echo", "echo"};
    pipeline.text = "some text here";
    pipeline.status = "processing";
    pipeline.created_at_ms = store::now_ms();
    std::vector<RunRecord> steps;
    for (int i = 0; i < 3; ++i) {
        RunRecord run = new_run("echo", "pt", store::now_ms() + i);
        run.pipeline_id = pipeline.id;
        run.pipeline_step = i;
        if (i > 0) {
            run.status = store::run_status::blocked;
            run.depends_on.emplace_back(steps.back().id, "success");
        }
        steps.push_back(run);
    }
    db->writes().run([&](soci::session& s) {
        db->pipelines().insert(s, pipeline);
        for (const auto& run : steps) db->runs().insert(s, run);
    });
    auto finish = [&](const std::string& status) {
        RunRecord run = claim(*db, 5).at(0).run;
        run.status = status;
        run.finished_at_ms = store::now_ms();
        db->writes().run([&](soci::session& s) {
            REQUIRE(db->runs().complete(s, run));
            db->runs().release_dependants(s, run.id, status);
            db->pipelines().settle(s, pipeline.id);
        });
        return run;
    };
    CHECK(finish("succeeded").pipeline_step == 0);
    CHECK(load(*db, steps[1].id).status == "queued");
    CHECK(load(*db, steps[2].id).status == "blocked");
    CHECK(finish("failed").pipeline_step == 1);
    RunRecord skipped = load(*db, steps[2].id);
    CHECK(skipped.status == "failed");
    CHECK(skipped.error_type == "dependency");
    auto settled = db->read([&](soci::session& s) { return db->pipelines().find(s, pipeline.id); });
    REQUIRE(settled);
    CHECK(settled->status == "failed");
    CHECK(settled->finished_at_ms > 0);
}

TEST_CASE("one bad write in a group commit fails alone") {
    testing::TestDatabase database;
    auto db = database.open();
    std::atomic<int> committed{0}, failed{0};
    RunRecord duplicate = new_run();
    insert(*db, duplicate);
    std::vector<RunRecord> runs;
    for (int i = 0; i < 200; ++i) runs.push_back(new_run());
    for (int i = 0; i < 200; ++i) {
        const RunRecord& run = i == 100 ? duplicate : runs[i];  // the same id again: a key violation
        db->writes().submit([&db, run](soci::session& s) { db->runs().insert(s, run); },
                            [&](const std::string& error) { (error.empty() ? committed : failed)++; });
    }
    db->writes().run([](soci::session&) {});  // everything before it has its fate
    CHECK(failed == 1);
    CHECK(committed == 199);
}

TEST_CASE("hosts claiming at the same time never claim one run twice") {
    testing::TestDatabase database;
    auto first = database.open();
    auto second = database.open();
    std::vector<std::string> ids;
    first->writes().run([&](soci::session& s) {
        for (int i = 0; i < 300; ++i) {
            RunRecord run = new_run();
            ids.push_back(run.id);
            first->runs().insert(s, run);
        }
    });
    std::mutex mutex;
    std::multiset<std::string> claimed;
    auto claimer = [&](store::Store& db, const std::string& owner) {
        for (;;) {
            auto batch = claim(db, 7, {"echo"}, owner);
            if (batch.empty()) return;
            std::lock_guard<std::mutex> lock(mutex);
            for (const auto& run : batch) claimed.insert(run.run.id);
        }
    };
    std::thread a(claimer, std::ref(*first), "host-a"), b(claimer, std::ref(*second), "host-b");
    a.join();
    b.join();
    CHECK(claimed.size() == ids.size());
    for (const auto& id : ids) CHECK(claimed.count(id) == 1);
}

TEST_CASE("a completion reports dependants recorded after its claim, and releasing them queues them") {
    testing::TestDatabase database;
    auto db = database.open();
    RunRecord lone = new_run("echo", "lone-thread");
    insert(*db, lone);
    RunRecord first = new_run("echo", "queue-thread");
    insert(*db, first);
    auto claimed = claim(*db, 5);
    REQUIRE(claimed.size() == 2);
    // Enqueued behind `first` while it runs.
    RunRecord second = new_run("echo", "queue-thread", store::now_ms() + 1);
    second.status = store::run_status::blocked;
    second.depends_on.emplace_back(first.id, "completion");
    insert(*db, second);

    for (auto& entry : claimed) {
        RunRecord run = start(*db, entry.run);
        run.status = "failed";
        run.error = "it broke";
        run.finished_at_ms = store::now_ms();
        bool has_dependants = true, done = false;
        db->writes().run([&](soci::session& s) {
            done = db->runs().complete(s, run, &has_dependants);
            if (has_dependants) db->runs().release_dependants(s, run.id, run.status);
        });
        REQUIRE(done);
        CHECK(has_dependants == (run.id == first.id));
    }
    // A completion dependency runs after the run it waits for, whatever its outcome.
    CHECK(load(*db, second.id).status == "queued");
}

TEST_CASE("a write the database refuses for its data is told apart from an outage") {
    testing::TestDatabase database;
    auto db = database.open();
    RunRecord run = new_run();
    insert(*db, run);
    // The same run id again breaks the primary key: a refusal, not an outage,
    // so the API answers it without inviting a retry.
    std::promise<std::string> refused;
    db->writes().submit([&](soci::session& s) { db->runs().insert(s, run); },
                        [&](const std::string& error) { refused.set_value(error); });
    std::string error = refused.get_future().get();
    CHECK(error.rfind(store::kRefusedByDatabase, 0) == 0);
    CHECK(db->healthy());
    CHECK(db->write_problem().empty());
}

TEST_CASE("an Idempotency-Key is stored once, found within its window and replaced after it") {
    testing::TestDatabase database;
    auto db = database.open();
    store::IdempotencyRecord record{"", "key-1", "fp", "POST /runs", "run-1", 202, store::now_ms()};
    db->writes().run([&](soci::session& s) { db->idempotency().insert(s, record, 0); });
    auto found = db->read([&](soci::session& s) { return db->idempotency().find(s, "", "key-1", 0); });
    REQUIRE(found);
    CHECK(found->resource_id == "run-1");
    CHECK(found->status_code == 202);
    // A second insert of a live key fails (a racing retry rolls back).
    CHECK_THROWS(db->writes().run([&](soci::session& s) { db->idempotency().insert(s, record, 0); }));
    // Outside the window it is not found, and a new request may take it.
    auto stale = db->read(
        [&](soci::session& s) { return db->idempotency().find(s, "", "key-1", record.created_at_ms + 1); });
    CHECK_FALSE(stale);
    store::IdempotencyRecord again = record;
    again.resource_id = "run-2";
    again.created_at_ms = record.created_at_ms + 10;
    db->writes().run([&](soci::session& s) { db->idempotency().insert(s, again, record.created_at_ms + 1); });
    auto replaced = db->read([&](soci::session& s) { return db->idempotency().find(s, "", "key-1", 0); });
    REQUIRE(replaced);
    CHECK(replaced->resource_id == "run-2");
}
