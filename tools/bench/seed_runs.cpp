// Fills a data directory's SQLite database with finished runs, as a host
// that has been serving for a while would have: the scale part of make
// bench measures the run engine and the reads over them.
//
//   seed_runs DATA_DIR COUNT [AGENT]
//
// Each run gets its thread (one per 100 runs), its result and the three
// events a real run leaves (run.queued, run.started, run.succeeded).
// Written through SQLite's own API in large transactions: fast, and the
// schema comes from the host's migrations.
#include "store/database.hpp"
#include "store/store.hpp"
#include "util/ids.hpp"

#include <sqlite3.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>

using namespace agenthost;

namespace {

void check(int code, sqlite3* db, const char* what) {
    if (code == SQLITE_OK || code == SQLITE_DONE || code == SQLITE_ROW) return;
    std::fprintf(stderr, "seed_runs: %s: %s\n", what, sqlite3_errmsg(db));
    std::exit(1);
}

sqlite3_stmt* prepare(sqlite3* db, const char* sql) {
    sqlite3_stmt* statement = nullptr;
    check(sqlite3_prepare_v2(db, sql, -1, &statement, nullptr), db, sql);
    return statement;
}

void run(sqlite3_stmt* statement, sqlite3* db) {
    check(sqlite3_step(statement), db, sqlite3_sql(statement));
    sqlite3_reset(statement);
}

void text(sqlite3_stmt* statement, int index, const std::string& value) {
    sqlite3_bind_text(statement, index, value.data(), static_cast<int>(value.size()), SQLITE_TRANSIENT);
}

}  // namespace

int main(int argc, char** argv) {
    if (argc < 3) {
        std::fprintf(stderr, "usage: seed_runs DATA_DIR COUNT [AGENT]\n");
        return 2;
    }
    std::string data_dir = argv[1];
    long long count = std::atoll(argv[2]);
    std::string agent = argc > 3 ? argv[3] : "sentiment";
    std::filesystem::create_directories(data_dir);
    store::DatabaseSettings settings = store::resolve_database("", data_dir);
    store::Store::open(settings)->stop();  // migrations

    sqlite3* db = nullptr;
    check(sqlite3_open(settings.sqlite_path.c_str(), &db), db, "open");
    sqlite3_exec(db, "PRAGMA journal_mode=WAL; PRAGMA synchronous=OFF", nullptr, nullptr, nullptr);
    sqlite3_stmt* thread = prepare(db, "INSERT INTO threads (id, created_at_ms, updated_at_ms) VALUES (?1, ?2, ?2)");
    sqlite3_stmt* runs = prepare(
        db,
        "INSERT INTO runs (id, thread_id, agent, task, context, status, result, attempts, max_attempts, "
        "fencing_token, created_at_ms, started_at_ms, finished_at_ms, updated_at_ms, tenant) "
        "VALUES (?1, ?2, ?3, 'The new release is fast and reliable', '{}', 'succeeded', "
        "'{\"sentiment\":\"positive\",\"score\":0.8}', 1, 3, 1, ?4, ?4, ?5, ?5, '')");
    sqlite3_stmt* event = prepare(db, "INSERT INTO run_events (run_id, seq, type, ts_ms, data) VALUES (?1, ?2, ?3, ?4, ?5)");

    auto started = std::chrono::steady_clock::now();
    // Spread over the last day, oldest first, so the newest are the host's.
    long long now = store::now_ms();
    long long first = now - 24LL * 3600 * 1000;
    std::string thread_id;
    for (long long i = 0; i < count; ++i) {
        if (i % 50000 == 0) check(sqlite3_exec(db, "BEGIN", nullptr, nullptr, nullptr), db, "begin");
        long long created = first + (i * 24LL * 3600 * 1000) / (count > 0 ? count : 1);
        if (i % 100 == 0) {
            thread_id = new_uuid();
            text(thread, 1, thread_id);
            sqlite3_bind_int64(thread, 2, created);
            run(thread, db);
        }
        std::string id = new_uuid();
        text(runs, 1, id);
        text(runs, 2, thread_id);
        text(runs, 3, agent);
        sqlite3_bind_int64(runs, 4, created);
        sqlite3_bind_int64(runs, 5, created + 2);
        run(runs, db);
        const char* types[] = {"run.queued", "run.started", "run.succeeded"};
        const char* data[] = {"{}", "{\"attempt\":1}", "{\"status\":\"succeeded\"}"};
        for (int e = 0; e < 3; ++e) {
            text(event, 1, id);
            sqlite3_bind_int64(event, 2, e + 1);
            sqlite3_bind_text(event, 3, types[e], -1, SQLITE_STATIC);
            sqlite3_bind_int64(event, 4, created + e);
            sqlite3_bind_text(event, 5, data[e], -1, SQLITE_STATIC);
            run(event, db);
        }
        if (i % 50000 == 49999 || i == count - 1) check(sqlite3_exec(db, "COMMIT", nullptr, nullptr, nullptr), db, "commit");
    }
    sqlite3_exec(db, "PRAGMA wal_checkpoint(TRUNCATE)", nullptr, nullptr, nullptr);
    for (sqlite3_stmt* statement : {thread, runs, event}) sqlite3_finalize(statement);
    sqlite3_close(db);
    double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    std::printf("seeded %lld finished runs in %.1f s\n", count, seconds);
    return 0;
}
