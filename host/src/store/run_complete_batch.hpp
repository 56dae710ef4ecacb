// The outcomes of the runs that ended in one commit, written together: one
// UPDATE ... FROM a VALUES list per kRows runs (each row fenced by its own
// token, as complete() is), instead of one UPDATE and one read of
// has_dependants per run. The statement says which rows took (RETURNING),
// so each run learns whether its claim still held and whether another run
// waits for it. Prepared once per row count and session, bound by
// reference to the slots below, like RunInsertBatch.
#pragma once

#include "store/database.hpp"
#include "store/records.hpp"

#include <soci/soci.h>

#include <array>
#include <memory>
#include <string>
#include <vector>

namespace agenthost::store {

class RunCompleteBatch {
  public:
    static constexpr size_t kRows = 32;

    RunCompleteBatch(soci::session& session, Dialect dialect) : session_(session), dialect_(dialect) {}
    RunCompleteBatch(const RunCompleteBatch&) = delete;
    RunCompleteBatch& operator=(const RunCompleteBatch&) = delete;

    // `run` ended (status, result, error, error_type, llm_usage,
    // finished_at_ms, attempts, started_at_ms set) under run.fencing_token.
    void add(const RunRecord& run) { pending_.push_back(run); }
    bool empty() const { return pending_.empty(); }
    bool holds(const std::string& run_id) const;
    size_t size() const { return pending_.size(); }

    struct Taken {
        size_t index = 0;  // in the order added
        bool has_dependants = false;
    };
    // Writes the outcomes added since the last flush and forgets them (also
    // when the database refuses them: the transaction then rolls back and
    // its writes are tried again one by one). Returns the runs whose update
    // took, i.e. whose claim still held; `flushed` receives the runs, in
    // the order added, which Taken::index refers to.
    std::vector<Taken> flush(std::vector<RunRecord>& flushed);
    void discard() { pending_.clear(); }
    // Hands over the outcomes added since the last flush without writing
    // them (SQLite writes each with its own prepared statement: see
    // RunRepository::flush_queued).
    void take(std::vector<RunRecord>& runs) {
        runs.clear();
        runs.swap(pending_);
    }

  private:
    struct Slot {
        std::string id, status, result, error, error_type, usage;
        long long token = 0, finished = 0, attempts = 0, started = 0;
        soci::indicator result_set = soci::i_null, error_set = soci::i_null, type_set = soci::i_null,
                        usage_set = soci::i_null, started_set = soci::i_null;
        void set(const RunRecord& run);
    };
    soci::statement& statement(size_t rows);

    soci::session& session_;
    Dialect dialect_;
    std::vector<RunRecord> pending_;
    std::array<Slot, kRows> slots_;
    // Each statement with the row it returns into (a row is described by
    // one statement only); the statement goes first.
    struct Prepared {
        soci::row returned;
        std::unique_ptr<soci::statement> statement;
    };
    std::array<Prepared, kRows + 1> statements_;
};

}  // namespace agenthost::store
