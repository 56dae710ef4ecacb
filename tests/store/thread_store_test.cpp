// Threads and their checkpoints in the store, run unchanged against SQLite
// and PostgreSQL: numbering (also with two writers racing), state at a
// checkpoint, history pages, status and owner read from runs, search,
// forks, deletes, and the migration of memory older than checkpoints.
#include "test_database.hpp"
#include "util/ids.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <functional>
#include <set>
#include <thread>

using namespace agenthost;
using store::ThreadValues;

namespace {

store::RunRecord new_run(const std::string& thread, const std::string& tenant = "") {
    store::RunRecord run;
    run.id = new_uuid();
    run.thread_id = thread;
    run.agent = "echo";
    run.task = "t";
    run.status = store::run_status::queued;
    run.tenant = tenant;
    run.created_at_ms = run.updated_at_ms = store::now_ms();
    return run;
}

long long put(store::Store& db, const std::string& thread, const ThreadValues& writes,
              const store::CheckpointAuthor& author) {
    long long number = 0;
    db.writes().run([&](soci::session& s) { number = db.threads().record_writes(s, thread, writes, author); });
    return number;
}

std::optional<store::ThreadRecord> find(store::Store& db, const std::string& thread) {
    return db.read([&](soci::session& s) { return db.threads().find(s, thread); });
}

store::ThreadRecord thread_named(const std::string& id, const std::string& tenant, const std::string& metadata = "{}") {
    store::ThreadRecord thread;
    thread.id = id;
    thread.tenant = tenant;
    thread.metadata_json = metadata;
    thread.created_at_ms = store::now_ms();
    return thread;
}

bool create(store::Store& db, const store::ThreadRecord& thread) {
    bool created = false;
    db.writes().run([&](soci::session& s) { created = db.threads().create(s, thread); });
    return created;
}

}  // namespace

TEST_CASE("every memory write is a numbered checkpoint naming its writer, and old states replay from them",
          "[threads]") {
    testing::quiet_store_logs();
    testing::TestDatabase database;
    auto db = database.open();
    long long first = 0;
    db->writes().run([&](soci::session& s) { first = db->runs().memory_put(s, "t1", "plan", R"({"step":1})", {"run-a", ""}); });
    CHECK(first == 1);
    CHECK(put(*db, "t1", {{"plan", R"({"step":2})"}, {"note", R"("by hand")"}}, {"", "ana"}) == 2);
    CHECK(put(*db, "t1", {{"other", "3"}}, {"run-b", ""}) == 3);
    CHECK(put(*db, "t2", {{"plan", "1"}}, {"run-c", ""}) == 1);  // each thread numbers its own

    auto now = db->read([&](soci::session& s) { return db->threads().values(s, "t1"); });
    CHECK(now.checkpoint == 3);
    CHECK(now.values == ThreadValues{{"note", R"("by hand")"}, {"other", "3"}, {"plan", R"({"step":2})"}});
    CHECK(db->read([&](soci::session& s) { return db->threads().values_at(s, "t1", 1); }) ==
          ThreadValues{{"plan", R"({"step":1})"}});
    CHECK(db->read([&](soci::session& s) { return db->threads().values_at(s, "t1", 2); }) ==
          ThreadValues{{"note", R"("by hand")"}, {"plan", R"({"step":2})"}});
    // The plugin path reads what a person wrote.
    CHECK(db->read([&](soci::session& s) { return db->runs().memory_get(s, "t1", "plan"); }) ==
          std::optional<std::string>(R"({"step":2})"));

    auto all = db->read([&](soci::session& s) { return db->threads().history(s, "t1", 10, 0, 1 << 20); });
    REQUIRE(all.checkpoints.size() == 3);
    CHECK(all.next_before == 0);
    CHECK(all.checkpoints[0].id == 3);
    CHECK(all.checkpoints[0].author.run_id == "run-b");
    CHECK(all.checkpoints[1].id == 2);
    CHECK(all.checkpoints[1].author.actor == "ana");
    CHECK(all.checkpoints[1].author.run_id.empty());
    CHECK(all.checkpoints[1].writes == ThreadValues{{"note", R"("by hand")"}, {"plan", R"({"step":2})"}});
    CHECK(all.checkpoints[2].author.run_id == "run-a");
    auto page = db->read([&](soci::session& s) { return db->threads().history(s, "t1", 2, 0, 1 << 20); });
    CHECK(page.checkpoints.size() == 2);
    CHECK(page.next_before == 2);
    auto rest = db->read([&](soci::session& s) { return db->threads().history(s, "t1", 2, 2, 1 << 20); });
    REQUIRE(rest.checkpoints.size() == 1);
    CHECK(rest.checkpoints[0].id == 1);
    CHECK(rest.next_before == 0);
    // Over the byte budget a page ends after whole checkpoints (at least one).
    auto small = db->read([&](soci::session& s) { return db->threads().history(s, "t1", 10, 0, 1); });
    REQUIRE(small.checkpoints.size() == 1);
    CHECK(small.checkpoints[0].writes.size() == 1);
    CHECK(small.next_before == 3);

    // A thread with memory and no run has a row of its own.
    auto thread = find(*db, "t1");
    REQUIRE(thread);
    CHECK(thread->checkpoint == 3);
    CHECK(thread->status == "idle");
    CHECK(thread->tenant.empty());
    CHECK(thread->metadata_json == "{}");
}

