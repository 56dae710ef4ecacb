// Usage rollups and quota counts, run unchanged against SQLite and
// PostgreSQL: a run's end is counted in its transaction, once, in the row of
// its day, tenant, key, agent and status; the migration backfills runs that
// ended before it.
#include "store/commit_queue.hpp"
#include "store/migrations.hpp"
#include "test_database.hpp"
#include "usage/tenant_quotas.hpp"
#include "util/utc_calendar.hpp"
#include "util/ids.hpp"

#include <catch2/catch.hpp>

#include <chrono>
#include <future>
#include <stdexcept>
#include <thread>

using namespace agenthost;
using store::RunRecord;

namespace {

RunRecord queued_run(const std::string& tenant, const std::string& key_id, const std::string& agent = "echo") {
    RunRecord run;
    run.id = new_uuid();
    run.thread_id = new_uuid();
    run.agent = agent;
    run.task = "count me";
    run.status = store::run_status::queued;
    run.max_attempts = 1;
    run.created_at_ms = run.updated_at_ms = store::now_ms();
    run.tenant = tenant;
    run.key_id = key_id;
    return run;
}

// Inserted and claimed (which starts it): ready to complete.
RunRecord running_run(store::Store& db, const std::string& tenant, const std::string& key_id,
                      const std::string& agent = "echo") {
    RunRecord run = queued_run(tenant, key_id, agent);
    db.writes().run([&](soci::session& s) { db.runs().insert(s, run); });
    std::vector<store::ClaimedRun> claimed;
    db.writes().run([&](soci::session& s) {
        claimed = db.runs().claim(s, "host-a", store::now_ms() + 60000, 100, {agent});
    });
    for (auto& c : claimed)
        if (c.run.id == run.id) run = c.run;
    REQUIRE(run.status == store::run_status::running);
    // The claim started it; completion records the start the worker saw.
    run.started_at_ms = store::now_ms() - 1500;  // it ran for 1.5 s
    return run;
}

RunRecord finished(RunRecord run, const std::string& status, const std::string& usage_json = "") {
    run.status = status;
    run.result_json = status == "succeeded" ? R"({"ok":true})" : "";
    run.error = status == "succeeded" ? "" : "it broke";
    run.finished_at_ms = store::now_ms();
    run.llm_usage_json = usage_json;
    return run;
}

void complete(store::Store& db, const RunRecord& run) {
    bool done = false;
    db.writes().run([&](soci::session& s) { done = db.runs().complete(s, run); });
    REQUIRE(done);
}

std::vector<store::UsageRunRow> rollups(store::Store& db, const std::string& tenant = "") {
    store::UsageQuery query{"2000-01-01", "2100-01-01", !tenant.empty(), tenant};
    return db.read([&](soci::session& s) { return db.usage().runs(s, query); });
}

std::vector<store::UsageTokenRow> token_rollups(store::Store& db) {
    store::UsageQuery query{"2000-01-01", "2100-01-01", false, ""};
    return db.read([&](soci::session& s) { return db.usage().tokens(s, query); });
}

const store::UsageRunRow* row_of(const std::vector<store::UsageRunRow>& rows, const std::string& tenant,
                                 const std::string& key_id, const std::string& status) {
    for (const auto& row : rows)
        if (row.tenant == tenant && row.key_id == key_id && row.status == status) return &row;
    return nullptr;
}

const char* kUsageTwoModels =
    R"({"calls":3,"input_tokens":60,"output_tokens":15,"total_tokens":75,"by_model":[)"
    R"({"provider":"offline","model":"offline-1","calls":2,"input_tokens":40,"output_tokens":10},)"
    R"({"provider":"openai","model":"gpt-x","calls":1,"input_tokens":20,"output_tokens":5}]})";

}  // namespace

