// Usage per principal, rolled up: runs by UTC day, tenant, key, agent and
// final status (count and run seconds) in usage_rollups, and LLM tokens by
// day, tenant, key, agent, provider and model in usage_tokens. A run's usage
// is counted in the transaction that ends it: run endings are noted while
// the transaction runs and added, one upsert per table for the whole group
// commit, just before it commits (see CommitQueue's hooks).
#pragma once

#include "store/database.hpp"

#include <map>
#include <mutex>
#include <string>
#include <vector>

namespace agenthost::store {

struct UsageRunRow {
    std::string day;  // YYYY-MM-DD, UTC, of the run's end
    std::string tenant;
    std::string key_id;
    std::string agent;
    std::string status;
    long long runs = 0;
    long long run_ms = 0;  // sum of finished - started
};

struct UsageTokenRow {
    std::string day;
    std::string tenant;
    std::string key_id;
    std::string agent;
    std::string provider;
    std::string model;
    long long calls = 0;
    long long input_tokens = 0;
    long long output_tokens = 0;
};

struct UsageQuery {
    std::string from_day;  // inclusive, YYYY-MM-DD
    std::string to_day;    // inclusive
    bool by_tenant = false;
    std::string tenant;
};

class UsageRepository {
  public:
    explicit UsageRepository(Dialect dialect) : dialect_(dialect) {}

    // `run_id` ended in the transaction running on `session`.
    void note_ended(soci::session& session, const std::string& run_id) const;
    // A transaction begins (or was rolled back): forget what it noted.
    void discard(const soci::session* session) const;
    // Adds the usage of the runs that ended in the transaction on `session`;
    // call just before it commits.
    void flush(soci::session& session) const;

    std::vector<UsageRunRow> runs(soci::session& session, const UsageQuery& query) const;
    std::vector<UsageTokenRow> tokens(soci::session& session, const UsageQuery& query) const;

    // For quotas, per tenant: runs that ended on `day` plus runs created
    // since `since_ms` that have not ended; and LLM tokens (input + output)
    // from `from_day` on.
    std::map<std::string, long long> runs_per_tenant(soci::session& session, const std::string& day,
                                                     long long since_ms) const;
    std::map<std::string, long long> tokens_per_tenant(soci::session& session, const std::string& from_day) const;

    // The statements that add the usage of the runs matching `where` (over
    // table alias r) to the rollups; the migration backfills with them.
    static std::string add_runs_sql(Dialect dialect, const std::string& where);
    static std::string add_tokens_sql(Dialect dialect, const std::string& where);
    // Token usage stored before runs recorded it per model (no by_model):
    // counted under provider and model "".
    static std::string add_legacy_tokens_sql(Dialect dialect, const std::string& where);

  private:
    Dialect dialect_;
    mutable std::mutex mutex_;
    mutable std::map<const soci::session*, std::vector<std::string>> ended_;
};

}  // namespace agenthost::store
