// Writes batched into multi-row statements (RunRepository::queue_insert,
// append_events) keep the store's contract: a refused row fails only the
// write that queued it, a write that reads sees what was queued before it,
// and every run and event lands as if written one by one. Run against
// SQLite and PostgreSQL.
#include "test_database.hpp"
#include "util/ids.hpp"

#include <catch2/catch.hpp>

#include <atomic>
#include <future>
#include <mutex>
#include <thread>
#include <chrono>
#include <cstdlib>

using namespace agenthost;
using store::CommitQueue;
using store::RunRecord;

namespace {

RunRecord queued_run(const std::string& thread) {
    RunRecord run;
    run.id = new_uuid();
    run.thread_id = thread;
    run.agent = "echo";
    run.task = "say hello";
    run.context_json = R"({"note":"x"})";
    run.status = store::run_status::queued;
    run.max_attempts = 2;
    run.webhook_url = "http://127.0.0.1:9/hook";
    run.webhook_secret = "s3cret";
    run.created_at_ms = run.updated_at_ms = store::now_ms();
    return run;
}

// Holds the writer until release(), so everything submitted meanwhile is
// applied as one batch.
class HeldWriter {
  public:
    explicit HeldWriter(store::Store& db) {
        auto released = released_.get_future().share();
        db.writes().submit([released](soci::session&) { released.wait(); });
    }
    void release() { released_.set_value(); }

  private:
    std::promise<void> released_;
};

std::vector<store::RunEvent> events_of(store::Store& db, const std::string& id) {
    return db.read([&](soci::session& s) { return db.runs().events(s, id, 0, 1000); });
}

}  // namespace

TEST_CASE("a run the database refuses among runs inserted together fails alone, and the writer goes on") {
    testing::quiet_store_logs();
    testing::TestDatabase database;
    auto db = database.open();
    RunRecord existing = queued_run(new_uuid());
    db->writes().run([&](soci::session& s) { db->runs().insert(s, existing); });

    // 100 runs in one batch (more than one multi-row chunk), one of them
    // reusing a stored id: its chunk's INSERT fails as a whole.
    std::vector<RunRecord> runs;
    for (int i = 0; i < 100; ++i) runs.push_back(queued_run(i % 3 == 0 ? "shared-thread" : new_uuid()));
    runs[57] = existing;
    // Every column goes through the batch, the trace a run keeps included.
    for (size_t i = 0; i < runs.size(); i += 2) runs[i].trace_parent = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";
    std::mutex mutex;
    std::vector<std::string> errors(runs.size());
    std::atomic<int> answered{0};
    HeldWriter held(*db);
    for (size_t i = 0; i < runs.size(); ++i) {
        db->writes().submit([&db, run = runs[i]](soci::session& s) { db->runs().queue_insert(s, run); },
                            [&, i](const std::string& error) {
                                std::lock_guard<std::mutex> lock(mutex);
                                errors[i] = error;
                                ++answered;
                            },
                            CommitQueue::Kind::appends_only);
    }
    held.release();
    db->writes().run([](soci::session&) {});  // everything before it has its fate
    REQUIRE(answered == 100);
    for (size_t i = 0; i < runs.size(); ++i) {
        INFO("run " << i);
        if (i == 57) {
            CHECK(errors[i].rfind(store::kRefusedByDatabase, 0) == 0);
            continue;
        }
        CHECK(errors[i].empty());
        auto stored = db->read([&](soci::session& s) { return db->runs().find(s, runs[i].id); });
        REQUIRE(stored);
        CHECK(stored->status == "queued");
        CHECK(stored->thread_id == runs[i].thread_id);
        CHECK(stored->task == runs[i].task);
        CHECK(stored->webhook_secret == "s3cret");  // sealed on the way in, opened on the way out
        CHECK(stored->pipeline_step == -1);         // NULL, not 0
        CHECK(stored->trace_parent == runs[i].trace_parent);
        auto events = events_of(*db, runs[i].id);
        REQUIRE(events.size() == 1);
        CHECK(events[0].type == "run.queued");
        CHECK(events[0].seq == 1);
    }
    CHECK(db->healthy());

    // The writer goes on: the next batch commits.
    RunRecord later = queued_run(new_uuid());
    db->writes().run([&](soci::session& s) { db->runs().queue_insert(s, later); }, CommitQueue::Kind::appends_only);
    CHECK(db->read([&](soci::session& s) { return db->runs().find(s, later.id); }).has_value());
}

TEST_CASE("a write that reads sees the runs queued before it in its batch") {
    testing::quiet_store_logs();
    testing::TestDatabase database;
    auto db = database.open();
    std::vector<store::ClaimedRun> claimed;
    std::vector<std::string> ids;
    {
        HeldWriter held(*db);
        for (int i = 0; i < 40; ++i) {
            RunRecord run = queued_run(new_uuid());
            ids.push_back(run.id);
            db->writes().submit([&db, run](soci::session& s) { db->runs().queue_insert(s, run); }, nullptr,
                                CommitQueue::Kind::appends_only);
        }
        // Same batch, after them: a claim must find all 40.
        db->writes().submit([&](soci::session& s) {
            claimed = db->runs().claim(s, "host-a", store::now_ms() + 60000, 100, {"echo"});
        });
        held.release();
        db->writes().run([](soci::session&) {});
    }
    CHECK(claimed.size() == 40);
    for (const auto& run : claimed) CHECK(run.next_event_seq == 2);
}

TEST_CASE("events appended together keep their numbers and order, past one statement's rows") {
    testing::quiet_store_logs();
    testing::TestDatabase database;
    auto db = database.open();
    RunRecord run = queued_run(new_uuid());
    db->writes().run([&](soci::session& s) { db->runs().insert(s, run); });
    std::vector<store::RunEvent> held, last;
    for (long long seq = 2; seq < 40; ++seq)
        held.push_back({run.id, seq, "agent.progress", store::now_ms(), "{\"n\":" + std::to_string(seq) + "}"});
    last.push_back({run.id, 40, "run.succeeded", store::now_ms(), "{\"status\":\"succeeded\"}"});
    db->writes().run([&](soci::session& s) { db->runs().append_events(s, held, last); });
    auto events = events_of(*db, run.id);
    REQUIRE(events.size() == 40);
    for (size_t i = 0; i < events.size(); ++i) CHECK(events[i].seq == static_cast<long long>(i + 1));
    CHECK(events[20].data_json == "{\"n\":21}");
    CHECK(events.back().type == "run.succeeded");
}

TEST_CASE("run ids are version-7 UUIDs that sort by the time they were made") {
    std::string earlier = new_time_ordered_uuid();
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
    std::string later = new_time_ordered_uuid();
    CHECK(earlier < later);
    REQUIRE(later.size() == 36);
    CHECK(later[14] == '7');
    CHECK(std::string("89ab").find(later[19]) != std::string::npos);
    CHECK(new_time_ordered_uuid() != new_time_ordered_uuid());
    // The first 48 bits are the Unix time in ms.
    long long ms = std::stoll(later.substr(0, 8) + later.substr(9, 4), nullptr, 16);
    CHECK(std::llabs(ms - store::now_ms()) < 5000);
}