TEST_CASE("a run that ends is counted in its day, tenant, key, agent and status row, with its tokens by model") {
    testing::quiet_store_logs();
    testing::TestDatabase database;
    auto db = database.open();

    RunRecord first = finished(running_run(*db, "acme", "key-1"), "succeeded", kUsageTwoModels);
    complete(*db, first);
    auto rows = rollups(*db);
    REQUIRE(rows.size() == 1);
    CHECK(rows[0].day == utc_day(first.finished_at_ms));
    CHECK(rows[0].tenant == "acme");
    CHECK(rows[0].key_id == "key-1");
    CHECK(rows[0].agent == "echo");
    CHECK(rows[0].status == "succeeded");
    CHECK(rows[0].runs == 1);
    CHECK(rows[0].run_ms == first.finished_at_ms - first.started_at_ms);

    auto tokens = token_rollups(*db);
    REQUIRE(tokens.size() == 2);
    CHECK(tokens[0].provider == "offline");
    CHECK(tokens[0].model == "offline-1");
    CHECK(tokens[0].calls == 2);
    CHECK(tokens[0].input_tokens == 40);
    CHECK(tokens[0].output_tokens == 10);
    CHECK(tokens[1].provider == "openai");
    CHECK(tokens[1].input_tokens == 20);

    // A second run of the same row adds to it; another key and status get
    // rows of their own.
    complete(*db, finished(running_run(*db, "acme", "key-1"), "succeeded", kUsageTwoModels));
    complete(*db, finished(running_run(*db, "acme", "key-2"), "failed"));
    rows = rollups(*db);
    REQUIRE(rows.size() == 2);
    REQUIRE(row_of(rows, "acme", "key-1", "succeeded") != nullptr);
    CHECK(row_of(rows, "acme", "key-1", "succeeded")->runs == 2);
    CHECK(row_of(rows, "acme", "key-1", "succeeded")->run_ms >= 3000);
    REQUIRE(row_of(rows, "acme", "key-2", "failed") != nullptr);
    CHECK(row_of(rows, "acme", "key-2", "failed")->runs == 1);
    tokens = token_rollups(*db);
    REQUIRE(tokens.size() == 2);
    CHECK(tokens[0].calls == 4);
    CHECK(tokens[0].input_tokens == 80);

    // Only the asking tenant's rows when filtered.
    complete(*db, finished(running_run(*db, "globex", "key-3"), "succeeded"));
    CHECK(rollups(*db, "globex").size() == 1);
    CHECK(rollups(*db, "acme").size() == 2);
}

TEST_CASE("every way a run ends is counted: cancelled before it started, failed by recovery, a failed step's "
          "dependants") {
    testing::quiet_store_logs();
    testing::TestDatabase database;
    auto db = database.open();

    RunRecord waiting = queued_run("acme", "key-1");
    waiting.status = store::run_status::pending_approval;
    waiting.approval_state = store::approval_state::pending;
    waiting.approval_json = R"({"operation":"deploy"})";
    db->writes().run([&](soci::session& s) { db->runs().insert(s, waiting); });
    store::CancelOutcome outcome;
    db->writes().run([&](soci::session& s) { outcome = db->runs().cancel(s, waiting.id, "tester"); });
    REQUIRE(outcome == store::CancelOutcome::cancelled);

    RunRecord abandoned = running_run(*db, "acme", "key-1");
    db->writes().run([&](soci::session& s) { db->runs().recover_expired(s, store::now_ms(), true); });

    // A step that fails takes its blocked dependant down with it.
    RunRecord step = running_run(*db, "acme", "key-1");
    RunRecord dependant = queued_run("acme", "key-1");
    dependant.status = store::run_status::blocked;
    dependant.depends_on = {{step.id, "success"}};
    db->writes().run([&](soci::session& s) { db->runs().insert(s, dependant); });
    db->writes().run([&](soci::session& s) {
        RunRecord failed = finished(step, "failed");
        REQUIRE(db->runs().complete(s, failed));
        db->runs().release_dependants(s, failed.id, failed.status);
    });

    auto rows = rollups(*db);
    REQUIRE(row_of(rows, "acme", "key-1", "cancelled") != nullptr);
    CHECK(row_of(rows, "acme", "key-1", "cancelled")->runs == 1);
    CHECK(row_of(rows, "acme", "key-1", "cancelled")->run_ms == 0);  // it never started
    REQUIRE(row_of(rows, "acme", "key-1", "failed") != nullptr);
    CHECK(row_of(rows, "acme", "key-1", "failed")->runs == 3);  // abandoned, the step, its dependant
}

TEST_CASE("a group commit counts each run once, also when a bad write makes it retry its writes one by one") {
    testing::quiet_store_logs();
    testing::TestDatabase database;
    auto db = database.open();
    std::vector<RunRecord> runs;
    for (int i = 0; i < 12; ++i) runs.push_back(finished(running_run(*db, "acme", "key-1"), "succeeded"));

    // Hold the writer so everything below is queued and commits as one batch.
    std::promise<void> release;
    auto released = release.get_future().share();
    db->writes().submit([released](soci::session&) { released.wait(); });
    std::vector<std::future<std::string>> outcomes;
    for (size_t i = 0; i < runs.size(); ++i) {
        auto promise = std::make_shared<std::promise<std::string>>();
        outcomes.push_back(promise->get_future());
        const RunRecord run = runs[i];
        store::Store* store = db.get();
        db->writes().submit(
            [store, run, i](soci::session& s) {
                if (!store->runs().complete(s, run)) throw std::runtime_error("the run did not complete");
                // One write in the batch fails after its run ended: the
                // batch rolls back and each write is tried alone.
                if (i == 5) throw std::runtime_error("this write is refused");
            },
            [promise](const std::string& error) { promise->set_value(error); });
    }
    release.set_value();
    size_t failed = 0;
    for (auto& outcome : outcomes) failed += outcome.get().empty() ? 0 : 1;
    CHECK(failed == 1);

    auto rows = rollups(*db);
    REQUIRE(row_of(rows, "acme", "key-1", "succeeded") != nullptr);
    CHECK(row_of(rows, "acme", "key-1", "succeeded")->runs == 11);
}

