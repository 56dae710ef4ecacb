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
#include <memory>
#include <mutex>
#include <set>
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

namespace {

// `run` claimed by host-a and ended as `status` with its final event.
RunRecord ended(const store::ClaimedRun& claimed, const std::string& status) {
    RunRecord run = claimed.run;
    run.status = status;
    run.result_json = status == "succeeded" ? R"({"label":"positive"})" : "";
    run.error = status == "succeeded" ? "" : "it broke";
    run.error_type = status == "succeeded" ? "" : "agent_error";
    run.finished_at_ms = store::now_ms();
    return run;
}

std::vector<store::RunEvent> final_of(const RunRecord& run, long long seq) {
    return {{run.id, seq, "agent.progress", run.finished_at_ms, "{\"step\":1}"},
            {run.id, seq + 1, "run." + run.status, run.finished_at_ms, "{\"status\":\"" + run.status + "\"}"}};
}

}  // namespace

TEST_CASE("outcomes ended together are written by one update; a refused one fails alone, a fenced-out one does not take") {
    testing::quiet_store_logs();
    testing::TestDatabase database;
    auto db = database.open();
    // 70 runs (more than one multi-row chunk), and one blocked on the first.
    std::vector<RunRecord> runs;
    for (int i = 0; i < 70; ++i) {
        runs.push_back(queued_run(new_uuid()));
        runs.back().created_at_ms += i;  // claimed in this order
    }
    for (const RunRecord& run : runs) db->writes().run([&](soci::session& s) { db->runs().insert(s, run); });
    std::vector<store::ClaimedRun> claimed;
    // Claimed in two calls: the claim statement, prepared once, is used again.
    for (size_t want : {30, 50}) {
        db->writes().run([&](soci::session& s) {
            for (auto& run : db->runs().claim(s, "host-a", store::now_ms() + 60000, want, {"echo"}))
                claimed.push_back(std::move(run));
        });
    }
    REQUIRE(claimed.size() == 70);
    RunRecord blocked = queued_run(new_uuid());
    blocked.status = store::run_status::blocked;
    blocked.depends_on.emplace_back(claimed[0].run.id, "success");
    db->writes().run([&](soci::session& s) { db->runs().insert(s, blocked); });

    // Run 13 ends with an event numbered like its run.queued: its events'
    // INSERT fails. Run 21 lost its claim (another token took over).
    const size_t refused = 13, fenced = 21;
    db->writes().run([&](soci::session& s) {
        s << "UPDATE runs SET fencing_token = fencing_token + 1 WHERE id = :id", soci::use(claimed[fenced].run.id);
    });
    std::vector<std::shared_ptr<bool>> taken(claimed.size());
    std::vector<std::string> errors(claimed.size());
    std::mutex mutex;
    std::atomic<int> answered{0};
    {
        HeldWriter held(*db);
        for (size_t i = 0; i < claimed.size(); ++i) {
            RunRecord run = ended(claimed[i], i % 5 == 4 ? "failed" : "succeeded");
            auto events = final_of(run, i == refused ? 1 : claimed[i].next_event_seq);
            taken[i] = std::make_shared<bool>(false);
            db->writes().submit(
                [&db, run, events, flag = taken[i]](soci::session& s) { db->runs().queue_complete(s, run, events, flag); },
                [&, i](const std::string& error) {
                    std::lock_guard<std::mutex> lock(mutex);
                    errors[i] = error;
                    ++answered;
                },
                CommitQueue::Kind::appends_only);
        }
        held.release();
        db->writes().run([](soci::session&) {});
    }
    REQUIRE(answered == 70);
    for (size_t i = 0; i < claimed.size(); ++i) {
        INFO("run " << i);
        auto stored = db->read([&](soci::session& s) { return db->runs().find(s, claimed[i].run.id); });
        REQUIRE(stored);
        auto events = events_of(*db, stored->id);
        auto deliveries = db->read([&](soci::session& s) { return db->webhooks().for_source(s, stored->id); });
        if (i == refused) {
            CHECK(errors[i].rfind(store::kRefusedByDatabase, 0) == 0);
            CHECK(stored->status == "running");  // nothing of it was written
            CHECK(events.size() == 1);
            CHECK(deliveries.empty());
            continue;
        }
        CHECK(errors[i].empty());
        if (i == fenced) {
            CHECK_FALSE(*taken[i]);
            CHECK(stored->status == "running");
            CHECK(events.size() == 1);
            CHECK(deliveries.empty());
            continue;
        }
        CHECK(*taken[i]);
        std::string status = i % 5 == 4 ? "failed" : "succeeded";
        CHECK(stored->status == status);
        CHECK(stored->lease_owner.empty());
        CHECK(stored->finished_at_ms > 0);
        CHECK(stored->attempts == 1);
        CHECK(stored->started_at_ms > 0);
        if (status == "succeeded") {
            CHECK(stored->result_json == R"({"label":"positive"})");
            CHECK(stored->error.empty());  // NULL, not ""
        } else {
            CHECK(stored->error == "it broke");
            CHECK(stored->error_type == "agent_error");
            CHECK(stored->result_json.empty());
        }
        REQUIRE(events.size() == 3);
        CHECK(events[1].type == "agent.progress");
        CHECK(events[2].type == "run." + status);
        // The webhook is queued in the outcome's transaction.
        REQUIRE(deliveries.size() == 1);
        CHECK(deliveries[0].event_type == "run." + status);
    }
    // The run waiting on the first one is released in the same commit.
    CHECK(db->read([&](soci::session& s) { return db->runs().find(s, blocked.id); })->status == "queued");
    CHECK(db->healthy());
}