TEST_CASE("checkpoint numbers stay unique and gapless when two writers race on one thread", "[threads]") {
    testing::quiet_store_logs();
    testing::TestDatabase database;
    // Two stores on one database: two hosts, each with its own writer.
    auto a = database.open();
    auto b = database.open();
    std::vector<long long> from_a, from_b;
    auto writer = [](store::Store& db, std::vector<long long>& numbers, const std::string& who) {
        for (int i = 0; i < 25; ++i)
            numbers.push_back(put(db, "race", {{who, std::to_string(i)}}, {"", who}));
    };
    std::thread first(writer, std::ref(*a), std::ref(from_a), "a");
    std::thread second(writer, std::ref(*b), std::ref(from_b), "b");
    first.join();
    second.join();
    std::set<long long> numbers(from_a.begin(), from_a.end());
    numbers.insert(from_b.begin(), from_b.end());
    CHECK(numbers.size() == 50);
    CHECK(*numbers.begin() == 1);
    CHECK(*numbers.rbegin() == 50);
    // Each writer's own numbers grow: its writes are in order.
    CHECK(std::is_sorted(from_a.begin(), from_a.end()));
    CHECK(std::is_sorted(from_b.begin(), from_b.end()));
    auto memory = a->read([&](soci::session& s) { return a->threads().values(s, "race"); });
    CHECK(memory.checkpoint == 50);
    CHECK(memory.values == ThreadValues{{"a", "24"}, {"b", "24"}});
}

