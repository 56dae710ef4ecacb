// Test helpers: requests through dbagent::handle, artifacts by path, and
// migration sets applied to real SQLite (libsqlite3) and real PostgreSQL
// (libpq, AGENTHOST_TEST_DATABASE_URL).
#ifndef DATABASE_AGENT_TESTS_SUPPORT_HPP
#define DATABASE_AGENT_TESTS_SUPPORT_HPP

#include <catch2/catch.hpp>
#include <devkit/context_fields.hpp>
#include <json_schema.hpp>
#include <libpq-fe.h>
#include <sqlite3.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

#include "database_agent.hpp"

namespace dbtest {

inline dbagent::Outcome run(const std::string& context_json, const std::string& task = "") {
    return dbagent::handle(textkit::testing::parse_json(context_json), task);
}

inline const devkit::Artifact& artifact(const dbagent::Outcome& outcome, const std::string& suffix) {
    for (const auto& a : outcome.artifacts)
        if (a.path.size() >= suffix.size() && a.path.compare(a.path.size() - suffix.size(), suffix.size(), suffix) == 0)
            return a;
    throw std::runtime_error("no artifact ending in " + suffix);
}

inline std::string all_up(const dbagent::Outcome& outcome) {
    std::string out;
    for (const auto& a : outcome.artifacts)
        if (a.path.find(".up.sql") != std::string::npos) out += a.content + "\n";
    return out;
}

struct Files {
    std::vector<std::string> up, down;  // in order of number; downs are applied in reverse
};
inline Files files_of(const dbagent::Outcome& outcome) {
    Files files;
    for (const auto& a : outcome.artifacts) {
        if (a.path.find(".up.sql") != std::string::npos) files.up.push_back(a.content);
        else files.down.push_back(a.content);
    }
    REQUIRE(files.up.size() == files.down.size());
    return files;
}

// An in-memory SQLite database with foreign keys enforced.
class Sqlite {
  public:
    Sqlite() {
        REQUIRE(sqlite3_open(":memory:", &db_) == SQLITE_OK);
        exec("PRAGMA foreign_keys = ON;");
    }
    ~Sqlite() { sqlite3_close(db_); }
    // Empty on success, else SQLite's message.
    std::string try_exec(const std::string& sql) {
        char* error = nullptr;
        if (sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &error) == SQLITE_OK) return "";
        std::string message = error ? error : "error";
        sqlite3_free(error);
        return message;
    }
    void exec(const std::string& sql) {
        const std::string error = try_exec(sql);
        INFO(sql);
        REQUIRE(error == "");
    }
    std::set<std::string> tables() {
        std::set<std::string> out;
        sqlite3_stmt* statement = nullptr;
        sqlite3_prepare_v2(db_, "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'", -1,
                           &statement, nullptr);
        while (sqlite3_step(statement) == SQLITE_ROW)
            out.insert(reinterpret_cast<const char*>(sqlite3_column_text(statement, 0)));
        sqlite3_finalize(statement);
        return out;
    }
    std::string integrity() {
        sqlite3_stmt* statement = nullptr;
        sqlite3_prepare_v2(db_, "PRAGMA foreign_key_check", -1, &statement, nullptr);
        std::string out = sqlite3_step(statement) == SQLITE_ROW ? "violations" : "";
        sqlite3_finalize(statement);
        return out;
    }

  private:
    sqlite3* db_ = nullptr;
};

inline std::string pg_url() {
    const char* url = std::getenv("AGENTHOST_TEST_DATABASE_URL");
    return url == nullptr ? "" : url;
}

// A connection to the PostgreSQL test server, in a schema of its own that
// is dropped afterwards.
class Postgres {
  public:
    Postgres() {
        conn_ = PQconnectdb(pg_url().c_str());
        INFO(PQerrorMessage(conn_));
        REQUIRE(PQstatus(conn_) == CONNECTION_OK);
        static std::atomic<int> counter{0};
        schema_ = "dbagent_" + std::to_string(getpid()) + "_" + std::to_string(counter++);
        exec("SET client_min_messages TO warning;");
        exec("DROP SCHEMA IF EXISTS " + schema_ + " CASCADE; CREATE SCHEMA " + schema_ + "; SET search_path TO " + schema_ +
             ";");
    }
    ~Postgres() {
        PQclear(PQexec(conn_, ("DROP SCHEMA IF EXISTS " + schema_ + " CASCADE").c_str()));
        PQfinish(conn_);
    }
    std::string try_exec(const std::string& sql) {
        PGresult* result = PQexec(conn_, sql.c_str());
        const auto status = PQresultStatus(result);
        std::string error = (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK || status == PGRES_EMPTY_QUERY)
                                ? ""
                                : std::string(PQresultErrorMessage(result));
        PQclear(result);
        return error;
    }
    void exec(const std::string& sql) {
        const std::string error = try_exec(sql);
        INFO(sql);
        REQUIRE(error == "");
    }
    // A migration file as a migration tool runs it: one transaction, or
    // statement by statement when it holds CONCURRENTLY (which cannot run
    // inside a transaction block, and a multi-statement query is one).
    void apply(const std::string& file) {
        if (file.find("CONCURRENTLY") != std::string::npos) {
            for (const auto& statement : dbagent::split_statements(file)) exec(statement);
        } else {
            exec("BEGIN;\n" + file + "\nCOMMIT;");
        }
    }
    std::set<std::string> tables() {
        std::set<std::string> out;
        PGresult* result = PQexec(conn_, ("SELECT table_name FROM information_schema.tables WHERE table_schema = '" +
                                          schema_ + "'")
                                             .c_str());
        for (int i = 0; i < PQntuples(result); ++i) out.insert(PQgetvalue(result, i, 0));
        PQclear(result);
        return out;
    }
    int count(const std::string& query) {
        PGresult* result = PQexec(conn_, query.c_str());
        int n = PQresultStatus(result) == PGRES_TUPLES_OK && PQntuples(result) > 0 ? std::atoi(PQgetvalue(result, 0, 0)) : -1;
        PQclear(result);
        return n;
    }
    const std::string& schema() const { return schema_; }

  private:
    PGconn* conn_ = nullptr;
    std::string schema_;
};

// Up, down (in reverse) and up again; the tables after each up are `expected`
// and none are left after the downs (beyond `base`, tables made before).
template <typename Db>
void up_down_up(Db& db, const Files& files, const std::set<std::string>& expected, const std::set<std::string>& base = {}) {
    auto apply = [&db](const std::string& file) {
        if constexpr (std::is_same_v<Db, Postgres>) db.apply(file);
        else db.exec(file);
    };
    for (int round = 0; round < 2; ++round) {
        for (const auto& file : files.up) apply(file);
        CHECK(db.tables() == expected);
        if (round == 1) break;
        for (auto it = files.down.rbegin(); it != files.down.rend(); ++it) apply(*it);
        CHECK(db.tables() == base);
    }
}

}  // namespace dbtest

#endif