TEST_CASE("progress queued among outcomes in one batch lands before its run's end, fenced by the run's token") {
    testing::quiet_store_logs();
    testing::TestDatabase database;
    auto db = database.open();
    std::vector<RunRecord> runs;
    for (int i = 0; i < 8; ++i) {
        runs.push_back(queued_run(new_uuid()));
        runs.back().created_at_ms += i;
    }
    for (const RunRecord& run : runs) db->writes().run([&](soci::session& s) { db->runs().insert(s, run); });
    std::vector<store::ClaimedRun> claimed;
    db->writes().run([&](soci::session& s) { claimed = db->runs().claim(s, "host-a", store::now_ms() + 60000, 8, {"echo"}); });
    REQUIRE(claimed.size() == 8);
    // Run 5 lost its claim: neither its progress nor its end may land.
    const size_t fenced = 5;
    db->writes().run([&](soci::session& s) {
        s << "UPDATE runs SET fencing_token = fencing_token + 1 WHERE id = :id", soci::use(claimed[fenced].run.id);
    });
    std::vector<std::shared_ptr<bool>> taken(claimed.size());
    std::atomic<int> answered{0};
    {
        // Each run's start, then the next run's start, then the first one's
        // end: starts and outcomes interleaved as workers produce them.
        HeldWriter held(*db);
        for (size_t i = 0; i < claimed.size(); ++i) {
            const RunRecord& run = claimed[i].run;
            long long seq = claimed[i].next_event_seq;
            std::vector<store::RunEvent> started{{run.id, seq, "run.started", store::now_ms(), "{\"attempt\":1}"}};
            db->writes().submit(
                [&db, started, token = run.fencing_token](soci::session& s) {
                    db->runs().queue_fenced_events(s, started, token);
                },
                [&](const std::string& error) {
                    CHECK(error.empty());
                    ++answered;
                },
                CommitQueue::Kind::appends_only);
            if (i == 0) continue;
            RunRecord previous = ended(claimed[i - 1], "succeeded");
            auto events = final_of(previous, claimed[i - 1].next_event_seq + 1);
            taken[i - 1] = std::make_shared<bool>(false);
            db->writes().submit(
                [&db, previous, events, flag = taken[i - 1]](soci::session& s) {
                    db->runs().queue_complete(s, previous, events, flag);
                },
                [&](const std::string& error) {
                    CHECK(error.empty());
                    ++answered;
                },
                CommitQueue::Kind::appends_only);
        }
        held.release();
        db->writes().run([](soci::session&) {});
    }
    REQUIRE(answered == 15);
    for (size_t i = 0; i + 1 < claimed.size(); ++i) {
        INFO("run " << i);
        auto events = events_of(*db, claimed[i].run.id);
        auto stored = db->read([&](soci::session& s) { return db->runs().find(s, claimed[i].run.id); });
        REQUIRE(stored);
        if (i == fenced) {
            CHECK_FALSE(*taken[i]);
            CHECK(stored->status == "running");
            CHECK(events.size() == 1);  // run.queued only
            continue;
        }
        CHECK(*taken[i]);
        CHECK(stored->status == "succeeded");
        REQUIRE(events.size() == 4);
        CHECK(events[0].type == "run.queued");
        CHECK(events[1].type == "run.started");
        CHECK(events[2].type == "agent.progress");
        CHECK(events[3].type == "run.succeeded");
        for (size_t e = 0; e < events.size(); ++e) CHECK(events[e].seq == static_cast<long long>(e + 1));
    }
    // The last run only started: its start landed, it is still running.
    auto last = events_of(*db, claimed.back().run.id);
    REQUIRE(last.size() == 2);
    CHECK(last[1].type == "run.started");
    CHECK(db->healthy());
}

