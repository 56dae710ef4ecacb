// The SQL for pulled log sources (seed 002): per source, where it was read
// up to (an opaque JSON cursor each source type defines), the lease that
// lets one host of several pull it at a time, and what the last pulls did.
// A pull is claimed with a conditional UPDATE (due, and no live lease), as
// cron ticks are: on PostgreSQL a second host waits for the row lock and
// then finds the lease taken. The cursor moves only while the lease and its
// fencing token still hold, in the caller's transaction (the one storing
// the signals read), so a host that lost its lease cannot move it.
#pragma once

#include "store/database.hpp"

#include <optional>
#include <string>

namespace agenthost::store {

struct LogCursor {
    std::string source_id;
    std::string tenant;
    std::string cursor_json;  // "" before the first successful pull
    std::string lease_owner;  // "" when no host pulls it now
    long long lease_expires_at_ms = 0;
    long long fencing_token = 0;
    long long next_pull_at_ms = 0;
    long long last_pull_at_ms = 0;     // 0: never pulled
    long long last_success_at_ms = 0;  // 0: never succeeded
    std::string last_error;            // "" after a successful pull
    long long failures = 0;            // consecutive failed pulls
    long long lines_read = 0;
    long long signals_sent = 0;
    long long updated_at_ms = 0;
};

// What a successful pull did.
struct PullProgress {
    std::string cursor_json;
    long long lines_read = 0;
    long long signals_sent = 0;
    long long now_ms = 0;
    long long next_pull_at_ms = 0;
};

class LogCursorRepository {
  public:
    explicit LogCursorRepository(Dialect dialect) : dialect_(dialect) {}

    // Takes the source's lease for `owner` until `lease_until_ms` when a pull
    // is due (next_pull_at_ms <= now) and no other lease is live; the row is
    // created on first use. The claimed row (with its new fencing token), or
    // nullopt when not due or pulled elsewhere.
    std::optional<LogCursor> claim(soci::session& session, const std::string& source_id, const std::string& tenant,
                                   const std::string& owner, long long now_ms, long long lease_until_ms) const;
    // Moves the cursor, adds to the counts, clears the error and releases the
    // lease; false (nothing changed) when `owner` no longer holds the lease
    // with `fencing_token`.
    bool advance(soci::session& session, const std::string& source_id, const std::string& owner,
                 long long fencing_token, const PullProgress& progress) const;
    // Records a failed pull (the cursor stays) and releases the lease; false
    // when the lease was lost.
    bool fail(soci::session& session, const std::string& source_id, const std::string& owner, long long fencing_token,
              const std::string& error, long long now_ms, long long next_pull_at_ms) const;
    std::optional<LogCursor> find(soci::session& session, const std::string& source_id) const;
    // A deleted source's cursor goes with it.
    void remove(soci::session& session, const std::string& source_id) const;

  private:
    Dialect dialect_;
};

}  // namespace agenthost::store
