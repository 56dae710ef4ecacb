// Usage per principal, rolled up: runs by UTC day, tenant, key, agent and
// final status (count and run seconds) in usage_rollups, and LLM tokens by
// day, tenant, key, agent, provider and model in usage_tokens. A run's usage
// is counted in the transaction that ends it: each ending is added up in
// memory while the transaction runs (from the run's record: no query), and
// just before it commits one prepared upsert per rollup row the whole group
// commit touched writes the sums (see CommitQueue's hooks). A batch of a
// hundred runs of one agent and key costs one statement per table, not one
// per run.
#pragma once

#include "store/database.hpp"
#include "store/records.hpp"

#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <tuple>
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
    explicit UsageRepository(Dialect dialect);
    ~UsageRepository();

    // `run` ended with `status` in the transaction running on `session`
    // (its finished_at_ms, or now when the record lacks it).
    void note_ended(soci::session& session, const RunRecord& run, const std::string& status) const;
    // A transaction begins (or was rolled back): forget what it noted.
    void discard(const soci::session* session) const;
    // Adds up what the transaction on `session` noted; call just before it
    // commits.
    void flush(soci::session& session) const;
    // The session is closing: its prepared statements go first.
    void forget_session(const soci::session* session) const;
    void forget_all_sessions() const;

    std::vector<UsageRunRow> runs(soci::session& session, const UsageQuery& query) const;
    std::vector<UsageTokenRow> tokens(soci::session& session, const UsageQuery& query) const;

    // For quotas, per tenant: runs that ended on `day` plus runs created
    // since `since_ms` that have not ended; and LLM tokens (input + output)
    // from `from_day` on.
    std::map<std::string, long long> runs_per_tenant(soci::session& session, const std::string& day,
                                                     long long since_ms) const;
    std::map<std::string, long long> tokens_per_tenant(soci::session& session, const std::string& from_day) const;
    // Runs of `tenant` created at or after `since_ms`, ended or not: which
    // of the runs a host just admitted are in the store already.
    long long runs_created_since(soci::session& session, const std::string& tenant, long long since_ms) const;

    // The migration's backfill: adds the usage of the ended runs matching
    // `where` (over table alias r) to the rollups, in SQL.
    static std::string add_runs_sql(Dialect dialect, const std::string& where);
    static std::string add_tokens_sql(Dialect dialect, const std::string& where);
    // Token usage stored before runs recorded it per model (no by_model):
    // counted under provider and model "".
    static std::string add_legacy_tokens_sql(Dialect dialect, const std::string& where);

  private:
    // day, tenant, key, agent, status | provider, model
    using RunKey = std::tuple<std::string, std::string, std::string, std::string, std::string>;
    using TokenKey = std::tuple<std::string, std::string, std::string, std::string, std::string, std::string>;
    struct RunSums {
        long long runs = 0;
        long long run_ms = 0;
    };
    struct TokenSums {
        long long calls = 0;
        long long input_tokens = 0;
        long long output_tokens = 0;
    };
    // What one transaction has ended so far. Ordered maps: rows are upserted
    // in key order, so two hosts' transactions touching the same rollup rows
    // lock them in the same order (no deadlock on PostgreSQL).
    struct Pending {
        std::set<std::string> run_ids;  // a run is counted once
        std::map<RunKey, RunSums> runs;
        std::map<TokenKey, TokenSums> tokens;
    };
    struct Upserts;
    Upserts& upserts(soci::session& session) const;

    Dialect dialect_;
    mutable std::mutex mutex_;
    mutable std::map<const soci::session*, Pending> pending_;
    mutable std::map<const soci::session*, std::unique_ptr<Upserts>> upserts_;
};

}  // namespace agenthost::store