TEST_CASE("a run handed to a worker as it was accepted has its start in the insert and keeps that attempt at recovery; one waiting for a worker gets it back") {
    testing::quiet_store_logs();
    testing::TestDatabase database;
    auto db = database.open();
    // Handed off: inserted running under this host's claim.
    RunRecord handed = queued_run(new_uuid());
    handed.status = store::run_status::running;
    handed.attempts = 1;
    handed.fencing_token = 1;
    handed.lease_owner = "host-a";
    handed.lease_expires_at_ms = store::now_ms() + 60000;
    handed.started_at_ms = store::now_ms();
    // Claimed ahead of a worker, never started: not in the start log and
    // no run.started, so its attempt is given back.
    RunRecord ahead = queued_run(new_uuid());
    // Taken by this host as it was accepted while its workers were busy:
    // inserted running under its claim, run.started left to its worker.
    RunRecord taken = handed;
    taken.id = new_uuid();
    taken.thread_id = new_uuid();
    db->writes().run([&](soci::session& s) {
        db->runs().queue_insert(s, handed);
        db->runs().queue_insert(s, ahead);
        db->runs().queue_insert(s, taken, false);
    }, CommitQueue::Kind::appends_only);
    auto taken_events = events_of(*db, taken.id);
    REQUIRE(taken_events.size() == 1);
    CHECK(taken_events[0].type == "run.queued");
    auto events = events_of(*db, handed.id);
    REQUIRE(events.size() == 2);
    CHECK(events[0].type == "run.queued");
    CHECK(events[1].type == "run.started");
    CHECK(events[1].seq == 2);
    CHECK(events[1].data_json == R"({"attempt":1,"host":"host-a"})");
    db->writes().run([&](soci::session& s) { db->runs().claim(s, "host-a", store::now_ms() + 60000, 10, {"echo"}); });

    // The host died before either reached its plugin.
    std::set<std::string> reached_plugin;
    db->writes().run([&](soci::session& s) {
        db->runs().recover_expired(s, store::now_ms(), true, {}, &reached_plugin);
    });
    auto recovered = db->read([&](soci::session& s) { return db->runs().find(s, handed.id); });
    REQUIRE(recovered);
    CHECK(recovered->status == "queued");
    CHECK(recovered->attempts == 1);  // as many as its run.started events
    auto given_back = db->read([&](soci::session& s) { return db->runs().find(s, ahead.id); });
    REQUIRE(given_back);
    CHECK(given_back->status == "queued");
    CHECK(given_back->attempts == 0);
    auto taken_back = db->read([&](soci::session& s) { return db->runs().find(s, taken.id); });
    REQUIRE(taken_back);
    CHECK(taken_back->status == "queued");
    CHECK(taken_back->attempts == 0);
}