TEST_CASE("a thread's status and owner are read from its runs until it has an owner of its own", "[threads]") {
    testing::quiet_store_logs();
    testing::TestDatabase database;
    auto db = database.open();
    store::RunRecord run = new_run("made-by-run", "acme");
    db->writes().run([&](soci::session& s) { db->runs().insert(s, run); });
    auto thread = find(*db, "made-by-run");
    REQUIRE(thread);
    CHECK(thread->tenant == "acme");
    CHECK(thread->status == "busy");
    CHECK(db->read([&](soci::session& s) { return db->threads().owner(s, "made-by-run"); }) ==
          std::optional<std::string>("acme"));
    CHECK_FALSE(db->read([&](soci::session& s) { return db->threads().owner(s, "no-such-thread"); }));

    // Ended in failure: error; then a run waiting for approval: interrupted.
    db->writes().run([&](soci::session& s) {
        s << "UPDATE runs SET status = 'failed', finished_at_ms = 1 WHERE id = :id", soci::use(run.id);
    });
    CHECK(find(*db, "made-by-run")->status == "error");
    store::RunRecord waiting = new_run("made-by-run", "acme");
    waiting.status = store::run_status::pending_approval;
    waiting.created_at_ms += 1;
    db->writes().run([&](soci::session& s) { db->runs().insert(s, waiting); });
    CHECK(find(*db, "made-by-run")->status == "interrupted");

    CHECK(create(*db, thread_named("owned", "globex", R"({"team":"red"})")));
    CHECK_FALSE(create(*db, thread_named("owned", "acme")));
    CHECK_FALSE(create(*db, thread_named("made-by-run", "globex")));
    auto owned = find(*db, "owned");
    REQUIRE(owned);
    CHECK(owned->tenant == "globex");
    CHECK(owned->metadata_json == R"({"team":"red"})");
    CHECK(owned->status == "idle");
    CHECK(owned->checkpoint == 0);
    // A run on it does not change its owner.
    db->writes().run([&](soci::session& s) { db->runs().insert(s, new_run("owned", "acme")); });
    CHECK(find(*db, "owned")->tenant == "globex");

    // Listing: by status, by tenant, in pages newest first.
    for (int i = 0; i < 5; ++i) {
        auto extra = thread_named("page-" + std::to_string(i), "initech");
        extra.created_at_ms = 1000 + i;
        REQUIRE(create(*db, extra));
    }
    store::ThreadFilter filter;
    filter.by_tenant = true;
    filter.tenant = "initech";
    filter.limit = 2;
    std::vector<std::string> seen;
    for (int pages = 0; pages < 5; ++pages) {
        auto page = db->read([&](soci::session& s) { return db->threads().list(s, filter); });
        for (const auto& listed : page.threads) seen.push_back(listed.id);
        if (page.next_cursor.empty()) break;
        filter.cursor = page.next_cursor;
    }
    CHECK(seen == std::vector<std::string>{"page-4", "page-3", "page-2", "page-1", "page-0"});
    store::ThreadFilter busy;
    busy.status = "busy";
    auto busy_page = db->read([&](soci::session& s) { return db->threads().list(s, busy); });
    REQUIRE(busy_page.threads.size() == 1);
    CHECK(busy_page.threads[0].id == "owned");
    store::ThreadFilter interrupted;
    interrupted.status = "interrupted";
    interrupted.by_tenant = true;
    interrupted.tenant = "acme";
    auto interrupted_page = db->read([&](soci::session& s) { return db->threads().list(s, interrupted); });
    REQUIRE(interrupted_page.threads.size() == 1);
    CHECK(interrupted_page.threads[0].id == "made-by-run");
}

TEST_CASE("a copy forks memory and history up to a checkpoint and leaves the original alone", "[threads]") {
    testing::quiet_store_logs();
    testing::TestDatabase database;
    auto db = database.open();
    put(*db, "source", {{"a", "1"}}, {"run-1", ""});
    put(*db, "source", {{"a", "2"}, {"b", "2"}}, {"", "ana"});
    put(*db, "source", {{"c", "3"}}, {"run-2", ""});
    auto fork = thread_named("fork", "acme", R"({"fork":true})");
    bool copied = false;
    db->writes().run([&](soci::session& s) { copied = db->threads().copy(s, "source", fork, 2); });
    REQUIRE(copied);
    db->writes().run([&](soci::session& s) { copied = db->threads().copy(s, "source", fork, 2); });
    CHECK_FALSE(copied);
    auto forked = db->read([&](soci::session& s) { return db->threads().values(s, "fork"); });
    CHECK(forked.checkpoint == 2);
    CHECK(forked.values == ThreadValues{{"a", "2"}, {"b", "2"}});
    CHECK(find(*db, "fork")->tenant == "acme");
    CHECK(put(*db, "fork", {{"a", "100"}}, {"", "bo"}) == 3);
    auto original = db->read([&](soci::session& s) { return db->threads().values(s, "source"); });
    CHECK(original.checkpoint == 3);
    CHECK(original.values == ThreadValues{{"a", "2"}, {"b", "2"}, {"c", "3"}});
    auto history = db->read([&](soci::session& s) { return db->threads().history(s, "fork", 10, 0, 1 << 20); });
    REQUIRE(history.checkpoints.size() == 3);
    CHECK(history.checkpoints[0].author.actor == "bo");
    CHECK(history.checkpoints[1].author.actor == "ana");
    CHECK(history.checkpoints[2].author.run_id == "run-1");
}