TEST_CASE("the usage migration backfills the runs that ended before it") {
    testing::quiet_store_logs();
    testing::TestDatabase database;
    {
        auto db = database.open();
        complete(*db, finished(running_run(*db, "acme", ""), "succeeded", kUsageTwoModels));
        complete(*db, finished(running_run(*db, "acme", ""), "failed",
                               R"({"calls":1,"input_tokens":7,"output_tokens":3,"total_tokens":10})"));
        complete(*db, finished(running_run(*db, "globex", ""), "succeeded"));
        running_run(*db, "acme", "");  // still running: not counted
        // Back to the schema before usage: as a database from the last
        // release would be.
        db->writes().run([](soci::session& s) {
            s << "DROP TABLE usage_rollups";
            s << "DROP TABLE usage_tokens";
            s << "ALTER TABLE runs DROP COLUMN key_id";
            s << "DELETE FROM schema_migrations WHERE version = 7";
        });
    }
    auto db = database.open();
    auto rows = rollups(*db);
    REQUIRE(rows.size() == 3);
    REQUIRE(row_of(rows, "acme", "", "succeeded") != nullptr);
    CHECK(row_of(rows, "acme", "", "succeeded")->runs == 1);
    CHECK(row_of(rows, "acme", "", "succeeded")->run_ms >= 1500);
    CHECK(row_of(rows, "acme", "", "failed")->runs == 1);
    CHECK(row_of(rows, "globex", "", "succeeded")->runs == 1);

    // Tokens by model where the run recorded them; the older, total-only
    // form under provider and model "".
    auto tokens = token_rollups(*db);
    REQUIRE(tokens.size() == 3);
    CHECK(tokens[0].provider == "");
    CHECK(tokens[0].input_tokens == 7);
    CHECK(tokens[0].output_tokens == 3);
    CHECK(tokens[1].provider == "offline");
    CHECK(tokens[2].provider == "openai");
}

TEST_CASE("quota counts are seeded from the rollups and count what this host admits in between") {
    testing::quiet_store_logs();
    testing::TestDatabase database;
    auto db = database.open();
    complete(*db, finished(running_run(*db, "acme", "key-1"), "succeeded", kUsageTwoModels));
    running_run(*db, "acme", "key-1");  // created today, not ended: counts too

    auth::QuotaSettings settings;
    settings.defaults.runs_per_day = 3;
    settings.tenants["globex"].tokens_per_month = 75;
    settings.tenants["initech"].runs_per_day = 0;  // listed without limits: unlimited
    usage::TenantQuotas quotas(settings, *db);
    // Admitted after the runs above were created (a run created in the
    // admission's millisecond would be taken for the admitted one).
    long long now = store::now_ms() + 1;
    quotas.refresh(now);

    CHECK(quotas.admit("acme", now).allowed);  // 2 counted + this one = 3
    usage::QuotaDecision refused = quotas.admit("acme", now);
    CHECK_FALSE(refused.allowed);
    CHECK(refused.quota == "runs_per_day");
    CHECK(refused.limit == 3);
    CHECK(refused.used == 3);
    CHECK(refused.resets_at_ms == next_midnight_ms(now));

    // A refresh right after: the run admitted here may not be in the store
    // yet (its insert waits for a group commit), so it is still counted.
    quotas.refresh(now);
    CHECK_FALSE(quotas.admit("acme", now).allowed);
    // Past the grace a refresh trusts the database: that run was never
    // created (no host in this test), so the count drops back to 2.
    long long later = now + 2500;
    quotas.refresh(later);
    CHECK(quotas.admit("acme", later).allowed);

    // The next UTC day starts from zero (until the refresh reads it again).
    CHECK_FALSE(quotas.admit("acme", later).allowed);
    long long tomorrow = next_midnight_ms(now) + 1000;
    for (int i = 0; i < 3; ++i) CHECK(quotas.admit("acme", tomorrow).allowed);
    CHECK_FALSE(quotas.admit("acme", tomorrow).allowed);

    for (int i = 0; i < 10; ++i) CHECK(quotas.admit("initech", now).allowed);
    CHECK(quotas.admit("globex", now).allowed);  // no tokens used yet

    complete(*db, finished(running_run(*db, "globex", "key-9"), "succeeded", kUsageTwoModels));  // 75 tokens
    quotas.refresh(now);
    usage::QuotaDecision tokens = quotas.admit("globex", now);
    CHECK_FALSE(tokens.allowed);
    CHECK(tokens.quota == "tokens_per_month");
    CHECK(tokens.used == 75);
    CHECK(tokens.resets_at_ms == next_month_ms(now));
}

