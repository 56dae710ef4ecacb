// The ceiling for durable runs on SQLite: how many commits per second this
// machine's disk and SQLite give with the host's own settings (WAL,
// synchronous=FULL), one row per commit and 100 rows per commit.
//
//   sqlite_commits DIR [SECONDS]
#include "store/database.hpp"

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <string>

using namespace agenthost;

namespace {

double rate(soci::session& session, int rows_per_commit, double seconds) {
    using Clock = std::chrono::steady_clock;
    auto start = Clock::now();
    long long commits = 0, id = 0;
    std::string data = "{\"agent\":\"sentiment\",\"thread_id\":\"00000000-0000-0000-0000-000000000000\"}";
    while (std::chrono::duration<double>(Clock::now() - start).count() < seconds) {
        soci::transaction transaction(session);
        for (int i = 0; i < rows_per_commit; ++i) {
            ++id;
            session << "INSERT INTO bench (id, data) VALUES (:id, :data)", soci::use(id), soci::use(data);
        }
        transaction.commit();
        ++commits;
    }
    return commits / std::chrono::duration<double>(Clock::now() - start).count();
}

}  // namespace

int main(int argc, char** argv) {
    if (argc < 2) {
        std::fprintf(stderr, "usage: sqlite_commits DIR [SECONDS]\n");
        return 2;
    }
    double seconds = argc > 2 ? std::stod(argv[2]) : 3.0;
    std::filesystem::create_directories(argv[1]);
    auto settings = store::resolve_database("", argv[1]);
    auto session = store::open_session(settings);
    *session << "CREATE TABLE IF NOT EXISTS bench (id BIGINT PRIMARY KEY, data TEXT NOT NULL)";
    *session << "DELETE FROM bench";
    double single = rate(*session, 1, seconds);
    *session << "DELETE FROM bench";
    double batched = rate(*session, 100, seconds);
    std::printf("%-40s %12.0f commits/s\n", "raw SQLite, 1 row per commit", single);
    std::printf("%-40s %12.0f rows/s\n", "raw SQLite, 100 rows per commit", batched * 100);
    return 0;
}
