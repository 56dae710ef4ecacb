// Which database the host uses and how to open sessions on it: SQLite (WAL)
// in the data directory by default, PostgreSQL when a postgresql:// URL is
// configured. Only this folder knows SOCI.
#pragma once

#include <soci/soci.h>

#include <cstdint>
#include <memory>
#include <stdexcept>
#include <string>

namespace agenthost::store {

enum class Dialect { sqlite, postgresql };

// The database cannot be reached or refused an operation for reasons that
// are not the caller's fault (HTTP 503).
struct StoreUnavailable : std::runtime_error {
    using std::runtime_error::runtime_error;
};

struct DatabaseSettings {
    Dialect dialect = Dialect::sqlite;
    std::string connect_string;  // what SOCI's backend gets
    std::string display;         // for logs: no password
    size_t pool_size = 4;
    // SQLite only: the database file, and the WAL size past which the
    // writer forces a TRUNCATE checkpoint (0: never).
    std::string sqlite_path;
    std::uint64_t wal_limit_bytes = 64ull * 1024 * 1024;
    // SQLite only: PRAGMA synchronous. "full" fsyncs the WAL at every
    // (group) commit; "normal" only at checkpoints: a crash of the process
    // loses nothing, a power loss can lose the commits since the last
    // checkpoint (README, "Durability and synchronous").
    std::string sqlite_synchronous = "full";
};

// `url` empty -> SQLite file agenthost.db in `data_dir`; "sqlite:PATH" or
// "sqlite://PATH" -> that file; "postgresql://..." or "postgres://..." ->
// PostgreSQL. Throws std::invalid_argument for anything else.
DatabaseSettings resolve_database(const std::string& url, const std::string& data_dir);

// Opens one session with the host's settings applied (WAL, busy timeout...).
// Throws StoreUnavailable.
std::unique_ptr<soci::session> open_session(const DatabaseSettings& settings);

// A database error fit for logs and clients: SOCI appends the statement and
// every bound value ("... with :secret=...") to its messages, which must not
// leak webhook secrets or user data.
std::string describe_error(const std::exception& error);

// True when `error` says the database cannot take writes at all (disk full,
// I/O error, read-only file, connection lost, server out of resources), as
// opposed to refusing one statement's data.
bool is_storage_outage(const std::exception& error);

// Milliseconds since the Unix epoch: every timestamp in the store.
long long now_ms();

}  // namespace agenthost::store