TEST_CASE("a run admitted and stored before a refresh is counted once, not twice for the grace") {
    testing::quiet_store_logs();
    testing::TestDatabase database;
    auto db = database.open();
    auth::QuotaSettings settings;
    settings.defaults.runs_per_day = 2;
    usage::TenantQuotas quotas(settings, *db);
    // Times are given, a millisecond apart, as they pass on any machine: the
    // store tells runs apart from admissions by their creation millisecond,
    // and a fast machine does all of this within one.
    long long t = store::now_ms();
    quotas.refresh(t);
    REQUIRE(quotas.admit("acme", t).allowed);
    // Its insert commits (created after its admission), then a refresh reads
    // the store within the grace: the store has it, so the host stops
    // counting it itself.
    RunRecord admitted = queued_run("acme", "key-1");
    admitted.created_at_ms = admitted.updated_at_ms = t + 1;
    db->writes().run([&](soci::session& s) { db->runs().insert(s, admitted); });
    quotas.refresh(t + 2);
    CHECK(quotas.admit("acme", t + 3).allowed);  // 1 stored + this one = 2
    CHECK_FALSE(quotas.admit("acme", t + 3).allowed);
    // The second one is not in the store: still counted after a refresh.
    quotas.refresh(t + 4);
    CHECK_FALSE(quotas.admit("acme", t + 4).allowed);
    // Another tenant's stored runs are not taken for acme's.
    REQUIRE(quotas.admit("globex", t + 5).allowed);
    RunRecord other = queued_run("initech", "key-2");
    other.created_at_ms = other.updated_at_ms = t + 6;
    db->writes().run([&](soci::session& s) { db->runs().insert(s, other); });
    quotas.refresh(t + 7);
    CHECK(quotas.admit("globex", t + 8).allowed);
    CHECK_FALSE(quotas.admit("globex", t + 8).allowed);
}

// Not run by default (hidden tag): what counting usage adds to completing
// runs through the group commit, for the report. The same completions go
// through the store's queue (hooks on) and through a second queue on the
// same database without the hooks.
// build/bin/host_store_sqlite_tests "[bench]" (or the PostgreSQL binary)
TEST_CASE("cost of counting usage when runs end", "[.][bench]") {
    testing::quiet_store_logs();
    testing::TestDatabase database;
    auto db = database.open();
    const store::RunRepository& runs = db->runs();
    store::CommitQueue plain(db->settings(), store::open_session(db->settings()),
                             [&runs](const soci::session* session) { runs.forget_session(session); });
    constexpr int kRuns = 2000;
    auto prepare = [&](const std::string& agent) {
        std::vector<RunRecord> made;
        for (int i = 0; i < kRuns; ++i) made.push_back(queued_run("acme", "key-" + std::to_string(i % 4), agent));
        db->writes().run([&](soci::session& s) {
            for (const auto& run : made) runs.insert(s, run);
        });
        std::vector<store::ClaimedRun> claimed;
        db->writes().run([&](soci::session& s) { claimed = runs.claim(s, "host-a", store::now_ms() + 600000, kRuns, {agent}); });
        std::vector<RunRecord> ready;
        for (auto& c : claimed) ready.push_back(finished(c.run, "succeeded", kUsageTwoModels));
        return ready;
    };
    auto complete_all = [&](store::CommitQueue& queue, const std::vector<RunRecord>& ready) {
        std::vector<std::future<std::string>> done;
        auto started = std::chrono::steady_clock::now();
        for (const auto& run : ready) {
            auto promise = std::make_shared<std::promise<std::string>>();
            done.push_back(promise->get_future());
            queue.submit([&runs, run](soci::session& s) { runs.complete(s, run); },
                         [promise](const std::string& error) { promise->set_value(error); });
        }
        for (auto& d : done) REQUIRE(d.get().empty());
        return std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - started).count() / kRuns;
    };
    for (int round = 0; round < 3; ++round) {
        auto without = prepare("plain-" + std::to_string(round));
        auto with = prepare("counted-" + std::to_string(round));
        double plain_us = complete_all(plain, without);
        double counted_us = complete_all(db->writes(), with);
        WARN("completing a run: " << plain_us << " us without usage, " << counted_us << " us counting usage");
    }
    auto rows = rollups(*db);
    long long counted = 0;
    for (const auto& row : rows) counted += row.runs;
    CHECK(counted == 3 * kRuns);
    plain.stop();
}