TEST_CASE("removing a thread takes its runs, events, memory and checkpoints, unless a run is active", "[threads]") {
    testing::quiet_store_logs();
    testing::TestDatabase database;
    auto db = database.open();
    store::RunRecord done = new_run("doomed"), active = new_run("doomed"), elsewhere = new_run("kept");
    for (const auto* run : {&done, &active, &elsewhere})
        db->writes().run([&](soci::session& s) { db->runs().insert(s, *run); });
    db->writes().run([&](soci::session& s) {
        s << "UPDATE runs SET status = 'succeeded', finished_at_ms = 1 WHERE id = :id", soci::use(done.id);
    });
    put(*db, "doomed", {{"plan", "1"}}, {done.id, ""});
    put(*db, "kept", {{"plan", "2"}}, {elsewhere.id, ""});
    auto remove = [&](const std::string& id) {
        store::ThreadDeleteOutcome outcome = store::ThreadDeleteOutcome::not_found;
        db->writes().run([&](soci::session& s) { outcome = db->threads().remove(s, id); });
        return outcome;
    };
    CHECK(remove("doomed") == store::ThreadDeleteOutcome::busy);
    CHECK(find(*db, "doomed"));
    db->writes().run([&](soci::session& s) {
        s << "UPDATE runs SET status = 'cancelled', finished_at_ms = 1 WHERE id = :id", soci::use(active.id);
    });
    CHECK(remove("doomed") == store::ThreadDeleteOutcome::deleted);
    CHECK(remove("doomed") == store::ThreadDeleteOutcome::not_found);
    CHECK_FALSE(find(*db, "doomed"));
    for (const auto* run : {&done, &active}) {
        CHECK_FALSE(db->read([&](soci::session& s) { return db->runs().find(s, run->id); }));
        CHECK(db->read([&](soci::session& s) { return db->runs().events(s, run->id, 0, 10); }).empty());
    }
    CHECK_FALSE(db->read([&](soci::session& s) { return db->runs().memory_get(s, "doomed", "plan"); }));
    CHECK(db->read([&](soci::session& s) { return db->threads().history(s, "doomed", 10, 0, 1 << 20); })
              .checkpoints.empty());
    // Other threads are untouched.
    CHECK(db->read([&](soci::session& s) { return db->runs().find(s, elsewhere.id); }));
    CHECK(db->read([&](soci::session& s) { return db->runs().memory_get(s, "kept", "plan"); }) ==
          std::optional<std::string>("2"));
}

TEST_CASE("the threads migration gives memory older than checkpoints a thread row and a first checkpoint",
          "[threads][migration]") {
    testing::quiet_store_logs();
    testing::TestDatabase database;
    store::RunRecord run = new_run("with-run", "acme");
    {
        auto db = database.open();
        db->writes().run([&](soci::session& s) { db->runs().insert(s, run); });
        // Back to the schema before threads were a resource, with memory as
        // a database from the last release holds it.
        db->writes().run([](soci::session& s) {
            s << "DROP TABLE thread_checkpoints";
            s << "DROP INDEX threads_by_created";
            s << "ALTER TABLE threads DROP COLUMN metadata";
            s << "ALTER TABLE threads DROP COLUMN tenant";
            s << "ALTER TABLE threads DROP COLUMN last_checkpoint";
            s << "DELETE FROM schema_migrations WHERE version = 8";
            s << "INSERT INTO thread_memory (thread_id, key, value, updated_at_ms) VALUES "
                 "('memory-only', 'plan', '{\"step\":1}', 1000), ('memory-only', 'note', '\"n\"', 2000), "
                 "('with-run', 'echo_count', '4', 3000)";
        });
    }
    auto db = database.open();
    auto memory_only = find(*db, "memory-only");
    REQUIRE(memory_only);
    CHECK(memory_only->checkpoint == 1);
    CHECK(memory_only->created_at_ms == 1000);
    CHECK(memory_only->updated_at_ms == 2000);
    CHECK(db->read([&](soci::session& s) { return db->threads().values_at(s, "memory-only", 1); }) ==
          ThreadValues{{"note", R"("n")"}, {"plan", R"({"step":1})"}});
    auto history = db->read([&](soci::session& s) { return db->threads().history(s, "memory-only", 10, 0, 1 << 20); });
    REQUIRE(history.checkpoints.size() == 1);
    CHECK(history.checkpoints[0].author.actor == "migration");
    auto with_run = find(*db, "with-run");
    REQUIRE(with_run);
    CHECK(with_run->tenant == "acme");
    CHECK(with_run->checkpoint == 1);
    // Writes go on from there.
    CHECK(put(*db, "with-run", {{"echo_count", "5"}}, {"next-run", ""}) == 2);
}
